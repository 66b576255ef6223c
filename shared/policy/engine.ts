// The policy engine: what a payer may pay for which years, at which tiers, and what each tier
// costs the payer and credits from public money. Pure: the hall's date comes in as a string and
// every rule number comes from the table.
//
// Decisions where the sources are silent:
// - Years offered run from the latest of the table's earliest year and the bounds the table lists
//   in backPayment.since (registration year, scheme start, reaching the minimum age), up to the
//   current year. Future years are never offered.
// - Special groups: the table says when a group counts for a year (specialGroupPolicy.dates) and
//   whether several groups' benefits add up or the first by priority wins (combine).
// - A fixed 代缴 is credited on top of the tier the payer chooses; the payer may also choose no
//   tier at all, which is not a counter payment and so is not offered as a tier. The year still
//   carries `governmentPaid` so the screen can say what the government pays.
// - A year whose only credit is the government's 代缴 counts as a year of contribution and stays
//   payable: the payer may put a tier on top (with that tier's subsidy, per the table). The
//   credited 代缴 is not priced again on that line.
// - Once the payer has reached pension age with fewer than the minimum years, the shortfall may be
//   paid at once (一次性补缴, counted in years) when the table allows it; calendar years still open
//   under the back-payment rules and years after the pension-age year (year by year, per
//   afterPensionAge) stay payable too, and the total may reach the minimum years and no more.
// - The registration wait applies to every year, not only the current one: the registration is
//   what has to settle, whatever year is paid.
// - Money is added with checkedAdd: a total that is not an exact integer is an error, never a
//   rounded number.
import { addDays, ageOn, dateOfAge, yearOf } from './dates';
import { reasonMessage, formatYuan, type ReasonContext } from './reasons';
import type {
  Assessment,
  GovernmentCredit,
  GovernmentLevel,
  GovernmentPaid,
  LumpSumOffer,
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
// Runtime imports only from zod-free modules: the renderer quotes with this engine.
import { governmentLevels } from '../vocab';
import { specialGroupLabels, type SpecialGroupCode } from '../domain/payer-codes';

export interface AssessOptions {
  /**
   * The table of an earlier year, for regions whose back-payments use that year's tiers
   * (backPayment.tierYear = 'year_paid'). Without it such years are not payable.
   */
  tableForYear?: (year: number) => PolicyTable | undefined;
}

export class PolicyDateMismatchError extends Error {
  constructor(tableYear: number, date: string, effectiveFrom?: string) {
    super(
      effectiveFrom !== undefined && yearOf(date) === tableYear
        ? `${tableYear}年度的政策表自 ${effectiveFrom} 起施行，不能用于 ${date} 的缴费`
        : `${tableYear}年度的政策表不能用于 ${date} 的缴费，请使用${yearOf(date)}年度的政策表`,
    );
    this.name = 'PolicyDateMismatchError';
  }
}

/** A sum of integer fen that must stay exact; throws rather than round. */
export class AmountOverflowError extends RangeError {
  constructor() {
    super('金额合计超出可精确计算的范围');
    this.name = 'AmountOverflowError';
  }
}

export function checkedAdd(a: number, b: number): number {
  const r = a + b;
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(r)) throw new AmountOverflowError();
  return r;
}

export function checkedMul(a: number, n: number): number {
  const r = a * n;
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(n) || !Number.isSafeInteger(r)) throw new AmountOverflowError();
  return r;
}

const LEVEL_ORDER = governmentLevels;

/** Sums shares by level, in the fixed order central → township. */
export function sumByLevel(shares: readonly SplitShare[]): SplitShare[] {
  const byLevel = new Map<GovernmentLevel, number>();
  for (const s of shares) byLevel.set(s.level, checkedAdd(byLevel.get(s.level) ?? 0, s.amountFen));
  return LEVEL_ORDER.filter((l) => byLevel.has(l)).map((level) => ({ level, amountFen: byLevel.get(level) ?? 0 }));
}

function groupsActiveIn(payer: PolicyPayer, table: PolicyTable, year: number, date: string): Set<SpecialGroupCode> {
  const active = new Set<SpecialGroupCode>();
  if (table.specialGroupPolicy.dates === 'on_payment_date') {
    const day = year === yearOf(date) ? date : `${year}-12-31`;
    for (const g of payer.specialGroups) if (g.from <= day && (g.to === null || g.to >= day)) active.add(g.group);
    return active;
  }
  const start = `${year}-01-01`;
  const yearEnd = `${year}-12-31`;
  const end = yearEnd < date ? yearEnd : date;
  for (const g of payer.specialGroups) {
    if (g.from <= end && (g.to === null || g.to >= start)) active.add(g.group);
  }
  return active;
}

