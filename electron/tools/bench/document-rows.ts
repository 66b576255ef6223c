// Rows of the documents and the day close, on the counter the first sync filled:
//  - receipt PDF, warm: 《税收缴款书(税务收现专用)》 for recorded transactions (API receipt.issue),
//    then API receipt.pdf (A4) over a few hundred calls after a warm-up; target < 30 ms.
//  - receipt PDF, cold: the first receipt rendered in a fresh Node process (pdfkit's first
//    document and the CJK font parsed), a few runs in child processes; no target.
//  - day close: 10,000 payments for the clerk's open business date (recordRow's API call), then
//    the close's computation (API dayclose.preview) timed repeatedly, the close itself once (it
//    can run once per day) and its 日汇总单 PDF once; target < 100 ms.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { DayCloseView, DaySummaryView } from '../../../shared/api/views';
import { fixedStartClock } from '../../platform/clock';
import { trainingConfig } from '../../platform/config';
import { ReceiptService } from '../../services/receipts';
import { call, payersWhoCanPay, recordPayment, type AppRowsInput } from './app-rows';
import { loopDelayRow, watchLoopDelay, yieldToLoop } from './loop-delay';
import { measure, measureOnce, summarize } from './stats';
import type { RowResult } from './table';
import { fmtMs } from './table';

interface IssuedReceipts {
  receipts: { number: string }[];
}

/**
 * Receipt numbers for `want` counter transactions: the transactions recorded so far (the record
 * row's) without a receipt, topped up with new payments when there are fewer.
 */
export async function issueReceipts({ ctx, app, file }: AppRowsInput, want: number): Promise<string[]> {
  const raw = new Database(file, { readonly: true });
  let txIds: number[];
  try {
    txIds = (
      raw
        .prepare('SELECT id FROM counter_transactions t WHERE NOT EXISTS (SELECT 1 FROM receipts r WHERE r.transaction_id = t.id) ORDER BY id LIMIT ?')
        .all(want) as { id: number }[]
    ).map((r) => r.id);
  } finally {
    raw.close();
  }
  if (txIds.length < want) {
    for (const payerId of payersWhoCanPay(file, ctx, 2 * (want - txIds.length) + 20)) {
      if (txIds.length >= want) break;
      const txId = await recordPayment(app, ctx, payerId);
      if (txId !== null) txIds.push(txId);
    }
  }
  if (txIds.length === 0) throw new Error('no counter transaction to issue a receipt for');
  const numbers: string[] = [];
  for (const transactionId of txIds) {
    const issued = await call<IssuedReceipts>(app, 'receipt.issue', { transactionId });
    numbers.push(...issued.receipts.map((r) => r.number));
  }
  return numbers;
}

export async function receiptPdfWarmRow(input: AppRowsInput): Promise<RowResult> {
  const { ctx, app } = input;
  const numbers = await issueReceipts(input, ctx.iterations(200, 10));
  const n = ctx.iterations(500, 20);
  let bytes = 0;
  const stats = await measure(
    async (i) => {
      const pdf = await call<{ base64: string }>(app, 'receipt.pdf', { number: numbers[i % numbers.length]!, layout: 'a4' });
      bytes = Math.max(bytes, (pdf.base64.length * 3) / 4);
    },
    { iterations: n, warmup: ctx.iterations(30, 3) },
  );
  return {
    id: 'receipt-pdf-warm',
    operation: 'receipt PDF generation, warm (API receipt.pdf, A4)',
    status: 'ok',
    stats,
    unit: 'PDFs/s',
    target: { text: '< 30 ms', met: stats.p99 < 30 },
    note: `${n} calls over ${numbers.length} receipts issued through receipt.issue, after ${ctx.iterations(30, 3)} warm-up calls; 《税收缴款书》 with embedded subset CJK font, up to ${Math.round(bytes / 1024)} KB; target checked at p99`,
  };
}

