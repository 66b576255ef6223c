import { beforeAll, describe, expect, it } from 'vitest';
import {
  PolicyDateMismatchError,
  PolicyPayer,
  assessPayer,
  collectionStatus,
  quote,
  type Assessment,
  type PolicyTable,
  type YearAssessment,
} from '../../../shared/policy';
import { loadTables, payer, tierOf, type TableName } from './helpers';

let tables: Record<TableName, PolicyTable>;
beforeAll(async () => {
  tables = await loadTables();
});

function year(a: Assessment, y: number): YearAssessment {
  const found = a.years.find((x) => x.year === y);
  if (found === undefined) throw new Error(`year ${y} not listed`);
  return found;
}

function tierFen(y: YearAssessment, yuan: number) {
  return y.tiers.find((t) => t.tierFen === yuan * 100);
}

const paid = (years: number[], tierFen = 30000) => years.map((y) => ({ year: y, tierFen, channel: 'counter' as const }));

describe('demo table: ordinary payer', () => {
  const p = () => payer('1990-03-07', { paidYears: paid([2015, 2016, 2017, 2018, 2019, 2021, 2022, 2023, 2024]) });

  it('offers the current year with the tier subsidy and charges the payer the tier only', () => {
    const a = assessPayer(p(), tables.demo, '2026-06-15');
    const y = year(a, 2026);
    expect(y).toMatchObject({ payable: true, kind: 'current', subsidised: true, reason: null });
    expect(y.tiers.map((t) => t.tierFen)).toEqual(tables.demo.tiers.map((t) => t.amountFen));
    expect(tierFen(y, 300)).toMatchObject({
      payerFen: 30000,
      subsidyFen: tierOf(tables.demo, 300).subsidyFen,
      governmentPaidFen: 0,
      accountFen: 30000 + tierOf(tables.demo, 300).subsidyFen,
    });
  });

  it('offers each unpaid earlier year back to 2014 without subsidy, newest first', () => {
    const a = assessPayer(p(), tables.demo, '2026-06-15');
    expect(a.years.map((y) => y.year)).toEqual([2026, 2025, 2024, 2023, 2022, 2021, 2020, 2019, 2018, 2017, 2016, 2015, 2014]);
    const payable = a.years.filter((y) => y.payable).map((y) => y.year);
    expect(payable).toEqual([2026, 2025, 2020, 2014]);
    for (const y of [2025, 2020, 2014]) {
      const back = year(a, y);
      expect(back.kind).toBe('back_payment');
      expect(back.tiers.every((t) => t.subsidyFen === 0 && t.payerFen === t.tierFen)).toBe(true);
    }
  });

  it('refuses a paid year and says which tier was paid', () => {
    const y = year(assessPayer(p(), tables.demo, '2026-06-15'), 2019);
    expect(y).toMatchObject({ payable: false, reason: 'already_paid', paid: { year: 2019, tierFen: 30000 } });
    expect(y.message).toContain('300元档');
    expect(y.tiers).toEqual([]);
  });

  it('quotes the chosen lines with totals that only collect the payer amounts', () => {
    const a = assessPayer(p(), tables.demo, '2026-06-15');
    const q = quote(a, [
      { year: 2026, tierFen: 50000 },
      { year: 2025, tierFen: 20000 },
    ]);
    expect(q.ok).toBe(true);
    if (!q.ok) return;
    expect(q.totals).toMatchObject({ years: 2, payerFen: 70000, subsidyFen: tierOf(tables.demo, 500).subsidyFen, governmentPaidFen: 0 });
    expect(q.lines.map((l) => [l.year, l.kind])).toEqual([
      [2026, 'current'],
      [2025, 'back_payment'],
    ]);
  });

  it('warns about the years still missing once the payer is within reach of the minimum', () => {
    const a = assessPayer(payer('1975-01-20', { paidYears: paid([2020, 2021]) }), tables.demo, '2026-06-15');
    const w = a.warnings.find((x) => x.code === 'years_to_minimum');
    expect(w?.message).toContain('还差13年');
    expect(w?.message).toContain('需补缴');
    const young = assessPayer(payer('2000-01-20'), tables.demo, '2026-06-15');
    expect(young.warnings.map((x) => x.code)).not.toContain('years_to_minimum');
  });
});

