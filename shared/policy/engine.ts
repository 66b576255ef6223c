// The policy engine: what a payer may pay for which years, at which tiers, and what each tier
// costs the payer and credits from public money. Pure: the hall's date comes in as a string and
// every rule number comes from the table.
//
// Decisions where the sources are silent (each is a rule a table can't yet override):
// - Years offered run from the later of the table's earliest year and the year the payer reaches
//   the minimum age, up to the current year. Future years are never offered.
// - A special group counts for a year if its validity overlaps that year up to the hall's date,
//   so a group that starts next month does not count yet and one that ended in March still
//   counts for the current year's reserved tiers (the 认定 was valid during the year).
// - A payer in several groups gets one benefit, the largest (就高不就低, not cumulative); ties go
//   to the group listed first in the table.
// - A fixed 代缴 is credited on top of the tier the payer chooses; the payer may also choose no
//   tier at all, which is not a counter payment and so is not offered as a tier. The year still
//   carries `governmentPaid` so the screen can say what the government pays.
// - A payer past the pension-age year pays under the lump-sum rule for every year (the current
//   one included): no back-payment window applies, the subsidy follows lumpSum.subsidised, and
//   the total may reach the minimum years and no more.
// - The registration wait applies to every year, not only the current one: the registration is
//   what has to settle, whatever year is paid.
import { addDays, ageOn, dateOfAge, yearOf } from './dates';
import { reasonMessage, formatYuan, type ReasonContext } from './reasons';
import type {
  Assessment,
  GovernmentLevel,
  GovernmentPaid,
  PayerWarning,
  PolicyPayer,
  PolicyTable,
  PolicyTier,
  Quote,
  QuoteError,
  QuoteLine,
  QuoteLineRequest,
  ReasonCode,
  SpecialGroupRule,
  SplitShare,
  TierOption,
  YearAssessment,
  YearKind,
} from './schema';
import { GovernmentLevel as GovernmentLevelSchema } from './schema';
import { specialGroupLabels, type SpecialGroupCode } from '../domain/payer';

export interface AssessOptions {
  /**
   * The table of an earlier year, for regions whose back-payments use that year's tiers
   * (backPayment.tierYear = 'year_paid'). Without it such years are not payable.
   */
  tableForYear?: (year: number) => PolicyTable | undefined;
}

export class PolicyDateMismatchError extends Error {
  constructor(tableYear: number, date: string) {
    super(`${tableYear}年度的政策表不能用于 ${date} 的缴费，请使用${yearOf(date)}年度的政策表`);
    this.name = 'PolicyDateMismatchError';
  }
}

function groupsActiveIn(payer: PolicyPayer, year: number, date: string): Set<SpecialGroupCode> {
  const start = `${year}-01-01`;
  const yearEnd = `${year}-12-31`;
  const end = yearEnd < date ? yearEnd : date;
  const active = new Set<SpecialGroupCode>();
  for (const g of payer.specialGroups) {
    if (g.from <= end && (g.to === null || g.to >= start)) active.add(g.group);
  }
  return active;
}

function benefitAmount(rule: SpecialGroupRule): number {
  return rule.benefit.kind === 'fixed_amount' ? rule.benefit.amountFen : rule.benefit.tierFen;
}

function bestBenefit(table: PolicyTable, active: Set<SpecialGroupCode>): GovernmentPaid | null {
  let best: SpecialGroupRule | undefined;
  for (const rule of table.specialGroups) {
    if (!active.has(rule.group)) continue;
    if (best === undefined || benefitAmount(rule) > benefitAmount(best)) best = rule;
  }
  if (best === undefined) return null;
  return {
    group: best.group,
    kind: best.benefit.kind,
    amountFen: benefitAmount(best),
    split: best.benefit.split.map((s) => ({ ...s })),
  };
}

