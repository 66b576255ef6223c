// The engine hands the same frozen tier list to every payer of a year with the same terms, and the
// API boundary checks such a list once (issue 18: a lookup's cost). These tests hold the two
// promises that makes: a payer's options cannot be changed through another payer's answer, and a
// list that breaks the contract is refused however it is shared.
import { beforeAll, describe, expect, it } from 'vitest';
import { Assessment, assessPayer, quote, TierOptions, type PolicyTable, type TierOption } from '../../../shared/policy';
import { loadTables, payer, type TableName } from './helpers';

let tables: Record<TableName, PolicyTable>;
beforeAll(async () => {
  tables = await loadTables();
});

const paid = (years: number[], tierFen = 30000) => years.map((y) => ({ year: y, tierFen, channel: 'counter' as const }));

describe('tier options shared between payers', () => {
  it('two payers with the same terms get the same options, and neither can change them for the other', () => {
    const a = assessPayer(payer('1990-03-07'), tables.demo, '2026-06-15');
    const b = assessPayer(payer('1985-11-20', { paidYears: paid([2016, 2017]) }), tables.demo, '2026-06-15');
    const ta = a.years.find((y) => y.year === 2026)!.tiers;
    const tb = b.years.find((y) => y.year === 2026)!.tiers;
    expect(tb).toEqual(ta);
    const before = structuredClone(tb);
    expect(() => {
      (ta[0] as TierOption).payerFen = 1;
    }).toThrow(TypeError);
    expect(() => (ta[0]!.subsidySplit as unknown[]).push({ level: 'county', amountFen: 1 })).toThrow(TypeError);
    expect(() => (ta as TierOption[]).pop()).toThrow(TypeError);
    expect(tb).toEqual(before);
  });

  it('a quote built from shared options is the quoting payer’s own copy', () => {
    const a = assessPayer(payer('1990-03-07'), tables.demo, '2026-06-15');
    const tierFen = a.years[0]!.tiers[0]!.tierFen;
    const q = quote(a, [{ year: 2026, tierFen }]);
    if (!q.ok) throw new Error('quote refused');
    q.lines[0]!.payerFen += 100;
    q.lines[0]!.subsidySplit.push({ level: 'county', amountFen: 1 });
    const again = assessPayer(payer('1990-03-07'), tables.demo, '2026-06-15');
    expect(again.years[0]!.tiers[0]).toEqual(a.years[0]!.tiers[0]);
    expect(again.years[0]!.tiers[0]!.payerFen).toBe(q.lines[0]!.payerFen - 100);
  });

  it('the contract refuses a frozen list that breaks it, on every call, and still accepts a good one', () => {
    const good = assessPayer(payer('1990-03-07'), tables.demo, '2026-06-15').years[0]!.tiers;
    expect(TierOptions.safeParse(good).success).toBe(true);
    expect(TierOptions.safeParse(good).success).toBe(true);
    const bad = Object.freeze([Object.freeze({ ...good[0]!, payerFen: -5 })]);
    for (let i = 0; i < 2; i++) {
      const r = TierOptions.safeParse(bad);
      expect(r.success).toBe(false);
      expect(r.error!.issues[0]!.path).toEqual([0, 'payerFen']);
    }
    const extra = Object.freeze([Object.freeze({ ...good[0]!, idNumber: '520123199003071234' })]);
    expect(TierOptions.safeParse(extra).success).toBe(false);
    // An unfrozen list is checked each time: changed after a first check, it is refused.
    const open = good.map((t) => ({ ...t }));
    expect(TierOptions.safeParse(open).success).toBe(true);
    open[0]!.payerFen = -1;
    expect(TierOptions.safeParse(open).success).toBe(false);
  });

  it('a whole assessment with shared lists still satisfies the contract', () => {
    const a = assessPayer(payer('1962-01-10', { paidYears: paid([2015, 2016, 2017]) }), tables.demo, '2026-06-15');
    expect(Assessment.parse(a)).toEqual(a);
  });
});