describe('eligibility rules', () => {
  it('too young: not payable until the 16th birthday, which the message names', () => {
    const a = assessPayer(payer('2010-09-01', { registrationDate: '2026-01-05' }), tables.demo, '2026-06-15');
    expect(a.years).toHaveLength(1);
    expect(a.years[0]).toMatchObject({ year: 2026, payable: false, reason: 'too_young' });
    expect(a.years[0]?.message).toContain('2026-09-01');
    const onBirthday = assessPayer(payer('2010-09-01', { registrationDate: '2026-01-05' }), tables.demo, '2026-09-01');
    expect(onBirthday.years[0]?.payable).toBe(true);
  });

  it('someone born on 29 February turns 16 on 1 March in a common year and on 29 February in a leap year', () => {
    const p = payer('2008-02-29', { registrationDate: '2023-01-05' });
    const zibo = { ...tables.zibo, collection: { ...tables.zibo.collection } };
    expect(year(assessPayer(p, zibo, '2024-02-28'), 2024).reason).toBe('too_young');
    expect(year(assessPayer(p, zibo, '2024-02-29'), 2024).payable).toBe(true);
    const p2 = payer('2007-02-28', { registrationDate: '2022-01-05' });
    expect(year(assessPayer(p2, zibo, '2024-02-28'), 2024).payable).toBe(true);
  });

  it('7-day wait: payable from the seventh day after registration, with a warning naming that day', () => {
    const p = payer('1990-03-07', { registrationDate: '2026-06-10' });
    const before = assessPayer(p, tables.demo, '2026-06-16');
    expect(year(before, 2026)).toMatchObject({ payable: false, reason: 'registration_wait' });
    expect(year(before, 2026).message).toContain('2026-06-17');
    expect(year(before, 2025).reason).toBe('registration_wait');
    expect(before.warnings.find((w) => w.code === 'registration_wait_ends')?.message).toContain('2026-06-17');
    const after = assessPayer(p, tables.demo, '2026-06-17');
    expect(year(after, 2026).payable).toBe(true);
    expect(after.warnings.map((w) => w.code)).not.toContain('registration_wait_ends');
  });

  it.each([
    [{ registrationDate: null }, 'not_registered', '参保登记'],
    [{ registrationStatus: 'terminated' as const }, 'registration_terminated', '终止'],
    [{ registrationStatus: 'receiving' as const }, 'receiving_pension', '领取'],
    [{ registrationStatus: 'suspended' as const }, 'registration_suspended', '暂停'],
  ])('registration %j blocks every year (%s)', (override, reason, text) => {
    const a = assessPayer(payer('1990-03-07', override), tables.demo, '2026-06-15');
    for (const y of a.years) {
      expect(y.reason).toBe(reason);
      expect(y.message).toContain(text);
    }
  });

  it('years in the employees scheme are refused, the others stay payable', () => {
    const a = assessPayer(payer('1990-03-07', { employeesSchemeYears: [2024, 2025] }), tables.demo, '2026-06-15');
    expect(year(a, 2025)).toMatchObject({ payable: false, reason: 'in_employees_scheme' });
    expect(year(a, 2025).message).toContain('城镇职工');
    expect(year(a, 2026).payable).toBe(true);
  });

  it('the year of turning 60 is still payable, with subsidy, and is flagged', () => {
    const a = assessPayer(payer('1966-08-01'), tables.demo, '2026-06-15');
    expect(year(a, 2026)).toMatchObject({ payable: true, subsidised: true });
    expect(tierFen(year(a, 2026), 100)?.subsidyFen).toBe(tierOf(tables.demo, 100).subsidyFen);
    expect(a.warnings.find((w) => w.code === 'turns_pension_age_this_year')?.message).toContain('2026-08-01');
  });

  it('past 60 with a shortfall: every year without subsidy, capped at 15 years in total', () => {
    const tenYears = paid([2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023]);
    const a = assessPayer(payer('1964-05-01', { paidYears: tenYears }), tables.demo, '2026-06-15');
    expect(a.capYears).toBe(15);
    expect(a.years.map((y) => y.year)).toEqual([2026, 2025, 2024, 2023, 2022, 2021, 2020, 2019, 2018, 2017, 2016, 2015, 2014]);
    expect(year(a, 2026)).toMatchObject({ payable: true, kind: 'past_pension_age', subsidised: false });
    expect(year(a, 2024)).toMatchObject({ payable: true, kind: 'back_payment' });
    expect(a.years.flatMap((y) => y.tiers).every((t) => t.subsidyFen === 0)).toBe(true);
    expect(a.warnings.find((w) => w.code === 'cap_applies')?.message).toContain('还可缴费5年');
    // All three missing years fit under the cap, paid at once.
    expect(
      quote(
        a,
        [2026, 2025, 2024].map((y) => ({ year: y, tierFen: 10000 })),
      ).ok,
    ).toBe(true);
  });

  it('past 60 and already at the minimum years: refused with the cap sentence', () => {
    const twelve = paid(Array.from({ length: 12 }, (_, i) => 2014 + i));
    const p = payer('1964-05-01', { paidYears: twelve });
    const a = assessPayer(p, { ...tables.demo, years: { ...tables.demo.years, minimumYears: 12, capYears: 12 } }, '2026-06-15');
    expect(year(a, 2026)).toMatchObject({ payable: false, reason: 'cap_reached' });
    expect(year(a, 2026).message).toContain('12年');
  });

  it('the cap refuses a quote that would go past it, naming how many years are left', () => {
    const eleven = paid(Array.from({ length: 11 }, (_, i) => 2014 + i));
    const a = assessPayer(payer('1964-05-01', { paidYears: eleven }), tables.demo, '2026-06-15');
    expect(a.years.filter((y) => y.payable).map((y) => y.year)).toEqual([2026, 2025]);
    const table = { ...tables.demo, backPayment: { ...tables.demo.backPayment, earliestYear: 2008, since: ['min_age' as const] } };
    const wide = assessPayer(payer('1964-05-01', { paidYears: eleven }), table, '2026-06-15');
    const lines = [2026, 2025, 2013, 2012, 2011].map((y) => ({ year: y, tierFen: 20000 }));
    const q = quote(wide, lines);
    expect(q.ok).toBe(false);
    if (!q.ok) {
      expect(q.errors.map((e) => e.code)).toEqual(['cap_exceeded']);
      expect(q.errors[0]?.message).toContain('本次最多可选4个年度');
    }
    expect(quote(wide, lines.slice(0, 4)).ok).toBe(true);
  });

  it('at 65 nothing more may be paid; without a lump-sum rule nothing after the 60 year', () => {
    const old = assessPayer(payer('1960-05-01'), tables.demo, '2026-06-15');
    expect(old.years.every((y) => y.reason === 'over_lump_sum_age')).toBe(true);
    expect(year(old, 2026).message).toContain('65周岁');
    const noLump = { ...tables.demo, lumpSum: { ...tables.demo.lumpSum, allowed: false }, afterPensionAge: { yearByYear: false, subsidised: false } };
    const a = assessPayer(payer('1964-05-01'), noLump, '2026-06-15');
    expect(year(a, 2026)).toMatchObject({ payable: false, reason: 'past_pension_age' });
    expect(a.lumpSum).toMatchObject({ payable: false, reason: 'lump_sum_not_allowed' });
  });

  it('near pension age when the scheme started: at most capYears in total, even with a wide window', () => {
    const table: PolicyTable = {
      ...tables.demo,
      backPayment: { ...tables.demo.backPayment, earliestYear: 2008, since: ['min_age'] },
      years: { ...tables.demo.years, schemeStartYear: 2020 },
    };
    const fourteen = paid(Array.from({ length: 14 }, (_, i) => 2009 + i));
    const a = assessPayer(payer('1967-02-01', { paidYears: fourteen }), table, '2026-06-15');
    expect(a.capYears).toBe(15);
    const q = quote(a, [
      { year: 2026, tierFen: 10000 },
      { year: 2025, tierFen: 10000 },
    ]);
    expect(q.ok ? 'ok' : q.errors[0]?.code).toBe('cap_exceeded');
    expect(quote(a, [{ year: 2026, tierFen: 10000 }]).ok).toBe(true);
    // Someone younger at the start has no cap.
    expect(assessPayer(payer('1980-02-01'), table, '2026-06-15').capYears).toBeNull();
  });

  it('a table for another year is refused rather than silently applied', () => {
    expect(() => assessPayer(payer('1990-03-07'), tables.demo, '2027-01-05')).toThrow(PolicyDateMismatchError);
  });

  it('outside the collection period the payer page says it is scattered payment', () => {
    const inside = assessPayer(payer('1990-03-07'), tables.demo, '2026-06-15');
    expect(inside.warnings.map((w) => w.code)).not.toContain('outside_collection_period');
    const outside = assessPayer(payer('1990-03-07'), tables.demo, '2026-08-03');
    expect(outside.warnings.find((w) => w.code === 'outside_collection_period')?.message).toContain('零星缴费');
    expect(collectionStatus(tables.demo, '2026-06-15')).toEqual({ inPeriod: true, nextTarget: { by: '2026-06-20', percent: 50 } });
    expect(collectionStatus(tables.demo, '2026-12-01').nextTarget).toBeNull();
  });
});

