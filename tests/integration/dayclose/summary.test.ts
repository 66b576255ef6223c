// The day summary computed from the ledger against sums computed independently from what the
// generator wrote: a generated hall day of thousands of payments (current years and 补缴, every
// tier and method, two clerks on three counters, the days before and after as noise), receipts
// with voids, 补开 and exchanges; then a property over many small random days.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDaySummary } from '../../../electron/services/dayclose';
import { addDays } from '../../../electron/services/dayclose/summary';
import type { Counter } from '../sync/helpers';
import { AS_OF, dayCloseCounter, generateReceipts, generateTransactions, prng, tally, type DayOps, type GenReceipts, type GenTx } from './helpers';

let c: Counter & { ops: DayOps };
let txs: GenTx[] = [];
let gen: GenReceipts;

beforeAll(async () => {
  c = await dayCloseCounter({ payers: 60 });
  const rand = prng(20260615);
  txs = generateTransactions(c.db, rand, 3000, {
    dates: [addDays(AS_OF, -1), AS_OF, AS_OF, AS_OF, addDays(AS_OF, 1)],
    operators: [c.ops.clerk, c.ops.clerk2],
    counters: [1, 2, 3],
  });
  gen = await generateReceipts(c.db, rand, txs, c.ops, { issue: 400, voids: 40, reissues: 15, exchanges: 30 });
});
afterAll(() => c.db.close());

function expected(operatorId?: number) {
  const day = txs.filter((t) => t.businessDate === AS_OF && (operatorId === undefined || t.operatorId === operatorId));
  const lines = day.flatMap((t) => t.lines.map((l) => ({ ...l, method: t.method })));
  return { day, lines };
}