function tierOptions(tiers: readonly PolicyTier[], active: Set<SpecialGroupCode>, subsidised: boolean, benefit: GovernmentPaid | null): TierOption[] {
  const out: TierOption[] = [];
  for (const tier of tiers) {
    if (tier.reservedFor !== undefined && !tier.reservedFor.some((g) => active.has(g))) continue;
    // The government already pays this tier in full: lower tiers would only cost the payer more.
    if (benefit?.kind === 'minimum_tier_in_full' && tier.amountFen < benefit.amountFen) continue;
    const governmentPaidFen = benefit?.amountFen ?? 0;
    const payerFen = benefit?.kind === 'minimum_tier_in_full' ? tier.amountFen - governmentPaidFen : tier.amountFen;
    const subsidyFen = subsidised ? tier.subsidyFen : 0;
    out.push({
      tierFen: tier.amountFen,
      payerFen,
      subsidyFen,
      governmentPaidFen,
      governmentPaidSplit: benefit?.split.map((s) => ({ ...s })) ?? [],
      accountFen: payerFen + subsidyFen + governmentPaidFen,
      reserved: tier.reservedFor !== undefined,
    });
  }
  return out;
}

/** Everything the counter needs to know about a payer's years on `date` (the hall's date). */
export function assessPayer(payer: PolicyPayer, table: PolicyTable, date: string, options: AssessOptions = {}): Assessment {
  const currentYear = yearOf(date);
  if (table.year !== currentYear) throw new PolicyDateMismatchError(table.year, date);

  const birthYear = yearOf(payer.birthDate);
  const age = ageOn(payer.birthDate, date);
  const pensionYear = birthYear + table.ages.pension;
  const minAgeYear = birthYear + table.ages.min;
  const pastPensionAge = currentYear > pensionYear;
  const paid = new Map(payer.paidYears.map((p) => [p.year, p]));
  const yearsPaid = paid.size;
  const employeeYears = new Set(payer.employeesSchemeYears);
  const nearRetirementAtStart = pensionYear - table.years.schemeStartYear < table.years.capYears;
  const capYears = pastPensionAge ? table.years.minimumYears : nearRetirementAtStart ? table.years.capYears : null;
  const waitEnds = payer.registrationDate === null ? null : addDays(payer.registrationDate, table.registrationWaitDays);

  const firstYear = Math.min(currentYear, Math.max(table.backPayment.earliestYear, minAgeYear));
  const years: YearAssessment[] = [];
  for (let year = currentYear; year >= firstYear; year--) {
    const kind: YearKind = year > pensionYear ? 'past_pension_age' : year === currentYear ? 'current' : 'back_payment';
    const subsidised = pastPensionAge ? table.lumpSum.subsidised : year === currentYear || table.backPayment.subsidised;
    const ctx: ReasonContext = { year };
    const blocked = (reason: ReasonCode, extra: Partial<ReasonContext> = {}): YearAssessment => ({
      year,
      kind,
      payable: false,
      reason,
      message: reasonMessage(reason, { ...ctx, ...extra }),
      subsidised,
      governmentPaid: null,
      paid: paid.get(year) ?? null,
      tiers: [],
    });
    years.push(
      ((): YearAssessment => {
        const paidYear = paid.get(year);
        if (paidYear !== undefined) return blocked('already_paid', { paidTierFen: paidYear.tierFen });
        if (payer.registrationDate === null) return blocked('not_registered');
        if (payer.registrationStatus === 'terminated') return blocked('registration_terminated');
        if (payer.registrationStatus === 'receiving') return blocked('receiving_pension');
        if (payer.registrationStatus === 'suspended') return blocked('registration_suspended');
        if (employeeYears.has(year)) return blocked('in_employees_scheme');
        if (waitEnds !== null && date < waitEnds) return blocked('registration_wait', { waitEnds });
        if (age < table.ages.min) {
          return blocked('too_young', { minAge: table.ages.min, reachesMinAge: dateOfAge(payer.birthDate, table.ages.min) });
        }
        if (pastPensionAge) {
          if (!table.lumpSum.allowed) return blocked('past_pension_age', { pensionAge: table.ages.pension });
          if (age >= table.lumpSum.untilAge) return blocked('over_lump_sum_age', { untilAge: table.lumpSum.untilAge });
        } else if (year < currentYear) {
          if (!table.backPayment.allowed) return blocked('back_payment_not_allowed');
          const maxBack = table.backPayment.maxYearsBack;
          if (maxBack !== null && currentYear - year > maxBack) return blocked('beyond_back_payment_window', { maxYearsBack: maxBack });
        }
        if (capYears !== null && yearsPaid >= capYears) {
          return blocked('cap_reached', { capYears, pensionAge: table.ages.pension });
        }
        const tierTable = year === currentYear || table.backPayment.tierYear === 'current' ? table : options.tableForYear?.(year);
        if (tierTable === undefined || tierTable.region.code !== table.region.code) return blocked('no_policy_for_year');
        const active = groupsActiveIn(payer, year, date);
        const benefit = year === currentYear || table.backPayment.governmentPaid ? bestBenefit(tierTable, active) : null;
        const tiers = tierOptions(tierTable.tiers, active, subsidised, benefit);
        if (tiers.length === 0) return blocked('no_tier_available');
        return { year, kind, payable: true, reason: null, message: null, subsidised, governmentPaid: benefit, paid: null, tiers };
      })(),
    );
  }

  return {
    date,
    regionCode: table.region.code,
    policyYear: table.year,
    ageOnDate: age,
    pensionAgeYear: pensionYear,
    yearsPaid,
    capYears,
    warnings: payerWarnings(payer, table, date, { age, pensionYear, yearsPaid, capYears, waitEnds, years }),
    years,
  };
}

