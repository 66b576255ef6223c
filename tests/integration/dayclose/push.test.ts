// The 'day.closed' event goes upstream through the outbox like every counter event: pushed once,
// after the payments of the day (outbox order), accepted by the reference upstream.
import { afterAll, expect, it } from 'vitest';
import { fixedStartClock } from '../../../electron/platform/clock';
import { DayCloseService } from '../../../electron/services/dayclose';
import { SyncEngine, UpstreamClient, pendingCount } from '../../../electron/sync';
import type { UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import { KEY, makeCounter, quietLog, recordCounterPayment, startSim, unpaidPayers, type Counter } from '../sync/helpers';
import { AS_OF, migrateDayClose } from './helpers';

let sim: UpstreamSim | null = null;
let counter: Counter | null = null;
let engine: SyncEngine | null = null;
afterAll(async () => {
  await engine?.stop();
  counter?.db.close();
  await sim?.close();
});

it('pushes day.closed once, after the day’s payments', async () => {
  sim = await startSim(200);
  counter = await makeCounter();
  const c = counter;
  migrateDayClose(c.db);
  engine = new SyncEngine({ db: c.db, client: new UpstreamClient({ baseUrl: sim.url, key: KEY, timeoutMs: 2_000 }), log: quietLog(), pageSize: 500 });
  expect((await engine.syncOnce()).ok).toBe(true);
  const ids = unpaidPayers(c.db, 2026, 3);
  for (const id of ids) recordCounterPayment(c, id, [{ year: 2026, tierFen: 30_000 }]);
  const clerk = (c.db.prepare("SELECT id FROM operators WHERE username = 'clerk'").get() as { id: number }).id;
  const service = new DayCloseService(c.db, fixedStartClock(new Date('2026-06-15T09:00:00Z')), quietLog(), { timeZone: 'Asia/Shanghai' });
  const record = service.close({ businessDate: AS_OF, operatorId: clerk, counterNo: 1, cashCountedFen: 0, closedBy: clerk });
  expect(record.summary.payments).toMatchObject({ count: 3, amountFen: 90_000 });
  expect(pendingCount(c.db)).toBe(4);
  const outcome = await engine.syncOnce();
  expect(outcome).toMatchObject({ ok: true, pushed: 4, rejected: 0, pending: 0 });
  const events = sim.store.events().filter((e) => e.kind === 'day.closed' || e.kind === 'payment.recorded');
  expect(events.map((e) => e.kind)).toEqual(['payment.recorded', 'payment.recorded', 'payment.recorded', 'day.closed']);
  expect(events[3]).toMatchObject({ idempotencyKey: `day-closed-${record.uid}`, result: { status: 'accepted' } });
  // A second sync sends nothing again.
  expect(await engine.syncOnce()).toMatchObject({ ok: true, pushed: 0 });
});
