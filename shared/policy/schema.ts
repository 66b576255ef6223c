// Schemas for the policy engine: the regional policy table (data files in resources/policy),
// the payer facts the engine needs, and the engine's answer. The API contract reuses these, so
// every money field is integer fen and named ...Fen, and objects are strict: an unknown field in
// a table is a typo until proven otherwise, and a typo must never turn into a wrong amount.
import { z } from 'zod';
import { Channel, IsoDate, RegistrationStatus, SpecialGroupCode } from '../domain/payer';
import { validateIdNumber } from '../domain/id-number';
import { governmentLevelLabels, governmentLevels } from '../vocab';

/** Non-negative integer fen. */
export const Fen = z.number().int('金额应为整数（单位：分）').nonnegative('金额不能为负数').max(Number.MAX_SAFE_INTEGER);
/**
 * The largest amount a policy table may state: 1,000,000 yuan. Real tiers stop at a few thousand
 * yuan; anything near this bound is a typo (yuan written as fen twice, an extra zero run), and the
 * bound keeps every total of up to a lifetime of years far inside exact integer arithmetic.
 */
export const MAX_TABLE_AMOUNT_FEN = 100_000_000;
const TableFen = Fen.max(MAX_TABLE_AMOUNT_FEN, '金额超过100万元上限，请检查单位（分）');
const PositiveFen = TableFen.positive('金额应大于0');
const Year = z.number().int('年度应为整数').min(1990, '年度不早于1990').max(2200, '年度不晚于2200');

/** Levels of government that share a 代缴 amount (codes and labels in shared/vocab.ts). */
export const GovernmentLevel = z.enum(governmentLevels);
export type GovernmentLevel = z.infer<typeof GovernmentLevel>;
export { governmentLevelLabels, governmentLevels };

export const SplitShare = z.strictObject({ level: GovernmentLevel, amountFen: Fen });
export type SplitShare = z.infer<typeof SplitShare>;

const TableSplitShare = z.strictObject({ level: GovernmentLevel, amountFen: TableFen });

const Split = z
  .array(TableSplitShare)
  .min(1, '至少需要一个出资层级')
  .superRefine((shares, ctx) => {
    const seen = new Set<string>();
    shares.forEach((s, i) => {
      if (seen.has(s.level)) ctx.addIssue({ code: 'custom', path: [i, 'level'], message: `出资层级重复：${s.level}` });
      seen.add(s.level);
    });
  });

export const PolicyTier = z.strictObject({
  amountFen: PositiveFen,
  subsidyFen: TableFen,
  /** When present, only payers in one of these groups may choose the tier (e.g. the 100 tier). */
  reservedFor: z.array(SpecialGroupCode).min(1).optional(),
  /** Who pays this tier's subsidy, in fen (adds up to subsidyFen); overrides the table's percentages. */
  subsidySplit: Split.optional(),
});
export type PolicyTier = z.infer<typeof PolicyTier>;

/**
 * What the government pays for a special group each year:
 * - fixed_amount: 代缴 of a fixed amount credited on top of whatever tier the payer chooses (the
 *   payer may also choose none);
 * - minimum_tier_in_full: the government pays the named tier in full; a payer choosing a higher
 *   tier pays only the difference.
 * The split between levels must add up to the amount exactly.
 */
export const GroupBenefit = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fixed_amount'), amountFen: PositiveFen, split: Split }),
  z.strictObject({ kind: z.literal('minimum_tier_in_full'), tierFen: PositiveFen, split: Split }),
]);
export type GroupBenefit = z.infer<typeof GroupBenefit>;

export const SpecialGroupRule = z.strictObject({
  group: SpecialGroupCode,
  /** Which group's benefit applies first when a payer is in several: 1 before 2. Unique in a table. */
  priority: z.number().int().positive(),
  benefit: GroupBenefit,
});
export type SpecialGroupRule = z.infer<typeof SpecialGroupRule>;

/** Where the years that may be back-paid start (each listed bound applies; the latest wins). */
export const BackPaymentSince = z.enum(['registration', 'scheme_start', 'min_age']);
export type BackPaymentSince = z.infer<typeof BackPaymentSince>;

