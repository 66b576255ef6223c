// A receipt's life: issued for a counter payment, printed and confirmed, voided and reissued, 补开.
import { appendAudit } from '../trust/audit';
import { type ReceiptDocument } from '../../documents/receipt-document';
import { refuse } from './errors';
import type { ReceiptCore } from './core';
import type { ReceiptReading } from './reading';
import { type PaymentRow } from './rows';
import type { IssueResult, ReceiptContext, ReceiptView } from './types';
import * as sql from '../../platform/db/sql';

export class ReceiptLifecycle {
  constructor(
    private readonly core: ReceiptCore,
    private readonly reading: ReceiptReading,
  ) {}

  /**
   * Issues the receipt(s) for a counter payment, right after it was taken or later. Idempotent:
   * a transaction that already has its receipts gets them back with duplicate = true.
   */
  issueForTransaction(transactionId: number, ctx: ReceiptContext): IssueResult {
    return this.core.db
      .transaction((): IssueResult => {
        const tx = sql.get<{ id: number; payer_id: number }>(this.core.db, 'SELECT id, payer_id FROM counter_transactions WHERE id = ?', transactionId);
        if (!tx) throw refuse('NOT_FOUND', '没有这笔柜台缴费记录');
        const payments = sql.all<PaymentRow>(
          this.core.db,
          "SELECT * FROM payments WHERE transaction_id = ? AND channel = 'counter' ORDER BY year, id",
          transactionId,
        );
        if (payments.length === 0) throw refuse('NOT_FOUND', '这笔柜台缴费没有缴费明细');
        const covered = this.liveReceiptIds(payments.map((p) => p.id));
        if (covered.size > 0) {
          const lines = sql.one<{ n: number }>(
            this.core.db,
            'SELECT count(*) AS n FROM receipt_lines WHERE original = 1 AND active = 1 AND payment_id IN (SELECT value FROM json_each(?))',
            sql.list(payments.map((p) => p.id)),
          );
          if (lines.n !== payments.length) throw refuse('RECEIPT_ALREADY_ISSUED', '这笔缴费的部分年度已开具缴款书，请联系值班主任核对');
          return { receipts: [...covered].map((id) => this.core.view(this.core.receiptRowById(id))), duplicate: true };
        }
        const lines = payments.map((p) => ({ paymentId: p.id, year: p.year, amountFen: p.amount_fen }));
        const receipts = this.core.issueChunks(
          tx.payer_id,
          lines,
          { kind: 'counter', transactionId, reissueOf: null, replaces: null, reason: null, approvedBy: null },
          ctx,
        );
        return { receipts, duplicate: false };
      })
      .immediate();
  }

  /**
   * 补开: a new receipt for a lost one, on the next number, marked 补开 with the original's
   * number. Needs a reason and a supervisor's approval; the original stays issued.
   */
  reissue(number: string, reason: string, approverOperatorId: number, ctx: ReceiptContext): ReceiptView {
    const why = this.core.reason(reason);
    return this.core.db
      .transaction((): ReceiptView => {
        this.core.approver(approverOperatorId, ctx);
        const orig = this.core.resolve(number);
        if (orig.state !== 'issued') throw refuse('RECEIPT_STATE', `缴款书 ${orig.number} 已作废，不能补开`);
        if (orig.print_state !== 'confirmed') throw refuse('RECEIPT_STATE', `缴款书 ${orig.number} 尚未确认打印：请重打或作废重开，不需补开`);
        const lines = this.core.lineRows(orig.id).map((l) => ({ paymentId: l.payment_id, year: l.year, amountFen: l.amount_fen }));
        const [created] = this.core.issueChunks(
          orig.payer_id,
          lines,
          {
            kind: 'reissue',
            transactionId: orig.transaction_id,
            reissueOf: orig.id,
            replaces: null,
            reason: why,
            approvedBy: approverOperatorId,
          },
          ctx,
        );
        this.core.log.info({ receipt: created!.number, reissueOf: orig.number, approverOperatorId }, 'receipt reissued (补开)');
        return created!;
      })
      .immediate();
  }

  /**
   * The document to print now: counts the print (第N次打印) and leaves the receipt waiting for the
   * clerk's "printed correctly?" confirmation. Refused once confirmed (a lost receipt is 补开).
   */
  printDocument(number: string): ReceiptDocument {
    return this.core.db
      .transaction((): ReceiptDocument => {
        const r = this.core.resolve(number);
        if (r.state !== 'issued') throw refuse('RECEIPT_STATE', `缴款书 ${r.number} 已作废，不能打印`);
        if (r.print_state === 'confirmed') throw refuse('RECEIPT_STATE', `缴款书 ${r.number} 已确认打印，不能再打印；遗失的请补开`);
        sql.run(this.core.db, 'UPDATE receipts SET print_count = print_count + 1 WHERE id = ?', r.id);
        if (r.print_count > 0) {
          appendAudit(this.core.db, {
            action: 'receipt.reprint',
            entity: 'receipt',
            entityId: r.number,
            actor: { operatorId: r.operator_id },
            before: { printCount: r.print_count },
            after: { printCount: r.print_count + 1 },
          });
        }
        return this.reading.document(r.number);
      })
      .immediate();
  }

