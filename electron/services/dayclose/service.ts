// Day close (日结): locks an operator's business day with an immutable, numbered record of its
// summary and the cash counted, and pushes it upstream through the outbox in the same transaction.
import { enqueue } from '../../sync/outbox';
import { createHash, randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/api/errors';
import type { Clock } from '../../platform/clock';
import { civilDate } from '../../platform/clock';
import type { Db } from '../../platform/db/database';
import type { Logger } from '../../platform/log';
import { addDays, computeDaySummary, isBusinessDate } from './summary';
import { compareWithUpstream } from './upstream';
import { UpstreamDayTotals as UpstreamDayTotalsSchema } from '../../sync/protocol';
import type { DayCloseFilters, DayCloseInput, DayCloseRecord, DaySummary, OperatorRef, Reconciliation, UpstreamDayTotals } from './types';
import * as sql from '../../platform/db/sql';

/** 日结编号 as printed. */
export function closeNumber(no: number): string {
  return `RJ${String(no).padStart(6, '0')}`;
}

/**
 * The business date new work of an operator goes to: the civil date today, or — once today is
 * closed — the first later day not closed ("later work goes to the next day").
 */
export function openBusinessDate(db: Db, civilToday: string, operatorId: number): string {
  const closed = new Set(
    sql
      .all<{ d: string }>(db, 'SELECT business_date AS d FROM day_closes WHERE operator_id = ? AND business_date >= ?', operatorId, civilToday)
      .map((r) => r.d),
  );
  let d = civilToday;
  while (closed.has(d)) d = addDays(d, 1);
  return d;
}

/** Canonical JSON: object keys sorted, so the hash of a summary does not depend on key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

interface CloseRow {
  no: number;
  uid: string;
  business_date: string;
  operator_id: number;
  counter_no: number;
  cash_expected_fen: number;
  cash_counted_fen: number;
  cash_difference_fen: number;
  waiting_approved_by: number | null;
  summary: string;
  summary_sha256: string;
  closed_by: number;
  closed_at: string;
}

export interface DayCloseServiceOptions {
  /** The hall's zone (Asia/Shanghai): a day cannot be closed before it has begun there. */
  timeZone: string;
}