/** The checkout (TypeScript sources and jiti) the cold child runs from, or null in an installed app. */
function checkoutRoot(): string | null {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    if (fs.existsSync(path.join(dir, 'electron', 'documents', 'receipt-pdf.ts')) && fs.existsSync(path.join(dir, 'node_modules', 'jiti'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

interface ColdRun {
  /** Loading the document modules (pdfkit, fontkit; TypeScript compiled by jiti, cached after the first run). */
  loadMs: number;
  /** The first renderReceiptPdf in the process: pdfkit's first document, the CJK font read and parsed. */
  firstMs: number;
  /** The second one in the same process, for comparison. */
  secondMs: number;
  bytes: number;
  /** Process spawn to exit. */
  processMs: number;
}

// Runs in the child (node -e): argv = [node, root, docFile].
const childScript = `
const { performance } = require('node:perf_hooks');
const fs = require('node:fs');
const path = require('node:path');
const [root, docFile] = process.argv.slice(1);
const t0 = performance.now();
const { createJiti } = require('jiti');
const jiti = createJiti(path.join(root, 'package.json'));
jiti.import(path.join(root, 'electron', 'documents', 'receipt-pdf.ts')).then(async (m) => {
  const t1 = performance.now();
  const doc = JSON.parse(fs.readFileSync(docFile, 'utf8'));
  const t2 = performance.now();
  const first = await m.renderReceiptPdf(doc, { layout: 'a4' });
  const t3 = performance.now();
  await m.renderReceiptPdf(doc, { layout: 'a4' });
  const t4 = performance.now();
  process.stdout.write(JSON.stringify({ loadMs: t1 - t0, firstMs: t3 - t2, secondMs: t4 - t3, bytes: first.length }) + '\\n');
}).catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
`;

function coldRun(root: string, docFile: string): Promise<ColdRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-e', childScript, root, docFile], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const processMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`the cold receipt child exited with ${code}: ${err.trim().split('\n')[0] ?? ''}`));
      try {
        resolve({ ...(JSON.parse(out.trim().split('\n').pop()!) as Omit<ColdRun, 'processMs'>), processMs });
      } catch {
        reject(new Error(`the cold receipt child printed no result: ${out}${err}`));
      }
    });
  });
}

export async function receiptPdfColdRow(input: AppRowsInput): Promise<RowResult> {
  const { ctx, app, file } = input;
  const operation = 'receipt PDF generation, cold (first in a process)';
  const root = checkoutRoot();
  if (!root) return { id: 'receipt-pdf-cold', operation, status: 'skipped', note: 'needs the checkout (TypeScript sources and jiti) for the child process' };
  const [number] = await issueReceipts(input, 1);
  // The document as the app would render it, read on a connection of its own.
  const db = new Database(file, { readonly: true });
  let doc;
  try {
    const cfg = trainingConfig(ctx.options.payers);
    doc = new ReceiptService(db, fixedStartClock(new Date(ctx.clockIso)), app.log, {
      training: true,
      taxOffice: cfg.taxOffice,
      timeZone: cfg.timeZone,
      formLineLimit: 5,
    }).document(number!);
  } finally {
    db.close();
  }
  const docFile = path.join(ctx.work, 'receipt-cold.json');
  fs.writeFileSync(docFile, JSON.stringify(doc));
  const runs = ctx.iterations(5, 3);
  const results: ColdRun[] = [];
  // The first child also fills jiti's compile cache; it is not counted.
  await coldRun(root, docFile);
  for (let i = 0; i < runs; i++) results.push(await coldRun(root, docFile));
  const stats = summarize(results.map((r) => r.firstMs));
  const median = (xs: number[]) => summarize(xs).p50;
  return {
    id: 'receipt-pdf-cold',
    operation,
    status: 'ok',
    stats,
    unit: 'PDFs/s',
    note:
      `${runs} fresh Node processes (one untimed before them); first renderReceiptPdf(A4) in the process, modules already loaded; ` +
      `median second render in the same process ${fmtMs(median(results.map((r) => r.secondMs)))}, ` +
      `module load ${fmtMs(median(results.map((r) => r.loadMs)))} (TypeScript through jiti, not the built bundle), ` +
      `process spawn to exit ${fmtMs(median(results.map((r) => r.processMs)))}; throughput = 1 / mean first render`,
  };
}