export const BackPaymentRule = z.strictObject({
  allowed: z.boolean(),
  /** First year the region's records allow paying at all (earlier years are not offered). */
  earliestYear: Year,
  /**
   * Further bounds on the first year offered: the registration year, the scheme's start year
   * (years.schemeStartYear), the year of reaching ages.min. Default: from the minimum age.
   */
  since: z.array(BackPaymentSince).default(['min_age']),
  /** How many years before the current one may be back-paid; null = back to earliestYear. */
  maxYearsBack: z.number().int().positive().nullable(),
  /** Whether a back-paid year earns the tier's subsidy (no source found says it does). */
  subsidised: z.boolean(),
  /** Whose tiers apply to a back-paid year: this table's, or the table of the year being paid. */
  tierYear: z.enum(['current', 'year_paid']),
  /** Whether special-group 代缴 also applies to back-paid years. */
  governmentPaid: z.boolean(),
});
export type BackPaymentRule = z.infer<typeof BackPaymentRule>;

export const YearsRule = z.strictObject({
  /** The minimum years of contributions for a pension (15). */
  minimumYears: z.number().int().positive(),
  /**
   * Payers with fewer than capYears years to pension age when the scheme started may pay at most
   * capYears years in total; so may payers already past pension age under the lump-sum rule.
   */
  capYears: z.number().int().positive(),
  schemeStartYear: Year,
});

/**
 * 一次性补缴: a payer who has reached pension age with fewer than years.minimumYears may pay the
 * shortfall at once, counted in years (not calendar years), as one line.
 */
export const LumpSumRule = z.strictObject({
  allowed: z.boolean(),
  /** Age (on the payment date) from which nothing more may be paid, year by year or at once. */
  untilAge: z.number().int().positive(),
  /** Whether the lump sum earns the tier's subsidy (no source found says it does). */
  subsidised: z.boolean(),
  /** Tiers (amountFen) allowed for the lump sum; null = every tier open to the payer. */
  tiersFen: z.array(PositiveFen).min(1).nullable().default(null),
});

/** Paying year by year after the pension-age year (to reach the minimum years). */
export const AfterPensionAgeRule = z.strictObject({
  yearByYear: z.boolean(),
  subsidised: z.boolean(),
});

/**
 * Special groups: when a payer is in several, `priority` gives the single benefit that applies
 * (the lowest priority number) or `cumulative` adds every fixed 代缴 (and at most one
 * minimum-tier benefit, the first by priority). `dates` says when a group counts for a year:
 * `any_day_in_year` if its validity overlaps the year (up to the payment date), or
 * `on_payment_date` if it is valid on the payment date (for an earlier year: on 31 December).
 */
export const SpecialGroupPolicy = z.strictObject({
  combine: z.enum(['priority', 'cumulative']),
  dates: z.enum(['any_day_in_year', 'on_payment_date']),
});
export type SpecialGroupPolicy = z.infer<typeof SpecialGroupPolicy>;

/** Who pays subsidies, as whole percentages adding up to 100 (the first level takes the rounding). */
export const SubsidyShare = z.strictObject({ level: GovernmentLevel, percent: z.number().int().min(1).max(100) });

export const CollectionTarget = z.strictObject({
  by: IsoDate,
  percent: z.number().int().min(0).max(100),
});

export const CollectionPeriod = z.strictObject({
  from: IsoDate,
  to: IsoDate,
  targets: z.array(CollectionTarget),
});

