// Example tests for issue 17, one block per numbered finding and per rule made data. Expected
// amounts are worked out by hand from the tables (resources/policy) and written as numbers.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AmountOverflowError,
  MAX_TABLE_AMOUNT_FEN,
  PolicyTable,
  assessPayer,
  checkedAdd,
  quote,
  validatePolicyTable,
  type Assessment,
  type PolicyTable as PolicyTableT,
  type Quote,
  type YearAssessment,
} from '../../../shared/policy';
import { listPolicyFiles, parsePolicyJson, policyConflicts, readPolicyFile } from '../../../electron/services/policy';
import { loadTables, payer, policyDir, tableFiles, type TableName } from './helpers';
import { PolicyRegistry as Registry } from '../../../electron/services/policy/registry';

let tables: Record<TableName, PolicyTableT>;
beforeAll(async () => {
  tables = await loadTables();
});

const year = (a: Assessment, y: number): YearAssessment => {
  const found = a.years.find((x) => x.year === y);
  if (!found) throw new Error(`year ${y} not listed`);
  return found;
};
const paid = (years: number[], tierFen = 30000) => years.map((y) => ({ year: y, tierFen, channel: 'counter' as const }));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const ok = (q: Quote) => {
  if (!q.ok) throw new Error(q.errors.map((e) => `${e.code}: ${e.message}`).join('; '));
  return q;
};

