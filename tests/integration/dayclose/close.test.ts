// Closing a day: the numbered, immutable record with the cash difference, the 'day.closed' outbox
// event in the same transaction, later work on the next day (openBusinessDate), viewing and
// reprinting past closes, and the comparison with the upstream's day totals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedStartClock } from '../../../electron/platform/clock';
import {
  compareWithUpstream,
  computeDaySummary,
  DayCloseService,
  dayClosedPayload,
  openBusinessDate,
  slipDataOfClose,
  type DayCloseRecord,
  type UpstreamDayTotals,
} from '../../../electron/services/dayclose';
import { addDays } from '../../../electron/services/dayclose/summary';
import { daySummary } from '../../../electron/devices/printer/slips';
import { decodeEscPos } from '../../../electron/devices/printer/decoder';
import { formatYuan } from '../../../shared/domain/money';
import { AppError } from '../../../shared/api/errors';
import { customerWithYears, quietLog, recordCounterPayment, START, type Counter } from '../sync/helpers';
import { AS_OF, dayCloseCounter, generateReceipts, generateTransactions, prng, type DayOps, type GenTx } from './helpers';

let c: Counter & { ops: DayOps };
let service: DayCloseService;
let txs: GenTx[];
let record: DayCloseRecord;

beforeAll(async () => {
  c = await dayCloseCounter({ payers: 40 });
  const rand = prng(77);
  txs = generateTransactions(c.db, rand, 600, { dates: [AS_OF, addDays(AS_OF, -1)], operators: [c.ops.clerk, c.ops.clerk2], counters: [1, 2] });
  await generateReceipts(c.db, rand, txs, c.ops, { issue: 60, voids: 5, reissues: 3, exchanges: 6 });
  // 16:30 in the hall on AS_OF.
  service = new DayCloseService(c.db, fixedStartClock(new Date('2026-06-15T08:30:00Z')), quietLog(), { timeZone: 'Asia/Shanghai' });
});
afterAll(() => c.db.close());

const cashOf = (op: number) => txs.filter((t) => t.businessDate === AS_OF && t.operatorId === op && t.method === 'cash').reduce((a, t) => a + t.totalFen, 0);