/** Print jobs not yet printed (read on a connection of its own). */
function queuedPrintJobs(file: string): number {
  const raw = new Database(file, { readonly: true });
  try {
    return (raw.prepare("SELECT count(*) AS n FROM print_jobs WHERE state IN ('pending', 'sending')").get() as { n: number }).n;
  } finally {
    raw.close();
  }
}

export async function dayCloseRow({ ctx, app, file }: AppRowsInput, onLoopDelay?: (row: RowResult) => void): Promise<RowResult> {
  const want = ctx.iterations(10_000, 50);
  const before = await call<DaySummaryView>(app, 'dayclose.preview', {});
  let missing = want - before.count;
  let refused = 0;
  if (missing > 0) {
    const payers = payersWhoCanPay(file, ctx, missing + Math.max(100, Math.ceil(missing / 10)));
    for (const payerId of payers) {
      if (missing <= 0) break;
      if ((await recordPayment(app, ctx, payerId)) === null) refused++;
      else missing--;
    }
  }
  const summary = await call<DaySummaryView>(app, 'dayclose.preview', {});
  if (summary.count < want) throw new Error(`only ${summary.count} of ${want} payments could be recorded for one day (${refused} refused)`);
  const n = ctx.iterations(100, 5);
  const stats = await measure(() => call<DaySummaryView>(app, 'dayclose.preview', {}), { iterations: n, warmup: ctx.iterations(10, 2) });
  let closed: DayCloseView | undefined;
  // The close as a supervisor runs it (preview, close, 日汇总单), each a call of its own: the
  // event-loop delay over it is the eld-day-close row.
  // The recorded payments' slips may still be printing on the simulated printer meanwhile: the
  // note says how many, since their printing shares this thread.
  const slipsQueued = onLoopDelay ? queuedPrintJobs(file) : 0;
  const watch = onLoopDelay ? watchLoopDelay() : null;
  await call<DaySummaryView>(app, 'dayclose.preview', {});
  await yieldToLoop();
  const close = await measureOnce(summary.count, async () => {
    // The bench issues receipts without printing them: closing with them waiting needs the
    // training supervisor's approval, as at a real counter.
    closed = await call<DayCloseView>(app, 'dayclose.close', { cashCountedFen: summary.cashExpectedFen, approval: { username: 'super', password: '5678' } });
  });
  if (!closed || closed.summary.count !== summary.count) throw new Error(`the close counted ${closed?.summary.count} payments, the preview ${summary.count}`);
  await yieldToLoop();
  const pdf = await measureOnce(1, () => call(app, 'dayclose.pdf', { no: closed!.no }));
  if (watch && onLoopDelay) {
    onLoopDelay(
      loopDelayRow(
        'eld-day-close',
        `a day close of ${summary.count.toLocaleString('en-US')} payments`,
        watch.stop(),
        `dayclose.preview, dayclose.close ${fmtMs(close.ms)}, dayclose.pdf ${fmtMs(pdf.ms)} (in the PDF worker); ${slipsQueued} payment slips still queued for the simulated printer when it began`,
      ),
    );
  }
  return {
    id: 'day-close',
    operation: `day close over ${summary.count.toLocaleString('en-US')} payments (API dayclose.preview, dayclose.close)`,
    status: 'ok',
    stats,
    unit: 'previews/s',
    target: { text: '< 100 ms', met: stats.p99 < 100 && close.ms < 100 },
    note:
      `${summary.count.toLocaleString('en-US')} payments in ${summary.transactions.toLocaleString('en-US')} transactions, one clerk, business date ${summary.businessDate}, ${summary.receipts.issued} receipts; ` +
      `p50/p99 = dayclose.preview ×${n}; the close itself (once per day: totals, numbered record, outbox) ${fmtMs(close.ms)}; ` +
      `日汇总单 PDF ${fmtMs(pdf.ms)}; target: preview p99 and the close < 100 ms`,
  };
}
