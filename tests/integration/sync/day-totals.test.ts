// GET /v1/day-totals end to end: a day's counter payments pushed to the reference upstream, the
// day closed at the counter, the upstream's totals fetched with the client and compared with the
// close (DayCloseService.reconcile); then the upstream made to differ, both ways.
import { afterEach, describe, expect, it } from 'vitest';
import { fixedStartClock } from '../../../electron/platform/clock';
import { DayCloseService } from '../../../electron/services/dayclose/service';
import type { DayCloseRecord } from '../../../electron/services/dayclose/types';
import { SyncEngine, UpstreamClient, UpstreamError } from '../../../electron/sync';
import type { UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import { AS_OF, KEY, makeCounter, quietLog, recordCounterPayment, START, startSim, STATION, unpaidPayers, type Counter } from './helpers';

let sim: UpstreamSim | null = null;
let counter: Counter | null = null;
let engine: SyncEngine | null = null;
afterEach(async () => {
  await engine?.stop();
  counter?.db.close();
  await sim?.close();
  sim = null;
  counter = null;
  engine = null;
});

/**
 * A synced counter whose clerk took three payments on AS_OF (5 lines, one of them 补缴 of 2025,
 * 70 000 + 20 000 + 30 000 + 20 000 + 20 000 fen), all pushed, and the clerk's day closed.
 */
async function closedDay(): Promise<{
  sim: UpstreamSim;
  c: Counter;
  client: UpstreamClient;
  service: DayCloseService;
  close: DayCloseRecord;
  spare: string[];
  uids: string[];
}> {
  sim = await startSim(300);
  counter = await makeCounter();
  const c = counter;
  const client = new UpstreamClient({ baseUrl: sim.url, key: KEY, timeoutMs: 2_000 });
  engine = new SyncEngine({ db: c.db, client, log: quietLog(), pageSize: 500 });
  expect((await engine.syncOnce()).ok).toBe(true);

  const [a, b, d, ...spare] = unpaidPayers(c.db, [2025, 2026], 6);
  const uids = [
    recordCounterPayment(c, a!, [
      { year: 2026, tierFen: 20000 },
      { year: 2025, tierFen: 50000 },
    ]),
    recordCounterPayment(c, b!, [{ year: 2026, tierFen: 30000 }]),
    recordCounterPayment(c, d!, [
      { year: 2026, tierFen: 20000 },
      { year: 2025, tierFen: 20000 },
    ]),
  ];
  expect(await engine.syncOnce()).toMatchObject({ ok: true, pushed: 3, rejected: 0, pending: 0 });

  const clerk = (c.db.prepare("SELECT id FROM operators WHERE username = 'clerk'").get() as { id: number }).id;
  const service = new DayCloseService(c.db, fixedStartClock(new Date(START.getTime() + 8 * 3_600_000)), quietLog(), { timeZone: 'Asia/Shanghai' });
  const close = service.close({ businessDate: AS_OF, operatorId: clerk, counterNo: 1, cashCountedFen: 0, closedBy: clerk });
  expect(close.summary.payments).toMatchObject({ count: 5, amountFen: 140000 });
  // day.closed goes upstream too; it is stored and does not count in the totals.
  expect(await engine.syncOnce()).toMatchObject({ ok: true, pushed: 1, pending: 0 });
  return { sim, c, client, service, close, spare, uids };
}

describe('GET /v1/day-totals: the upstream’s day totals against the day close', () => {
  it('matches the close line by line; an upstream-only payment shows as mismatch lines in fen', async () => {
    const { sim: s, client, service, close, spare } = await closedDay();

    const totals = await client.dayTotals(AS_OF, 'clerk');
    expect(totals).toEqual({
      businessDate: AS_OF,
      operatorUsername: 'clerk',
      totals: { count: 5, amountFen: 140000 },
      byYear: [
        { year: 2026, backPayment: false, count: 3, amountFen: 70000 },
        { year: 2025, backPayment: true, count: 2, amountFen: 70000 },
      ],
      byTier: [
        { tierFen: 20000, count: 3, amountFen: 60000 },
        { tierFen: 30000, count: 1, amountFen: 30000 },
        { tierFen: 50000, count: 1, amountFen: 50000 },
      ],
      byMethod: [{ method: 'bank_card', count: 5, amountFen: 140000 }],
      exchangesByChannel: [],
      receipts: { issued: 0, voided: 0 },
    });
    const same = service.reconcile(close.no, totals);
    expect(same).toMatchObject({ matched: true, mismatches: [] });
    expect(s.served()['day-totals']).toBe(1);

    // Another operator, another day: nothing recorded.
    expect((await client.dayTotals(AS_OF, 'super')).totals).toEqual({ count: 0, amountFen: 0 });
    expect((await client.dayTotals('2026-06-14', 'clerk')).byYear).toEqual([]);

    // The upstream holds a cash payment of 40 000 fen for the clerk's day that the counter never took.
    const stored = s.store.recordEvent(
      STATION,
      {
        idempotencyKey: 'upstream-only-1',
        kind: 'payment.recorded',
        occurredAt: '2026-06-15T05:00:00.000Z',
        payload: {
          transactionUid: 'upstream-only-1',
          counterNo: 1,
          operatorUsername: 'clerk',
          businessDate: AS_OF,
          paidAt: '2026-06-15T05:00:00.000Z',
          method: 'cash',
          lines: [
            {
              localUid: 'upstream-only-1-1',
              idNumber: spare[0]!,
              year: 2026,
              tierFen: 40000,
              amountFen: 40000,
              subsidyFen: 0,
              governmentPaidFen: 0,
              backPayment: false,
            },
          ],
        },
      },
      '2026-06-15T05:00:01.000Z',
    );
    expect(stored).toMatchObject({ kind: 'stored', result: { status: 'accepted' } });

    const differs = service.reconcile(close.no, await client.dayTotals(AS_OF, 'clerk'));
    expect(differs.matched).toBe(false);
    expect(differs.mismatches).toEqual([
      {
        section: 'total',
        key: 'all',
        label: '合计',
        local: { count: 5, amountFen: 140000 },
        upstream: { count: 6, amountFen: 180000 },
        countDiff: -1,
        amountDiffFen: -40000,
      },
      {
        section: 'year',
        key: '2026|current',
        label: '2026年度（当年）',
        local: { count: 3, amountFen: 70000 },
        upstream: { count: 4, amountFen: 110000 },
        countDiff: -1,
        amountDiffFen: -40000,
      },
      {
        section: 'tier',
        key: '40000',
        label: expect.stringContaining('400') as string,
        local: null,
        upstream: { count: 1, amountFen: 40000 },
        countDiff: -1,
        amountDiffFen: -40000,
      },
      {
        section: 'method',
        key: 'cash',
        label: expect.stringContaining('缴费方式') as string,
        local: null,
        upstream: { count: 1, amountFen: 40000 },
        countDiff: -1,
        amountDiffFen: -40000,
      },
    ]);
    // Both comparisons are kept.
    expect(service.reconciliations(close.no).map((r) => r.matched)).toEqual([true, false]);
  });

  it('a payment the upstream lacks shows as the counter’s surplus; a rejected event does not count', async () => {
    const { sim: s, client, service, close, uids } = await closedDay();
    // Drop the 补缴 pair of the third payment (20 000 + 20 000 fen) from the upstream's events.
    s.store.db.prepare('DELETE FROM events WHERE station = ? AND idempotency_key = ?').run(STATION, uids[2]);
    // A rejected event for the same day (payer unknown upstream) is stored but never applied.
    const rejected = s.store.recordEvent(
      STATION,
      {
        idempotencyKey: 'rejected-1',
        kind: 'payment.recorded',
        occurredAt: '2026-06-15T05:00:00.000Z',
        payload: {
          transactionUid: 'rejected-1',
          counterNo: 1,
          operatorUsername: 'clerk',
          businessDate: AS_OF,
          paidAt: '2026-06-15T05:00:00.000Z',
          method: 'bank_card',
          lines: [
            {
              localUid: 'rejected-1-1',
              idNumber: '11010519491231002X',
              year: 2026,
              tierFen: 20000,
              amountFen: 20000,
              subsidyFen: 0,
              governmentPaidFen: 0,
              backPayment: false,
            },
          ],
        },
      },
      '2026-06-15T05:00:01.000Z',
    );
    expect(rejected).toMatchObject({ kind: 'stored', result: { status: 'rejected', code: 'PAYER_NOT_FOUND' } });

    const r = service.reconcile(close.no, await client.dayTotals(AS_OF, 'clerk'));
    expect(r.mismatches.map((m) => [m.section, m.key, m.countDiff, m.amountDiffFen])).toEqual([
      ['total', 'all', 2, 40000],
      ['year', '2025|back', 1, 20000],
      ['year', '2026|current', 1, 20000],
      ['tier', '20000', 2, 40000],
      ['method', 'bank_card', 2, 40000],
    ]);
    expect(r.mismatches.find((m) => m.section === 'year' && m.key === '2025|back')).toMatchObject({
      label: '2025年度（补缴）',
      local: { count: 2, amountFen: 70000 },
      upstream: { count: 1, amountFen: 50000 },
    });
  });

  it('is authenticated, validates its query and suffers the injected faults like every route', async () => {
    sim = await startSim(50);
    const client = new UpstreamClient({ baseUrl: sim.url, key: KEY, timeoutMs: 500 });
    const stranger = new UpstreamClient({ baseUrl: sim.url, key: 'not-a-key', timeoutMs: 500 });
    await expect(stranger.dayTotals(AS_OF, 'clerk')).rejects.toMatchObject({ kind: 'auth', status: 401, code: 'UNAUTHORIZED' });

    const get = async (query: string) => {
      const res = await fetch(`${sim!.url}/v1/day-totals${query}`, { headers: { authorization: `Bearer ${KEY}` } });
      return { status: res.status, body: (await res.json()) as unknown };
    };
    expect(await get('?date=2026-02-30&operator=clerk')).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
    expect(await get('?date=2026-06-15')).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
    expect(await get('?date=2026-06-15&operator=clerk')).toMatchObject({ status: 200, body: { protocol: 1, station: STATION, businessDate: AS_OF } });
    const post = await fetch(`${sim.url}/v1/day-totals?date=2026-06-15&operator=clerk`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` } });
    expect(post.status).toBe(400);

    sim.setFaults({ errorRate: 1 });
    await expect(client.dayTotals(AS_OF, 'clerk')).rejects.toMatchObject({ kind: 'http', status: 503, code: 'UNAVAILABLE' });
    sim.setFaults({ cutRate: 1 });
    await expect(client.dayTotals(AS_OF, 'clerk')).rejects.toBeInstanceOf(UpstreamError);
    sim.setFaults({ timeoutRate: 1 });
    await expect(client.dayTotals(AS_OF, 'clerk')).rejects.toMatchObject({ kind: 'timeout' });
    sim.setFaults({});
    expect((await client.dayTotals(AS_OF, 'clerk')).receipts).toEqual({ issued: 0, voided: 0 });
  });
});