interface WarningFacts {
  age: number;
  pensionYear: number;
  yearsPaid: number;
  capYears: number | null;
  waitEnds: string | null;
  years: YearAssessment[];
}

function payerWarnings(payer: PolicyPayer, table: PolicyTable, date: string, f: WarningFacts): PayerWarning[] {
  const warnings: PayerWarning[] = [];
  const currentYear = yearOf(date);
  const pensionAge = table.ages.pension;
  const registered = payer.registrationDate !== null && payer.registrationStatus === 'active';
  if (f.pensionYear === currentYear) {
    warnings.push({
      code: 'turns_pension_age_this_year',
      message: `本年度年满${pensionAge}周岁（${dateOfAge(payer.birthDate, pensionAge)}），${currentYear}年度是最后一个按年缴费的年度`,
    });
  }
  if (registered && f.waitEnds !== null && date < f.waitEnds) {
    warnings.push({
      code: 'registration_wait_ends',
      message: `参保登记日期为${payer.registrationDate ?? ''}，须登记${table.registrationWaitDays}日后缴费，${f.waitEnds}起可缴费`,
    });
  }
  const shortfall = table.years.minimumYears - f.yearsPaid;
  if (registered && shortfall > 0 && f.age >= pensionAge - table.years.minimumYears) {
    // Years still payable one by one: this one (if open) and each later year up to pension age.
    const currentOpen = f.years.some((y) => y.year === currentYear && y.payable);
    const needBack = shortfall > Math.max(0, f.pensionYear - currentYear) + (currentOpen ? 1 : 0);
    warnings.push({
      code: 'years_to_minimum',
      message:
        `已累计缴费${f.yearsPaid}年，距最低缴费年限${table.years.minimumYears}年还差${shortfall}年` +
        (needBack ? '，按年缴费到龄也无法补足，需补缴以前年度' : ''),
    });
  }
  if (registered && f.capYears !== null && f.yearsPaid < f.capYears) {
    warnings.push({
      code: 'cap_applies',
      message: `累计缴费年限最多${f.capYears}年，还可缴费${f.capYears - f.yearsPaid}年`,
    });
  }
  const c = table.collection;
  if (date < c.from || date > c.to) {
    warnings.push({ code: 'outside_collection_period', message: `当前不在集中征缴期（${c.from}至${c.to}），按零星缴费办理` });
  }
  for (const g of payer.specialGroups) {
    if (g.to !== null && g.from <= date && g.to >= date && yearOf(g.to) === currentYear) {
      warnings.push({ code: 'special_group_ends', message: `${specialGroupLabels[g.group]}认定有效期至${g.to}` });
    }
  }
  return warnings;
}