describe('special groups', () => {
  const dibao = (from = '2020-01-01', to: string | null = null) => ({ group: 'dibao' as const, from, to });

  it('低保 in the demo county: 代缴 50 yuan split 25/25 on top of the tier, and the tier subsidy', () => {
    const a = assessPayer(payer('1990-03-07', { specialGroups: [dibao()] }), tables.demo, '2026-06-15');
    const y = year(a, 2026);
    expect(y.governmentPaid).toMatchObject({ group: 'dibao', kind: 'fixed_amount', amountFen: 5000 });
    expect(tierFen(y, 200)).toMatchObject({
      payerFen: 20000,
      governmentPaidFen: 5000,
      subsidyFen: tierOf(tables.demo, 200).subsidyFen,
      governmentPaidSplit: [
        { level: 'province', amountFen: 2500 },
        { level: 'county', amountFen: 2500 },
      ],
    });
    // 代缴 is for the current year only unless the table says otherwise.
    expect(year(a, 2025).governmentPaid).toBeNull();
    expect(tierFen(year(a, 2025), 200)?.governmentPaidFen).toBe(0);
    const q = quote(a, [
      { year: 2026, tierFen: 20000 },
      { year: 2025, tierFen: 10000 },
    ]);
    expect(q.ok && q.totals).toMatchObject({
      payerFen: 30000,
      governmentPaidFen: 5000,
      governmentPaidByLevel: [
        { level: 'province', amountFen: 2500 },
        { level: 'county', amountFen: 2500 },
      ],
    });
  });

  it('重度残疾: the government pays the minimum tier in full; a higher tier costs only the difference', () => {
    const a = assessPayer(payer('1990-03-07', { specialGroups: [{ group: 'severe_disability', from: '2018-04-01', to: null }] }), tables.demo, '2026-06-15');
    const y = year(a, 2026);
    expect(tierFen(y, 100)).toMatchObject({ payerFen: 0, governmentPaidFen: 10000 });
    expect(tierFen(y, 300)).toMatchObject({ payerFen: 20000, governmentPaidFen: 10000, accountFen: 30000 + tierOf(tables.demo, 300).subsidyFen });
  });

  it('several groups: the single largest benefit applies, not the sum', () => {
    const a = assessPayer(
      payer('1990-03-07', { specialGroups: [dibao(), { group: 'severe_disability', from: '2018-04-01', to: null }] }),
      tables.demo,
      '2026-06-15',
    );
    expect(year(a, 2026).governmentPaid).toMatchObject({ group: 'severe_disability', amountFen: 10000 });
  });

  it('a group counts only while valid: not before it starts, and not in years after it ended', () => {
    const later = assessPayer(payer('1990-03-07', { specialGroups: [dibao('2026-07-01')] }), tables.demo, '2026-06-15');
    expect(year(later, 2026).governmentPaid).toBeNull();
    const ended = assessPayer(payer('1990-03-07', { specialGroups: [dibao('2020-01-01', '2025-12-31')] }), tables.xiangyin, '2023-06-15');
    expect(year(ended, 2023).governmentPaid?.amountFen).toBe(10000);
    const endsSoon = assessPayer(payer('1990-03-07', { specialGroups: [dibao('2020-01-01', '2026-10-31')] }), tables.demo, '2026-06-15');
    expect(endsSoon.warnings.find((w) => w.code === 'special_group_ends')?.message).toContain('2026-10-31');
  });

  it('reserved tiers are offered only to the groups they are reserved for', () => {
    const ordinary = assessPayer(payer('1990-03-07'), tables.xiangyin, '2023-06-15');
    expect(year(ordinary, 2023).tiers[0]?.tierFen).toBe(20000);
    expect(quote(ordinary, [{ year: 2023, tierFen: 10000 }])).toMatchObject({ ok: false, errors: [{ code: 'tier_not_allowed' }] });
    const tekun = assessPayer(payer('1990-03-07', { specialGroups: [{ group: 'tekun', from: '2021-01-01', to: null }] }), tables.xiangyin, '2023-06-15');
    expect(year(tekun, 2023).tiers[0]).toMatchObject({ tierFen: 10000, reserved: true, subsidyFen: 3000 });
    // The group was already valid in 2021, so the reserved tier is open for that back year too.
    expect(year(tekun, 2021).tiers[0]).toMatchObject({ tierFen: 10000, subsidyFen: 0 });
    expect(year(tekun, 2020).tiers[0]?.tierFen).toBe(20000);
  });
});

