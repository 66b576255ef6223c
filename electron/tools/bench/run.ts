// The benchmark run: builds the county upstream, measures the first and an incremental sync into
// a new counter, then the counter's API, the documents and the browser host on that counter, and
// returns one row per operation (rows not asked for say so).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createAppServices } from '../../services/app';
import { fixedStartClock } from '../../platform/clock';
import { dataDirLayout, trainingConfig, writeConfig } from '../../platform/config';
import { openTiersFen, policyInForce } from '../../services/policy/current';
import { lookupRow, payerPageRow, quoteRow, recordRow, searchRow, slipRow, call, type AppRowsInput } from './app-rows';
import { browserRows } from './browser-rows';
import { BENCH_CLOCK, BENCH_KEY, BENCH_SEED, type BenchContext, type BenchOptions } from './context';
import { buildUpstreamStore, type CountyBuild } from './county';
import { dayCloseRow, receiptPdfColdRow, receiptPdfWarmRow } from './document-rows';
import { eldDayCloseRow, eldFirstStartRow, eldProgressRow, eldReceiptPdfsRow } from './loop-rows';
import { firstSyncDelayRow, incrementalRow, ingestRow, newCounterDatabase, rawInsertBaseline, startUpstream, syncEngine } from './sync-rows';
import type { LoopDelay } from './loop-delay';
import { rowIds, type RowId, type RowResult } from './table';
import type { Stats } from './stats';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  sqlite: string;
  platform: string;
}

export interface BenchReport {
  rows: RowResult[];
  machine: MachineInfo;
  county: CountyBuild;
  payers: number;
  startedAt: string;
  durationMs: number;
}

const operations: Record<RowId, string> = {
  lookup: 'payer lookup by ID number (API payer.lookup)',
  search: 'name / pinyin-initials search (API payer.search, 20 hits)',
  'payer-page': "payer page's full data (API payer.get)",
  quote: 'policy engine quote, payer with 10 unpaid years (API payment.quote)',
  ingest: 'first sync: ingest county from upstream (loopback HTTP)',
  'incremental-sync': 'incremental sync of 10,000 changes',
  record: 'record a payment (API payment.record: ledger + outbox + print job)',
  'receipt-pdf-warm': 'receipt PDF generation, warm',
  'receipt-pdf-cold': 'receipt PDF generation, cold (first in a process)',
  slip: 'thermal slip encoding (ESC/POS, GB18030, QR)',
  'day-close': 'day close over 10,000 payments',
  'card-paint': 'card placed on simulated reader → payer page painted (in Chromium)',
  'host-start': 'browser host start → first usable screen',
  rss: 'browser host memory (RSS) with the county loaded',
  'eld-first-start': 'event-loop delay during first start with the training county',
  'eld-first-sync': 'event-loop delay during the first sync of the county',
  'eld-receipt-pdfs': 'event-loop delay during 200 receipt PDFs',
  'eld-day-close': 'event-loop delay during a day close of 10,000 payments',
  'eld-progress': 'event-loop delay during a progress report',
};

