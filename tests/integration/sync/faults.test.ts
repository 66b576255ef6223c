import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../electron/platform/log';
import { SyncEngine, UpstreamClient } from '../../../electron/sync';
import type { FaultConfig, MalformedKind } from '../../../electron/tools/upstream-sim/faults';
import type { UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import { tempDir } from '../../helpers/serve';
import { compareLedgers, KEY, makeCounter, quietLog, recordCounterPayment, startSim, STATION, storeSnapshot, unpaidPayers, type Counter } from './helpers';

let sim: UpstreamSim | null = null;
let counter: Counter | null = null;
afterEach(async () => {
  counter?.db.close();
  await sim?.close();
  sim = null;
  counter = null;
});

const faultCases: [string, FaultConfig][] = [
  ['latency', { latencyMs: [2, 15] }],
  ['5xx', { errorRate: 0.15 }],
  ['timeouts', { timeoutRate: 0.08 }],
  ['connection cut mid-answer', { cutRate: 0.15 }],
  ['duplicate deliveries', { duplicateRate: 0.4 }],
  ['reordered pages', { reorder: true, duplicateRate: 0.2 }],
];

describe('sync under upstream faults: the ledgers converge, nothing lost, nothing doubled', () => {
  for (const [name, faults] of faultCases) {
    it(name, async () => {
      // A training counter (same county) with pending counter payments, while the upstream has
      // moved on: new bank/app payments, new registrations, a changed payer.
      sim = await startSim(300, { faultSeed: name.length });
      counter = await makeCounter({ seedPayers: 300 });
      sim.advance(40);
      sim.store.registerPayers(15, '2026-06-15T02:00:00Z');
      const changed = sim.store.payersPage(0, 5).items[4]!;
      sim.store.updatePayer(changed.idNumber, { village: '旧村' }, '2026-06-15T02:00:00Z');
      sim.store.updatePayer(changed.idNumber, { village: '新村' }, '2026-06-15T02:01:00Z');
      const ids = unpaidPayers(counter.db, 2026, 8);
      for (const id of ids) recordCounterPayment(counter, id, [{ year: 2026, tierFen: 20000 }]);

      sim.setFaults(faults);
      const engine = new SyncEngine({
        db: counter.db,
        client: new UpstreamClient({ baseUrl: sim.url, key: KEY, timeoutMs: 400 }),
        log: quietLog(),
        pageSize: 60,
      });
      let runs = 0;
      let failures = 0;
      for (; runs < 150; runs++) {
        const outcome = await engine.syncOnce();
        if (outcome.ok) break;
        failures++;
      }
      expect(runs).toBeLessThan(150);
      if (faults.errorRate || faults.timeoutRate || faults.cutRate) expect(failures).toBeGreaterThan(0);
      sim.setFaults({});
      expect(await engine.syncOnce()).toMatchObject({ ok: true, pushed: 0, pulledPayers: 0, pulledPayments: 0, pending: 0 });

      const cmp = compareLedgers(counter.db, sim.store);
      expect(cmp).toMatchObject({ equal: true, localOnly: [], upstreamOnly: [] });
      // Each counter payment exactly once upstream, however often it was sent.
      const fromCounter = sim.store.allPayments().filter((p) => p.station === STATION);
      expect(fromCounter.map((p) => p.idNumber).sort()).toEqual([...ids].sort());
      expect(sim.store.counts().events).toBe(8);
      if (faults.duplicateRate) {
        const resent = counter.db.prepare('SELECT count(*) AS n FROM outbox WHERE attempts > 1').get() as { n: number };
        expect(resent.n).toBeGreaterThan(0);
      }
      // The newest version of a changed payer wins, whatever order the copies came in.
      expect(counter.db.prepare('SELECT village FROM payers WHERE id_number = ?').get(changed.idNumber)).toEqual({ village: '新村' });
      expect(counter.db.prepare('SELECT count(*) AS n FROM payers').get()).toEqual({ n: 315 });
    });
  }
});

describe('malformed upstream answers are refused with a logged error and leave the store unchanged', () => {
  const kinds: MalformedKind[] = ['bad_json', 'wrong_types', 'huge_page', 'bad_cursor'];
  for (const kind of kinds) {
    it(kind, async () => {
      sim = await startSim(200);
      counter = await makeCounter();
      const logDir = tempDir('synclog');
      const log = createLogger(logDir);
      const engine = new SyncEngine({ db: counter.db, client: new UpstreamClient({ baseUrl: sim.url, key: KEY }), log, pageSize: 100 });
      expect((await engine.syncOnce()).ok).toBe(true);
      const arrived = sim.advance(12);
      sim.store.updatePayer(sim.store.payersPage(0, 1).items[0]!.idNumber, { status: 'terminated' }, '2026-06-15T03:00:00Z');
      const before = storeSnapshot(counter.db);

      sim.setFaults({ malformed: kind });
      const outcome = await engine.syncOnce();
      expect(outcome.ok).toBe(false);
      expect(outcome.error).toMatch(/上游应答/);
      expect(storeSnapshot(counter.db)).toEqual(before);
      expect(engine.status().state).toBe('offline');
      log.flush();
      const logged = fs.readFileSync(path.join(logDir, 'app.log'), 'utf8');
      expect(logged).toMatch(/"level":50.*sync pull failed/);
      expect(logged).not.toMatch(/\d{17}[\dX]/);

      // Once the upstream answers properly again, the same changes arrive.
      sim.setFaults({});
      expect(await engine.syncOnce()).toMatchObject({ ok: true, pulledPayers: 1, pulledPayments: 12 });
      for (const p of arrived)
        expect(counter.db.prepare('SELECT amount_fen FROM payments WHERE upstream_id = ?').get(p.upstreamId)).toEqual({ amount_fen: p.amountFen });
    });
  }

  it('a response larger than the client reads is refused before it is parsed', async () => {
    sim = await startSim(200);
    counter = await makeCounter();
    const engine = new SyncEngine({
      db: counter.db,
      client: new UpstreamClient({ baseUrl: sim.url, key: KEY, maxResponseBytes: 4_000 }),
      log: quietLog(),
      pageSize: 100,
    });
    const outcome = await engine.syncOnce();
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toContain('上游应答过大');
    expect(counter.db.prepare('SELECT count(*) AS n FROM payers').get()).toEqual({ n: 0 });
  });
});