export class DayCloseService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: DayCloseServiceOptions,
  ) {}

  summary(businessDate: string, operatorId?: number): DaySummary {
    if (!isBusinessDate(businessDate)) throw new AppError('VALIDATION', `业务日期无效：${businessDate}`);
    return computeDaySummary(this.db, { businessDate, operatorId });
  }

  private operator(id: number): OperatorRef & { role: string } {
    const row = sql.get<OperatorRef & { role: string }>(this.db, 'SELECT id, username, display_name AS name, role FROM operators WHERE id = ?', id);
    if (!row) throw new AppError('NOT_FOUND', `操作员不存在：${id}`);
    return row;
  }

  /**
   * Closes an operator's business day: computes the summary from the ledger, records it with the
   * cash counted (difference = counted − expected) under the next close number, and writes the
   * 'day.closed' outbox event, all in one IMMEDIATE transaction. A day is closed once per operator.
   */
  close(input: DayCloseInput): DayCloseRecord {
    if (!isBusinessDate(input.businessDate)) throw new AppError('VALIDATION', `业务日期无效：${input.businessDate}`);
    if (!Number.isSafeInteger(input.cashCountedFen) || input.cashCountedFen < 0) throw new AppError('VALIDATION', '实点现金应为不小于 0 的金额（分）');
    if (!Number.isInteger(input.counterNo) || input.counterNo < 1 || input.counterNo > 99) throw new AppError('VALIDATION', '窗口号应为 1–99');
    const today = civilDate(this.clock.now(), this.options.timeZone);
    if (input.businessDate > today) throw new AppError('VALIDATION', `${input.businessDate} 尚未开始，不能日结`);
    return this.db
      .transaction((): DayCloseRecord => {
        const operator = this.operator(input.operatorId);
        const closer = this.operator(input.closedBy);
        if (closer.id !== operator.id && closer.role !== 'supervisor') throw new AppError('FORBIDDEN', '只能由本人或值班主任办理日结');
        const existing = sql.get<{ no: number }>(
          this.db,
          'SELECT no FROM day_closes WHERE business_date = ? AND operator_id = ?',
          input.businessDate,
          operator.id,
        );
        // DAY_ALREADY_CLOSED once the lead adds it.
        if (existing)
          throw new AppError('DAY_ALREADY_CLOSED', `${operator.name} ${input.businessDate} 已日结（日结编号 ${closeNumber(existing.no)}），不能重复日结`);
        const summary = computeDaySummary(this.db, { businessDate: input.businessDate, operatorId: operator.id });
        let approver: (OperatorRef & { role: string }) | null = null;
        if (summary.waiting.length > 0) {
          if (input.waitingApprovedBy == null) {
            const list = summary.waiting.map((w) => w.number);
            throw new AppError(
              'RECEIPTS_WAITING',
              `还有 ${list.length} 份缴款书未打印或未确认打印（${list.slice(0, 5).join('、')}${list.length > 5 ? ' 等' : ''}）。请先打印并确认，或作废重开；确需日结的，经值班主任审批后日结，这些缴款书将列在日汇总单上。`,
            );
          }
          approver = this.operator(input.waitingApprovedBy);
          if (approver.role !== 'supervisor') throw new AppError('APPROVAL_REQUIRED', '带未确认缴款书日结需要值班主任审批');
          if (approver.id === operator.id) throw new AppError('APPROVAL_REQUIRED', '审批人不能是日结的操作员本人，请由另一位值班主任审批');
        }
        const summaryJson = canonicalJson(summary);
        const sha = createHash('sha256').update(summaryJson).digest('hex');
        const expected = summary.cash.expectedFen;
        const uid = randomUUID();
        const now = this.clock.now().toISOString();
        const no = Number(
          sql.run(
            this.db,
            `INSERT INTO day_closes (uid, business_date, operator_id, counter_no, payment_count, total_fen, cash_expected_fen, cash_counted_fen,
               cash_difference_fen, summary, summary_sha256, closed_by, closed_at, waiting_approved_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            uid,
            input.businessDate,
            operator.id,
            input.counterNo,
            summary.payments.count,
            summary.payments.amountFen,
            expected,
            input.cashCountedFen,
            input.cashCountedFen - expected,
            summaryJson,
            sha,
            closer.id,
            now,
            approver?.id ?? null,
          ).lastInsertRowid,
        );
        const record = this.record(this.row(no));
        enqueue(this.db, 'day.closed', dayClosedPayload(record), { key: `day-closed-${uid}`, at: now });
        this.log.info(
          {
            closeNo: no,
            businessDate: input.businessDate,
            operatorId: operator.id,
            totalFen: summary.payments.amountFen,
            cashDifferenceFen: record.cash.differenceFen,
          },
          'day closed',
        );
        return record;
      })
      .immediate();
  }

  private row(no: number): CloseRow {
    const row = sql.get<CloseRow>(this.db, 'SELECT * FROM day_closes WHERE no = ?', no);
    if (!row) throw new AppError('NOT_FOUND', `日结记录不存在：${no}`);
    return row;
  }

  private record(row: CloseRow): DayCloseRecord {
    const op = this.operator(row.operator_id);
    const by = this.operator(row.closed_by);
    const approver = row.waiting_approved_by === null || row.waiting_approved_by === undefined ? null : this.operator(row.waiting_approved_by);
    const summary = JSON.parse(row.summary) as DaySummary;
    // Closes recorded before waiting receipts were listed.
    summary.waiting ??= [];
    return {
      no: row.no,
      number: closeNumber(row.no),
      uid: row.uid,
      businessDate: row.business_date,
      operator: { id: op.id, username: op.username, name: op.name },
      counterNo: row.counter_no,
      summary,
      summarySha256: row.summary_sha256,
      cash: { expectedFen: row.cash_expected_fen, countedFen: row.cash_counted_fen, differenceFen: row.cash_difference_fen },
      closedBy: { id: by.id, username: by.username, name: by.name },
      closedAt: row.closed_at,
      waitingApprovedBy: approver ? { id: approver.id, username: approver.username, name: approver.name } : null,
    };
  }

  /** A past close as recorded (the snapshot, never recomputed): view and reprint. Accepts 12 or 'RJ000012'. */
  get(no: number | string): DayCloseRecord {
    const n = typeof no === 'number' ? no : Number(String(no).replace(/^RJ/i, ''));
    if (!Number.isSafeInteger(n) || n < 1) throw new AppError('NOT_FOUND', `日结编号无效：${no}`);
    return this.record(this.row(n));
  }

  /** The close of an operator's day, or null while it is open. */
  forDay(businessDate: string, operatorId: number): DayCloseRecord | null {
    const row = sql.get<CloseRow>(this.db, 'SELECT * FROM day_closes WHERE business_date = ? AND operator_id = ?', businessDate, operatorId);
    return row ? this.record(row) : null;
  }

  list(filters: DayCloseFilters = {}): DayCloseRecord[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const add = (sql: string, v: string | number) => {
      where.push(sql);
      args.push(v);
    };
    if (filters.from) add('business_date >= ?', filters.from);
    if (filters.to) add('business_date <= ?', filters.to);
    if (filters.operatorId !== undefined) add('operator_id = ?', filters.operatorId);
    if (filters.counterNo !== undefined) add('counter_no = ?', filters.counterNo);
    const limit = Math.min(Math.max(1, filters.limit ?? 200), 5000);
    const rows = sql.all<CloseRow>(
      this.db,
      `SELECT * FROM day_closes ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY business_date DESC, no DESC LIMIT ${limit}`,
      ...args,
    );
    return rows.map((r) => this.record(r));
  }

  /**
   * Compares a close with the upstream's day totals and appends the result (append-only).
   * Returns the mismatch lines; none means the day matches.
   */
  reconcile(no: number, upstream: UpstreamDayTotals): Reconciliation {
    const parsed = UpstreamDayTotalsSchema.safeParse(upstream);
    if (!parsed.success)
      throw new AppError('VALIDATION', `上游日汇总数据无效：${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`);
    const record = this.get(no);
    const mismatches = compareWithUpstream(record, parsed.data);
    const now = this.clock.now().toISOString();
    const id = Number(
      sql.run(
        this.db,
        'INSERT INTO day_close_reconciliations (close_no, compared_at, upstream, mismatches, matched) VALUES (?, ?, ?, ?, ?)',
        record.no,
        now,
        JSON.stringify(parsed.data),
        JSON.stringify(mismatches),
        mismatches.length === 0 ? 1 : 0,
      ).lastInsertRowid,
    );
    this.log.info({ closeNo: record.no, mismatches: mismatches.length }, 'day close compared with the upstream');
    return { id, closeNo: record.no, comparedAt: now, matched: mismatches.length === 0, mismatches };
  }

  reconciliations(no: number): Reconciliation[] {
    const rows = sql.all<{
      id: number;
      close_no: number;
      compared_at: string;
      mismatches: string;
      matched: number;
    }>(this.db, 'SELECT * FROM day_close_reconciliations WHERE close_no = ? ORDER BY id', no);
    return rows.map((r) => ({
      id: r.id,
      closeNo: r.close_no,
      comparedAt: r.compared_at,
      matched: r.matched === 1,
      mismatches: JSON.parse(r.mismatches) as Reconciliation['mismatches'],
    }));
  }
}

/** The 'day.closed' event payload (docs/upstream-protocol.md). */
export function dayClosedPayload(r: DayCloseRecord) {
  const s = r.summary;
  return {
    closeUid: r.uid,
    closeNo: r.no,
    closeNumber: r.number,
    businessDate: r.businessDate,
    operatorUsername: r.operator.username,
    counterNo: r.counterNo,
    closedBy: r.closedBy.username,
    closedAt: r.closedAt,
    totals: {
      transactions: s.payments.transactions,
      count: s.payments.count,
      amountFen: s.payments.amountFen,
      subsidyFen: s.payments.subsidyFen,
      governmentPaidFen: s.payments.governmentPaidFen,
    },
    byYear: s.payments.byYear.map((y) => ({ year: y.year, backPayment: y.backPayment, count: y.count, amountFen: y.amountFen })),
    byTier: s.payments.byTier,
    byMethod: s.payments.byMethod,
    exchangesByChannel: s.exchanges.byChannel,
    receipts: {
      used: s.receipts.used,
      issued: s.receipts.issued,
      voided: s.receipts.voided,
      reissued: s.receipts.reissued,
      ranges: s.receipts.ranges.map((x) => ({ first: x.firstNumber, last: x.lastNumber, count: x.count })),
      voidedNumbers: s.receipts.voidedList.map((v) => ({ number: v.number, reason: v.reason, replacedBy: v.replacedBy })),
    },
    cash: { expectedFen: r.cash.expectedFen, countedFen: r.cash.countedFen, differenceFen: r.cash.differenceFen },
    summarySha256: r.summarySha256,
  };
}