export function machineInfo(): MachineInfo {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {
    /* not Linux */
  }
  const mem = new Database(':memory:');
  const sqlite = (mem.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  mem.close();
  return {
    cpus: os.availableParallelism?.() ?? os.cpus().length,
    cpuModel,
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    sqlite,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

async function guard(id: RowId, fn: () => Promise<RowResult> | RowResult, log: (s: string) => void): Promise<RowResult> {
  try {
    log(`  ${id} …`);
    return await fn();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`  ${id} FAILED: ${message}`);
    return { id, operation: operations[id], status: 'failed', note: message.split('\n')[0]!.slice(0, 200) };
  }
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const started = Date.now();
  const startedAt = new Date().toISOString();
  const log = options.log ?? (() => {});
  const only = options.only ? new Set<RowId>(options.only) : null;
  const work = fs.mkdtempSync(path.join(options.tmpRoot ?? os.tmpdir(), 'pc-bench-'));
  const clockIso = BENCH_CLOCK;
  const asOf = clockIso.slice(0, 10);
  const year = Number(asOf.slice(0, 4));
  const training = trainingConfig(options.payers);
  const policy = await policyInForce(training.policyRegion, year);
  const tiersFen = openTiersFen(policy);
  const scale = options.scale ?? 1;
  const ctx: BenchContext = {
    options: { paymentsPerPayer: 3, scale, ...options },
    work,
    upstreamDir: path.join(work, 'upstream'),
    counterDir: path.join(work, 'counter'),
    county: { seed: BENCH_SEED, payers: options.payers, asOf, regionCode: training.regionCode, countyName: training.countyName, tiersFen },
    clockIso,
    asOf,
    year,
    tiersFen,
    upstreamKey: BENCH_KEY,
    wants: (id) => only === null || only.has(id),
    iterations: (n, min = 1) => Math.max(min, Math.round(n * scale)),
    log,
  };
  const results = new Map<RowId, RowResult>();
  const put = (r: RowResult) => results.set(r.id, r);
  const nowIso = new Date(clockIso).toISOString();
  let county: CountyBuild = { payers: 0, payments: 0, ms: 0 };

  try {
    const needsCounter = rowIds.some((id) => ctx.wants(id) && id !== 'slip' && id !== 'eld-first-start');
    if (needsCounter) {
      log(`county: ${options.payers.toLocaleString('en-US')} payers, ~${ctx.options.paymentsPerPayer} payments each → upstream ledger`);
      fs.mkdirSync(ctx.upstreamDir, { recursive: true, mode: 0o700 });
      county = buildUpstreamStore(path.join(ctx.upstreamDir, 'upstream.sqlite'), ctx.county, ctx.options.paymentsPerPayer, nowIso);
      log(`  ${county.payers.toLocaleString('en-US')} payers, ${county.payments.toLocaleString('en-US')} payments in ${(county.ms / 1000).toFixed(1)} s`);

      let baseline: Stats | null = null;
      if (ctx.wants('ingest')) {
        log('raw insert baseline …');
        baseline = rawInsertBaseline(ctx);
      }
      log('first sync from the reference upstream …');
      const upstream = await startUpstream(ctx);
      const layout = dataDirLayout(ctx.counterDir);
      const db = newCounterDatabase(layout.databaseFile, nowIso);
      try {
        const engine = syncEngine(ctx, db, upstream.url);
        const seen: { delay?: LoopDelay; busy?: number } = {};
        const ingest = await guard('ingest', () => ingestRow(ctx, engine, baseline, (delay, busy) => Object.assign(seen, { delay, busy })), log);
        if (ingest.status === 'failed') throw new Error(`the first sync failed, nothing else can run: ${ingest.note}`);
        if (ctx.wants('ingest')) put(ingest);
        if (ctx.wants('eld-first-sync') && seen.delay) put(firstSyncDelayRow(seen.delay, seen.busy ?? Number.NaN));
        if (ctx.wants('incremental-sync')) put(await guard('incremental-sync', () => incrementalRow(ctx, engine, db), log));
        // The counter becomes a training counter on this county: the demo cards are its first payers.
        db.prepare("INSERT INTO settings (key, value) VALUES ('demo_county', ?)").run(JSON.stringify(ctx.county));
        await engine.stop();
      } finally {
        db.close();
        await upstream.stop();
      }
      writeConfig(layout, trainingConfig(options.payers));

      const appRows: [RowId, (input: AppRowsInput) => Promise<RowResult>][] = [
        ['lookup', lookupRow],
        ['search', searchRow],
        ['payer-page', payerPageRow],
        ['quote', quoteRow],
        ['record', recordRow],
        ['receipt-pdf-warm', receiptPdfWarmRow],
        ['receipt-pdf-cold', receiptPdfColdRow],
        // The day close runs once for both rows: it watches the loop over its close for eld-day-close.
        ['day-close', (input) => dayCloseRow(input, ctx.wants('eld-day-close') ? put : undefined)],
        ['eld-day-close', async (input) => results.get('eld-day-close') ?? eldDayCloseRow(input)],
        ['eld-receipt-pdfs', eldReceiptPdfsRow],
        ['eld-progress', eldProgressRow],
      ];
      if (appRows.some(([id]) => ctx.wants(id))) {
        log('counter API on the synced county …');
        const app = createAppServices({ dataDir: ctx.counterDir, clock: fixedStartClock(new Date(clockIso)) });
        try {
          await app.ready;
          await call(app, 'session.signIn', { username: 'clerk', password: '1234', counterNo: 1 });
          const input: AppRowsInput = { ctx, app, file: layout.databaseFile };
          for (const [id, fn] of appRows) if (ctx.wants(id)) put(await guard(id, () => fn(input), log));
        } finally {
          await app.close();
        }
      }

      const browserIds: RowId[] = ['host-start', 'card-paint', 'rss'];
      if (browserIds.some((id) => ctx.wants(id))) {
        if (!options.cliBin) {
          for (const id of browserIds)
            if (ctx.wants(id)) put({ id, operation: operations[id], status: 'skipped', note: 'needs the built CLI (npm run build)' });
        } else {
          log('browser host and Chromium …');
          try {
            for (const r of await browserRows(ctx)) put(r);
          } catch (error) {
            const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
            log(`  browser rows FAILED: ${message}`);
            for (const id of browserIds)
              if (ctx.wants(id) && !results.has(id)) put({ id, operation: operations[id], status: 'failed', note: message.slice(0, 200) });
          }
        }
      }
    }
    if (ctx.wants('slip')) put(await guard('slip', () => slipRow(ctx), log));
    if (ctx.wants('eld-first-start')) put(await guard('eld-first-start', () => eldFirstStartRow(ctx), log));
  } finally {
    if (!options.keep) fs.rmSync(work, { recursive: true, force: true });
    else log(`work directory kept: ${work}`);
  }

  const rows = rowIds.map((id) => results.get(id) ?? { id, operation: operations[id], status: 'skipped' as const, note: only ? 'not in --only' : '' });
  return { rows, machine: machineInfo(), county, payers: options.payers, startedAt, durationMs: Date.now() - started };
}
