import { enqueue } from '../../sync/outbox';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/api/errors';
import type { NothingToCollect, PaymentMethod, PrintJobView, ProgressView, RecordedPayment } from '../../../shared/api/views';
import { formatYuan } from '../../../shared/domain/money';
import { collectionProgress } from './progress';
import { maskIdNumber } from '../../../shared/domain/id-number';
import {
  assessPayer,
  PolicyPayer,
  quote,
  totalsOf,
  type Assessment,
  type PolicyPayerInput,
  type Quote,
  type QuoteLineRequest,
  type SplitShare,
} from '../../../shared/policy';
import type { Clock } from '../../platform/clock';
import { civilDate } from '../../platform/clock';
import type { Db } from '../../platform/db/database';
import type { PayerRecords } from '../payers/payers';
import type { Logger } from '../../platform/log';
import type { PolicyRegistry } from '../policy/registry';
import { appendAudit } from '../trust/audit';
import { openBusinessDate } from '../dayclose';
import * as sql from '../../platform/db/sql';

export interface CounterContext {
  operatorId: number;
  operatorUsername: string;
  operatorName: string;
  shiftId: number;
  counterNo: number;
}

type PayerRow = PayerRecords['row'];

interface TransactionRow {
  id: number;
  uid: string;
  payer_id: number;
  method: PaymentMethod;
  tendered_fen: number | null;
  change_fen: number | null;
  pos_ref: string | null;
  created_at: string;
  business_date: string;
}

/**
 * Assessment and payment at the counter. Amounts are always recomputed here from the registry and
 * the policy table: the renderer chooses years and tiers, never prices.
 */