function benefitFor(table: PolicyTable, active: Set<SpecialGroupCode>): GovernmentPaid | null {
  const rules = table.specialGroups.filter((r) => active.has(r.group)).sort((a, b) => a.priority - b.priority);
  const first = rules[0];
  if (first === undefined) return null;
  const applied: SpecialGroupRule[] =
    table.specialGroupPolicy.combine === 'priority'
      ? [first]
      : [...rules.filter((r) => r.benefit.kind === 'minimum_tier_in_full').slice(0, 1), ...rules.filter((r) => r.benefit.kind === 'fixed_amount')].sort(
          (a, b) => a.priority - b.priority,
        );
  const minTier = applied.find((r) => r.benefit.kind === 'minimum_tier_in_full');
  const tierCoveredFen = minTier?.benefit.kind === 'minimum_tier_in_full' ? minTier.benefit.tierFen : 0;
  let amountFen = 0;
  for (const r of applied) amountFen = checkedAdd(amountFen, r.benefit.kind === 'fixed_amount' ? r.benefit.amountFen : r.benefit.tierFen);
  return {
    group: applied[0]?.group ?? first.group,
    groups: applied.map((r) => r.group),
    kind: minTier === undefined ? 'fixed_amount' : 'minimum_tier_in_full',
    amountFen,
    tierCoveredFen,
    split: sumByLevel(applied.flatMap((r) => r.benefit.split)),
  };
}

/** A tier's subsidy by level: the tier's own split, else the table's percentages (first level takes the rounding). */
function subsidySplitOf(table: PolicyTable, tier: PolicyTier): SplitShare[] {
  if (tier.subsidySplit !== undefined) return sumByLevel(tier.subsidySplit);
  if (table.subsidySplit.length === 0 || tier.subsidyFen === 0) return [];
  const shares = table.subsidySplit.map((s) => ({ level: s.level, amountFen: Math.floor((tier.subsidyFen * s.percent) / 100) }));
  const rest = tier.subsidyFen - shares.reduce((sum, s) => sum + s.amountFen, 0);
  if (shares[0] !== undefined) shares[0].amountFen += rest;
  return sumByLevel(shares);
}

interface TierContext {
  table: PolicyTable;
  active: Set<SpecialGroupCode>;
  subsidised: boolean;
  benefit: GovernmentPaid | null;
  /** 代缴 already credited for the year (not priced again); null = none. */
  credit: GovernmentCredit | null;
  /** Only these tiers (lump sum); null = all. */
  only: readonly number[] | null;
}

/**
 * Tier lists without a special group's benefit depend only on the table, whether the year is
 * subsidised, the groups that may use reserved tiers and the lump sum's tier list: the same few
 * lists serve every payer of the year. They are computed once per table and frozen (callers copy
 * an option before changing it, see copyOption), so a lookup does not rebuild dozens of options
 * and the API boundary can recognise a list it has already checked (shared/policy/schema.ts).
 */
const sharedTierLists = new WeakMap<PolicyTable, Map<string, readonly TierOption[]>>();

