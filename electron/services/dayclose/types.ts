// The day summary (日汇总) and the day close (日结) as the services return them. Money in integer
// fen, instants UTC (ISO 8601), business dates YYYY-MM-DD in the hall's zone (Asia/Shanghai).
import type { PaymentMethod } from '../../../shared/api/views';
import type { EvaluationTally } from '../payer-display/tally';
import type { ExchangeChannel } from '../../sync/protocol';

export interface CountAmount {
  count: number;
  amountFen: number;
}

/** Payment lines (one per year paid) of one year; backPayment: 补缴 (an earlier year) or 当年. */
export interface YearRow extends CountAmount {
  year: number;
  backPayment: boolean;
  subsidyFen: number;
  governmentPaidFen: number;
}

/** An amount paid by one level of government (central, province, city, county, township). */
export interface LevelAmount {
  level: 'central' | 'province' | 'city' | 'county' | 'township';
  amountFen: number;
}

export interface TierRow extends CountAmount {
  tierFen: number;
}

export interface YearTierRow extends CountAmount {
  year: number;
  backPayment: boolean;
  tierFen: number;
}

/** count = payment lines, transactions = counter confirmations (one payer, one method). */
export interface MethodRow extends CountAmount {
  method: PaymentMethod;
  transactions: number;
}

/** One operator at one counter. cashFen: cash taken there (tendered − change). */
export interface CounterRow extends CountAmount {
  operatorId: number;
  operatorUsername: string;
  operatorName: string;
  counterNo: number;
  transactions: number;
  cashFen: number;
}

export interface ExchangeRow extends CountAmount {
  channel: ExchangeChannel;
}

/** Consecutive numbers of one block used on the day (issued or voided). */
export interface ReceiptRange {
  series: string;
  firstSerial: number;
  lastSerial: number;
  firstNumber: string;
  lastNumber: string;
  count: number;
}

export interface VoidedReceipt {
  number: string;
  kind: 'counter' | 'exchange' | 'reissue';
  totalFen: number;
  reason: string;
  voidedAt: string;
  /** 作废重开: the number printed in its place, when there is one. */
  replacedBy: string | null;
}

export interface ReissuedReceipt {
  number: string;
  /** 补开: the lost receipt this copy stands for. */
  reissueOf: string;
  totalFen: number;
  reason: string;
  state: 'issued' | 'voided';
}

/** A receipt issued but not yet printed-and-confirmed when the summary was computed. */
export interface WaitingReceipt {
  number: string;
  payerName: string;
  totalFen: number;
  status: 'issued' | 'printed';
  businessDate: string;
}

export interface DaySummary {
  businessDate: string;
  /** null: every operator of the hall. */
  operatorId: number | null;
  payments: {
    transactions: number;
    /** Payment lines (years paid). */
    count: number;
    /** What payers paid: the amount to hand over to the treasury. */
    amountFen: number;
    /** Shown, never collected. */
    subsidyFen: number;
    governmentPaidFen: number;
    /**
     * Subsidy and 代缴 by level of government (issue 17), from each line's recorded split. Absent
     * in day closes recorded before they existed (their snapshots are reprinted as they are).
     */
    subsidyByLevel?: LevelAmount[];
    governmentPaidByLevel?: LevelAmount[];
    /** 一次性补缴 lines: count of lines, years they count, amount (also inside backPayment). */
    lumpSum?: CountAmount & { years: number };
    current: CountAmount;
    backPayment: CountAmount;
    byYear: YearRow[];
    byTier: TierRow[];
    byYearTier: YearTierRow[];
    byMethod: MethodRow[];
  };
  byCounter: CounterRow[];
  exchanges: CountAmount & { byChannel: ExchangeRow[] };
  receipts: {
    /** Numbers used on the day: issued + voided. */
    used: number;
    issued: number;
    voided: number;
    /** 补开 copies (kind reissue) issued on the day. */
    reissued: number;
    /** Total of the receipts still issued (live), by kind. */
    issuedFen: { counter: number; exchange: number; reissue: number };
    ranges: ReceiptRange[];
    voidedList: VoidedReceipt[];
    reissuedList: ReissuedReceipt[];
  };
  /**
   * The operator's receipts (every operator's, for the whole hall) of this day or earlier that are
   * issued but not printed-and-confirmed. A close waits for them unless a supervisor approves.
   * Snapshots recorded before this field existed read as [].
   */
  waiting: WaitingReceipt[];
  cash: {
    /** Cash to hand over: the cash transactions' totals. */
    expectedFen: number;
    tenderedFen: number;
    changeFen: number;
  };
  /** 好差评 of the day's transactions (issue 20); absent in closes recorded before it existed. */
  evaluations?: EvaluationTally;
}

export interface OperatorRef {
  id: number;
  username: string;
  name: string;
}

/** An immutable, numbered day close (日结). */
export interface DayCloseRecord {
  no: number;
  /** 日结编号 as printed: RJ + six digits. */
  number: string;
  uid: string;
  businessDate: string;
  operator: OperatorRef;
  counterNo: number;
  summary: DaySummary;
  summarySha256: string;
  cash: { expectedFen: number; countedFen: number; differenceFen: number };
  closedBy: OperatorRef;
  closedAt: string;
  /** Closed with receipts waiting (summary.waiting): the supervisor who approved it. */
  waitingApprovedBy: OperatorRef | null;
}

export interface DayCloseInput {
  businessDate: string;
  operatorId: number;
  counterNo: number;
  /** Cash counted by the clerk, fen. */
  cashCountedFen: number;
  /** The operator themself or a supervisor. */
  closedBy: number;
  /** A supervisor (not the operator) who approved closing while receipts still wait; verified by the caller. */
  waitingApprovedBy?: number | null;
}

export interface DayCloseFilters {
  from?: string;
  to?: string;
  operatorId?: number;
  counterNo?: number;
  /** Newest first; default 200. */
  limit?: number;
}

export type { UpstreamDayTotals } from '../../sync/protocol';

export type MismatchSection = 'date' | 'total' | 'year' | 'tier' | 'method' | 'exchange' | 'receipts';

/** One line where the counter and the upstream disagree. null: the side has no such line. */
export interface MismatchLine {
  section: MismatchSection;
  key: string;
  /** zh-CN, for the supervisor's list and the printout. */
  label: string;
  local: CountAmount | null;
  upstream: CountAmount | null;
  countDiff: number;
  amountDiffFen: number;
}

export interface Reconciliation {
  id: number;
  closeNo: number;
  comparedAt: string;
  matched: boolean;
  mismatches: MismatchLine[];
}