export class PaymentService {
  constructor(
    private readonly db: Db,
    private readonly policies: PolicyRegistry,
    private readonly regionCode: string,
    private readonly timeZone: string,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  today(): string {
    return civilDate(this.clock.now(), this.timeZone);
  }

  private payerRow(payerId: number): PayerRow {
    const row = sql.get<PayerRow>(this.db, 'SELECT * FROM payers WHERE id = ?', payerId);
    if (!row) throw new AppError('PAYER_NOT_FOUND');
    return row;
  }

  /** A payer's records for the engine: registry row, special groups and every payment. */
  private records(payerId: number): PayerRecords {
    const row = this.payerRow(payerId);
    return {
      row,
      groups: sql.all<PayerRecords['groups'][number]>(
        this.db,
        'SELECT code, valid_from, valid_to FROM payer_special_groups WHERE payer_id = ? ORDER BY valid_from',
        payerId,
      ),
      payments: sql.all<PayerRecords['payments'][number]>(
        this.db,
        'SELECT id, year, tier_fen, amount_fen, channel, channel_ref, paid_at, lump_sum_years FROM payments WHERE payer_id = ? ORDER BY year DESC, paid_at',
        payerId,
      ),
    };
  }

  /** The engine's view of a payer: registry row, special groups and one paid tier per year. */
  private policyPayer({ row, groups, payments }: PayerRecords, today: string): PolicyPayer {
    // A year paid twice (a conflict) is one paid year for eligibility: the first payment (lowest
    // id) counts. Lump sums count their years, not the calendar year they were paid in.
    const firstOfYear = new Map<number, PayerRecords['payments'][number]>();
    const lumpSums: PayerRecords['payments'] = [];
    for (const p of payments) {
      if (p.lump_sum_years !== null) lumpSums.push(p);
      else {
        const first = firstOfYear.get(p.year);
        if (first === undefined || p.id < first.id) firstOfYear.set(p.year, p);
      }
    }
    const paid = [...firstOfYear.values()].sort((a, b) => a.year - b.year);
    lumpSums.sort((a, b) => a.id - b.id);
    const credits = sql.all<{
      year: number;
      amount_fen: number | null;
    }>(this.db, 'SELECT year, amount_fen FROM government_credits WHERE payer_id = ? ORDER BY year', row.id);
    return PolicyPayer.parse({
      idNumber: row.id_number,
      birthDate: row.birth_date,
      registrationDate: row.registration_date,
      registrationStatus: row.status,
      specialGroups: groups.map((g) => ({ group: g.code, from: g.valid_from, to: g.valid_to })),
      paidYears: paid.map((p) => ({ year: p.year, tierFen: p.tier_fen, channel: p.channel })),
      governmentCredits: credits.map((c) => ({ year: c.year, amountFen: c.amount_fen })),
      lumpSums: lumpSums.map((l) => ({ paidOn: civilDate(new Date(l.paid_at), this.timeZone), years: l.lump_sum_years!, tierFen: l.tier_fen })),
      // The registry only says whether the person is in the employees' scheme now.
      employeesSchemeYears: row.in_employee_scheme ? [Number(today.slice(0, 4))] : [],
    } satisfies PolicyPayerInput);
  }

  /** The engine's answer for a payer today, or the reason there is none. */
  assess(payerId: number): { assessment: Assessment | null; policyMessage: string | null } {
    return this.assessRecords(() => this.records(payerId));
  }

  /**
   * The engine's answer for records already read (the payer page reads them once for both of its
   * parts); `records` is only called when a policy table applies.
   */
  assessRecords(records: PayerRecords | (() => PayerRecords)): { assessment: Assessment | null; policyMessage: string | null } {
    const today = this.today();
    const year = Number(today.slice(0, 4));
    if (this.policies.conflict(this.regionCode, year)) {
      return { assessment: null, policyMessage: `${year}年度有两份政策表，系统无法确定使用哪一份，暂不能收费。请联系信息技术人员。` };
    }
    const table = this.policies.table(this.regionCode, year, today);
    if (!table) return { assessment: null, policyMessage: `${year}年度政策表未安装，暂不能收费。请联系信息技术人员。` };
    const assessment = assessPayer(this.policyPayer(typeof records === 'function' ? records() : records, today), table, today, {
      tableForYear: (y) => this.policies.table(this.regionCode, y),
    });
    return { assessment, policyMessage: null };
  }

  /** Collection progress of the current year against the policy table's targets. */
  progress(): Promise<ProgressView> {
    const today = this.today();
    const table = this.policies.table(this.regionCode, Number(today.slice(0, 4)), today);
    if (!table) throw new AppError('NO_POLICY');
    return collectionProgress(this.db, table, today);
  }

  quote(payerId: number, lines: readonly QuoteLineRequest[]): Quote {
    const { assessment } = this.assess(payerId);
    if (!assessment) throw new AppError('NO_POLICY');
    return quote(assessment, lines);
  }

  /**
   * Records a counter payment. Idempotent by transaction uid: a repeated call (double Enter, a
   * retry after a lost response, a restart) returns what was recorded the first time. Ledger
   * rows, the outbox event and the slip's print job are written in one transaction, so a crash
   * leaves either all of them or none.
   */
  record(
    input: {
      transactionUid: string;
      payerId: number;
      lines: QuoteLineRequest[];
      method: PaymentMethod;
      tenderedFen: number | null;
      /** Bank card: the POS slip's reference number (参考号). */
      posRef?: string | null;
    },
    ctx: CounterContext,
  ): RecordedPayment | NothingToCollect {
    return this.db
      .transaction((): RecordedPayment | NothingToCollect => {
        const existing = sql.get<TransactionRow>(this.db, 'SELECT * FROM counter_transactions WHERE uid = ?', input.transactionUid);
        if (existing) {
          if (existing.payer_id !== input.payerId) throw new AppError('VALIDATION', '交易编号已用于另一位缴费人');
          this.log.info({ transactionId: existing.id }, 'payment already recorded: returning the earlier result');
          return this.view(existing, true);
        }
        const q = this.quote(input.payerId, input.lines);
        if (!q.ok) {
          throw new AppError(
            'PAYMENT_NOT_ALLOWED',
            q.errors.map((e) => e.message).join('；'),
            q.errors.map((e) => ({ path: e.index === null ? 'lines' : `lines.${e.index}`, message: e.message })),
          );
        }
        const total = q.totals.payerFen;
        if (total === 0) {
          // The government pays all of it (e.g. 重度残疾 at the minimum tier): the counter takes no
          // money, records nothing and issues no receipt; the 代缴 reaches the ledger by sync.
          const row = this.payerRow(input.payerId);
          const years = q.lines.map((l) => `${l.year}年度`).join('、');
          const gov = q.totals.governmentPaidFen;
          this.log.info({ payerId: input.payerId, years: q.lines.map((l) => l.year) }, 'nothing to collect: nothing recorded');
          return {
            outcome: 'nothing_to_collect',
            payerId: input.payerId,
            payerName: row.name,
            idNumberMasked: maskIdNumber(row.id_number),
            lines: q.lines,
            totals: q.totals,
            message: `无需缴费：${years}个人应缴 0 元${gov > 0 ? `（政府代缴 ${formatYuan(gov)} 元）` : ''}，本次不收款、不开具缴款书。`,
          };
        }
        const posRef = input.method === 'bank_card' ? (input.posRef ?? null) : null;
        if (input.method !== 'bank_card' && input.posRef) throw new AppError('VALIDATION', '只有银行卡缴费需要填写参考号');
        let tendered: number | null = null;
        let change: number | null = null;
        if (input.method === 'cash') {
          tendered = input.tenderedFen ?? total;
          if (tendered < total) throw new AppError('TENDERED_TOO_LOW', `实收金额不足：应收 ${formatYuan(total)} 元`);
          change = tendered - total;
        }
        const now = this.clock.now().toISOString();
        // Once the clerk has closed today, later work goes to the next business day.
        const businessDate = openBusinessDate(this.db, this.today(), ctx.operatorId);
        const row = this.payerRow(input.payerId);
        const txId = Number(
          sql.run(
            this.db,
            `INSERT INTO counter_transactions (uid, payer_id, operator_id, shift_id, counter_no, business_date, method, total_fen, tendered_fen, change_fen, pos_ref, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            input.transactionUid,
            input.payerId,
            ctx.operatorId,
            ctx.shiftId,
            ctx.counterNo,
            businessDate,
            input.method,
            total,
            tendered,
            change,
            posRef,
            now,
          ).lastInsertRowid,
        );
        const outboxLines = q.lines.map((l) => {
          const localUid = randomUUID();
          sql.run(
            this.db,
            `INSERT INTO payments (payer_id, year, tier_fen, amount_fen, channel, channel_ref, paid_at, created_at,
              transaction_id, local_uid, subsidy_fen, government_paid_fen, government_paid_split, back_payment, subsidy_split, lump_sum_years)
             VALUES (?, ?, ?, ?, 'counter', NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            input.payerId,
            l.year,
            l.tierFen,
            l.payerFen,
            now,
            now,
            txId,
            localUid,
            l.subsidyFen,
            l.governmentPaidFen,
            JSON.stringify(l.governmentPaidSplit),
            l.kind === 'back_payment' || l.kind === 'lump_sum' ? 1 : 0,
            JSON.stringify(l.subsidySplit),
            l.kind === 'lump_sum' ? l.years : null,
          );
          return {
            localUid,
            idNumber: row.id_number,
            year: l.year,
            tierFen: l.tierFen,
            amountFen: l.payerFen,
            subsidyFen: l.subsidyFen,
            governmentPaidFen: l.governmentPaidFen,
            backPayment: l.kind === 'back_payment' || l.kind === 'lump_sum',
            subsidySplit: l.subsidySplit,
            governmentPaidSplit: l.governmentPaidSplit,
            ...(l.kind === 'lump_sum' ? { lumpSumYears: l.years } : {}),
          };
        });
        enqueue(
          this.db,
          'payment.recorded',
          {
            transactionUid: input.transactionUid,
            counterNo: ctx.counterNo,
            operatorUsername: ctx.operatorUsername,
            businessDate,
            paidAt: now,
            method: input.method,
            ...(posRef ? { posRef } : {}),
            lines: outboxLines,
          },
          { key: input.transactionUid, at: now },
        );
        sql.run(
          this.db,
          "INSERT INTO print_jobs (kind, ref_id, payload, state, created_at) VALUES ('payment_slip', ?, ?, 'pending', ?)",
          txId,
          JSON.stringify({ transactionId: txId }),
          now,
        );
        appendAudit(this.db, {
          action: 'payment.record',
          entity: 'transaction',
          entityId: txId,
          actor: { operatorId: ctx.operatorId, username: ctx.operatorUsername, counterNo: ctx.counterNo },
          after: {
            payerId: input.payerId,
            lines: q.lines.map((l) => ({
              year: l.year,
              tierFen: l.tierFen,
              amountFen: l.payerFen,
              ...(l.kind === 'lump_sum' ? { lumpSumYears: l.years } : {}),
            })),
            totalFen: total,
            method: input.method,
            tenderedFen: tendered,
            changeFen: change,
            ...(posRef ? { posRef } : {}),
          },
          at: now,
        });
        this.log.info(
          { transactionId: txId, payerId: input.payerId, years: q.lines.map((l) => l.year), totalFen: total, method: input.method },
          'payment recorded',
        );
        const created = sql.one<TransactionRow>(this.db, 'SELECT * FROM counter_transactions WHERE id = ?', txId);
        return this.view(created, false);
      })
      .immediate();
  }

  /** A payer's counter transactions, newest first. */
  forPayer(payerId: number, limit: number): RecordedPayment[] {
    const rows = sql.all<TransactionRow>(this.db, 'SELECT * FROM counter_transactions WHERE payer_id = ? ORDER BY id DESC LIMIT ?', payerId, limit);
    return rows.map((tx) => this.view(tx, false));
  }

  /** A recorded transaction as the API returns it, rebuilt from the ledger rows. */
  view(tx: TransactionRow, duplicate: boolean): RecordedPayment {
    const row = this.payerRow(tx.payer_id);
    const lines = sql.all<{
      year: number;
      tier_fen: number;
      amount_fen: number;
      subsidy_fen: number;
      government_paid_fen: number;
      government_paid_split: string;
      back_payment: number;
      subsidy_split: string;
      lump_sum_years: number | null;
    }>(
      this.db,
      `SELECT year, tier_fen, amount_fen, subsidy_fen, government_paid_fen, government_paid_split, back_payment, subsidy_split, lump_sum_years
         FROM payments WHERE transaction_id = ? ORDER BY lump_sum_years IS NULL, year DESC`,
      tx.id,
    );
    const quoteLines = lines.map((l) => ({
      year: l.year,
      kind: l.lump_sum_years !== null ? ('lump_sum' as const) : l.back_payment ? ('back_payment' as const) : ('current' as const),
      years: l.lump_sum_years ?? 1,
      tierFen: l.tier_fen,
      payerFen: l.amount_fen,
      subsidyFen: l.subsidy_fen,
      subsidySplit: JSON.parse(l.subsidy_split) as SplitShare[],
      governmentPaidFen: l.government_paid_fen,
      governmentPaidSplit: JSON.parse(l.government_paid_split) as SplitShare[],
      accountFen: l.amount_fen + l.subsidy_fen + l.government_paid_fen,
      reserved: false,
    }));
    const job = sql.get<{ id: number; kind: PrintJobView['kind']; state: PrintJobView['state']; last_error: string | null }>(
      this.db,
      "SELECT id, kind, state, last_error FROM print_jobs WHERE kind = 'payment_slip' AND ref_id = ? ORDER BY id DESC LIMIT 1",
      tx.id,
    );
    return {
      outcome: 'recorded',
      transactionId: tx.id,
      transactionUid: tx.uid,
      duplicate,
      payerId: tx.payer_id,
      payerName: row.name,
      idNumberMasked: maskIdNumber(row.id_number),
      lines: quoteLines,
      totals: totalsOf(quoteLines),
      method: tx.method,
      tenderedFen: tx.tendered_fen,
      changeFen: tx.change_fen,
      posRef: tx.pos_ref,
      recordedAt: tx.created_at,
      businessDate: tx.business_date,
      printJob: job ? { id: job.id, kind: job.kind, state: job.state, lastError: job.last_error } : null,
    };
  }
}
