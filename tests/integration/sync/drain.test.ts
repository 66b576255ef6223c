// An outbox draining through an unreliable link: the back-off must not grow while events are
// going through (issue: at 10 % 5xx, 36 of 145 events were still pending after 346 s). The engine
// runs its own loop here (start()), with the production back-off (1 s doubling, 5 min cap).
import { afterEach, describe, expect, it } from 'vitest';
import { SyncEngine, UpstreamClient } from '../../../electron/sync';
import { pendingCount } from '../../../electron/sync/pusher';
import type { UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import { compareLedgers, KEY, makeCounter, quietLog, recordCounterPayment, startSim, unpaidPayers, type Counter } from './helpers';

let sim: UpstreamSim | null = null;
let counter: Counter | null = null;
let engine: SyncEngine | null = null;
afterEach(async () => {
  await engine?.stop();
  counter?.db.close();
  await sim?.close();
  sim = engine = counter = null;
});

const pending = (c: Counter) => pendingCount(c.db);

describe('outbox drain under injected upstream failures', () => {
  for (const errorRate of [0.1, 0.3]) {
    it(`drains 120 events with ${errorRate * 100} % of requests answered 503`, async () => {
      sim = await startSim(400, { faultSeed: Math.round(errorRate * 100) });
      counter = await makeCounter({ seedPayers: 400 });
      const warm = new SyncEngine({ db: counter.db, client: new UpstreamClient({ baseUrl: sim.url, key: KEY, timeoutMs: 2_000 }), log: quietLog() });
      expect((await warm.syncOnce()).ok).toBe(true);
      for (const id of unpaidPayers(counter.db, 2026, 120)) recordCounterPayment(counter, id, [{ year: 2026, tierFen: 20000 }]);
      expect(pending(counter)).toBe(120);

      sim.setFaults({ errorRate });
      engine = new SyncEngine({ db: counter.db, client: new UpstreamClient({ baseUrl: sim.url, key: KEY, timeoutMs: 2_000 }), log: quietLog() });
      const started = Date.now();
      engine.start();
      while (pending(counter) > 0 && Date.now() - started < 90_000) await new Promise((r) => setTimeout(r, 50));
      const seconds = (Date.now() - started) / 1000;
      const left = pending(counter);
      // The rate goes to the test output; the README states what was measured.
      console.log(`drain at ${errorRate * 100} % 503: 120 events in ${seconds.toFixed(1)} s (${(120 / seconds).toFixed(1)} events/s), ${left} left`);
      expect(left).toBe(0);
      // With a growing back-off the 30 % case took minutes; progress-aware scheduling keeps it to seconds.
      expect(seconds).toBeLessThan(60);
      await engine.stop();
      sim.setFaults({});
      const final = new SyncEngine({ db: counter.db, client: new UpstreamClient({ baseUrl: sim.url, key: KEY, timeoutMs: 2_000 }), log: quietLog() });
      expect((await final.syncOnce()).ok).toBe(true);
      expect(compareLedgers(counter.db, sim.store)).toMatchObject({ equal: true, localOnly: [], upstreamOnly: [] });
    }, 150_000);
  }
});
