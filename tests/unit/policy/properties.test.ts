import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { specialGroupCodes } from '../../../shared/domain/payer';
import { Assessment, PolicyPayer, Quote, addDays, assessPayer, quote, type PolicyTable } from '../../../shared/policy';
import { idFor, loadTables, type TableName } from './helpers';

let tables: Record<TableName, PolicyTable>;
beforeAll(async () => {
  tables = await loadTables();
});

const pad = (n: number) => String(n).padStart(2, '0');
const dateIn = (yearMin: number, yearMax: number) =>
  fc
    .tuple(fc.integer({ min: yearMin, max: yearMax }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
    .map(([y, m, d]) => `${y}-${pad(m)}-${pad(d)}`);

/** A table and a hall date in its year, with a payer of any age, status, groups and history. */
const scenario = fc.constantFrom<TableName>('demo', 'xiangyin', 'guangxi', 'zibo').chain((name) => {
  const year = { demo: 2026, xiangyin: 2023, guangxi: 2019, zibo: 2024 }[name];
  return fc.record({
    name: fc.constant(name),
    date: dateIn(year, year),
    birthDate: dateIn(year - 70, year - 12),
    registrationDate: fc.option(dateIn(year - 12, year), { nil: null, freq: 8 }),
    registrationStatus: fc.constantFrom('active', 'active', 'active', 'suspended', 'receiving', 'terminated'),
    specialGroups: fc.uniqueArray(
      fc
        .record({
          group: fc.constantFrom(...specialGroupCodes),
          from: dateIn(year - 10, year),
          days: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: null }),
        })
        .map(({ group, from, days }) => ({ group, from, to: days === null ? null : addDays(from, days) })),
      { maxLength: 2, selector: (g) => g.group },
    ),
    paidYears: fc.uniqueArray(fc.integer({ min: year - 20, max: year }), { maxLength: 16 }),
    employeesSchemeYears: fc.uniqueArray(fc.integer({ min: year - 12, max: year }), { maxLength: 2 }),
    pick: fc.array(fc.nat(), { minLength: 1, maxLength: 20 }),
  });
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function run(s: Scenario) {
  const table = tables[s.name];
  const payer = PolicyPayer.parse({
    idNumber: idFor(s.birthDate),
    birthDate: s.birthDate,
    registrationDate: s.registrationDate,
    registrationStatus: s.registrationStatus,
    specialGroups: s.specialGroups,
    paidYears: s.paidYears.map((year) => ({ year, tierFen: table.tiers[0]!.amountFen, channel: 'counter' })),
    employeesSchemeYears: s.employeesSchemeYears,
  });
  const assessment = assessPayer(payer, table, s.date);
  // A quote choosing some payable years (each picked number selects a year, then a tier).
  const payable = assessment.years.filter((y) => y.payable);
  const lines = s.pick
    .map((n, i) => payable[(n + i) % Math.max(1, payable.length)])
    .filter((y, i, all) => y !== undefined && all.indexOf(y) === i)
    .map((y, i) => ({ year: y!.year, tierFen: y!.tiers[(s.pick[i] ?? 0) % y!.tiers.length]!.tierFen }));
  return { table, assessment, lines, quoted: quote(assessment, lines) };
}

describe('engine invariants over the four regional tables', () => {
  it('a quote total is the sum of its lines', () => {
    let accepted = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        const { quoted, lines } = run(s);
        if (!quoted.ok) return;
        accepted++;
        expect(quoted.lines).toHaveLength(lines.length);
        const sum = (k: 'payerFen' | 'subsidyFen' | 'governmentPaidFen' | 'accountFen') => quoted.lines.reduce((a, l) => a + l[k], 0);
        expect(quoted.totals.payerFen).toBe(sum('payerFen'));
        expect(quoted.totals.subsidyFen).toBe(sum('subsidyFen'));
        expect(quoted.totals.governmentPaidFen).toBe(sum('governmentPaidFen'));
        expect(quoted.totals.accountFen).toBe(sum('accountFen'));
        expect(quoted.totals.governmentPaidByLevel.reduce((a, x) => a + x.amountFen, 0)).toBe(quoted.totals.governmentPaidFen);
      }),
      { numRuns: 1500 },
    );
    // Guards the generator: the property means little if hardly any quote is accepted.
    expect(accepted).toBeGreaterThan(300);
  });

  it('subsidy and 代缴 are never charged to the payer, and every amount is whole fen', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { assessment } = run(s);
        for (const y of assessment.years) {
          for (const t of y.tiers) {
            const towardTier = y.governmentPaid?.kind === 'minimum_tier_in_full' ? t.governmentPaidFen : 0;
            expect(t.payerFen).toBe(t.tierFen - towardTier);
            expect(t.accountFen).toBe(t.payerFen + t.subsidyFen + t.governmentPaidFen);
            for (const v of [t.payerFen, t.subsidyFen, t.governmentPaidFen]) expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
          }
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('a back-paid or after-pension-age year is never subsidised where the table says so', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { table, assessment } = run(s);
        for (const y of assessment.years) {
          const noSubsidy =
            (y.kind === 'back_payment' && assessment.pensionAgeYear >= Number(s.date.slice(0, 4)) && !table.backPayment.subsidised) ||
            (assessment.pensionAgeYear < Number(s.date.slice(0, 4)) && !table.lumpSum.subsidised);
          if (noSubsidy) expect(y.tiers.every((t) => t.subsidyFen === 0)).toBe(true);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('no accepted quote takes the payer past the year cap', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { assessment, quoted } = run(s);
        if (quoted.ok && assessment.capYears !== null) {
          expect(assessment.yearsPaid + quoted.lines.length).toBeLessThanOrEqual(assessment.capYears);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('every year is either payable with tiers or refused with a reason and a sentence', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { assessment, quoted } = run(s);
        // The API contract reuses these schemas: the engine's answer must satisfy them.
        expect(Assessment.safeParse(assessment).error).toBeUndefined();
        expect(Quote.safeParse(quoted).error).toBeUndefined();
        const year = Number(s.date.slice(0, 4));
        expect(assessment.years[0]?.year).toBe(year);
        for (const y of assessment.years) {
          expect(y.year).toBeLessThanOrEqual(year);
          if (y.payable) expect(y.tiers.length).toBeGreaterThan(0);
          else expect(y.reason !== null && (y.message ?? '').length > 0 && y.tiers.length === 0).toBe(true);
          if (s.paidYears.includes(y.year)) expect(y.reason).toBe('already_paid');
        }
      }),
      { numRuns: 1500 },
    );
  });
});