describe.each([
  ['clerk', () => c.ops.clerk],
  ['clerk2', () => c.ops.clerk2],
  ['whole hall', () => undefined],
])('summary of %s on a generated day', (_name, operator) => {
  it('adds up payments by year, kind, tier, method and counter', () => {
    const op = operator();
    const s = computeDaySummary(c.db, { businessDate: AS_OF, operatorId: op });
    const { day, lines } = expected(op);
    expect(day.length).toBeGreaterThan(500);
    expect(s.payments.transactions).toBe(day.length);
    expect(s.payments.count).toBe(lines.length);
    expect(s.payments.amountFen).toBe(lines.reduce((a, l) => a + l.amountFen, 0));
    expect(s.payments.amountFen).toBe(day.reduce((a, t) => a + t.totalFen, 0));
    expect(s.payments.subsidyFen).toBe(lines.reduce((a, l) => a + l.subsidyFen, 0));
    expect(s.payments.governmentPaidFen).toBe(lines.reduce((a, l) => a + l.governmentPaidFen, 0));
    expect(s.payments.backPayment).toEqual(
      tally(
        lines.filter((l) => l.backPayment),
        () => 'x',
        (l) => l.amountFen,
      ).x,
    );
    expect(s.payments.current).toEqual(
      tally(
        lines.filter((l) => !l.backPayment),
        () => 'x',
        (l) => l.amountFen,
      ).x,
    );
    expect(s.payments.backPayment.count).toBeGreaterThan(100);

    const yearKey = (r: { year: number; backPayment: boolean }) => `${r.year}|${r.backPayment}`;
    expect(tally(s.payments.byYear, yearKey, () => 0)).toEqual(
      tally(
        Object.keys(tally(lines, yearKey, () => 0)).map((k) => ({ k })),
        (x) => x.k,
        () => 0,
      ),
    );
    expect(Object.fromEntries(s.payments.byYear.map((r) => [yearKey(r), { count: r.count, amountFen: r.amountFen }]))).toEqual(
      tally(lines, yearKey, (l) => l.amountFen),
    );
    expect(Object.fromEntries(s.payments.byTier.map((r) => [String(r.tierFen), { count: r.count, amountFen: r.amountFen }]))).toEqual(
      tally(
        lines,
        (l) => String(l.tierFen),
        (l) => l.amountFen,
      ),
    );
    expect(
      Object.fromEntries(s.payments.byYearTier.map((r) => [`${r.year}|${r.backPayment}|${r.tierFen}`, { count: r.count, amountFen: r.amountFen }])),
    ).toEqual(
      tally(
        lines,
        (l) => `${l.year}|${l.backPayment}|${l.tierFen}`,
        (l) => l.amountFen,
      ),
    );
    expect(Object.fromEntries(s.payments.byMethod.map((r) => [r.method, { count: r.count, amountFen: r.amountFen }]))).toEqual(
      tally(
        lines,
        (l) => l.method,
        (l) => l.amountFen,
      ),
    );
    expect(Object.fromEntries(s.payments.byMethod.map((r) => [r.method, r.transactions]))).toEqual(
      Object.fromEntries(
        Object.entries(
          tally(
            day,
            (t) => t.method,
            () => 0,
          ),
        ).map(([k, v]) => [k, v.count]),
      ),
    );
    const counterKey = (r: { operatorId: number; counterNo: number }) => `${r.operatorId}|${r.counterNo}`;
    expect(Object.fromEntries(s.byCounter.map((r) => [counterKey(r), { count: r.transactions, amountFen: r.amountFen }]))).toEqual(
      tally(day, counterKey, (t) => t.totalFen),
    );
    expect(Object.fromEntries(s.byCounter.map((r) => [counterKey(r), r.cashFen]))).toEqual(
      Object.fromEntries(Object.entries(tally(day, counterKey, (t) => (t.method === 'cash' ? t.totalFen : 0))).map(([k, v]) => [k, v.amountFen])),
    );
    const cash = day.filter((t) => t.method === 'cash');
    expect(s.cash.expectedFen).toBe(cash.reduce((a, t) => a + t.totalFen, 0));
    expect(s.cash.tenderedFen).toBe(cash.reduce((a, t) => a + t.tenderedFen!, 0));
    expect(s.cash.changeFen).toBe(cash.reduce((a, t) => a + t.changeFen!, 0));
    expect(s.cash.tenderedFen - s.cash.changeFen).toBe(s.cash.expectedFen);
  });

  it('lists receipts used (ranges), voided with reasons, reissued, and exchanges by channel', () => {
    const op = operator();
    const s = computeDaySummary(c.db, { businessDate: AS_OF, operatorId: op });
    const mine = [...gen.receipts].filter(([, r]) => op === undefined || r.operatorId === op);
    expect(s.receipts.used).toBe(mine.length);
    expect(s.receipts.issued).toBe(mine.filter(([, r]) => r.state === 'issued').length);
    expect(s.receipts.voided).toBe(mine.filter(([, r]) => r.state === 'voided').length);
    expect(s.receipts.reissued).toBe(mine.filter(([, r]) => r.kind === 'reissue').length);
    // The ranges cover exactly the numbers used, each once.
    expect(s.receipts.ranges.reduce((a, r) => a + r.count, 0)).toBe(mine.length);
    const serials = mine.map(([n]) => Number(n.slice(-8))).sort((a, b) => a - b);
    const fromRanges = s.receipts.ranges.flatMap((r) => Array.from({ length: r.count }, (_, i) => r.firstSerial + i)).sort((a, b) => a - b);
    expect(fromRanges).toEqual(serials);
    // Numbers are handed out consecutively per clerk's block: one range per clerk.
    expect(s.receipts.ranges.length).toBe(op === undefined ? 2 : 1);
    expect(Object.fromEntries(s.receipts.voidedList.map((v) => [v.number, [v.reason, v.replacedBy]]))).toEqual(
      Object.fromEntries(mine.filter(([, r]) => r.state === 'voided').map(([n, r]) => [n, [r.reason, r.replacedBy]])),
    );
    expect(Object.fromEntries(s.receipts.reissuedList.map((v) => [v.number, v.reissueOf]))).toEqual(
      Object.fromEntries(mine.filter(([, r]) => r.kind === 'reissue').map(([n, r]) => [n, r.reissueOf])),
    );
    const live = mine.filter(([, r]) => r.state === 'issued');
    expect(s.receipts.issuedFen).toEqual({
      counter: live.filter(([, r]) => r.kind === 'counter').reduce((a, [, r]) => a + r.totalFen, 0),
      exchange: live.filter(([, r]) => r.kind === 'exchange').reduce((a, [, r]) => a + r.totalFen, 0),
      reissue: live.filter(([, r]) => r.kind === 'reissue').reduce((a, [, r]) => a + r.totalFen, 0),
    });
    const ex = gen.exchanges.filter((e) => op === undefined || e.operatorId === op);
    expect(ex.length).toBeGreaterThan(0);
    expect(Object.fromEntries(s.exchanges.byChannel.map((e) => [e.channel, { count: e.count, amountFen: e.amountFen }]))).toEqual(
      tally(
        ex,
        (e) => e.channel,
        (e) => e.amountFen,
      ),
    );
    expect(s.exchanges.count).toBe(ex.length);
  });
});

