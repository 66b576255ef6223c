// Issue 18: big pages of a first sync are validated and applied by the sync-ingest worker on its
// own connection while the services thread fetches the next page. These tests hold the worker to
// what the services thread did before: the same rows, a cursor committed with its page (so a stop
// or a kill -9 resumes without loss or duplicates), and a services thread free to answer meanwhile.
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../electron/platform/db/database';
import { SyncEngine, UpstreamClient, readCursor, type PullProgress } from '../../../electron/sync';
import type { IngestOptions } from '../../../electron/sync/puller';
import type { UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import { buildSyncChild, runSyncChild, type Child } from './child-process';
import { compareLedgers, cursors, KEY, makeCounter, quietLog, recordCounterPayment, START, startSim, unpaidPayers, type Counter } from './helpers';

let sim: UpstreamSim | null = null;
const counters: Counter[] = [];
let child: Child | null = null;
afterEach(async () => {
  if (child && child.process.exitCode === null) child.process.kill('SIGKILL');
  await child?.exited;
  child = null;
  for (const c of counters.splice(0)) if (c.db.open) c.db.close();
  await sim?.close();
  sim = null;
});

const counter = async () => {
  const c = await makeCounter();
  counters.push(c);
  return c;
};

const engineFor = (db: Db, ingest: IngestOptions, extra: Partial<ConstructorParameters<typeof SyncEngine>[0]> = {}) =>
  new SyncEngine({
    db,
    client: new UpstreamClient({ baseUrl: sim!.url, key: KEY, timeoutMs: 20_000 }),
    log: quietLog(),
    // Stopped, so that created_at and last_success_at agree between two runs.
    clock: { now: () => new Date(START) },
    pageSize: 1000,
    ingest,
    ...extra,
  });

const count = (db: Db, sql: string) => (db.prepare(sql).get() as { n: number }).n;

/** Every row a sync writes, ids included: two stores synced alike hold the same value. */
const synced = (db: Db) => ({
  payers: db.prepare('SELECT * FROM payers ORDER BY id').all(),
  groups: db.prepare('SELECT * FROM payer_special_groups ORDER BY payer_id, code, valid_from').all(),
  payments: db.prepare('SELECT * FROM payments ORDER BY id').all(),
  credits: db.prepare('SELECT * FROM government_credits ORDER BY id').all(),
  cursors: cursors(db),
});

/** Exactly the upstream's payments up to the cursor are in the store: no half page, no gap. */
function expectCursorMatchesStore(db: Db) {
  const paymentsCursor = Number(readCursor(db, 'payments'));
  const upTo = sim!.store.allPayments().filter((p) => p.seq <= paymentsCursor);
  expect(count(db, 'SELECT count(*) AS n FROM payments')).toBe(upTo.length);
  expect(count(db, 'SELECT count(DISTINCT upstream_id) AS n FROM payments')).toBe(upTo.length);
  expect(count(db, 'SELECT count(*) AS n FROM payers')).toBe(Number(readCursor(db, 'payers')));
}

describe('first sync through the ingest worker', () => {
  it('writes the same payers, groups, payments and cursors as the services thread did, every page in the worker', async () => {
    sim = await startSim(2500);
    const here = await counter();
    const inWorker = await counter();
    const progress: PullProgress[] = [];

    const before = await engineFor(here.db, { worker: false }).syncOnce();
    const after = await engineFor(inWorker.db, { minPageBytes: 0 }, { onProgress: (p) => progress.push(p) }).syncOnce();

    expect(before).toMatchObject({ ok: true, pulledPayers: 2500 });
    expect(after).toMatchObject({ ok: true, pulledPayers: 2500, pulledPayments: before.pulledPayments });
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.every((p) => p.inWorker)).toBe(true);
    expect(synced(inWorker.db)).toEqual(synced(here.db));

    // And both are the upstream's county: a few payers and payments exactly as it holds them.
    expect(compareLedgers(inWorker.db, sim.store)).toMatchObject({ equal: true, localOnly: [], upstreamOnly: [] });
    const wire = sim.store.payersPage(1700, 1).items[0]!;
    expect(
      inWorker.db.prepare('SELECT name, village, status, birth_date AS birthDate, upstream_seq AS seq FROM payers WHERE id_number = ?').get(wire.idNumber),
    ).toEqual({
      name: wire.name,
      village: wire.village,
      status: wire.status,
      birthDate: wire.birthDate,
      seq: wire.seq,
    });
    for (const p of sim.store.allPayments().filter((_, i) => i % 997 === 0)) {
      const row = inWorker.db
        .prepare(
          'SELECT r.id_number, p.year, p.amount_fen, p.channel, p.channel_ref FROM payments p JOIN payers r ON r.id = p.payer_id WHERE p.upstream_id = ?',
        )
        .get(p.upstreamId);
      expect(row).toEqual({ id_number: p.idNumber, year: p.year, amount_fen: p.amountFen, channel: p.channel, channel_ref: p.channelRef });
    }
    expect(readCursor(inWorker.db, 'payments')).toBe(String(sim.store.counts().payments));
  });

  it('small pages (an incremental sync) stay on the services thread; big ones go to the worker', async () => {
    sim = await startSim(1200);
    const c = await counter();
    const progress: PullProgress[] = [];
    const engine = engineFor(c.db, {}, { onProgress: (p) => progress.push(p) });
    expect((await engine.syncOnce()).ok).toBe(true);
    expect(progress.filter((p) => p.pageItems === 1000).every((p) => p.inWorker)).toBe(true);
    // The worker checkpointed while it ran; the services connection does so again afterwards.
    expect(c.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);

    progress.length = 0;
    sim.advance(20);
    expect(await engine.syncOnce()).toMatchObject({ ok: true, pulledPayments: 20 });
    expect(progress).toHaveLength(2);
    expect(progress.some((p) => p.inWorker)).toBe(false);
    expect(compareLedgers(c.db, sim.store).equal).toBe(true);
  });

  it('a stop in the middle of the first sync keeps whole pages only; the next run resumes without gaps or duplicates', async () => {
    sim = await startSim(3000, { faults: { latencyMs: [5, 15] } });
    const c = await counter();
    let paymentPages = 0;
    let stopping: Promise<void> | null = null;
    const first = engineFor(
      c.db,
      { minPageBytes: 0 },
      {
        onProgress: (p) => {
          if (p.stream === 'payments' && ++paymentPages === 4) stopping = first.stop();
        },
      },
    );
    const outcome = await first.syncOnce();
    await stopping;
    expect(outcome.ok).toBe(false);
    expect(paymentPages).toBeGreaterThanOrEqual(4);
    expect(readCursor(c.db, 'payers')).toBe('3000');
    const stoppedAt = Number(readCursor(c.db, 'payments'));
    expect(stoppedAt).toBeGreaterThan(0);
    expect(stoppedAt).toBeLessThan(sim.store.counts().payments);
    expectCursorMatchesStore(c.db);

    const had = count(c.db, 'SELECT count(*) AS n FROM payments');
    const second = await engineFor(c.db, { minPageBytes: 0 }).syncOnce();
    expect(second).toMatchObject({ ok: true, pulledPayers: 0 });
    expect(second.pulledPayments).toBe(sim.store.counts().payments - had);
    expect(compareLedgers(c.db, sim.store)).toMatchObject({ equal: true, localOnly: [], upstreamOnly: [] });
    expect(count(c.db, 'SELECT count(*) AS n FROM payers')).toBe(3000);
  });

  it('the services thread answers lookups while the worker holds a page open', async () => {
    sim = await startSim(4000);
    const c = await counter();
    // A probe with no patience: BUSY on BEGIN IMMEDIATE means the worker is inside a page.
    const probe = new Database(c.file, { timeout: 0 });
    const lookup = c.db.prepare('SELECT name FROM payers WHERE id_number = ?');
    const known = sim.store.payersPage(0, 1).items[0]!;
    let answeredDuringPage = 0;
    let ticks = 0;
    let running = true;
    const tick = () => {
      if (!running) return;
      ticks++;
      try {
        probe.exec('BEGIN IMMEDIATE');
        probe.exec('ROLLBACK');
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
        // Inside the worker's page: the counter still finds a payer synced before.
        if (readCursor(c.db, 'payers') !== '0' && (lookup.get(known.idNumber) as { name: string } | undefined)?.name === known.name) answeredDuringPage++;
      }
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    try {
      expect((await engineFor(c.db, {}).syncOnce()).ok).toBe(true);
    } finally {
      running = false;
      probe.close();
    }
    // On the services thread a page is one synchronous stretch: nothing else could run inside it.
    expect(ticks).toBeGreaterThan(0);
    expect(answeredDuringPage).toBeGreaterThan(0);
    expect(compareLedgers(c.db, sim.store).equal).toBe(true);
  });
  it('a counter payment taken while the worker writes a page waits for that page, then both are kept', async () => {
    sim = await startSim(4000);
    const c = await counter();
    const probe = new Database(c.file, { timeout: 0 });
    let uid: string | null = null;
    let waitedMs = 0;
    let running = true;
    const tick = () => {
      if (!running || uid) return;
      try {
        probe.exec('BEGIN IMMEDIATE');
        probe.exec('ROLLBACK');
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
        // The worker is inside a page of payments: the payer registry is already here.
        if (readCursor(c.db, 'payers') === '4000') {
          const [idNumber] = unpaidPayers(c.db, 2026, 1);
          const t = performance.now();
          // Through PaymentService, whose IMMEDIATE transaction waits for the worker's lock.
          uid = recordCounterPayment(c, idNumber!, [{ year: 2026, tierFen: 20000 }]);
          waitedMs = performance.now() - t;
        }
      }
      setImmediate(tick);
    };
    setImmediate(tick);
    const engine = engineFor(c.db, {});
    try {
      expect((await engine.syncOnce()).ok).toBe(true);
    } finally {
      running = false;
      probe.close();
    }
    expect(uid).not.toBeNull();
    expect(waitedMs).toBeLessThan(5_000);
    expect(count(c.db, 'SELECT count(*) AS n FROM payments WHERE local_uid IS NOT NULL')).toBe(1);
    expect(count(c.db, 'SELECT count(*) AS n FROM payments')).toBe(sim.store.counts().payments + 1);
    // The next run pushes it: both ledgers then hold the same payments, the counter's once.
    expect(await engine.syncOnce()).toMatchObject({ ok: true, pushed: 1 });
    expect(compareLedgers(c.db, sim.store)).toMatchObject({ equal: true, localOnly: [], upstreamOnly: [] });
  });
});

describe('kill -9 of the counter while the worker applies pages', () => {
  let bundle = '';
  beforeAll(async () => {
    bundle = await buildSyncChild();
  }, 60_000);

  it('leaves whole pages with their cursor; the rerun completes the county once', async () => {
    sim = await startSim(4000, { faults: { latencyMs: [2, 5] } });
    const c = await counter();
    c.db.close();
    // Full pages of 1,000: the built CLI hands every one to out/main/workers/sync-ingest.js.
    const args = ['--data-dir', c.dir, '--upstream', sim.url, '--key', KEY, '--page-size', '1000'];
    const first = runSyncChild(bundle, args);
    child = first;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`pull did not reach the payments stream:\n${first.output()}`)), 60_000);
      sim!.hooks.onResponse = ({ route }) => {
        if (route === 'payments' && sim!.served().payments >= 6) {
          clearTimeout(timer);
          sim!.hooks.onResponse = undefined;
          resolve();
        }
      };
    });
    first.process.kill('SIGKILL');
    await first.exited;
    expect(first.process.signalCode).toBe('SIGKILL');

    let db = openDatabase(c.file);
    expect(readCursor(db, 'payers')).toBe('4000');
    expect(Number(readCursor(db, 'payments'))).toBeLessThan(sim.store.counts().payments);
    expectCursorMatchesStore(db);
    expect((db.pragma('integrity_check') as { integrity_check: string }[])[0]!.integrity_check).toBe('ok');
    db.close();

    const second = runSyncChild(bundle, args);
    child = second;
    expect(await second.exited, second.output()).toBe(0);
    db = openDatabase(c.file);
    expect(compareLedgers(db, sim.store)).toMatchObject({ equal: true, localOnly: [], upstreamOnly: [] });
    expect(count(db, 'SELECT count(*) AS n FROM payers')).toBe(4000);
    db.close();
  }, 120_000);
});