  /** Printed badly: print again on the same number (the remarks show the print count). */
  reprint(number: string): ReceiptDocument {
    const r = this.core.resolve(number);
    if (r.print_count === 0) throw refuse('RECEIPT_STATE', `缴款书 ${r.number} 还没有打印过`);
    return this.printDocument(r.number);
  }

  /** The clerk confirms the receipt printed correctly. Repeating it is harmless. */
  confirmPrinted(number: string): ReceiptView {
    return this.core.db
      .transaction((): ReceiptView => {
        const r = this.core.resolve(number);
        if (r.state !== 'issued') throw refuse('RECEIPT_STATE', `缴款书 ${r.number} 已作废`);
        if (r.print_count === 0) throw refuse('RECEIPT_STATE', `缴款书 ${r.number} 还没有打印`);
        if (r.print_state !== 'confirmed') {
          sql.run(this.core.db, "UPDATE receipts SET print_state = 'confirmed', confirmed_at = ? WHERE id = ?", this.core.nowIso(), r.id);
        }
        return this.core.view(this.core.receiptRowById(r.id));
      })
      .immediate();
  }

  /**
   * Voids a number (作废: all copies kept, reason recorded, supervisor's approval) and issues the
   * same lines on the next number, marked 作废重开 with the voided number.
   */
  voidAndReissue(number: string, reason: string, approverOperatorId: number, ctx: ReceiptContext): ReceiptView {
    const why = this.core.reason(reason);
    return this.core.db
      .transaction((): ReceiptView => {
        const approver = this.core.approver(approverOperatorId, ctx);
        const old = this.core.resolve(number);
        if (old.state !== 'issued') throw refuse('RECEIPT_STATE', `缴款书 ${old.number} 已作废`);
        const now = this.core.nowIso();
        sql.run(
          this.core.db,
          "UPDATE receipts SET state = 'voided', voided_at = ?, void_reason = ?, void_approved_by = ? WHERE id = ?",
          now,
          why,
          approverOperatorId,
          old.id,
        );
        sql.run(this.core.db, 'UPDATE receipt_lines SET active = 0 WHERE receipt_id = ?', old.id);
        const lines = this.core.lineRows(old.id).map((l) => ({ paymentId: l.payment_id, year: l.year, amountFen: l.amount_fen }));
        const [created] = this.core.issueChunks(
          old.payer_id,
          lines,
          {
            kind: old.kind,
            transactionId: old.transaction_id,
            reissueOf: old.reissue_of,
            replaces: old.id,
            reason: old.reason,
            approvedBy: old.approved_by,
            group: old.group_uid ? { uid: old.group_uid, index: old.group_index!, count: old.group_count! } : null,
          },
          ctx,
        );
        sql.run(this.core.db, 'UPDATE exchanges SET receipt_id = ? WHERE receipt_id = ?', created!.id, old.id);
        this.core.outbox(
          `receipt-voided-${old.uid}`,
          'receipt.voided',
          {
            receiptUid: old.uid,
            receiptType: old.receipt_type,
            number: old.number,
            series: old.series,
            serial: old.serial,
            reason: why,
            approvedBy: approver.username,
            operatorUsername: ctx.operatorUsername,
            counterNo: ctx.counterNo,
            voidedAt: now,
            replacedBy: { receiptUid: created!.uid, number: created!.number },
          },
          now,
          { operatorId: ctx.operatorId, username: ctx.operatorUsername, counterNo: ctx.counterNo },
        );
        this.core.log.info({ voided: old.number, replacedBy: created!.number, approverOperatorId }, 'receipt voided and reissued');
        return created!;
      })
      .immediate();
  }

  private liveReceiptIds(paymentIds: number[]): Set<number> {
    if (paymentIds.length === 0) return new Set();
    const rows = sql.all<{ receipt_id: number }>(
      this.core.db,
      'SELECT DISTINCT receipt_id FROM receipt_lines WHERE original = 1 AND active = 1 AND payment_id IN (SELECT value FROM json_each(?)) ORDER BY receipt_id',
      sql.list(paymentIds),
    );
    return new Set(rows.map((r) => r.receipt_id));
  }
}