describe('finding 1: 一次性补缴 counts years, not calendar years', () => {
  it('a 63-year-old six years short gets one lump-sum line of six years, not four calendar years', () => {
    // Born 1963-03-01: 60 in 2023; paid 2014–2022 (9 years); on 2026-06-15 aged 63.
    const a = assessPayer(payer('1963-03-01', { paidYears: paid(range(2014, 2022)) }), tables.demo, '2026-06-15');
    expect(a.years.filter((y) => y.payable).map((y) => y.year)).toEqual([2026, 2025, 2024, 2023]);
    expect(a.lumpSum).toMatchObject({ payable: true, maxYears: 6, subsidised: false });
    const q = ok(quote(a, [{ year: 2026, tierFen: 30000, lumpSum: true }]));
    expect(q.lines).toEqual([
      expect.objectContaining({
        kind: 'lump_sum',
        year: 2026,
        years: 6,
        tierFen: 30000,
        payerFen: 180000,
        subsidyFen: 0,
        governmentPaidFen: 0,
        accountFen: 180000,
      }),
    ]);
    expect(q.totals).toMatchObject({ years: 6, payerFen: 180000, subsidyFen: 0 });
  });

  it('a 61-year-old twelve years short may pay all twelve at once', () => {
    const a = assessPayer(payer('1965-01-10', { paidYears: paid([2014, 2015, 2016]) }), tables.demo, '2026-06-15');
    expect(a.lumpSum?.maxYears).toBe(12);
    const q = ok(quote(a, [{ year: 2026, tierFen: 20000, lumpSum: true }]));
    expect(q.totals).toMatchObject({ years: 12, payerFen: 240000 });
  });

  it('calendar years and the lump sum together never pass the minimum years', () => {
    const a = assessPayer(payer('1963-03-01', { paidYears: paid(range(2014, 2022)) }), tables.demo, '2026-06-15');
    // 2026 + 2025 as years, the lump sum fills the other 4.
    const q = ok(
      quote(a, [
        { year: 2026, tierFen: 10000 },
        { year: 2025, tierFen: 10000 },
        { year: 2026, tierFen: 10000, lumpSum: true },
      ]),
    );
    expect(q.lines.map((l) => [l.kind, l.years, l.payerFen])).toEqual([
      ['past_pension_age', 1, 10000],
      ['past_pension_age', 1, 10000],
      ['lump_sum', 4, 40000],
    ]);
    expect(q.totals).toMatchObject({ years: 6, payerFen: 60000 });
    const over = quote(a, [
      { year: 2026, tierFen: 10000 },
      { year: 2026, tierFen: 10000, lumpSum: true, years: 6 },
    ]);
    expect(over).toMatchObject({ ok: false, errors: [{ code: 'lump_sum_years' }] });
    if (!over.ok) expect(over.errors[0]?.message).toContain('最多5年');
  });

  it('Zibo (5-year window): someone reaching 60 with 5 years can reach 15 with the lump sum', () => {
    // Born 1964-03-01, paid 2014–2018; on 2024-06-15 aged 60. Window: 2019–2023 plus 2024 = 6 years.
    const a = assessPayer(payer('1964-03-01', { paidYears: paid(range(2014, 2018), 35000) }), tables.zibo, '2024-06-15');
    const calendar = a.years.filter((y) => y.payable).map((y) => y.year);
    expect(calendar).toEqual([2024, 2023, 2022, 2021, 2020, 2019]);
    expect(a.lumpSum).toMatchObject({ payable: true, maxYears: 10 });
    const q = ok(quote(a, [...calendar.map((y) => ({ year: y, tierFen: 35000 })), { year: 2024, tierFen: 35000, lumpSum: true }]));
    expect(q.totals.years).toBe(10);
    expect(a.yearsPaid + q.totals.years).toBe(15);
    // The lump sum is priced without subsidy; 2024 itself (the pension-age year) keeps its 40.
    expect(q.totals.payerFen).toBe(10 * 35000);
    expect(q.totals.subsidyFen).toBe(4000);
  });

  it('the window, the tiers and the subsidy of the lump sum are table data', () => {
    const p = payer('1963-03-01', { paidYears: paid(range(2014, 2022)) });
    const limited: PolicyTableT = { ...tables.demo, lumpSum: { ...tables.demo.lumpSum, tiersFen: [50000, 100000], subsidised: true } };
    const a = assessPayer(p, limited, '2026-06-15');
    expect(a.lumpSum?.tiers.map((t) => [t.tierFen, t.subsidyFen])).toEqual([
      [50000, 5000],
      [100000, 7500],
    ]);
    expect(quote(a, [{ year: 2026, tierFen: 30000, lumpSum: true }])).toMatchObject({ ok: false, errors: [{ code: 'tier_not_allowed' }] });
    expect(ok(quote(a, [{ year: 2026, tierFen: 50000, lumpSum: true, years: 2 }])).totals).toMatchObject({
      payerFen: 100000,
      subsidyFen: 10000,
      accountFen: 110000,
    });
    // untilAge 65: on the 65th birthday nothing more may be paid.
    const old = assessPayer(payer('1961-06-15', { paidYears: paid(range(2014, 2022)) }), tables.demo, '2026-06-15');
    expect(old.lumpSum).toMatchObject({ payable: false, reason: 'over_lump_sum_age' });
    const notAllowed = assessPayer(p, { ...tables.demo, lumpSum: { ...tables.demo.lumpSum, allowed: false } }, '2026-06-15');
    expect(notAllowed.lumpSum).toMatchObject({ payable: false, reason: 'lump_sum_not_allowed' });
    expect(quote(notAllowed, [{ year: 2026, tierFen: 30000, lumpSum: true }])).toMatchObject({ ok: false, errors: [{ code: 'lump_sum_not_payable' }] });
  });

  it('no lump sum before pension age, and none once the minimum is reached', () => {
    expect(assessPayer(payer('1970-03-01'), tables.demo, '2026-06-15').lumpSum).toBeNull();
    const full = assessPayer(
      payer('1963-03-01', { paidYears: paid(range(2011, 2025)) }),
      { ...tables.demo, backPayment: { ...tables.demo.backPayment, earliestYear: 2011, since: ['min_age'] } },
      '2026-06-15',
    );
    expect(full.lumpSum).toMatchObject({ payable: false, reason: 'minimum_years_reached', maxYears: 0 });
  });

  it('lump sums already paid count their years', () => {
    const p = payer('1963-03-01', { paidYears: paid(range(2014, 2022)), lumpSums: [{ paidOn: '2025-07-01', years: 4, tierFen: 20000 }] });
    const a = assessPayer(p, tables.demo, '2026-06-15');
    expect(a.yearsPaid).toBe(13);
    expect(a.lumpSum?.maxYears).toBe(2);
  });

  it('year-by-year after 60: subsidy or not is table data', () => {
    const p = payer('1963-03-01', { paidYears: paid(range(2014, 2022)) });
    const subsidised: PolicyTableT = { ...tables.demo, afterPensionAge: { yearByYear: true, subsidised: true } };
    expect(year(assessPayer(p, subsidised, '2026-06-15'), 2026).tiers[2]).toMatchObject({ tierFen: 30000, subsidyFen: 4000 });
    expect(year(assessPayer(p, tables.demo, '2026-06-15'), 2026).tiers[2]).toMatchObject({ tierFen: 30000, subsidyFen: 0 });
    // Back years after 60 follow the back-payment rule: no subsidy in the demo table.
    expect(year(assessPayer(p, subsidised, '2026-06-15'), 2025).tiers[2]?.subsidyFen).toBe(0);
  });
});