describe('regional tables as published', () => {
  it.each([
    [
      'xiangyin',
      '2023-06-15',
      [
        [100, null],
        [200, 30],
        [300, 40],
        [400, 40],
        [500, 60],
        [1000, 60],
        [3000, 60],
      ],
    ],
    [
      'guangxi',
      '2019-06-15',
      [
        [200, 35],
        [500, 60],
        [800, 100],
        [1000, 150],
        [1500, 175],
        [2000, 200],
        [6000, 200],
      ],
    ],
    [
      'zibo',
      '2024-06-15',
      [
        [100, null],
        [350, 40],
        [500, 60],
        [800, 80],
        [1000, 80],
        [3000, 130],
        [5000, 150],
        [8000, 180],
      ],
    ],
  ] as const)('%s: current-year tier → subsidy', (name, date, expected) => {
    const a = assessPayer(payer('1990-03-07'), tables[name], date);
    const current = a.years[0]!;
    for (const [tier, subsidy] of expected) {
      const t = tierFen(current, tier);
      if (subsidy === null) expect(t).toBeUndefined();
      else expect(t).toMatchObject({ payerFen: tier * 100, subsidyFen: subsidy * 100 });
    }
  });

  it('guangxi: back-payments earn no subsidy at any tier', () => {
    const a = assessPayer(payer('1990-03-07'), tables.guangxi, '2019-06-15');
    const back = a.years.filter((y) => y.year < 2019);
    expect(back.length).toBeGreaterThan(0);
    expect(back.every((y) => y.payable && y.tiers.every((t) => t.subsidyFen === 0))).toBe(true);
  });

  it('zibo: back-payment at most five years back', () => {
    const a = assessPayer(payer('1990-03-07'), tables.zibo, '2024-06-15');
    expect(year(a, 2019).payable).toBe(true);
    expect(year(a, 2018)).toMatchObject({ payable: false, reason: 'beyond_back_payment_window' });
    expect(year(a, 2018).message).toContain('最多补缴5年');
  });
});