function tierOptions(c: TierContext): TierOption[] {
  if (c.benefit !== null) return computeTierOptions(c);
  // Without a benefit the credit changes nothing (governmentPaidFen is 0 either way).
  const reservedFor = c.table.tiers.some((t) => t.reservedFor !== undefined) ? [...c.active].sort().join(',') : '';
  const key = `${c.subsidised ? 1 : 0}|${reservedFor}|${c.only === null ? '*' : c.only.join(',')}`;
  let byKey = sharedTierLists.get(c.table);
  if (!byKey) sharedTierLists.set(c.table, (byKey = new Map()));
  let list = byKey.get(key);
  if (!list) byKey.set(key, (list = deepFreeze(computeTierOptions(c))));
  return list as TierOption[];
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function computeTierOptions(c: TierContext): TierOption[] {
  const out: TierOption[] = [];
  const b = c.benefit;
  for (const tier of c.table.tiers) {
    if (c.only !== null && !c.only.includes(tier.amountFen)) continue;
    if (tier.reservedFor !== undefined && !tier.reservedFor.some((g) => c.active.has(g))) continue;
    // The government already pays this tier in full: lower tiers would only cost the payer more.
    if (b !== null && b.tierCoveredFen > 0 && tier.amountFen < b.tierCoveredFen) continue;
    const payerFen = b === null ? tier.amountFen : tier.amountFen - b.tierCoveredFen;
    // A credited 代缴 is a fact already on the account (and the government's to settle): it is
    // not priced again on the payer's line.
    const governmentPaidFen = c.credit === null ? (b?.amountFen ?? 0) : 0;
    const subsidyFen = c.subsidised ? tier.subsidyFen : 0;
    out.push({
      tierFen: tier.amountFen,
      payerFen,
      subsidyFen,
      subsidySplit: c.subsidised ? subsidySplitOf(c.table, tier) : [],
      governmentPaidFen,
      governmentPaidSplit: governmentPaidFen === 0 || b === null ? [] : b.split.map((s) => ({ ...s })),
      accountFen: checkedAdd(checkedAdd(payerFen, subsidyFen), governmentPaidFen),
      reserved: tier.reservedFor !== undefined,
    });
  }
  return out;
}

/** The 代缴 credits of a payer by year: governmentCredits, and paidYears entries with tier 0. */
function creditsByYear(payer: PolicyPayer): Map<number, GovernmentCredit> {
  const credits = new Map<number, GovernmentCredit>();
  for (const p of payer.paidYears) if (p.tierFen === 0) credits.set(p.year, { year: p.year, amountFen: null });
  for (const c of payer.governmentCredits) credits.set(c.year, { ...c });
  return credits;
}

/** Years of contribution on record: personal payments and 代缴-only years once each, plus lump sums. */
export function yearsOnRecord(payer: PolicyPayer): number {
  const years = new Set<number>([...payer.paidYears.map((p) => p.year), ...payer.governmentCredits.map((c) => c.year)]);
  return years.size + payer.lumpSums.reduce((s, l) => s + l.years, 0);
}

/** Everything the counter needs to know about a payer's years on `date` (the hall's date). */
export function assessPayer(payer: PolicyPayer, table: PolicyTable, date: string, options: AssessOptions = {}): Assessment {
  const currentYear = yearOf(date);
  if (table.year !== currentYear) throw new PolicyDateMismatchError(table.year, date);
  if (table.effectiveFrom !== undefined && date < table.effectiveFrom) throw new PolicyDateMismatchError(table.year, date, table.effectiveFrom);

  const birthYear = yearOf(payer.birthDate);
  const age = ageOn(payer.birthDate, date);
  const pensionYear = birthYear + table.ages.pension;
  const minAgeYear = birthYear + table.ages.min;
  const pastPensionAge = currentYear > pensionYear;
  const reachedPensionAge = age >= table.ages.pension;
  // Personal payments only: a tier 0 entry is a 代缴 credit (see PaidYear).
  const paid = new Map(payer.paidYears.filter((p) => p.tierFen > 0).map((p) => [p.year, p]));
  const credits = creditsByYear(payer);
  const yearsPaid = yearsOnRecord(payer);
  const employeeYears = new Set(payer.employeesSchemeYears);
  const nearRetirementAtStart = pensionYear - table.years.schemeStartYear < table.years.capYears;
  const capYears = pastPensionAge || reachedPensionAge ? table.years.minimumYears : nearRetirementAtStart ? table.years.capYears : null;
  const waitEnds = payer.registrationDate === null ? null : addDays(payer.registrationDate, table.registrationWaitDays);

  const bp = table.backPayment;
  const bounds = [bp.earliestYear];
  if (bp.since.includes('min_age')) bounds.push(minAgeYear);
  if (bp.since.includes('scheme_start')) bounds.push(table.years.schemeStartYear);
  if (bp.since.includes('registration') && payer.registrationDate !== null) bounds.push(yearOf(payer.registrationDate));
  const firstYear = Math.min(currentYear, Math.max(...bounds));

  /** Why the payer may pay nothing at all today (registration, wait, age), or null. */
  const payerBlock = (): [ReasonCode, Partial<ReasonContext>] | null => {
    if (payer.registrationDate === null) return ['not_registered', {}];
    if (payer.registrationStatus === 'terminated') return ['registration_terminated', {}];
    if (payer.registrationStatus === 'receiving') return ['receiving_pension', {}];
    if (payer.registrationStatus === 'suspended') return ['registration_suspended', {}];
    if (waitEnds !== null && date < waitEnds) return ['registration_wait', { waitEnds }];
    if (age < table.ages.min) return ['too_young', { minAge: table.ages.min, reachesMinAge: dateOfAge(payer.birthDate, table.ages.min) }];
    if (reachedPensionAge && age >= table.lumpSum.untilAge) return ['over_lump_sum_age', { untilAge: table.lumpSum.untilAge }];
    return null;
  };

  const years: YearAssessment[] = [];
  for (let year = currentYear; year >= firstYear; year--) {
    const kind: YearKind = year > pensionYear ? 'past_pension_age' : year === currentYear ? 'current' : 'back_payment';
    const subsidised = year > pensionYear ? table.afterPensionAge.subsidised && (year === currentYear || bp.subsidised) : year === currentYear || bp.subsidised;
    const credit = credits.get(year) ?? null;
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
      governmentCredit: credit,
      tiers: [],
    });
    years.push(
      ((): YearAssessment => {
        const paidYear = paid.get(year);
        if (paidYear !== undefined) return blocked('already_paid', { paidTierFen: paidYear.tierFen });
        const block = payerBlock();
        if (block !== null) return blocked(block[0], block[1]);
        if (employeeYears.has(year)) return blocked('in_employees_scheme');
        if (year > pensionYear && !table.afterPensionAge.yearByYear) return blocked('past_pension_age', { pensionAge: table.ages.pension });
        if (year < currentYear) {
          if (!bp.allowed) return blocked('back_payment_not_allowed');
          if (bp.maxYearsBack !== null && currentYear - year > bp.maxYearsBack) return blocked('beyond_back_payment_window', { maxYearsBack: bp.maxYearsBack });
        }
        // A 代缴-only year already counts: a tier on top adds no year, so the cap does not stop it.
        if (credit === null && capYears !== null && yearsPaid >= capYears) {
          return blocked('cap_reached', { capYears, pensionAge: table.ages.pension });
        }
        const tierTable = year === currentYear || bp.tierYear === 'current' ? table : options.tableForYear?.(year);
        if (tierTable === undefined || tierTable.region.code !== table.region.code) return blocked('no_policy_for_year');
        const active = groupsActiveIn(payer, tierTable, year, date);
        const benefit = year === currentYear || bp.governmentPaid ? benefitFor(tierTable, active) : null;
        const tiers = tierOptions({ table: tierTable, active, subsidised, benefit, credit, only: null });
        if (tiers.length === 0) return blocked('no_tier_available');
        return { year, kind, payable: true, reason: null, message: null, subsidised, governmentPaid: benefit, paid: null, governmentCredit: credit, tiers };
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
    lumpSum: reachedPensionAge ? lumpSumOffer(payer, table, date, yearsPaid, payerBlock()) : null,
  };
}

function lumpSumOffer(
  payer: PolicyPayer,
  table: PolicyTable,
  date: string,
  yearsPaid: number,
  block: [ReasonCode, Partial<ReasonContext>] | null,
): LumpSumOffer {
  const rule = table.lumpSum;
  const maxYears = Math.max(0, table.years.minimumYears - yearsPaid);
  const ctx: ReasonContext = { year: yearOf(date), capYears: table.years.minimumYears, pensionAge: table.ages.pension };
  const no = (reason: ReasonCode, extra: Partial<ReasonContext> = {}): LumpSumOffer => ({
    payable: false,
    reason,
    message: reasonMessage(reason, { ...ctx, ...extra }),
    maxYears,
    subsidised: rule.subsidised,
    tiers: [],
  });
  if (block !== null) return no(block[0], block[1]);
  if (!rule.allowed) return no('lump_sum_not_allowed');
  if (maxYears === 0) return no('minimum_years_reached');
  const active = groupsActiveIn(payer, table, yearOf(date), date);
  const tiers = tierOptions({ table, active, subsidised: rule.subsidised, benefit: null, credit: null, only: rule.tiersFen });
  if (tiers.length === 0) return no('no_tier_available');
  return { payable: true, reason: null, message: null, maxYears, subsidised: rule.subsidised, tiers };
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

/**
 * Prices a chosen set of lines against an assessment: calendar years (year, tier) and at most one
 * lump sum (lumpSum: true, tier, years). Any invalid line makes the whole quote invalid: the
 * counter must never collect a partial or guessed amount.
 */
export function quote(assessment: Assessment, requests: readonly QuoteLineRequest[]): Quote {
  const errors: QuoteError[] = [];
  if (requests.length === 0) errors.push({ index: null, code: 'empty', message: '请至少选择一个缴费年度' });
  const byYear = new Map(assessment.years.map((y) => [y.year, y]));
  const currentYear = yearOf(assessment.date);
  const seen = new Set<number>();
  const lines: QuoteLine[] = [];
  // Calendar years that add a year of contribution (a 代缴-only year already counts).
  let newYears = 0;
  let lump: { index: number; req: QuoteLineRequest } | null = null;
  requests.forEach((req, index) => {
    if (req.lumpSum === true) {
      if (lump !== null) {
        errors.push({ index, code: 'duplicate_year', message: '一次性补缴只能选择一次' });
        return;
      }
      lump = { index, req };
      return;
    }
    if (req.years !== undefined && req.years !== 1) {
      errors.push({ index, code: 'lump_sum_years', message: `${req.year}年度只能缴1年；多年一次缴清请选择一次性补缴` });
      return;
    }
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
    if (year.governmentCredit === null) newYears++;
    lines.push({ ...copyOption(tier), year: year.year, kind: year.kind, years: 1 });
  });
  const cap = assessment.capYears;
  const room = cap === null ? Number.POSITIVE_INFINITY : Math.max(0, cap - assessment.yearsPaid);
  if (lump !== null) {
    const { index, req } = lump as { index: number; req: QuoteLineRequest };
    const offer = assessment.lumpSum;
    const left = offer === null ? 0 : offer.maxYears - newYears;
    const n = req.years ?? left;
    const tier = offer?.tiers.find((t) => t.tierFen === req.tierFen);
    if (offer === null || !offer.payable) {
      errors.push({ index, code: 'lump_sum_not_payable', message: offer?.message ?? '未到领取年龄，不能一次性补缴' });
    } else if (req.year !== currentYear) {
      errors.push({ index, code: 'year_not_listed', message: `一次性补缴只能在当年（${currentYear}年）办理` });
    } else if (tier === undefined) {
      const allowed = offer.tiers.map((t) => formatYuan(t.tierFen)).join('、');
      errors.push({ index, code: 'tier_not_allowed', message: `一次性补缴不能选择${formatYuan(req.tierFen)}档，可选档次：${allowed}` });
    } else if (n < 1 || n > left) {
      errors.push({
        index,
        code: 'lump_sum_years',
        message: left < 1 ? '所选年度已补足最低缴费年限，无需一次性补缴' : `一次性补缴最多${left}年（距最低缴费年限还差${offer.maxYears}年）`,
      });
    } else {
      newYears += n;
      const t = copyOption(tier);
      lines.push({
        ...t,
        payerFen: checkedMul(t.payerFen, n),
        subsidyFen: checkedMul(t.subsidyFen, n),
        subsidySplit: t.subsidySplit.map((x) => ({ ...x, amountFen: checkedMul(x.amountFen, n) })),
        governmentPaidFen: 0,
        governmentPaidSplit: [],
        accountFen: checkedMul(checkedAdd(t.payerFen, t.subsidyFen), n),
        year: currentYear,
        kind: 'lump_sum',
        years: n,
      });
    }
  }
  if (newYears > room) {
    errors.push({
      index: null,
      code: 'cap_exceeded',
      message: `已缴费${assessment.yearsPaid}年，累计缴费最多${cap ?? 0}年，本次最多可选${room}个年度`,
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  try {
    return { ok: true, lines, totals: totalsOf(lines) };
  } catch (e) {
    if (!(e instanceof AmountOverflowError)) throw e;
    return { ok: false, errors: [{ index: null, code: 'amount_too_large', message: e.message }] };
  }
}

function copyOption(t: TierOption): TierOption {
  return { ...t, subsidySplit: t.subsidySplit.map((s) => ({ ...s })), governmentPaidSplit: t.governmentPaidSplit.map((s) => ({ ...s })) };
}

/** Totals of quote lines, added exactly (throws AmountOverflowError rather than round). */
export function totalsOf(lines: readonly Omit<QuoteLine, 'reserved'>[]): Extract<Quote, { ok: true }>['totals'] {
  let years = 0;
  let payerFen = 0;
  let subsidyFen = 0;
  let governmentPaidFen = 0;
  let accountFen = 0;
  for (const line of lines) {
    years += line.years;
    payerFen = checkedAdd(payerFen, line.payerFen);
    subsidyFen = checkedAdd(subsidyFen, line.subsidyFen);
    governmentPaidFen = checkedAdd(governmentPaidFen, line.governmentPaidFen);
    accountFen = checkedAdd(accountFen, line.accountFen);
  }
  return {
    years,
    payerFen,
    subsidyFen,
    governmentPaidFen,
    accountFen,
    governmentPaidByLevel: sumByLevel(lines.flatMap((l) => l.governmentPaidSplit)),
    subsidyByLevel: sumByLevel(lines.flatMap((l) => l.subsidySplit)),
  };
}

/** Where the hall's date falls in the collection period, for the progress display. */
export function collectionStatus(table: PolicyTable, date: string): { inPeriod: boolean; nextTarget: { by: string; percent: number } | null } {
  const c = table.collection;
  const next = c.targets.find((t) => t.by >= date) ?? null;
  return { inPeriod: date >= c.from && date <= c.to, nextTarget: next === null ? null : { ...next } };
}
