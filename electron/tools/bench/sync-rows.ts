// Sync rows: the first sync of the whole county from the reference upstream over loopback
// against a raw batched insert of the same rows, and an incremental sync of 10,000 changes.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fixedStartClock } from '../../platform/clock';
import { migrate, openDatabase, type Db } from '../../platform/db/database';
import { seedDemoOperators } from '../../services/demo/seed';
import { createLogger } from '../../platform/log';
import { nameInitials } from '../../platform/pinyin';
import { SyncEngine, UpstreamClient } from '../../sync';
import { startUpstreamSim } from '../upstream-sim/server';
import { SimStore } from '../upstream-sim/store';
import type { WirePayer } from '../../sync/protocol';
import { startChild } from './child';
import type { BenchContext } from './context';
import { loopDelayRow, watchLoopDelay, type LoopDelay } from './loop-delay';
import { measureOnce, now, sampler, type Stats } from './stats';
import type { RowResult } from './table';

const CHUNK = 1000;

/**
 * The raw baseline of the ingest: the same payers, special groups and payments, already in the
 * counter's row shape (pinyin initials computed beforehand), inserted with prepared statements
 * in transactions of 1,000, into a database with the counter's schema, WAL and synchronous=FULL.
 * Only the inserts are timed.
 */
export function rawInsertBaseline(ctx: BenchContext): Stats {
  const dir = path.join(ctx.work, 'raw-insert');
  fs.mkdirSync(dir, { recursive: true });
  const db = openDatabase(path.join(dir, 'raw.sqlite'), { create: true });
  migrate(db);
  const src = new Database(path.join(ctx.upstreamDir, 'upstream.sqlite'), { readonly: true });
  try {
    const nowIso = new Date(ctx.clockIso).toISOString();
    const insertPayer = db.prepare(
      `INSERT INTO payers (id_number, name, name_initials, gender, birth_date, town, village, address,
         registration_date, status, in_employee_scheme, updated_at, upstream_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertGroup = db.prepare('INSERT INTO payer_special_groups (payer_id, code, valid_from, valid_to) VALUES (?, ?, ?, ?)');
    const insertPayment = db.prepare(
      `INSERT INTO payments (payer_id, year, tier_fen, amount_fen, channel, channel_ref, paid_at, created_at,
         local_uid, upstream_id, subsidy_fen, government_paid_fen, back_payment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const ids = new Map<string, number>();
    let insertMs = 0;
    let rows = 0;

    type PayerRow = { p: WirePayer; initials: string };
    const payerBatch = db.transaction((batch: PayerRow[]) => {
      for (const { p, initials } of batch) {
        const id = Number(
          insertPayer.run(
            p.idNumber,
            p.name,
            initials,
            p.gender,
            p.birthDate,
            p.town,
            p.village,
            p.address,
            p.registrationDate,
            p.status,
            p.inEmployeeScheme ? 1 : 0,
            p.updatedAt,
            p.seq,
          ).lastInsertRowid,
        );
        ids.set(p.idNumber, id);
        for (const g of p.specialGroups) insertGroup.run(id, g.code, g.from, g.to);
      }
    });
    const payersAfter = src.prepare('SELECT seq, data FROM payers WHERE seq > ? ORDER BY seq LIMIT ?');
    for (let after = 0; ;) {
      const page = payersAfter.all(after, CHUNK) as { seq: number; data: string }[];
      if (!page.length) break;
      after = page[page.length - 1]!.seq;
      const batch = page.map((r) => {
        const p = { ...(JSON.parse(r.data) as Omit<WirePayer, 'seq'>), seq: r.seq };
        return { p, initials: nameInitials(p.name) };
      });
      const t = now();
      payerBatch(batch);
      insertMs += now() - t;
      rows += batch.length;
    }

    type PaymentRow = unknown[];
    const paymentBatch = db.transaction((batch: PaymentRow[]) => {
      for (const r of batch) insertPayment.run(...r);
    });
    const paymentsAfter = src.prepare('SELECT * FROM payments WHERE seq > ? ORDER BY seq LIMIT ?');
    for (let after = 0; ;) {
      const page = paymentsAfter.all(after, CHUNK) as Record<string, string | number | null>[];
      if (!page.length) break;
      after = page[page.length - 1]!.seq as number;
      const batch = page.map((r) => [
        ids.get(r.id_number as string),
        r.year,
        r.tier_fen,
        r.amount_fen,
        r.channel,
        r.channel_ref,
        r.paid_at,
        nowIso,
        r.local_uid,
        r.upstream_id,
        r.subsidy_fen,
        r.government_paid_fen,
        r.back_payment,
      ]);
      const t = now();
      paymentBatch(batch);
      insertMs += now() - t;
      rows += batch.length;
    }
    return { n: 1, p50: insertMs, p99: insertMs, throughput: (rows * 1000) / insertMs };
  } finally {
    src.close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface RunningUpstream {
  url: string;
  stop(): Promise<void>;
}

/** The reference upstream on the county's ledger: a child process when the built CLI is known. */
export async function startUpstream(ctx: BenchContext): Promise<RunningUpstream> {
  if (ctx.options.cliBin) {
    const child = await startChild(
      ctx.options.cliBin,
      ['upstream-sim', '--port', '0', '--data-dir', ctx.upstreamDir, '--arrivals-per-minute', '0', '--key', ctx.upstreamKey, '--clock', ctx.clockIso],
      /(http:\/\/127\.0\.0\.1:\d+)/,
    );
    return { url: child.address, stop: child.stop };
  }
  const sim = await startUpstreamSim({
    dataDir: ctx.upstreamDir,
    keys: { [ctx.upstreamKey]: 'bench-counter' },
    clock: fixedStartClock(new Date(ctx.clockIso)),
    arrivalsPerMinute: 0,
  });
  return { url: sim.url, stop: () => sim.close() };
}

/** A new counter database with the schema and the training operators, as a first start makes it. */
export function newCounterDatabase(file: string, nowIso: string): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const db = openDatabase(file, { create: true });
  migrate(db);
  seedDemoOperators(db, nowIso);
  return db;
}

export function syncEngine(ctx: BenchContext, db: Db, url: string): SyncEngine {
  return new SyncEngine({
    db,
    client: new UpstreamClient({ baseUrl: url, key: ctx.upstreamKey, timeoutMs: 120_000 }),
    log: createLogger(null),
    clock: fixedStartClock(new Date(ctx.clockIso)),
  });
}

/**
 * First sync of the county into an empty counter database; p50 = p99 = the whole run. The
 * event-loop delay of this (the services) thread is watched throughout and handed to `onDelay`.
 */
export async function ingestRow(
  ctx: BenchContext,
  engine: SyncEngine,
  baseline: Stats | null,
  onDelay?: (delay: LoopDelay, busy: number) => void,
): Promise<RowResult> {
  let pulled = 0;
  const watch = watchLoopDelay();
  const elu = performance.eventLoopUtilization();
  let delay: LoopDelay;
  let stats;
  try {
    stats = await measureOnce(0, async () => {
      const outcome = await engine.syncOnce();
      if (!outcome.ok) throw new Error(`first sync failed: ${outcome.error}`);
      pulled = outcome.pulledPayers + outcome.pulledPayments;
    });
  } finally {
    delay = watch.stop();
  }
  onDelay?.(delay, performance.eventLoopUtilization(elu).utilization);
  stats.throughput = (pulled * 1000) / stats.ms;
  const r = baseline ? stats.throughput / baseline.throughput : null;
  return {
    id: 'ingest',
    operation: 'first sync: ingest county from upstream (loopback HTTP)',
    status: 'ok',
    stats,
    unit: 'rows/s',
    ...(baseline ? { baseline: { label: 'raw batched insert', stats: baseline, compare: 'throughput' as const } } : {}),
    target: { text: '≥ 0.5× raw insert rate', met: r === null ? null : r >= 0.5 },
    note: `${pulled.toLocaleString('en-US')} rows (payers + payments), one run; raw = same rows, prepared inserts, 1,000 per transaction`,
  };
}

/**
 * The services thread's event-loop delay while ingestRow ran the first sync, with its event-loop
 * utilization over the same time (how much of it the thread was not waiting for I/O).
 */
export function firstSyncDelayRow(delay: LoopDelay, busy: number): RowResult {
  const note = `services thread busy ${(busy * 100).toFixed(1)} % of the sync; pages fetched here, validated and applied in the ingest worker`;
  return loopDelayRow('eld-first-sync', 'the first sync of the county', delay, note);
}

/**
 * 10,000 changes upstream (half registry edits, half bank/app payments of this year), then one
 * timed sync run that pulls them.
 */
export async function incrementalRow(ctx: BenchContext, engine: SyncEngine, counter: Db): Promise<RowResult> {
  const changes = Math.min(10_000, Math.floor(ctx.options.payers / 4));
  const nowIso = new Date(ctx.clockIso).toISOString();
  const store = new SimStore(path.join(ctx.upstreamDir, 'upstream.sqlite'));
  try {
    const payerCount = (counter.prepare('SELECT count(*) AS n FROM payers').get() as { n: number }).n;
    const byId = counter.prepare('SELECT id_number FROM payers WHERE id = ?');
    const unpaid = (
      counter
        .prepare(
          `SELECT id_number FROM payers p WHERE status = 'active' AND id > 20
             AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.payer_id = p.id AND x.year = ?) ORDER BY id DESC LIMIT ?`,
        )
        .all(ctx.year, Math.ceil(changes / 2)) as { id_number: string }[]
    ).map((r) => r.id_number);
    const rnd = sampler(9);
    const channels = ['mobile_app', 'bank_pos', 'bank_counter'] as const;
    store.db.transaction(() => {
      for (let i = 0; i < changes - unpaid.length; i++) {
        const id = 20 + Math.floor(rnd() * Math.max(1, payerCount - 20)) + 1;
        const row = byId.get(Math.min(id, payerCount)) as { id_number: string };
        store.updatePayer(row.id_number, { address: `示范县第${i + 1}号变更地址` }, nowIso);
      }
      unpaid.forEach((idNumber, i) => {
        store.addPayment({ idNumber, year: ctx.year, tierFen: ctx.tiersFen[0]!, channel: channels[i % 3]!, paidAt: nowIso }, nowIso);
      });
    })();
  } finally {
    store.close();
  }
  let pulled = 0;
  const stats = await measureOnce(0, async () => {
    const outcome = await engine.syncOnce();
    if (!outcome.ok) throw new Error(`incremental sync failed: ${outcome.error}`);
    pulled = outcome.pulledPayers + outcome.pulledPayments;
  });
  stats.throughput = (pulled * 1000) / stats.ms;
  return {
    id: 'incremental-sync',
    operation: `incremental sync of ${changes.toLocaleString('en-US')} changes`,
    status: 'ok',
    stats,
    unit: 'changes/s',
    note: `${pulled.toLocaleString('en-US')} items pulled (registry edits + new bank/app payments), one run`,
  };
}
