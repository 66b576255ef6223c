// Crash safety (issue 10): the app's services run in a child process (`pension-counter soak`, the
// built CLI) through random counter work with the sync engine running in the background, and are
// killed with SIGKILL at random moments, again and again. After every kill, and after a final
// sync, the ledger, receipt numbers, outbox and audit chain must be consistent, and the upstream
// must hold every counter event and payment exactly once.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices } from '../../../electron/services/app';
import { fixedStartClock } from '../../../electron/platform/clock';
import { trainingConfig } from '../../../electron/platform/config';
import { verifyAuditChain } from '../../../electron/services/trust/audit';
import type { UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import { tempDir } from '../../helpers/serve';
import { compareLedgers, KEY, START, startSim } from '../sync/helpers';
import { audited, localProblems, requireBuiltCli, runCli, spawnCli } from './crash-helpers';

const PAYERS = 600;
const CLOCK = '2026-06-15T09:00:00+08:00'; // = START
const ROUNDS = 20;
const BUDGET_MS = 70_000;

let sim: UpstreamSim | null = null;
let dir = '';

beforeAll(async () => {
  requireBuiltCli();
  expect(new Date(CLOCK).getTime()).toBe(START.getTime());
  dir = tempDir('crash');
  // First start: the training county, built in-process exactly as the app builds it.
  const app = createAppServices({ dataDir: dir, clock: fixedStartClock(START), demoPayers: PAYERS });
  await app.ready;
  await app.close();
  // The reference upstream holds the same county (same seed, size and day).
  sim = await startSim(PAYERS, { seed: trainingConfig().demo!.seed });
}, 60_000);

afterAll(async () => {
  await sim?.close();
});

/** Seeded, so a failing run can be repeated with the printed seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const openReadOnly = () => new Database(path.join(dir, 'counter.sqlite'), { readonly: true, fileMustExist: true });

describe('kill -9 at random points of random counter work, restart each time', () => {
  it('keeps the ledger, receipt numbers, outbox and audit chain consistent; the upstream holds each event once', async () => {
    const testSeed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
    const random = rng(testSeed);
    const started = Date.now();
    let kills = 0;
    let completed = 0;
    let opsDone = 0;
    for (let round = 0; round < ROUNDS && Date.now() - started < BUDGET_MS; round++) {
      const child = spawnCli([
        'soak',
        '--data-dir',
        dir,
        '--ops',
        '400',
        '--seed',
        String(testSeed * 100 + round),
        '--clock',
        CLOCK,
        '--upstream',
        sim!.url,
        '--key',
        KEY,
      ]);
      // Kill after a random number of completed calls, or after a random time (which may fall in
      // start-up, migrations, a sync page or a receipt's PDF).
      const byOps = random() < 0.7;
      const targetOps = 1 + Math.floor(random() * 250);
      const targetMs = 50 + Math.floor(random() * 2500);
      const t0 = Date.now();
      let exited = false;
      void child.exited.then(() => (exited = true));
      while (!exited && !(byOps ? child.ops() >= targetOps : Date.now() - t0 >= targetMs)) {
        if (Date.now() - t0 > 30_000) throw new Error(`soak made no progress:\n${child.output().slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 2));
      }
      if (!exited) child.process.kill('SIGKILL');
      const code = await child.exited;
      opsDone += child.ops();
      if (child.process.signalCode === 'SIGKILL') kills += 1;
      else {
        // Ran to the end before the kill: it must have ended cleanly.
        expect(code, child.output().slice(-2000)).toBe(0);
        completed += 1;
      }
      expect(child.output(), 'no internal errors').not.toMatch(/refused INTERNAL|意外错误/);
      // The invariants hold after every kill, before anything repairs the store.
      const db = openReadOnly();
      try {
        expect(localProblems(db), `round ${round} (seed ${testSeed})`).toEqual([]);
        expect(verifyAuditChain(db).ok, `audit chain after round ${round}`).toBe(true);
      } finally {
        db.close();
      }
    }

    const pushedInBackground = sim!.store.events().length;
    // One clean run to the end (restart after the last kill), then a final sync.
    const last = spawnCli(['soak', '--data-dir', dir, '--ops', '20', '--seed', '7', '--clock', CLOCK, '--upstream', sim!.url, '--key', KEY]);
    expect(await last.exited, last.output().slice(-2000)).toBe(0);
    // Asynchronously: the upstream runs in this process and must keep answering.
    const sync = spawnCli(['sync', '--data-dir', dir, '--upstream', sim!.url, '--key', KEY]);
    expect(await sync.exited, sync.output()).toBe(0);

    const check = runCli(['db', 'check', '--data-dir', dir]);
    expect(check.status, check.output).toBe(0);
    const verify = runCli(['audit', 'verify', '--data-dir', dir]);
    expect(verify.status, verify.output).toBe(0);

    const db = openReadOnly();
    try {
      expect(localProblems(db)).toEqual([]);
      const counts = audited(db);
      expect(counts.pending, 'outbox drained by the final sync').toBe(0);
      expect(counts.transactions).toBeGreaterThan(0);

      // Upstream: every pushed key exactly once, and every local outbox event among them.
      const events = sim!.store.events();
      const perKey = new Map<string, number>();
      for (const e of events) perKey.set(e.idempotencyKey, (perKey.get(e.idempotencyKey) ?? 0) + 1);
      expect([...perKey].filter(([, n]) => n !== 1)).toEqual([]);
      const localKeys = (db.prepare('SELECT idempotency_key AS k FROM outbox').all() as { k: string }[]).map((r) => r.k);
      expect(localKeys.filter((k) => !perKey.has(k))).toEqual([]);
      expect(events.length).toBe(localKeys.length);

      // Every local counter payment line exactly once upstream, and the two ledgers equal.
      const upstreamByUid = new Map<string, number>();
      for (const p of sim!.store.allPayments()) if (p.localUid) upstreamByUid.set(p.localUid, (upstreamByUid.get(p.localUid) ?? 0) + 1);
      const localUids = (db.prepare('SELECT local_uid AS u FROM payments WHERE local_uid IS NOT NULL').all() as { u: string }[]).map((r) => r.u);
      expect(localUids.filter((u) => upstreamByUid.get(u) !== 1)).toEqual([]);
      expect(upstreamByUid.size).toBe(localUids.length);
      expect(compareLedgers(db, sim!.store)).toMatchObject({ equal: true, localOnly: [], upstreamOnly: [] });

      console.log(
        `crash test (seed ${testSeed}): survived ${kills} SIGKILLs (${completed} runs finished first), ${opsDone} calls completed; ` +
          `${JSON.stringify(counts)}; upstream events ${events.length} (${pushedInBackground} pushed by the background sync between kills)`,
      );
      expect(kills).toBeGreaterThanOrEqual(10);
    } finally {
      db.close();
    }
  }, 120_000);
});