describe('finding 2: a 代缴-only year is a separate fact and takes a tier on top', () => {
  const dibao = [{ group: 'dibao' as const, from: '2020-01-01', to: null }];

  it('a year credited with 代缴 only counts, stays payable, and prices only the tier on top', () => {
    const p = payer('1990-03-07', { specialGroups: dibao, governmentCredits: [{ year: 2025, amountFen: 5000 }], paidYears: paid([2024]) });
    const a = assessPayer(p, tables.demo, '2026-06-15');
    expect(a.yearsPaid).toBe(2);
    const y = year(a, 2025);
    expect(y).toMatchObject({ payable: true, kind: 'back_payment', governmentCredit: { year: 2025, amountFen: 5000 } });
    // Back year: no subsidy; the 代缴 already credited is not priced again.
    expect(y.tiers.find((t) => t.tierFen === 30000)).toMatchObject({ payerFen: 30000, subsidyFen: 0, governmentPaidFen: 0, accountFen: 30000 });
    expect(year(a, 2024)).toMatchObject({ payable: false, reason: 'already_paid' });
  });

  it('the older form (paidYears tier 0) means the same, and the current year gets its subsidy', () => {
    const p = payer('1990-03-07', { specialGroups: dibao, paidYears: [{ year: 2026, tierFen: 0, channel: 'bank_counter' }] });
    const a = assessPayer(p, tables.demo, '2026-06-15');
    const y = year(a, 2026);
    expect(y.payable).toBe(true);
    expect(y.governmentCredit).toEqual({ year: 2026, amountFen: null });
    expect(y.tiers.find((t) => t.tierFen === 50000)).toMatchObject({ payerFen: 50000, subsidyFen: 5000, governmentPaidFen: 0 });
    const q = ok(quote(a, [{ year: 2026, tierFen: 50000 }]));
    // The tier on top adds no year: 2026 already counts.
    expect(a.yearsPaid).toBe(1);
    expect(q.totals).toMatchObject({ years: 1, payerFen: 50000, subsidyFen: 5000 });
  });

  it('at the 15-year cap a 代缴-only year still takes a tier on top', () => {
    const p = payer('1963-03-01', { paidYears: paid(range(2012, 2025)), governmentCredits: [{ year: 2026, amountFen: 5000 }] });
    const table = { ...tables.demo, backPayment: { ...tables.demo.backPayment, earliestYear: 2011, since: ['min_age' as const] } };
    const a = assessPayer(p, table, '2026-06-15');
    expect(a.yearsPaid).toBe(15);
    expect(year(a, 2026).payable).toBe(true);
    expect(year(a, 2011)).toMatchObject({ payable: false, reason: 'cap_reached' });
    expect(ok(quote(a, [{ year: 2026, tierFen: 20000 }])).totals.years).toBe(1);
  });
});

describe('finding 3: Guangxi 重度残疾 — the government pays the minimum tier in full', () => {
  it('nothing is due at the 200 tier; a higher tier costs only the difference', () => {
    const p = payer('1990-03-07', { specialGroups: [{ group: 'severe_disability', from: '2015-01-01', to: null }] });
    const a = assessPayer(p, tables.guangxi, '2019-06-15');
    const y = year(a, 2019);
    expect(y.governmentPaid).toMatchObject({ kind: 'minimum_tier_in_full', amountFen: 20000, tierCoveredFen: 20000 });
    expect(y.tiers[0]).toMatchObject({ tierFen: 20000, payerFen: 0, subsidyFen: 3500, governmentPaidFen: 20000, accountFen: 23500 });
    expect(y.tiers[1]).toMatchObject({ tierFen: 30000, payerFen: 10000, governmentPaidFen: 20000 });
    const q = ok(quote(a, [{ year: 2019, tierFen: 20000 }]));
    expect(q.totals).toMatchObject({ payerFen: 0, governmentPaidFen: 20000 });
    expect(q.totals.governmentPaidByLevel.reduce((s, x) => s + x.amountFen, 0)).toBe(20000);
  });

  it('every shipped table cites its source document', () => {
    for (const t of Object.values(tables)) expect(t.source.length).toBeGreaterThan(20);
    const { source: _ignored, ...noSource } = tables.demo;
    expect(validatePolicyTable(noSource).ok).toBe(false);
  });
});

