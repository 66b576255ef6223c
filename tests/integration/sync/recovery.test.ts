// Issue 15: the upstream as the second copy. A counter whose database went back in time (a
// restored backup, a -wal lost after a crash) reads its own work back from the reference upstream
// before it takes another payment: no receipt number is issued twice, locally or upstream, and
// every payment the upstream acknowledged is back in the ledger with its original ids.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Db } from '../../../electron/platform/db/database';
import { backupDatabase, restoreBackup } from '../../../electron/services/trust/backup';
import { SyncEngine, UpstreamClient, recoveryPending, type ReconcileReport } from '../../../electron/sync';
import type { UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import { runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/serve';
import { dataDirLayout, trainingConfig, writeConfig } from '../../../electron/platform/config';
import { clerkContext, counterPayment, customers, operators, receiptService, SERIES } from '../receipts/helpers';
import { compareLedgers, KEY, makeCounter, quietLog, recordCounterPayment, startSim, STATION, type CounterDb } from './helpers';

const PAYERS = 60;
let sim: UpstreamSim | null = null;
const open: Db[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (db.open) db.close();
  await sim?.close();
  sim = null;
});

function engineFor(db: Db, installationId: string) {
  return new SyncEngine({ db, client: new UpstreamClient({ baseUrl: sim!.url, key: KEY, installationId }), log: quietLog() });
}

/** A counter payment for one customer and its formal receipt; returns the receipt number. */
function payAndIssue({ db, policies }: CounterDb, idNumber: string): string {
  const txId = counterPayment({ db, policies }, idNumber, [2026]);
  const r = receiptService(db).issueForTransaction(txId, clerkContext(db));
  return r.receipts[0]!.number;
}

async function syncOk(db: Db, installationId: string) {
  const engine = engineFor(db, installationId);
  const outcome = await engine.syncOnce();
  expect(outcome.error).toBeNull();
  expect(outcome.pending).toBe(0);
  return engine.reconcileReport();
}

/** What must hold everywhere after the recovery and the work after it. */
function checkNoNumberTwice(db: Db, expectedIssued: number) {
  const local = (db.prepare('SELECT number, serial FROM receipts ORDER BY serial').all() as { number: string; serial: number }[]).map((r) => r.number);
  expect(new Set(local).size).toBe(local.length);
  expect(local).toHaveLength(expectedIssued);
  const upstream = sim!.store.receiptIssuedNumbers().filter((r) => r.station === STATION);
  expect(upstream).toHaveLength(expectedIssued);
  expect(new Set(upstream.map((r) => r.number)).size).toBe(expectedIssued);
  expect(upstream.map((r) => r.number).sort()).toEqual([...local].sort());
  // No event of this counter was refused (a reused number would be refused as RECEIPT_NUMBER_USED).
  expect(sim!.store.events().filter((e) => e.station === STATION && e.result.status !== 'accepted')).toEqual([]);
  // Every payment the upstream acknowledged for this counter is in the ledger with the same ids.
  const acknowledged = sim!.store.allPayments().filter((p) => p.station === STATION);
  for (const p of acknowledged) {
    expect(db.prepare('SELECT upstream_id AS u FROM payments WHERE local_uid = ?').get(p.localUid)).toEqual({ u: p.upstreamId });
  }
  expect(compareLedgers(db, sim!.store).equal).toBe(true);
  return { local, acknowledged: acknowledged.length };
}

/**
 * A synced counter with a block of 100 numbers for the clerk and `n` customers; with `firstPaid`,
 * the first of them has paid, had a receipt and been pushed.
 */
async function syncedCounter(n: number, options: { firstPaid?: boolean; config?: boolean } = {}) {
  const installationId = crypto.randomUUID();
  const upstream = await startSim(PAYERS);
  sim = upstream;
  const c = await makeCounter({ seedPayers: PAYERS });
  open.push(c.db);
  if (options.config) writeConfig(dataDirLayout(c.dir), { ...trainingConfig(PAYERS), installationId, upstream: { url: upstream.url, key: KEY } });
  const ops = operators(c.db);
  receiptService(c.db).addBlock({ operatorId: ops.clerk, series: SERIES, firstSerial: 1, lastSerial: 100, serialDigits: 8 }, ops.supervisor);
  const people = customers(c.db, n);
  await syncOk(c.db, installationId);
  if (options.firstPaid) {
    payAndIssue(c, people[0]!);
    await syncOk(c.db, installationId);
  }
  return { installationId, c, people, upstream };
}

/**
 * Pays and pushes `people` with nothing checkpointed, then "crashes" and loses the -wal: returns
 * the counter opened on what is left, the main file as of the last checkpoint.
 */
async function payThenLoseWal(c: CounterDb & { file: string }, installationId: string, people: string[]): Promise<CounterDb> {
  c.db.pragma('wal_checkpoint(TRUNCATE)');
  c.db.pragma('wal_autocheckpoint = 0');
  for (const p of people) payAndIssue(c, p);
  await syncOk(c.db, installationId);
  const crashed = tempDir('walloss');
  fs.copyFileSync(c.file, path.join(crashed, 'counter.sqlite'));
  c.db.close();
  const db = openDatabase(path.join(crashed, 'counter.sqlite'));
  open.push(db);
  migrate(db);
  return { db, policies: c.policies };
}

describe('restore → continue: no receipt number twice, every acknowledged payment back', () => {
  it('backup, 3 payments with receipts pushed, restore: refused until reconciled, then 3 numbers and 3 payments come back', async () => {
    const { installationId, c, people } = await syncedCounter(7);

    // Two before the backup, three after it, all pushed.
    const before = [payAndIssue(c, people[0]!), payAndIssue(c, people[1]!)];
    await syncOk(c.db, installationId);
    const backup = await backupDatabase(c.db, path.join(c.dir, 'backups'));
    const after = [payAndIssue(c, people[2]!), payAndIssue(c, people[3]!), payAndIssue(c, people[4]!)];
    await syncOk(c.db, installationId);
    expect(after).toEqual([`${SERIES}00000003`, `${SERIES}00000004`, `${SERIES}00000005`]);
    c.db.close();

    restoreBackup(backup.file, c.dir, { actor: 'admin' });
    const db = openDatabase(c.file);
    open.push(db);
    migrate(db);
    expect(recoveryPending(db)).toMatchObject({ reason: 'restore' });
    expect(db.prepare('SELECT count(*) AS n FROM receipts').get()).toEqual({ n: 2 });
    // In recovery the database itself refuses new payments and receipts.
    expect(() => recordCounterPayment({ db, policies: c.policies }, people[5]!, [{ year: 2026, tierFen: 30_000 }])).toThrow(/RECOVERY_PENDING/);

    const report = (await syncOk(db, installationId)) as ReconcileReport;
    expect(report).toMatchObject({
      outcome: 'recovered',
      localHighSeq: 4,
      upstreamHighSeq: 10,
      eventsRecovered: 6,
      paymentLinesPresent: 3,
      paymentLinesMissing: [],
      receiptsRestored: [{ first: after[0], last: after[2], count: 3 }],
      lostNumbers: [],
      notRestored: [],
    });
    expect(recoveryPending(db)).toBeNull();

    // Work resumes on the next unused number.
    const resumed = [payAndIssue({ db, policies: c.policies }, people[5]!), payAndIssue({ db, policies: c.policies }, people[6]!)];
    expect(resumed).toEqual([`${SERIES}00000006`, `${SERIES}00000007`]);
    await syncOk(db, installationId);
    const { local, acknowledged } = checkNoNumberTwice(db, 7);
    expect(local).toEqual([...before, ...after, ...resumed]);
    expect(acknowledged).toBe(7);
  }, 30_000);
});

describe('a -wal lost after a crash', () => {
  it('the pushed work that was only in the lost WAL comes back before the next number is issued', async () => {
    const { installationId, c, people } = await syncedCounter(16, { firstPaid: true });
    // Ten more live only in the -wal, which the crash then loses.
    const left = await payThenLoseWal(c, installationId, people.slice(1, 11));
    const { db } = left;
    expect(db.prepare('SELECT count(*) AS n FROM receipts').get()).toEqual({ n: 1 });
    expect(db.prepare("SELECT count(*) AS n FROM payments WHERE channel = 'counter' AND local_uid IS NOT NULL").get()).toEqual({ n: 1 });

    // At start the counter compares its marks with the upstream's and reads the 10 back.
    const report = (await syncOk(db, installationId)) as ReconcileReport;
    expect(report).toMatchObject({ outcome: 'recovered', eventsRecovered: 20, paymentLinesPresent: 10, paymentLinesMissing: [], lostNumbers: [] });
    expect(report.receiptsRestored).toEqual([{ first: `${SERIES}00000002`, last: `${SERIES}00000011`, count: 10 }]);

    for (const p of people.slice(11, 16)) payAndIssue(left, p);
    await syncOk(db, installationId);
    const { local, acknowledged } = checkNoNumberTwice(db, 16);
    expect(local.at(-1)).toBe(`${SERIES}00000016`);
    expect(acknowledged).toBe(16);
  }, 30_000);
});

describe('on demand: pension-counter db restore, then sync --reconcile', () => {
  it('the CLI restores into the recovery state and --reconcile reads the work back, reporting the numbers by range', async () => {
    const { installationId, c, people } = await syncedCounter(6, { firstPaid: true, config: true });
    const backup = await backupDatabase(c.db, path.join(c.dir, 'backups'));
    for (let i = 1; i <= 4; i++) payAndIssue(c, people[i]!);
    await syncOk(c.db, installationId);
    c.db.close();

    const restored = await runCli(['db', 'restore', '--data-dir', c.dir, '--from', backup.file]);
    expect(restored.code, restored.err).toBe(0);
    expect(restored.out).toMatch(/柜台处于恢复状态/);
    const r = await runCli(['sync', '--data-dir', c.dir, '--reconcile']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(new RegExp(`已恢复已用缴款书号码：\\(2026\\)示税现00000002–\\(2026\\)示税现00000005（4 张）`));
    expect(r.out).toMatch(/恢复状态已解除/);
    const again = await runCli(['sync', '--data-dir', c.dir, '--reconcile']);
    expect(again.out).toMatch(/与上游一致/);

    const db = openDatabase(c.file);
    open.push(db);
    expect(recoveryPending(db)).toBeNull();
    // The recovery is in the audit trail.
    expect(db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'sync.apply' AND entity = 'recovery'").get()).toEqual({ n: 1 });
    expect(payAndIssue({ db, policies: c.policies }, people[5]!)).toBe(`${SERIES}00000006`);
    await syncOk(db, installationId);
    checkNoNumberTwice(db, 6);
  }, 30_000);
});

describe('work taken before the counter could compare (lost -wal, upstream unreachable at start)', () => {
  it('its events move after the upstream sequence; a receipt number printed twice is refused upstream, never accepted twice', async () => {
    const { installationId, c, people, upstream } = await syncedCounter(6, { firstPaid: true });
    const left = await payThenLoseWal(c, installationId, people.slice(1, 4));
    const { db } = left;
    // Offline: the counter cannot know, and prints number 2 a second time.
    expect(payAndIssue(left, people[4]!)).toBe(`${SERIES}00000002`);

    const engine = engineFor(db, installationId);
    const outcome = await engine.syncOnce();
    const report = engine.reconcileReport()!;
    expect(report).toMatchObject({ outcome: 'recovered', eventsRecovered: 6, eventsRenumbered: 2, paymentLinesPresent: 3 });
    expect(report.notRestored).toEqual([
      expect.objectContaining({ kind: 'receipt.issued', reason: expect.stringMatching(/00000002 is held by another receipt/) }),
    ]);
    expect(outcome.rejected).toBe(1);
    // The upstream holds each number once; the second use is refused and listed for a supervisor.
    const accepted = upstream.store.receiptIssuedNumbers().map((r) => r.number);
    expect(accepted).toHaveLength(4);
    expect(new Set(accepted).size).toBe(4);
    expect(
      upstream.store
        .events()
        .filter((e) => e.result.status === 'rejected')
        .map((e) => (e.result as { code: string }).code),
    ).toEqual(['RECEIPT_NUMBER_USED']);
    // The payment taken offline reached the upstream; the next number follows the highest known.
    expect(compareLedgers(db, upstream.store).equal).toBe(true);
    expect(payAndIssue(left, people[5]!)).toBe(`${SERIES}00000005`);
  }, 30_000);
});