export const PolicyTable = z
  .strictObject({
    schemaVersion: z.literal(1),
    region: z.strictObject({
      code: z.string().regex(/^[a-z0-9-]+$/, '地区代码只能包含小写字母、数字和连字符'),
      name: z.string().min(1),
      /** The 6-digit administrative (ID number) region code. */
      idRegionCode: z.string().regex(/^\d{6}$/, '行政区划代码应为6位数字'),
    }),
    year: Year,
    /**
     * The first day this table applies (a mid-year change is a second table of the same year with
     * a later effectiveFrom; the payment date decides). Default: 1 January of `year`.
     */
    effectiveFrom: IsoDate.optional(),
    /** The source document(s): issuer, title, number, date. Required: a number without a source is a guess. */
    source: z.string().min(4, '须注明来源文件（发文机关、文件名称、文号、日期）'),
    notes: z.string().optional(),
    ages: z.strictObject({
      min: z.number().int().positive(),
      /** Pension age: the year in which the payer reaches it may still be paid. */
      pension: z.number().int().positive(),
    }),
    registrationWaitDays: z.number().int().nonnegative(),
    tiers: z.array(PolicyTier).min(1, '至少需要一个缴费档次'),
    specialGroups: z.array(SpecialGroupRule),
    specialGroupPolicy: SpecialGroupPolicy.default({ combine: 'priority', dates: 'any_day_in_year' }),
    /** Default split of every tier's subsidy between levels of government; [] = not stated. */
    subsidySplit: z.array(SubsidyShare).default([]),
    backPayment: BackPaymentRule,
    years: YearsRule,
    lumpSum: LumpSumRule,
    afterPensionAge: AfterPensionAgeRule.default({ yearByYear: true, subsidised: false }),
    collection: CollectionPeriod,
  })
  .superRefine((t, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    t.tiers.forEach((tier, i) => {
      const prev = t.tiers[i - 1];
      if (prev === undefined) return;
      if (tier.amountFen <= prev.amountFen) {
        issue(['tiers', i, 'amountFen'], `档次须按金额从低到高排列且不重复：${tier.amountFen} 不大于前一档 ${prev.amountFen}`);
      } else if (tier.subsidyFen < prev.subsidyFen) {
        // 多缴多补: a lower subsidy for a higher tier is almost surely a typo in the table.
        issue(['tiers', i, 'subsidyFen'], `补贴不应低于较低档次的补贴（${prev.subsidyFen}）`);
      }
    });
    t.tiers.forEach((tier, i) => {
      if (tier.subsidySplit === undefined) return;
      const sum = tier.subsidySplit.reduce((s, x) => s + x.amountFen, 0);
      if (sum !== tier.subsidyFen) issue(['tiers', i, 'subsidySplit'], `各级补贴合计 ${sum} 分，与补贴 ${tier.subsidyFen} 分不符`);
    });
    if (t.subsidySplit.length > 0) {
      const pct = t.subsidySplit.reduce((s, x) => s + x.percent, 0);
      if (pct !== 100) issue(['subsidySplit'], `各级补贴比例合计为 ${pct}%，应为 100%`);
      const levels = new Set(t.subsidySplit.map((x) => x.level));
      if (levels.size !== t.subsidySplit.length) issue(['subsidySplit'], '出资层级重复');
    }
    if (t.effectiveFrom !== undefined && IsoDate.safeParse(t.effectiveFrom).success && t.effectiveFrom.slice(0, 4) !== String(t.year)) {
      issue(['effectiveFrom'], `生效日期应在 ${t.year} 年内`);
    }
    if (t.lumpSum.tiersFen !== null) {
      t.lumpSum.tiersFen.forEach((f, i) => {
        if (!t.tiers.some((x) => x.amountFen === f)) issue(['lumpSum', 'tiersFen', i], `缴费档次表中没有 ${f} 分这一档`);
      });
    }
    const groups = new Set<string>();
    const priorities = new Set<number>();
    t.specialGroups.forEach((g, i) => {
      if (groups.has(g.group)) issue(['specialGroups', i, 'group'], `特殊群体重复：${g.group}`);
      groups.add(g.group);
      if (priorities.has(g.priority)) issue(['specialGroups', i, 'priority'], `优先顺序重复：${g.priority}（多个群体同时适用时须能分出先后）`);
      priorities.add(g.priority);
      const b = g.benefit;
      const amount = b.kind === 'fixed_amount' ? b.amountFen : b.tierFen;
      const sum = b.split.reduce((s, x) => s + x.amountFen, 0);
      if (sum !== amount) {
        issue(['specialGroups', i, 'benefit', 'split'], `各级出资合计 ${sum} 分，与代缴金额 ${amount} 分不符`);
      }
      if (b.kind === 'minimum_tier_in_full') {
        const tier = t.tiers.find((x) => x.amountFen === b.tierFen);
        if (tier === undefined) issue(['specialGroups', i, 'benefit', 'tierFen'], `缴费档次表中没有 ${b.tierFen} 分这一档`);
        else if (tier.reservedFor !== undefined && !tier.reservedFor.includes(g.group)) {
          issue(['specialGroups', i, 'benefit', 'tierFen'], `该档次未向此群体开放`);
        }
      }
    });
    if (t.ages.min >= t.ages.pension) issue(['ages', 'min'], '最低参保年龄应小于领取年龄');
    if (t.lumpSum.untilAge <= t.ages.pension) issue(['lumpSum', 'untilAge'], '补缴截止年龄应大于领取年龄');
    if (t.backPayment.earliestYear > t.year) issue(['backPayment', 'earliestYear'], '最早可缴年度不能晚于本表年度');
    if (t.years.capYears < t.years.minimumYears) issue(['years', 'capYears'], '累计缴费上限不应小于最低缴费年限');
    const c = t.collection;
    // Malformed dates were reported by their own field; comparing them would only add noise.
    const dateOk = (d: string) => IsoDate.safeParse(d).success;
    const inYear = (d: string) => !dateOk(d) || d.slice(0, 4) === String(t.year);
    if (!inYear(c.from)) issue(['collection', 'from'], `征缴期应在 ${t.year} 年内`);
    if (!inYear(c.to)) issue(['collection', 'to'], `征缴期应在 ${t.year} 年内`);
    if (dateOk(c.from) && dateOk(c.to) && c.from > c.to) issue(['collection', 'to'], '征缴期结束日期早于开始日期');
    c.targets.forEach((x, i) => {
      if (!inYear(x.by)) issue(['collection', 'targets', i, 'by'], `进度目标日期应在 ${t.year} 年内`);
      const prev = c.targets[i - 1];
      if (prev !== undefined && dateOk(x.by) && dateOk(prev.by) && (x.by <= prev.by || x.percent < prev.percent)) {
        issue(['collection', 'targets', i], '进度目标应按日期递增且比例不递减');
      }
    });
  });