describe('finding 4: safe data', () => {
  it('a tier above 1,000,000 yuan is refused; exactly 1,000,000 yuan passes', () => {
    const at = { ...tables.demo, tiers: [...tables.demo.tiers, { amountFen: MAX_TABLE_AMOUNT_FEN, subsidyFen: 20000 }] };
    expect(validatePolicyTable(at).ok).toBe(true);
    const over = { ...tables.demo, tiers: [...tables.demo.tiers, { amountFen: MAX_TABLE_AMOUNT_FEN + 1, subsidyFen: 20000 }] };
    const r = validatePolicyTable(over);
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toContain(`tiers[${tables.demo.tiers.length}].amountFen`);
    const hugeSubsidy = { ...tables.demo, tiers: [{ amountFen: 10000, subsidyFen: 2 ** 53 - 1 }] };
    expect(validatePolicyTable(hugeSubsidy).ok).toBe(false);
  });

  it('three years at the largest tier total exactly, and integer sums past 2^53 are refused', () => {
    const t = PolicyTable.parse({ ...tables.demo, specialGroups: [], tiers: [{ amountFen: MAX_TABLE_AMOUNT_FEN, subsidyFen: 0 }] });
    const a = assessPayer(payer('1990-03-07'), t, '2026-06-15');
    const q = ok(
      quote(
        a,
        [2026, 2025, 2024].map((y) => ({ year: y, tierFen: MAX_TABLE_AMOUNT_FEN })),
      ),
    );
    expect(q.totals.payerFen).toBe(300_000_000);
    expect(() => checkedAdd(Number.MAX_SAFE_INTEGER, 1)).toThrow(AmountOverflowError);
    expect(checkedAdd(Number.MAX_SAFE_INTEGER - 1, 1)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('a file over 1 MB is refused before it is parsed', async () => {
    const text = JSON.stringify(tables.demo).replace(/}$/, `${' '.repeat(1024 * 1024)}}`);
    expect(parsePolicyJson(text)).toMatchObject({ ok: false, issues: [{ path: '$', message: expect.stringContaining('1 MB') }] });
    const dir = await mkdtemp(join(tmpdir(), 'policy17-'));
    await writeFile(join(dir, 'big.json'), text);
    expect(await readPolicyFile(join(dir, 'big.json'))).toMatchObject({ ok: false });
  });

  it('a duplicate key is refused with its path, instead of the last one silently winning', async () => {
    const text = (await readFile(join(policyDir, tableFiles.demo), 'utf8')).replace('"amountFen": 10000,', '"amountFen": 10000, "amountFen": 1000000,');
    const r = parsePolicyJson(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues[0]?.path).toBe('tiers[0].amountFen');
      expect(r.issues[0]?.message).toContain('字段重复');
    }
  });
});

describe('finding 5: two tables for one region and year', () => {
  it('are a conflict for check, and the registry logs an error and uses neither', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'policy17-dup-'));
    const text = await readFile(join(policyDir, tableFiles.demo), 'utf8');
    await writeFile(join(dir, 'a.json'), text);
    await writeFile(join(dir, 'b.json'), text);
    await writeFile(join(dir, 'zibo.json'), await readFile(join(policyDir, tableFiles.zibo), 'utf8'));
    const conflicts = policyConflicts(await listPolicyFiles(dir));
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ regionCode: 'demo', year: 2026 });
    const logged: { level: string; msg: string }[] = [];
    const log = {
      error: (_o: unknown, msg: string) => logged.push({ level: 'error', msg }),
      info: (_o: unknown, msg: string) => logged.push({ level: 'info', msg }),
    };
    const reg = await Registry.load(log as never, dir);
    expect(logged.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual(['two policy tables for one region and year: neither is used']);
    expect(reg.table('demo', 2026)).toBeUndefined();
    expect(reg.conflict('demo', 2026)?.files).toHaveLength(2);
    expect(reg.table('zibo', 2024)?.region.code).toBe('zibo');
  });

  it('a mid-year change is a second table with a later effectiveFrom: the payment date decides', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'policy17-mid-'));
    const base = JSON.parse(await readFile(join(policyDir, tableFiles.demo), 'utf8')) as Record<string, unknown> & {
      tiers: { amountFen: number; subsidyFen: number }[];
    };
    const changed = { ...base, effectiveFrom: '2026-07-01', tiers: base.tiers.map((t) => ({ ...t, subsidyFen: t.subsidyFen + 1000 })) };
    await writeFile(join(dir, 'demo-2026.json'), JSON.stringify(base));
    await writeFile(join(dir, 'demo-2026-07.json'), JSON.stringify(changed));
    expect(policyConflicts(await listPolicyFiles(dir))).toEqual([]);
    const log = { error: () => {}, info: () => {} };
    const reg = await Registry.load(log as never, dir);
    const before = reg.table('demo', 2026, '2026-06-30')!;
    const after = reg.table('demo', 2026, '2026-07-01')!;
    const p = payer('1990-03-07');
    expect(year(assessPayer(p, before, '2026-06-30'), 2026).tiers[2]?.subsidyFen).toBe(4000);
    expect(year(assessPayer(p, after, '2026-07-01'), 2026).tiers[2]?.subsidyFen).toBe(5000);
    // A table is never applied before its first day.
    expect(() => assessPayer(p, after, '2026-06-30')).toThrow('2026-07-01');
  });
});

