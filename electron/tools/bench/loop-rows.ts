// Event-loop delay rows (issue 18): how late the services thread's timers fire while heavy work
// runs, measured in this process (the app runs its services in one process too). Between two
// operations the loop gets a turn, as it does between two IPC calls from the window.
//  - eld-first-start: a new training data directory from createAppServices until the county is
//    complete (the county fill runs in a worker; the counter is asked for a payer meanwhile).
//  - eld-receipt-pdfs: 200 receipt PDFs (API receipt.pdf) over issued receipts.
//  - eld-day-close: the day close of 10,000 payments (see dayCloseRow, which watches its close).
//  - eld-progress: the supervisor's progress report (API progress.get) over the county.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { createAppServices } from '../../services/app';
import { fixedStartClock } from '../../platform/clock';
import { demoCardPayers, type DemoCountyOptions } from '../../services/demo/county';
import { call, type AppRowsInput } from './app-rows';
import type { BenchContext } from './context';
import { dayCloseRow, issueReceipts } from './document-rows';
import { loopDelayRow, watchLoopDelay, yieldToLoop } from './loop-delay';
import { summarize } from './stats';
import { fmtMs, type RowResult } from './table';

/** The first start's county: the app's default (120,000), or the bench's county when smaller. */
const FIRST_START_PAYERS = 120_000;

/** The county options a training database was built with. */
function trainingCounty(file: string): DemoCountyOptions {
  const db = new Database(file, { readonly: true });
  try {
    return JSON.parse((db.prepare("SELECT value FROM settings WHERE key = 'demo_county'").get() as { value: string }).value) as DemoCountyOptions;
  } finally {
    db.close();
  }
}

export async function eldFirstStartRow(ctx: BenchContext): Promise<RowResult> {
  const dir = path.join(ctx.work, 'first-start');
  const payers = Math.min(ctx.options.payers, FIRST_START_PAYERS);
  const watch = watchLoopDelay();
  const started = performance.now();
  const app = createAppServices({ dataDir: dir, demoPayers: payers, clock: fixedStartClock(new Date(ctx.clockIso)) });
  let readyMs = Number.NaN;
  const lookups: number[] = [];
  try {
    await app.ready;
    readyMs = performance.now() - started;
    // The window's sign-in is a call of its own, a loop turn after the ready status reached it.
    await yieldToLoop();
    await call(app, 'session.signIn', { username: 'clerk', password: '1234', counterNo: 1 });
    await yieldToLoop();
    // A clerk at work while the county fills: a demo card's payer every 50 ms.
    const card = demoCardPayers(trainingCounty(path.join(dir, 'counter.sqlite')))[0]!.payer;
    let complete = false;
    const done = app.countyComplete().finally(() => (complete = true));
    while (!complete) {
      const t = performance.now();
      await call(app, 'payer.lookup', { idNumber: card.idNumber });
      lookups.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await done;
  } finally {
    await app.close();
  }
  const completeMs = performance.now() - started;
  const delay = watch.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  const l = summarize(lookups);
  return loopDelayRow(
    'eld-first-start',
    `first start with a ${payers.toLocaleString('en-US')}-payer training county`,
    delay,
    `usable sign-in after ${fmtMs(readyMs)}, county complete after ${fmtMs(completeMs)} (written by a worker thread); ` +
      `${l.n} payer lookups meanwhile, p50 ${fmtMs(l.p50)}, p99 ${fmtMs(l.p99)}`,
  );
}

export async function eldReceiptPdfsRow(input: AppRowsInput): Promise<RowResult> {
  const { ctx, app } = input;
  const n = ctx.iterations(200, 10);
  const numbers = await issueReceipts(input, n);
  // One untimed render first: the font is read and pdfkit warmed as at the first receipt of a day.
  await call(app, 'receipt.pdf', { number: numbers[0]!, layout: 'a4' });
  const watch = watchLoopDelay();
  for (let i = 0; i < n; i++) {
    await call(app, 'receipt.pdf', { number: numbers[i % numbers.length]!, layout: 'a4' });
    await yieldToLoop();
  }
  return loopDelayRow('eld-receipt-pdfs', `${n} receipt PDFs (API receipt.pdf, A4)`, watch.stop(), `${numbers.length} receipts issued through receipt.issue`);
}

/** The day close alone (when the day-close row does not run it and watch its close). */
export async function eldDayCloseRow(input: AppRowsInput): Promise<RowResult> {
  let row: RowResult | undefined;
  await dayCloseRow(input, (r) => (row = r));
  if (!row) throw new Error('the day close reported no event-loop delay');
  return row;
}

export async function eldProgressRow({ ctx, app }: AppRowsInput): Promise<RowResult> {
  // The report is the supervisor's: the clerk's shift is signed out first.
  await app.dispatch('session.signOut', {}, { transport: 'direct' });
  await call(app, 'session.signIn', { username: 'super', password: '5678', counterNo: 1 });
  const n = ctx.iterations(5, 2);
  const times: number[] = [];
  const watch = watchLoopDelay();
  const started = performance.now();
  // A small county is counted in a few milliseconds: reports follow each other for at least a
  // third of a second, so the loop is watched long enough to sample it.
  for (let i = 0; i < n || performance.now() - started < 300; i++) {
    const t = performance.now();
    await call(app, 'progress.get', {});
    times.push(performance.now() - t);
    await yieldToLoop();
  }
  const delay = watch.stop();
  const s = summarize(times);
  return loopDelayRow(
    'eld-progress',
    `a progress report over ${ctx.options.payers.toLocaleString('en-US')} payers (API progress.get)`,
    delay,
    `${times.length} reports, each p50 ${fmtMs(s.p50)}, slowest ${fmtMs(Math.max(...times))}`,
  );
}
