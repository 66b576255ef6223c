// compareWithUpstream on hand-made records, and the small helpers of the summary.
import { describe, expect, it } from 'vitest';
import { compareWithUpstream, consecutiveRuns, canonicalJson, addDays, isBusinessDate } from '../../../electron/services/dayclose';
import type { DayCloseRecord, DaySummary, UpstreamDayTotals } from '../../../electron/services/dayclose';

function summary(): DaySummary {
  return {
    businessDate: '2026-06-15',
    operatorId: 1,
    payments: {
      transactions: 3,
      count: 4,
      amountFen: 110_000,
      subsidyFen: 0,
      governmentPaidFen: 0,
      current: { count: 2, amountFen: 50_000 },
      backPayment: { count: 2, amountFen: 60_000 },
      byYear: [
        { year: 2026, backPayment: false, count: 2, amountFen: 50_000, subsidyFen: 0, governmentPaidFen: 0 },
        { year: 2025, backPayment: true, count: 2, amountFen: 60_000, subsidyFen: 0, governmentPaidFen: 0 },
      ],
      byTier: [
        { tierFen: 20_000, count: 1, amountFen: 20_000 },
        { tierFen: 30_000, count: 3, amountFen: 90_000 },
      ],
      byYearTier: [],
      byMethod: [
        { method: 'cash', transactions: 2, count: 3, amountFen: 80_000 },
        { method: 'qr', transactions: 1, count: 1, amountFen: 30_000 },
      ],
    },
    byCounter: [],
    exchanges: { count: 1, amountFen: 30_000, byChannel: [{ channel: 'bank_pos', count: 1, amountFen: 30_000 }] },
    receipts: {
      used: 4,
      issued: 3,
      voided: 1,
      reissued: 0,
      issuedFen: { counter: 110_000, exchange: 30_000, reissue: 0 },
      ranges: [],
      voidedList: [],
      reissuedList: [],
    },
    waiting: [],
    cash: { expectedFen: 80_000, tenderedFen: 80_000, changeFen: 0 },
  };
}

const record = (): DayCloseRecord => ({
  no: 7,
  number: 'RJ000007',
  uid: 'u',
  businessDate: '2026-06-15',
  operator: { id: 1, username: 'clerk', name: '演示柜员' },
  counterNo: 1,
  summary: summary(),
  summarySha256: '0'.repeat(64),
  cash: { expectedFen: 80_000, countedFen: 80_000, differenceFen: 0 },
  closedBy: { id: 1, username: 'clerk', name: '演示柜员' },
  closedAt: '2026-06-15T09:00:00.000Z',
  waitingApprovedBy: null,
});

const upstream = (): UpstreamDayTotals => ({
  businessDate: '2026-06-15',
  operatorUsername: 'clerk',
  totals: { count: 4, amountFen: 110_000 },
  byYear: [
    { year: 2025, backPayment: true, count: 2, amountFen: 60_000 },
    { year: 2026, backPayment: false, count: 2, amountFen: 50_000 },
  ],
  byTier: [
    { tierFen: 30_000, count: 3, amountFen: 90_000 },
    { tierFen: 20_000, count: 1, amountFen: 20_000 },
  ],
  byMethod: [
    { method: 'qr', count: 1, amountFen: 30_000 },
    { method: 'cash', count: 3, amountFen: 80_000 },
    { method: 'bank_card', count: 0, amountFen: 0 },
  ],
  exchangesByChannel: [{ channel: 'bank_pos', count: 1, amountFen: 30_000 }],
  receipts: { issued: 3, voided: 1 },
});

describe('compareWithUpstream', () => {
  it('finds nothing when the totals agree, whatever the order and empty lines', () => {
    expect(compareWithUpstream(record(), upstream())).toEqual([]);
  });

  it('lists a year the upstream counts as current, a missing exchange and a receipt count', () => {
    const u = upstream();
    u.byYear = [{ year: 2025, backPayment: false, count: 2, amountFen: 60_000 }, u.byYear[1]!];
    u.exchangesByChannel = [];
    u.receipts = { issued: 2, voided: 1 };
    const lines = compareWithUpstream(record(), u);
    expect(lines.map((l) => [l.section, l.key, l.countDiff, l.amountDiffFen, l.label])).toEqual([
      ['year', '2025|back', 2, 60_000, '2025年度（补缴）'],
      ['year', '2025|current', -2, -60_000, '2025年度（当年）'],
      ['exchange', 'bank_pos', 1, 30_000, '换开 银行POS'],
      ['receipts', 'issued', 1, 0, '缴款书 已开具份数'],
    ]);
  });

  it('flags totals for another day or operator first', () => {
    const u = upstream();
    u.businessDate = '2026-06-16';
    u.totals = { count: 5, amountFen: 110_000 };
    const lines = compareWithUpstream(record(), u);
    expect(lines[0]!.section).toBe('date');
    expect(lines[1]).toMatchObject({
      section: 'total',
      countDiff: -1,
      amountDiffFen: 0,
      local: { count: 4, amountFen: 110_000 },
      upstream: { count: 5, amountFen: 110_000 },
    });
  });

  it('skips the optional sections the upstream does not report', () => {
    const u = upstream();
    delete u.exchangesByChannel;
    delete u.receipts;
    expect(compareWithUpstream(record(), u)).toEqual([]);
  });
});

describe('helpers', () => {
  it('splits serials into runs', () => {
    expect(consecutiveRuns([1, 2, 3, 5, 7, 8])).toEqual([
      [1, 3],
      [5, 5],
      [7, 8],
    ]);
    expect(consecutiveRuns([])).toEqual([]);
  });

  it('canonical JSON does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: 3 } })).toBe('{"a":{"c":3,"d":[2,{"y":2,"z":1}]},"b":1}');
  });

  it('dates', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(isBusinessDate('2026-02-30')).toBe(false);
    expect(isBusinessDate('2026-06-15')).toBe(true);
  });
});