export type PolicyTable = z.infer<typeof PolicyTable>;

// ---------------------------------------------------------------------------------------------
// Engine input

/** An ID number checked with validateIdNumber; the output is the normalised (trimmed, upper-case X) form. */
export const IdNumberField = z.string().transform((s, ctx) => {
  const r = validateIdNumber(s);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.message });
    return z.NEVER;
  }
  return r.idNumber;
});

export const SpecialGroupPeriod = z.strictObject({
  group: SpecialGroupCode,
  from: IsoDate,
  /** Last day of validity; null = still valid. */
  to: IsoDate.nullable(),
});
export type SpecialGroupPeriod = z.infer<typeof SpecialGroupPeriod>;

export const PaidYear = z.strictObject({
  year: Year,
  /**
   * The tier the payer paid. 0 (kept for older payer files) means nothing was paid personally and
   * only the government's 代缴 was credited: the same fact as a governmentCredits entry.
   */
  tierFen: Fen,
  channel: Channel,
});
export type PaidYear = z.infer<typeof PaidYear>;

/** The government's 代缴 credited for a year: a fact of its own, apart from any personal payment. */
export const GovernmentCredit = z.strictObject({
  year: Year,
  /** null when the amount is not known (an older record that only says "代缴"). */
  amountFen: Fen.nullable(),
});
export type GovernmentCredit = z.infer<typeof GovernmentCredit>;

/** A lump sum already paid: it counts `years` years, whatever the calendar. */
export const PaidLumpSum = z.strictObject({
  paidOn: IsoDate,
  years: z.number().int().positive().max(100),
  tierFen: Fen,
});
export type PaidLumpSum = z.infer<typeof PaidLumpSum>;

export const PolicyPayer = z
  .strictObject({
    idNumber: IdNumberField,
    birthDate: IsoDate,
    /** null = not registered in the residents' scheme. */
    registrationDate: IsoDate.nullable(),
    registrationStatus: RegistrationStatus,
    specialGroups: z.array(SpecialGroupPeriod).default([]),
    paidYears: z.array(PaidYear).default([]),
    governmentCredits: z.array(GovernmentCredit).default([]),
    lumpSums: z.array(PaidLumpSum).default([]),
    /** Years covered by the urban employees' scheme (from the registry): not payable here. */
    employeesSchemeYears: z.array(Year).default([]),
  })
  .superRefine((p, ctx) => {
    const id = validateIdNumber(p.idNumber);
    if (id.ok && id.birthDate !== p.birthDate) {
      ctx.addIssue({ code: 'custom', path: ['birthDate'], message: `出生日期与证件号码不符（证件号码为 ${id.birthDate}）` });
    }
    const years = new Set<number>();
    p.paidYears.forEach((y, i) => {
      if (years.has(y.year)) ctx.addIssue({ code: 'custom', path: ['paidYears', i, 'year'], message: `${y.year} 年度重复缴费记录` });
      years.add(y.year);
    });
    const credited = new Set<number>();
    p.governmentCredits.forEach((c, i) => {
      if (credited.has(c.year)) ctx.addIssue({ code: 'custom', path: ['governmentCredits', i, 'year'], message: `${c.year} 年度重复代缴记录` });
      credited.add(c.year);
    });
    p.specialGroups.forEach((g, i) => {
      if (g.to !== null && g.to < g.from) ctx.addIssue({ code: 'custom', path: ['specialGroups', i, 'to'], message: '有效期结束日期早于开始日期' });
    });
  });