describe('back-payment windows and tier tables as data', () => {
  it('since registration: years before the registration year are not offered', () => {
    const p = payer('1990-03-07', { registrationDate: '2019-05-01' });
    const t: PolicyTableT = { ...tables.demo, backPayment: { ...tables.demo.backPayment, since: ['registration', 'min_age'] } };
    expect(assessPayer(p, t, '2026-06-15').years.at(-1)?.year).toBe(2019);
    expect(assessPayer(p, tables.demo, '2026-06-15').years.at(-1)?.year).toBe(2014);
  });

  it('from age 16 and scheme start: the later bound wins', () => {
    const p = payer('2000-03-07');
    expect(assessPayer(p, tables.demo, '2026-06-15').years.at(-1)?.year).toBe(2016);
    const early: PolicyTableT = {
      ...tables.demo,
      backPayment: { ...tables.demo.backPayment, earliestYear: 2000, since: ['scheme_start'] },
      years: { ...tables.demo.years, schemeStartYear: 2010 },
    };
    expect(assessPayer(p, early, '2026-06-15').years.at(-1)?.year).toBe(2010);
  });
});

describe('special groups: priority, cumulative, dates; subsidy split by level', () => {
  const both = [
    { group: 'dibao' as const, from: '2020-01-01', to: null },
    { group: 'severe_disability' as const, from: '2020-01-01', to: null },
  ];

  it('priority: the table says which benefit wins, not the file order', () => {
    const a = assessPayer(payer('1990-03-07', { specialGroups: both }), tables.demo, '2026-06-15');
    expect(year(a, 2026).governmentPaid).toMatchObject({ group: 'severe_disability', groups: ['severe_disability'], amountFen: 10000 });
    const dibaoFirst: PolicyTableT = {
      ...tables.demo,
      specialGroups: tables.demo.specialGroups.map((g) =>
        g.group === 'dibao' ? { ...g, priority: 0 + 1 } : g.group === 'severe_disability' ? { ...g, priority: 99 } : g,
      ),
    };
    expect(year(assessPayer(payer('1990-03-07', { specialGroups: both }), dibaoFirst, '2026-06-15'), 2026).governmentPaid).toMatchObject({
      group: 'dibao',
      amountFen: 5000,
    });
  });

  it('cumulative: the minimum tier in full and the fixed 代缴 on top', () => {
    const t: PolicyTableT = { ...tables.demo, specialGroupPolicy: { combine: 'cumulative', dates: 'any_day_in_year' } };
    const y = year(assessPayer(payer('1990-03-07', { specialGroups: both }), t, '2026-06-15'), 2026);
    expect(y.governmentPaid).toMatchObject({ kind: 'minimum_tier_in_full', groups: ['severe_disability', 'dibao'], amountFen: 15000, tierCoveredFen: 10000 });
    expect(y.tiers[0]).toMatchObject({ tierFen: 10000, payerFen: 0, governmentPaidFen: 15000 });
    expect(y.governmentPaid?.split).toEqual([
      { level: 'province', amountFen: 7500 },
      { level: 'county', amountFen: 7500 },
    ]);
  });

  it('dates: a group that ended in March counts for the year, or not, as the table says', () => {
    const groups = [{ group: 'dibao' as const, from: '2020-01-01', to: '2026-03-31' }];
    expect(year(assessPayer(payer('1990-03-07', { specialGroups: groups }), tables.demo, '2026-06-15'), 2026).governmentPaid?.amountFen).toBe(5000);
    const onDate: PolicyTableT = { ...tables.demo, specialGroupPolicy: { combine: 'priority', dates: 'on_payment_date' } };
    expect(year(assessPayer(payer('1990-03-07', { specialGroups: groups }), onDate, '2026-06-15'), 2026).governmentPaid).toBeNull();
    expect(year(assessPayer(payer('1990-03-07', { specialGroups: groups }), onDate, '2026-03-31'), 2026).governmentPaid?.amountFen).toBe(5000);
  });

  it('the subsidy split is recorded per line and summed by level', () => {
    const a = assessPayer(payer('1990-03-07'), tables.zibo, '2024-06-15');
    // Zibo 800 tier: subsidy 80 yuan, split province 50 % / city 25 % / county 25 %.
    const q = ok(quote(a, [{ year: 2024, tierFen: 80000 }]));
    expect(q.lines[0]?.subsidySplit).toEqual([
      { level: 'province', amountFen: 4000 },
      { level: 'city', amountFen: 2000 },
      { level: 'county', amountFen: 2000 },
    ]);
    // Percentages that do not divide evenly: the first level takes the rounding, the sum is exact.
    // A subsidy of 40.01 yuan at 33/33/34 %: 1320.33, 1320.33, 1360.34 → 1321, 1320, 1360.
    const odd: PolicyTableT = {
      ...tables.zibo,
      specialGroups: [],
      tiers: [{ amountFen: 35000, subsidyFen: 4001 }],
      subsidySplit: [
        { level: 'province', percent: 33 },
        { level: 'city', percent: 33 },
        { level: 'county', percent: 34 },
      ],
    };
    const oq = ok(quote(assessPayer(payer('1990-03-07'), odd, '2024-06-15'), [{ year: 2024, tierFen: 35000 }]));
    expect(oq.totals.subsidyByLevel).toEqual([
      { level: 'province', amountFen: 1321 },
      { level: 'city', amountFen: 1320 },
      { level: 'county', amountFen: 1360 },
    ]);
    expect(oq.totals.subsidyByLevel.reduce((s, x) => s + x.amountFen, 0)).toBe(oq.totals.subsidyFen);
  });

  it('a subsidy split that does not add up is refused', () => {
    const bad = {
      ...tables.demo,
      subsidySplit: [
        { level: 'province', percent: 60 },
        { level: 'county', percent: 30 },
      ],
    };
    expect(validatePolicyTable(bad)).toMatchObject({ ok: false, issues: [{ path: 'subsidySplit' }] });
    const badTier = { ...tables.demo, tiers: [{ amountFen: 10000, subsidyFen: 3000, subsidySplit: [{ level: 'county', amountFen: 2000 }] }] };
    expect(validatePolicyTable(badTier)).toMatchObject({ ok: false, issues: [{ path: 'tiers[0].subsidySplit' }] });
    const samePriority = { ...tables.demo, specialGroups: tables.demo.specialGroups.map((g) => ({ ...g, priority: 1 })) };
    expect(validatePolicyTable(samePriority).ok).toBe(false);
  });
});