it('the operators add up to the whole hall', () => {
  const hall = computeDaySummary(c.db, { businessDate: AS_OF });
  const a = computeDaySummary(c.db, { businessDate: AS_OF, operatorId: c.ops.clerk });
  const b = computeDaySummary(c.db, { businessDate: AS_OF, operatorId: c.ops.clerk2 });
  expect(a.payments.amountFen + b.payments.amountFen).toBe(hall.payments.amountFen);
  expect(a.payments.count + b.payments.count).toBe(hall.payments.count);
  expect(a.cash.expectedFen + b.cash.expectedFen).toBe(hall.cash.expectedFen);
  expect(a.receipts.used + b.receipts.used).toBe(hall.receipts.used);
  expect(a.exchanges.amountFen + b.exchanges.amountFen).toBe(hall.exchanges.amountFen);
});

it('a day with nothing in it is all zeros', () => {
  const s = computeDaySummary(c.db, { businessDate: '2031-01-01' });
  expect(s.payments).toMatchObject({ transactions: 0, count: 0, amountFen: 0, byYear: [], byTier: [], byMethod: [] });
  expect(s.receipts).toMatchObject({ used: 0, ranges: [], voidedList: [] });
  expect(s.cash.expectedFen).toBe(0);
});

it('property: on random small days the summary equals the independent sums', () => {
  let run = 0;
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 60 }), (seed, n) => {
      // A fresh business date per run: runs never see each other's rows.
      const date = addDays('2032-01-01', run++);
      const rand = prng(seed);
      const t = generateTransactions(c.db, rand, n, {
        dates: [date],
        operators: [c.ops.clerk, c.ops.clerk2, c.ops.supervisor],
        counters: [1, 2, 3, 4],
        currentYear: 2032,
      });
      const s = computeDaySummary(c.db, { businessDate: date, operatorId: c.ops.clerk });
      const day = t.filter((x) => x.operatorId === c.ops.clerk);
      const lines = day.flatMap((x) => x.lines);
      expect(s.payments.transactions).toBe(day.length);
      expect(s.payments.count).toBe(lines.length);
      expect(s.payments.amountFen).toBe(lines.reduce((a, l) => a + l.amountFen, 0));
      expect(Object.fromEntries(s.payments.byTier.map((r) => [String(r.tierFen), { count: r.count, amountFen: r.amountFen }]))).toEqual(
        tally(
          lines,
          (l) => String(l.tierFen),
          (l) => l.amountFen,
        ),
      );
      expect(s.payments.backPayment.amountFen + s.payments.current.amountFen).toBe(s.payments.amountFen);
      expect(s.cash.expectedFen).toBe(day.filter((x) => x.method === 'cash').reduce((a, x) => a + x.totalFen, 0));
      expect(s.byCounter.reduce((a, r) => a + r.amountFen, 0)).toBe(s.payments.amountFen);
    }),
    { numRuns: 40, seed: 8 },
  );
});