export type PolicyPayer = z.infer<typeof PolicyPayer>;
/** What callers may pass (defaults not yet applied). */
export type PolicyPayerInput = z.input<typeof PolicyPayer>;

// ---------------------------------------------------------------------------------------------
// Engine output

export const reasonCodes = [
  'not_registered',
  'registration_terminated',
  'receiving_pension',
  'registration_suspended',
  'already_paid',
  'in_employees_scheme',
  'registration_wait',
  'too_young',
  'past_pension_age',
  'over_lump_sum_age',
  'cap_reached',
  'back_payment_not_allowed',
  'beyond_back_payment_window',
  'no_policy_for_year',
  'no_tier_available',
  'before_back_payment_start',
  'lump_sum_not_allowed',
  'minimum_years_reached',
  'not_yet_pension_age',
] as const;
export const ReasonCode = z.enum(reasonCodes);
export type ReasonCode = z.infer<typeof ReasonCode>;

export const warningCodes = [
  'turns_pension_age_this_year',
  'registration_wait_ends',
  'years_to_minimum',
  'cap_applies',
  'outside_collection_period',
  'special_group_ends',
] as const;
export const WarningCode = z.enum(warningCodes);
export type WarningCode = z.infer<typeof WarningCode>;

export const PayerWarning = z.strictObject({ code: WarningCode, message: z.string() });
export type PayerWarning = z.infer<typeof PayerWarning>;

export const GovernmentPaid = z.strictObject({
  /** The group whose benefit applies (the first by priority when several add up). */
  group: SpecialGroupCode,
  /** Every group whose benefit is included (more than one only when the table says cumulative). */
  groups: z.array(SpecialGroupCode),
  kind: z.enum(['fixed_amount', 'minimum_tier_in_full']),
  amountFen: Fen,
  /** For minimum_tier_in_full: the tier the government pays in full (the rest of amountFen is fixed 代缴). */
  tierCoveredFen: Fen,
  split: z.array(SplitShare),
});
export type GovernmentPaid = z.infer<typeof GovernmentPaid>;

export const TierOption = z.strictObject({
  tierFen: Fen,
  /** Collected at the counter. */
  payerFen: Fen,
  /** Credited by the government; never collected. */
  subsidyFen: Fen,
  /** Who pays the subsidy, by level of government ([] when the table does not say). */
  subsidySplit: z.array(SplitShare),
  /** 代缴 credited for a special group; never collected. */
  governmentPaidFen: Fen,
  governmentPaidSplit: z.array(SplitShare),
  /** Everything credited to the personal account for the year. */
  accountFen: Fen,
  reserved: z.boolean(),
});
export type TierOption = z.infer<typeof TierOption>;

const TierOptionList = z.array(TierOption);
/** Frozen tier lists that have passed TierOptionList once (identity, so nothing is retained). */
const checkedTierLists = new WeakSet<object>();
/**
 * A list of tier options. The engine shares one frozen list between every payer of a year with
 * the same terms (engine.ts tierOptions); a payer page carries about seventy options, and checking
 * each of them on every lookup was most of the API boundary's work and garbage. A frozen list is
 * checked the first time it is seen and recognised afterwards; any other list is checked every
 * time. Strict objects without transforms: what passes is returned as it is, as parsing would.
 */
export const TierOptions = z.custom<TierOption[]>().superRefine((value, ctx) => {
  if (typeof value === 'object' && value !== null && checkedTierLists.has(value)) return;
  const r = TierOptionList.safeParse(value);
  if (!r.success) {
    for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return;
  }
  if (Object.isFrozen(value)) checkedTierLists.add(value as object);
});