const LEVEL_ORDER = GovernmentLevelSchema.options;

/**
 * Prices a chosen set of (year, tier) lines against an assessment. Any invalid line makes the
 * whole quote invalid: the counter must never collect a partial or guessed amount.
 */
export function quote(assessment: Assessment, requests: readonly QuoteLineRequest[]): Quote {
  const errors: QuoteError[] = [];
  if (requests.length === 0) errors.push({ index: null, code: 'empty', message: '请至少选择一个缴费年度' });
  const byYear = new Map(assessment.years.map((y) => [y.year, y]));
  const seen = new Set<number>();
  const lines: QuoteLine[] = [];
  requests.forEach((req, index) => {
    if (seen.has(req.year)) {
      errors.push({ index, code: 'duplicate_year', message: `${req.year}年度重复选择，每人每年只能缴费一次` });
      return;
    }
    seen.add(req.year);
    const year = byYear.get(req.year);
    if (year === undefined) {
      errors.push({ index, code: 'year_not_listed', message: `${req.year}年度不在可缴费年度范围内` });
      return;
    }
    if (!year.payable) {
      errors.push({ index, code: 'year_not_payable', message: year.message ?? `${req.year}年度不能缴费` });
      return;
    }
    const tier = year.tiers.find((t) => t.tierFen === req.tierFen);
    if (tier === undefined) {
      const allowed = year.tiers.map((t) => formatYuan(t.tierFen)).join('、');
      errors.push({
        index,
        code: 'tier_not_allowed',
        message: `${req.year}年度不能选择${formatYuan(req.tierFen)}档，可选档次：${allowed}`,
      });
      return;
    }
    lines.push({ ...tier, governmentPaidSplit: tier.governmentPaidSplit.map((s) => ({ ...s })), year: year.year, kind: year.kind });
  });
  const cap = assessment.capYears;
  if (cap !== null && assessment.yearsPaid + seen.size > cap) {
    errors.push({
      index: null,
      code: 'cap_exceeded',
      message: `已缴费${assessment.yearsPaid}年，累计缴费最多${cap}年，本次最多可选${Math.max(0, cap - assessment.yearsPaid)}个年度`,
    });
  }
  if (errors.length > 0) return { ok: false, errors };

  const byLevel = new Map<GovernmentLevel, number>();
  let payerFen = 0;
  let subsidyFen = 0;
  let governmentPaidFen = 0;
  for (const line of lines) {
    payerFen += line.payerFen;
    subsidyFen += line.subsidyFen;
    governmentPaidFen += line.governmentPaidFen;
    for (const s of line.governmentPaidSplit) byLevel.set(s.level, (byLevel.get(s.level) ?? 0) + s.amountFen);
  }
  const governmentPaidByLevel: SplitShare[] = LEVEL_ORDER.filter((l) => byLevel.has(l)).map((level) => ({
    level,
    amountFen: byLevel.get(level) ?? 0,
  }));
  return {
    ok: true,
    lines,
    totals: {
      years: lines.length,
      payerFen,
      subsidyFen,
      governmentPaidFen,
      accountFen: payerFen + subsidyFen + governmentPaidFen,
      governmentPaidByLevel,
    },
  };
}

/** Where the hall's date falls in the collection period, for the progress display. */
export function collectionStatus(table: PolicyTable, date: string): { inPeriod: boolean; nextTarget: { by: string; percent: number } | null } {
  const c = table.collection;
  const next = c.targets.find((t) => t.by >= date) ?? null;
  return { inPeriod: date >= c.from && date <= c.to, nextTarget: next === null ? null : { ...next } };
}