describe('close', () => {
  it('records a numbered close with the summary, the cash counted and the difference, and the outbox event', () => {
    const expectedCash = cashOf(c.ops.clerk);
    const before = (c.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
    record = service.close({ businessDate: AS_OF, operatorId: c.ops.clerk, counterNo: 1, cashCountedFen: expectedCash - 150, closedBy: c.ops.clerk });
    expect(record.no).toBe(1);
    expect(record.number).toBe('RJ000001');
    expect(record.cash).toEqual({ expectedFen: expectedCash, countedFen: expectedCash - 150, differenceFen: -150 });
    expect(record.summary).toEqual(computeDaySummary(c.db, { businessDate: AS_OF, operatorId: c.ops.clerk }));
    const dayTx = txs.filter((t) => t.businessDate === AS_OF && t.operatorId === c.ops.clerk);
    expect(record.summary.payments.amountFen).toBe(dayTx.reduce((a, t) => a + t.totalFen, 0));
    const rows = c.db.prepare("SELECT idempotency_key, payload FROM outbox WHERE kind = 'day.closed'").all() as { idempotency_key: string; payload: string }[];
    expect(rows).toHaveLength(1);
    expect((c.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n).toBe(before + 1);
    expect(rows[0]!.idempotency_key).toBe(`day-closed-${record.uid}`);
    const payload = JSON.parse(rows[0]!.payload) as ReturnType<typeof dayClosedPayload>;
    expect(payload).toEqual(JSON.parse(JSON.stringify(dayClosedPayload(record))));
    expect(payload.totals.amountFen).toBe(record.summary.payments.amountFen);
    expect(payload.cash.differenceFen).toBe(-150);
    expect(payload.receipts.voidedNumbers.length).toBe(record.summary.receipts.voided);
  });

  it('is immutable: the database refuses UPDATE and DELETE', () => {
    expect(() => c.db.prepare('UPDATE day_closes SET cash_counted_fen = 0 WHERE no = 1').run()).toThrow(/immutable/);
    expect(() => c.db.prepare('DELETE FROM day_closes WHERE no = 1').run()).toThrow(/immutable/);
    expect(service.get(1).cash.countedFen).toBe(record.cash.countedFen);
  });

  it('refuses closing the same day twice, a future day, a bad amount, and another clerk closing', () => {
    expect(() => service.close({ businessDate: AS_OF, operatorId: c.ops.clerk, counterNo: 1, cashCountedFen: 0, closedBy: c.ops.clerk })).toThrow(/RJ000001/);
    expect(() => service.close({ businessDate: addDays(AS_OF, 1), operatorId: c.ops.clerk2, counterNo: 2, cashCountedFen: 0, closedBy: c.ops.clerk2 })).toThrow(
      /尚未开始/,
    );
    expect(() => service.close({ businessDate: AS_OF, operatorId: c.ops.clerk2, counterNo: 2, cashCountedFen: 1.5, closedBy: c.ops.clerk2 })).toThrow(AppError);
    try {
      service.close({ businessDate: AS_OF, operatorId: c.ops.clerk2, counterNo: 2, cashCountedFen: 0, closedBy: c.ops.clerk });
      expect.unreachable();
    } catch (error) {
      expect((error as AppError).code).toBe('FORBIDDEN');
    }
    expect((c.db.prepare('SELECT count(*) AS n FROM day_closes').get() as { n: number }).n).toBe(1);
  });

  it('a supervisor closes for a clerk; numbers follow on; list filters', () => {
    const r2 = service.close({ businessDate: AS_OF, operatorId: c.ops.clerk2, counterNo: 2, cashCountedFen: cashOf(c.ops.clerk2), closedBy: c.ops.supervisor });
    expect(r2.no).toBe(2);
    expect(r2.cash.differenceFen).toBe(0);
    expect(r2.closedBy.username).toBe('super');
    const r3 = service.close({ businessDate: addDays(AS_OF, -1), operatorId: c.ops.clerk, counterNo: 1, cashCountedFen: 0, closedBy: c.ops.supervisor });
    expect(r3.no).toBe(3);
    expect(service.list().map((r) => r.no)).toEqual([2, 1, 3]);
    expect(service.list({ from: AS_OF, to: AS_OF, operatorId: c.ops.clerk }).map((r) => r.no)).toEqual([1]);
    expect(service.list({ counterNo: 2 }).map((r) => r.no)).toEqual([2]);
    expect(service.get('RJ000002').operator.username).toBe('clerk2');
    expect(() => service.get(99)).toThrow(AppError);
  });
});

describe('a closed day rejects new work', () => {
  it('later work goes to the next day', () => {
    expect(openBusinessDate(c.db, AS_OF, c.ops.clerk)).toBe(addDays(AS_OF, 1));
    expect(openBusinessDate(c.db, addDays(AS_OF, -1), c.ops.clerk)).toBe(addDays(AS_OF, 1));
    expect(openBusinessDate(c.db, AS_OF, c.ops.admin)).toBe(AS_OF);
  });

  it('a payment taken after the clerk closed goes to the next day; one by an operator whose day is open stays on it', () => {
    const onDay = (uid: string) =>
      (c.db.prepare('SELECT business_date FROM counter_transactions WHERE uid = ?').get(uid) as { business_date: string }).business_date;
    const clerkDay = computeDaySummary(c.db, { businessDate: AS_OF, operatorId: c.ops.clerk });
    // The day's generated work paid this year for nearly everyone: one payer with two open years.
    const { idNumber, years } = customerWithYears(c, 2);
    // 18:00 in the hall, after the close: PaymentService puts it on the next business day.
    const late = '2026-06-15T10:00:00.000Z';
    expect(onDay(recordCounterPayment(c, idNumber, [{ year: years[0]!, tierFen: 30_000 }], late))).toBe(addDays(AS_OF, 1));
    expect(computeDaySummary(c.db, { businessDate: AS_OF, operatorId: c.ops.clerk })).toEqual(clerkDay);
    // The supervisor has not closed the day: their payment is on it.
    expect(onDay(recordCounterPayment(c, idNumber, [{ year: years[1]!, tierFen: 30_000 }], late, 'super'))).toBe(AS_OF);
  });

  it('a reprint shows the close as recorded, even if the ledger changed afterwards', () => {
    const live = computeDaySummary(c.db, { businessDate: AS_OF });
    expect(live.payments.transactions).toBe(service.get(1).summary.payments.transactions + service.get(2).summary.payments.transactions + 1);
    expect(service.get(1).summary).toEqual(record.summary);
  });

  it('feeds the thermal day summary', () => {
    const data = slipDataOfClose(record, {
      taxOffice: '国家税务总局示范县税务局',
      hallName: '示范县税务局第一办税服务厅',
      training: true,
      timeZone: 'Asia/Shanghai',
      printedAt: START,
    });
    const f = data.model.figures;
    const s = record.summary;
    expect(f.amountFen).toBe(s.payments.amountFen);
    expect(f.cashExpectedFen).toBe(record.cash.expectedFen);
    expect(f.receiptsUsed).toBe(s.receipts.used);
    const text = decodeEscPos(daySummary(data, { width: 80, training: true })).lines.join('\n');
    expect(text).toContain(`使用 ${s.receipts.used}份：已开具 ${s.receipts.issued}份，作废 ${s.receipts.voided}份`);
    expect(text).toMatch(new RegExp(`合计 +${s.payments.transactions}笔 ${s.payments.count}年次 ${formatYuan(s.payments.amountFen)}`));
    for (const v of s.receipts.voidedList) expect(text).toContain(v.number);
    expect(text).toContain(record.number);
  });
});

describe('upstream comparison', () => {
  const totalsOf = (r: DayCloseRecord): UpstreamDayTotals => {
    const p = dayClosedPayload(r);
    return {
      businessDate: p.businessDate,
      operatorUsername: p.operatorUsername,
      totals: { count: p.totals.count, amountFen: p.totals.amountFen },
      byYear: p.byYear,
      byTier: p.byTier.map((t) => ({ tierFen: t.tierFen, count: t.count, amountFen: t.amountFen })),
      byMethod: p.byMethod.map((m) => ({ method: m.method, count: m.count, amountFen: m.amountFen })),
      exchangesByChannel: p.exchangesByChannel,
      receipts: { issued: p.receipts.issued, voided: p.receipts.voided },
    };
  };

  it('matching totals give no lines, and the comparison is recorded', () => {
    expect(compareWithUpstream(record, totalsOf(record))).toEqual([]);
    const rec = service.reconcile(1, totalsOf(record));
    expect(rec.matched).toBe(true);
    expect(service.reconciliations(1)).toHaveLength(1);
  });

  it('lists each mismatch line by line', () => {
    const up = totalsOf(record);
    const y = up.byYear[0]!;
    y.count -= 1;
    y.amountFen -= 30_000;
    up.totals = { count: up.totals.count - 1, amountFen: up.totals.amountFen - 30_000 };
    up.byMethod = up.byMethod.filter((m) => m.method !== 'qr');
    up.byTier.push({ tierFen: 150_000, count: 1, amountFen: 150_000 });
    const rec = service.reconcile(1, up);
    expect(rec.matched).toBe(false);
    const lines = rec.mismatches;
    const qr = record.summary.payments.byMethod.find((m) => m.method === 'qr')!;
    expect(lines.map((l) => [l.section, l.key, l.countDiff, l.amountDiffFen])).toEqual([
      ['total', 'all', 1, 30_000],
      ['year', `${y.year}|${y.backPayment ? 'back' : 'current'}`, 1, 30_000],
      ['tier', '150000', -1, -150_000],
      ['method', 'qr', qr.count, qr.amountFen],
    ]);
    expect(lines.find((l) => l.section === 'method')!.upstream).toBeNull();
    expect(lines.find((l) => l.section === 'tier')!.label).toBe('档次 1,500.00 元');
    expect(service.reconciliations(1).map((r) => r.matched)).toEqual([true, false]);
    expect(() => c.db.prepare('DELETE FROM day_close_reconciliations').run()).toThrow(/immutable/);
  });

  it('rejects an invalid upstream answer', () => {
    expect(() => service.reconcile(1, { businessDate: AS_OF } as UpstreamDayTotals)).toThrow(/上游日汇总数据无效/);
  });
});