export const YearKind = z.enum(['current', 'back_payment', 'past_pension_age', 'lump_sum']);
export type YearKind = z.infer<typeof YearKind>;

export const YearAssessment = z.strictObject({
  year: Year,
  kind: YearKind,
  payable: z.boolean(),
  reason: ReasonCode.nullable(),
  message: z.string().nullable(),
  subsidised: z.boolean(),
  governmentPaid: GovernmentPaid.nullable(),
  paid: PaidYear.nullable(),
  /** 代缴 already credited for the year (null = none): the year counts, and a tier may go on top. */
  governmentCredit: GovernmentCredit.nullable(),
  tiers: TierOptions,
});
export type YearAssessment = z.infer<typeof YearAssessment>;

/** The 一次性补缴 offer: up to maxYears years at once, each at one of `tiers` (prices per year). */
export const LumpSumOffer = z.strictObject({
  payable: z.boolean(),
  reason: ReasonCode.nullable(),
  message: z.string().nullable(),
  /** Years still missing to the minimum (what a lump sum alone may cover). */
  maxYears: z.number().int().nonnegative(),
  subsidised: z.boolean(),
  tiers: TierOptions,
});
export type LumpSumOffer = z.infer<typeof LumpSumOffer>;

export const Assessment = z.strictObject({
  date: IsoDate,
  regionCode: z.string(),
  policyYear: Year,
  ageOnDate: z.number().int(),
  pensionAgeYear: Year,
  yearsPaid: z.number().int().nonnegative(),
  /** Total years the payer may have at most; null = no cap applies. */
  capYears: z.number().int().positive().nullable(),
  warnings: z.array(PayerWarning),
  /** Newest first: the current year, then earlier years. */
  years: z.array(YearAssessment),
  /** null when the payer has not reached pension age (no lump sum is in question). */
  lumpSum: LumpSumOffer.nullable(),
});
export type Assessment = z.infer<typeof Assessment>;

/**
 * One line the payer chose: a calendar year and a tier, or (lumpSum: true) the lump sum at a tier
 * for `years` years (default: every year still missing after the other lines). For a lump sum
 * `year` is the year of payment (the current year).
 */
export const QuoteLineRequest = z.strictObject({
  year: Year,
  tierFen: Fen,
  lumpSum: z.boolean().optional(),
  years: z.number().int().positive().max(100).optional(),
});
export type QuoteLineRequest = z.infer<typeof QuoteLineRequest>;

export const QuoteLine = TierOption.extend({
  /** The calendar year; for a lump sum the year it is paid in. */
  year: Year,
  kind: YearKind,
  /** Years of contribution the line counts: 1, or N for 一次性补缴 N 年. */
  years: z.number().int().positive(),
});
export type QuoteLine = z.infer<typeof QuoteLine>;

export const QuoteTotals = z.strictObject({
  /** Years of contribution the quote adds (a lump sum counts its N years). */
  years: z.number().int().nonnegative(),
  payerFen: Fen,
  subsidyFen: Fen,
  governmentPaidFen: Fen,
  accountFen: Fen,
  governmentPaidByLevel: z.array(SplitShare),
  subsidyByLevel: z.array(SplitShare),
});
export type QuoteTotals = z.infer<typeof QuoteTotals>;

export const quoteErrorCodes = [
  'year_not_listed',
  'year_not_payable',
  'tier_not_allowed',
  'duplicate_year',
  'cap_exceeded',
  'empty',
  'lump_sum_not_payable',
  'lump_sum_years',
  'amount_too_large',
] as const;
export const QuoteErrorCode = z.enum(quoteErrorCodes);
export type QuoteErrorCode = z.infer<typeof QuoteErrorCode>;

export const QuoteError = z.strictObject({
  /** Index of the offending line, or null for the quote as a whole. */
  index: z.number().int().nonnegative().nullable(),
  code: QuoteErrorCode,
  message: z.string(),
});
export type QuoteError = z.infer<typeof QuoteError>;

export const Quote = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), lines: z.array(QuoteLine), totals: QuoteTotals }),
  z.strictObject({ ok: z.literal(false), errors: z.array(QuoteError) }),
]);
export type Quote = z.infer<typeof Quote>;
