// What every part of the receipt service stands on: the numbering (the next number of the
// operator's current block, taken inside the caller's IMMEDIATE transaction), the receipt rows and
// their views, the approvals, and the outbox event with its audit row written with each change.
import { enqueue, type OutboxKind, type OutboxPayload } from '../../sync/outbox';
import { randomInt, randomUUID } from 'node:crypto';
import { openBusinessDate } from '../dayclose';
import { appendAudit, type AuditAction, type AuditActor } from '../trust/audit';
import { maskIdNumber } from '../../../shared/domain/id-number';
import { FORM_LINES } from '../../documents/receipt-document';
import { civilDate, type Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/database';
import type { Logger } from '../../platform/log';
import { hallTime } from '../../../shared/domain/time';
import { refuse } from './errors';
import { formatReceiptNumber, receiptActionsOf, receiptStatusOf, type BlockRow, type IssueMeta, type LineInput, type PayerRow, type ReceiptRow } from './rows';
import type { BlockView, ReceiptContext, ReceiptLineView, ReceiptServiceOptions, ReceiptView } from './types';
import * as sql from '../../platform/db/sql';

// Each upstream event of a receipt change has its row in the audit chain.
const auditActionOf: Record<string, AuditAction> = {
  'receipt.issued': 'receipt.issue',
  'receipt.voided': 'receipt.void',
  'exchange.claimed': 'receipt.exchange',
  'receipt.block_returned': 'receipt.stockAdjust',
};

/** Shared by the receipt service's parts (stock, lifecycle, exchange, reading); not exported from the folder. */
export class ReceiptCore {
  constructor(
    readonly db: Db,
    readonly clock: Clock,
    readonly log: Logger,
    readonly options: ReceiptServiceOptions,
  ) {
    if (!Number.isInteger(options.formLineLimit) || options.formLineLimit < 1 || options.formLineLimit > FORM_LINES) {
      throw new Error(`formLineLimit must be 1–${FORM_LINES} (the lines of the paper form), got ${options.formLineLimit}`);
    }
  }

  nowIso(): string {
    return this.clock.now().toISOString();
  }

  localTime(iso: string): string {
    return hallTime(iso, this.options.timeZone);
  }

  reason(reason: string): string {
    const why = reason.trim();
    if (why.length < 2) throw refuse('VALIDATION', '请填写原因');
    if (why.length > 200) throw refuse('VALIDATION', '原因不能超过 200 字');
    return why;
  }

  /** The approving supervisor: an active supervisor account, not the clerk doing the work. */
  approver(operatorId: number, ctx: ReceiptContext | null): { id: number; username: string } {
    const row = sql.get<{ id: number; username: string; role: string; active: number }>(
      this.db,
      'SELECT id, username, role, active FROM operators WHERE id = ?',
      operatorId,
    );
    if (!row || row.role !== 'supervisor' || row.active !== 1) throw refuse('APPROVAL_REQUIRED', '此操作需要有效的值班主任账户审批');
    if (ctx && row.id === ctx.operatorId) throw refuse('APPROVAL_REQUIRED', '审批人不能是经办人本人，请由另一位值班主任审批');
    return { id: row.id, username: row.username };
  }

  /** An operator who may hold receipt stock. */
  holder(operatorId: number): { id: number; username: string } {
    const row = sql.get<{ id: number; username: string; role: string; active: number }>(
      this.db,
      'SELECT id, username, role, active FROM operators WHERE id = ?',
      operatorId,
    );
    if (!row || row.active !== 1 || row.role === 'admin') throw refuse('VALIDATION', '号码段只能发给在用的收费员或值班主任');
    return row;
  }

  insertBlock(
    b: {
      operatorId: number;
      series: string;
      firstSerial: number;
      lastSerial: number;
      serialDigits: number;
      source: 'upstream' | 'supervisor';
      upstreamBlockId: string | null;
      enteredBy: number | null;
    },
    now: string,
  ): number {
    try {
      return Number(
        sql.run(
          this.db,
          `INSERT INTO receipt_blocks (receipt_type, series, first_serial, last_serial, serial_digits, operator_id, source, upstream_block_id, entered_by, next_serial, created_at)
             VALUES ('tax_cash', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          b.series,
          b.firstSerial,
          b.lastSerial,
          b.serialDigits,
          b.operatorId,
          b.source,
          b.upstreamBlockId,
          b.enteredBy,
          b.firstSerial,
          now,
        ).lastInsertRowid,
      );
    } catch (error) {
      if (error instanceof Error && error.message.includes('overlaps')) {
        throw refuse('VALIDATION', `号码段 ${b.series} ${b.firstSerial}–${b.lastSerial} 与已有号码段重叠，同一号码不能领用两次`);
      }
      throw error;
    }
  }

  blockRow(id: number): BlockRow {
    const row = sql.get<BlockRow>(this.db, 'SELECT * FROM receipt_blocks WHERE id = ?', id);
    if (!row) throw refuse('NOT_FOUND', '没有这个号码段');
    return row;
  }

  blockView(b: BlockRow): BlockView {
    return {
      id: b.id,
      receiptType: b.receipt_type,
      series: b.series,
      firstSerial: b.first_serial,
      lastSerial: b.last_serial,
      serialDigits: b.serial_digits,
      operatorId: b.operator_id,
      source: b.source,
      upstreamBlockId: b.upstream_block_id,
      nextSerial: b.next_serial,
      handedBack:
        b.handed_back_from === null
          ? null
          : { fromSerial: b.handed_back_from, at: b.handed_back_at!, byOperatorId: b.handed_back_by!, reason: b.hand_back_reason ?? '' },
      createdAt: b.created_at,
    };
  }

  /** The block the operator's next number comes from: the oldest one with numbers left. */
  currentBlock(operatorId: number): BlockRow | undefined {
    return sql.get<BlockRow>(
      this.db,
      `SELECT * FROM receipt_blocks WHERE operator_id = ? AND receipt_type = 'tax_cash' AND handed_back_from IS NULL
           AND next_serial <= last_serial ORDER BY id LIMIT 1`,
      operatorId,
    );
  }

  payer(payerId: number): PayerRow {
    const row = sql.get<PayerRow>(this.db, 'SELECT id, id_number, name, town, village, address FROM payers WHERE id = ?', payerId);
    if (!row) throw refuse('NOT_FOUND', '没有这位缴费人');
    return row;
  }

  /** Splits lines over as many receipts as the form's line limit needs. Inside a transaction. */
  issueChunks(payerId: number, lines: LineInput[], meta: IssueMeta, ctx: ReceiptContext): ReceiptView[] {
    const total = lines.reduce((s, l) => s + l.amountFen, 0);
    if (total <= 0) throw refuse('VALIDATION', '个人实缴金额为零，不开具缴款书');
    const out: ReceiptView[] = [];
    const limit = this.options.formLineLimit;
    const count = Math.ceil(lines.length / limit);
    // Several forms for one confirmation are one group: 第1张/共3张 on each.
    const groupUid = count > 1 ? randomUUID() : null;
    for (let i = 0; i < lines.length; i += limit) {
      const group = meta.group !== undefined ? meta.group : groupUid ? { uid: groupUid, index: i / limit + 1, count } : null;
      out.push(this.issueOne(payerId, lines.slice(i, i + limit), { ...meta, group }, ctx));
    }
    // Rows are re-read so that every form of the group lists all the group's numbers.
    return groupUid ? out.map((r) => this.view(this.receiptRowById(r.id))) : out;
  }

  /** Takes the next number and records one receipt with its lines and its outbox event. Inside a transaction. */
  issueOne(payerId: number, lines: LineInput[], meta: IssueMeta, ctx: ReceiptContext): ReceiptView {
    const block = this.currentBlock(ctx.operatorId);
    if (!block) throw refuse('RECEIPT_STOCK_EMPTY', '您名下没有可用的缴款书号码，请值班主任录入或申领票证后再开具');
    const serial = block.next_serial;
    const moved = sql.run(this.db, 'UPDATE receipt_blocks SET next_serial = next_serial + 1 WHERE id = ? AND next_serial = ?', block.id, serial);
    if (moved.changes !== 1) throw new Error('receipt block changed under an immediate transaction');
    const number = formatReceiptNumber(block.series, serial, block.serial_digits);
    const now = this.nowIso();
    // Once the clerk has closed today, later receipts go to the next business day.
    const businessDate = openBusinessDate(this.db, civilDate(new Date(now), this.options.timeZone), ctx.operatorId);
    const uid = randomUUID();
    const checkCode = String(randomInt(0, 100_000_000)).padStart(8, '0');
    const total = lines.reduce((s, l) => s + l.amountFen, 0);
    const id = Number(
      sql.run(
        this.db,
        `INSERT INTO receipts (uid, block_id, receipt_type, series, serial, number, kind, state, payer_id, operator_id, counter_no, transaction_id,
             reissue_of, replaces, total_fen, business_date, issued_at, check_code, print_count, print_state, reason, approved_by,
             group_uid, group_index, group_count)
           VALUES (?, ?, 'tax_cash', ?, ?, ?, ?, 'issued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'pending', ?, ?, ?, ?, ?)`,
        uid,
        block.id,
        block.series,
        serial,
        number,
        meta.kind,
        payerId,
        ctx.operatorId,
        ctx.counterNo,
        meta.transactionId,
        meta.reissueOf,
        meta.replaces,
        total,
        businessDate,
        now,
        checkCode,
        meta.reason,
        meta.approvedBy,
        meta.group?.uid ?? null,
        meta.group?.index ?? null,
        meta.group?.count ?? null,
      ).lastInsertRowid,
    );
    lines.forEach((l, i) => {
      try {
        sql.run(
          this.db,
          'INSERT INTO receipt_lines (receipt_id, line_no, payment_id, year, amount_fen, original, active) VALUES (?, ?, ?, ?, ?, ?, 1)',
          id,
          i + 1,
          l.paymentId,
          l.year,
          l.amountFen,
          meta.kind === 'reissue' ? 0 : 1,
        );
      } catch (error) {
        if (error instanceof Error && /UNIQUE/.test(error.message)) throw refuse('RECEIPT_ALREADY_ISSUED', `${l.year}年度的缴费已开具缴款书`);
        throw error;
      }
    });
    const payer = this.payer(payerId);
    const approver =
      meta.approvedBy === null ? null : sql.one<{ username: string }>(this.db, 'SELECT username FROM operators WHERE id = ?', meta.approvedBy).username;
    this.outbox(
      `receipt-issued-${uid}`,
      'receipt.issued',
      {
        receiptUid: uid,
        receiptType: 'tax_cash',
        number,
        series: block.series,
        serial,
        blockId: block.upstream_block_id,
        kind: meta.kind,
        reissueOf: meta.reissueOf === null ? null : this.receiptRowById(meta.reissueOf).number,
        replaces: meta.replaces === null ? null : this.receiptRowById(meta.replaces).number,
        reason: meta.reason,
        approvedBy: approver,
        idNumber: payer.id_number,
        totalFen: total,
        lines: lines.map((l) => {
          const ids = sql.one<{ local_uid: string | null; upstream_id: string | null }>(
            this.db,
            'SELECT local_uid, upstream_id FROM payments WHERE id = ?',
            l.paymentId,
          );
          return { year: l.year, amountFen: l.amountFen, paymentLocalUid: ids.local_uid, paymentUpstreamId: ids.upstream_id };
        }),
        checkCode,
        counterNo: ctx.counterNo,
        operatorUsername: ctx.operatorUsername,
        businessDate,
        issuedAt: now,
      },
      now,
      { operatorId: ctx.operatorId, username: ctx.operatorUsername, counterNo: ctx.counterNo },
    );
    this.log.info({ receipt: number, kind: meta.kind, payerId, years: lines.map((l) => l.year), totalFen: total }, 'receipt issued');
    return this.view(this.receiptRowById(id));
  }

  /** The upstream event and the audit row of a change, inside the change's own transaction. */
  outbox<K extends OutboxKind>(key: string, kind: K, payload: OutboxPayload<K>, now: string, actor: AuditActor): void {
    enqueue(this.db, kind, payload, { key, at: now });
    const action = auditActionOf[kind];
    if (!action) throw new Error(`no audit action for ${kind}`);
    appendAudit(this.db, {
      action,
      entity: kind.startsWith('exchange') ? 'exchange' : kind.startsWith('receipt.block') ? 'receipt_block' : 'receipt',
      entityId: key,
      actor,
      after: payload,
      at: now,
    });
  }

  /** A receipt by its full number, or by its serial alone when that is unambiguous. */
  resolve(input: string): ReceiptRow {
    const text = input.trim();
    const exact = sql.get<ReceiptRow>(this.db, 'SELECT * FROM receipts WHERE number = ?', text);
    if (exact) return exact;
    if (/^\d+$/.test(text)) {
      const rows = sql.all<ReceiptRow>(this.db, 'SELECT * FROM receipts WHERE serial = ?', Number(text));
      if (rows.length === 1) return rows[0]!;
      if (rows.length > 1) throw refuse('VALIDATION', `有多个字轨的号码为 ${text}，请输入完整票号`);
    }
    throw refuse('NOT_FOUND', `没有票号为 ${text} 的缴款书`);
  }

  receiptRowById(id: number): ReceiptRow {
    return sql.one<ReceiptRow>(this.db, 'SELECT * FROM receipts WHERE id = ?', id);
  }

  lineRows(receiptId: number): { line_no: number; payment_id: number; year: number; amount_fen: number }[] {
    return sql.all<{
      line_no: number;
      payment_id: number;
      year: number;
      amount_fen: number;
    }>(this.db, 'SELECT line_no, payment_id, year, amount_fen FROM receipt_lines WHERE receipt_id = ? ORDER BY line_no', receiptId);
  }

  view(r: ReceiptRow): ReceiptView {
    const payer = this.payer(r.payer_id);
    const lines: ReceiptLineView[] = this.lineRows(r.id).map((l) => ({ lineNo: l.line_no, paymentId: l.payment_id, year: l.year, amountFen: l.amount_fen }));
    return {
      id: r.id,
      uid: r.uid,
      number: r.number,
      series: r.series,
      serial: r.serial,
      receiptType: r.receipt_type,
      kind: r.kind,
      state: r.state,
      payerId: r.payer_id,
      payerName: payer.name,
      idNumberMasked: maskIdNumber(payer.id_number),
      operatorId: r.operator_id,
      counterNo: r.counter_no,
      transactionId: r.transaction_id,
      lines,
      totalFen: r.total_fen,
      businessDate: r.business_date,
      issuedAt: r.issued_at,
      checkCode: r.check_code,
      printCount: r.print_count,
      printState: r.print_state,
      reissueOf: r.reissue_of === null ? null : this.receiptRowById(r.reissue_of).number,
      replaces: r.replaces === null ? null : this.receiptRowById(r.replaces).number,
      reason: r.reason,
      voided: r.voided_at === null ? null : { at: r.voided_at, reason: r.void_reason!, approvedBy: r.void_approved_by! },
      status: receiptStatusOf(r),
      actions: receiptActionsOf(r),
      group: this.groupOf(r),
      replacedBy:
        r.state === 'voided'
          ? (sql.get<{ number: string }>(this.db, 'SELECT number FROM receipts WHERE replaces = ? ORDER BY id LIMIT 1', r.id)?.number ?? null)
          : null,
    };
  }

  /** 第index张/共count张 with the group's live numbers in order, or null for a receipt on its own. */
  groupOf(r: ReceiptRow): ReceiptView['group'] {
    if (r.group_uid === null || r.group_index === null || r.group_count === null) return null;
    const numbers = sql
      .all<{ number: string }>(this.db, "SELECT number FROM receipts WHERE group_uid = ? AND state = 'issued' ORDER BY group_index, id", r.group_uid)
      .map((x) => x.number);
    return { index: r.group_index, count: r.group_count, numbers };
  }
}
