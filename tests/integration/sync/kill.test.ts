import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/platform/db/database';
import type { UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import { buildSyncChild, runSyncChild, type Child } from './child-process';
import { compareLedgers, cursors, KEY, lineUids, makeCounter, recordCounterPayment, startSim, STATION, unpaidPayers } from './helpers';

let bundle = '';
beforeAll(async () => {
  bundle = await buildSyncChild();
}, 60_000);

let sim: UpstreamSim | null = null;
let child: Child | null = null;
afterEach(async () => {
  if (child && child.process.exitCode === null) child.process.kill('SIGKILL');
  await child?.exited;
  await sim?.close();
  sim = null;
  child = null;
});

const killed = async (c: Child) => {
  c.process.kill('SIGKILL');
  const code = await c.exited;
  expect(c.process.signalCode).toBe('SIGKILL');
  return code;
};

describe('kill -9 of the counter mid-sync, then restart: the ledgers converge', () => {
  it('in the middle of a pull: no half page, the cursor matches the store, the rerun completes it', async () => {
    sim = await startSim(2500, { faults: { latencyMs: [3, 8] } });
    const counter = await makeCounter();
    counter.db.close();
    const args = ['--data-dir', counter.dir, '--upstream', sim.url, '--key', KEY, '--page-size', '100'];

    const first = runSyncChild(bundle, args);
    child = first;
    // Wait until the payments stream is well under way, then kill without warning.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`pull did not reach the payments stream:\n${first.output()}`)), 20_000);
      sim!.hooks.onResponse = ({ route }) => {
        if (route === 'payments' && sim!.served().payments >= 25) {
          clearTimeout(timer);
          sim!.hooks.onResponse = undefined;
          resolve();
        }
      };
    });
    await killed(first);

    let db = openDatabase(counter.file);
    const cur = cursors(db);
    expect(cur.payers).toBe('2500');
    const paymentsCursor = Number(cur.payments);
    expect(paymentsCursor).toBeGreaterThan(0);
    // Page and cursor went in together: exactly the upstream payments up to the cursor are here.
    const upTo = sim.store.allPayments().filter((p) => p.seq <= paymentsCursor);
    const local = db.prepare('SELECT count(*) AS n FROM payments').get() as { n: number };
    expect(local.n).toBe(upTo.length);
    expect(local.n).toBeLessThan(sim.store.counts().payments);
    expect((db.pragma('integrity_check') as { integrity_check: string }[])[0]!.integrity_check).toBe('ok');
    db.close();

    const second = runSyncChild(bundle, args);
    child = second;
    expect(await second.exited, second.output()).toBe(0);
    expect(second.output()).toContain('同步完成');
    db = openDatabase(counter.file);
    expect(compareLedgers(db, sim.store)).toMatchObject({ equal: true, localOnly: [], upstreamOnly: [] });
    expect(db.prepare('SELECT count(*) AS n FROM payers').get()).toEqual({ n: 2500 });
    db.close();
  });

  it('in the middle of a push: the event the upstream stored but never confirmed is sent again and not doubled', async () => {
    sim = await startSim(400);
    const counter = await makeCounter({ seedPayers: 400 });
    const ids = unpaidPayers(counter.db, 2026, 30);
    expect(ids).toHaveLength(30);
    const uids = ids.map((id) => recordCounterPayment(counter, id, [{ year: 2026, tierFen: 20000 }]));
    counter.db.close();
    const args = ['--data-dir', counter.dir, '--upstream', sim.url, '--key', KEY];

    const first = runSyncChild(bundle, args);
    child = first;
    // The upstream has stored the 12th event; before its answer leaves, the counter dies.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`push did not reach event 12:\n${first.output()}`)), 20_000);
      sim!.hooks.afterStore = async ({ stored }) => {
        if (stored !== 12) return;
        clearTimeout(timer);
        sim!.hooks.afterStore = undefined;
        resolve();
        await first.exited;
      };
    });
    await killed(first);

    let db = openDatabase(counter.file);
    const confirmed = db.prepare('SELECT idempotency_key FROM outbox WHERE confirmed_at IS NOT NULL ORDER BY seq').all() as { idempotency_key: string }[];
    expect(confirmed.map((r) => r.idempotency_key)).toEqual(uids.slice(0, 11));
    expect(sim.store.events().map((e) => e.idempotencyKey)).toEqual(uids.slice(0, 12));
    db.close();

    const second = runSyncChild(bundle, args);
    child = second;
    expect(await second.exited, second.output()).toBe(0);
    db = openDatabase(counter.file);
    expect(db.prepare('SELECT count(*) AS n FROM outbox WHERE confirmed_at IS NULL').get()).toEqual({ n: 0 });
    // The 12th went twice; the upstream answered the second time with what it had stored.
    const twelfth = db.prepare('SELECT attempts, server_result FROM outbox WHERE idempotency_key = ?').get(uids[11]) as {
      attempts: number;
      server_result: string;
    };
    expect(twelfth.attempts).toBe(2);
    expect(JSON.parse(twelfth.server_result)).toMatchObject({ status: 'accepted', payments: [{ localUid: lineUids(db, uids[11]!)[0] }] });
    expect(sim.store.events().map((e) => e.idempotencyKey)).toEqual(uids);
    const fromCounter = sim.store.allPayments().filter((p) => p.station === STATION);
    expect(fromCounter.map((p) => p.localUid).sort()).toEqual(uids.flatMap((u) => lineUids(db, u)).sort());
    expect(compareLedgers(db, sim.store)).toMatchObject({ equal: true, localOnly: [], upstreamOnly: [] });
    db.close();
  }, 30_000); // two child processes and 30 payments through the service: more than the default 5 s on a busy machine
});