describe('back-payment at the tiers of the year paid', () => {
  it('uses the earlier table when one is supplied, and refuses the year when none is', () => {
    const table: PolicyTable = { ...tables.demo, backPayment: { ...tables.demo.backPayment, tierYear: 'year_paid' } };
    const old: PolicyTable = { ...tables.demo, year: 2025, tiers: [{ amountFen: 15000, subsidyFen: 3000 }] };
    const p = payer('1990-03-07');
    const a = assessPayer(p, table, '2026-06-15', { tableForYear: (y) => (y === 2025 ? old : undefined) });
    expect(year(a, 2025).tiers.map((t) => [t.tierFen, t.payerFen, t.subsidyFen])).toEqual([[15000, 15000, 0]]);
    expect(year(a, 2024)).toMatchObject({ payable: false, reason: 'no_policy_for_year' });
    expect(year(a, 2026).tiers).toHaveLength(12);
  });
});

describe('quote errors', () => {
  it('names every bad line and never returns totals for a bad quote', () => {
    const a = assessPayer(payer('1990-03-07', { paidYears: paid([2024]) }), tables.demo, '2026-06-15');
    const q = quote(a, [
      { year: 2026, tierFen: 30000 },
      { year: 2026, tierFen: 20000 },
      { year: 2024, tierFen: 30000 },
      { year: 2025, tierFen: 35000 },
      { year: 2010, tierFen: 30000 },
    ]);
    expect(q.ok).toBe(false);
    if (q.ok) return;
    expect(q.errors.map((e) => [e.index, e.code])).toEqual([
      [1, 'duplicate_year'],
      [2, 'year_not_payable'],
      [3, 'tier_not_allowed'],
      [4, 'year_not_listed'],
    ]);
    expect(q.errors[1]?.message).toContain('已按300元档缴费');
    expect(q.errors[2]?.message).toContain('350元');
    expect(q.errors[2]?.message).toContain('100元、200元');
    expect(quote(a, [])).toMatchObject({ ok: false, errors: [{ code: 'empty' }] });
  });
});

describe('payer input', () => {
  it('stores the ID number in its normalised form', () => {
    const p = PolicyPayer.parse({ idNumber: ' 11010519491231002x', birthDate: '1949-12-31', registrationDate: null, registrationStatus: 'active' });
    expect(p.idNumber).toBe('11010519491231002X');
    expect(p.paidYears).toEqual([]);
  });
});
