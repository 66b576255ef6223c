// Reading receipts: by number, payer, transaction, the operator's waiting ones, and the printed document.
import { PENSION_ITEM, receiptAddress, type ReceiptDocument } from '../../documents/receipt-document';
import type { ExchangeChannel } from '../../sync/protocol';
import { civilDate } from '../../platform/clock';
import type { ReceiptCore } from './core';
import { channelLabels, type ReceiptRow } from './rows';
import type { ReceiptView } from './types';
import * as sql from '../../platform/db/sql';

export class ReceiptReading {
  constructor(private readonly core: ReceiptCore) {}

  get(number: string): ReceiptView {
    return this.core.view(this.core.resolve(number));
  }

  receiptsForPayer(payerId: number): ReceiptView[] {
    return sql.all<ReceiptRow>(this.core.db, 'SELECT * FROM receipts WHERE payer_id = ? ORDER BY id', payerId).map((r) => this.core.view(r));
  }

  /**
   * An operator's receipts still waiting: issued and not voided, not yet confirmed as printed
   * correctly (never printed, or printed and not confirmed), whatever their business day.
   */
  waitingFor(operatorId: number): ReceiptView[] {
    return sql
      .all<ReceiptRow>(this.core.db, "SELECT * FROM receipts WHERE operator_id = ? AND state = 'issued' AND print_state = 'pending' ORDER BY id", operatorId)
      .map((r) => this.core.view(r));
  }

  receiptsForTransaction(transactionId: number): ReceiptView[] {
    return sql.all<ReceiptRow>(this.core.db, 'SELECT * FROM receipts WHERE transaction_id = ? ORDER BY id', transactionId).map((r) => this.core.view(r));
  }

  /** Everything printed on the receipt, without counting a print (for previews and the CLI). */
  document(number: string): ReceiptDocument {
    const r = this.core.resolve(number);
    const payer = this.core.payer(r.payer_id);
    const operator = sql.one<{ display_name: string }>(this.core.db, 'SELECT display_name FROM operators WHERE id = ?', r.operator_id);
    const lines = this.core.lineRows(r.id);
    const notes: string[] = [];
    if (r.state === 'voided') notes.push('已作废');
    const exchanged = sql.all<{ channel: ExchangeChannel; channel_ref: string }>(
      this.core.db,
      'SELECT channel, channel_ref FROM exchanges WHERE payment_id IN (SELECT value FROM json_each(?)) ORDER BY channel_ref',
      sql.list(lines.map((l) => l.payment_id)),
    );
    for (const e of exchanged) notes.push(`换开 ${channelLabels[e.channel].channel}${channelLabels[e.channel].ref} ${e.channel_ref}`);
    // A lump-sum line is paid in one year but counts N years: the remarks say so (issue 17).
    const lumps = sql.all<{ lump_sum_years: number }>(
      this.core.db,
      'SELECT lump_sum_years FROM payments WHERE id IN (SELECT value FROM json_each(?)) AND lump_sum_years IS NOT NULL ORDER BY id',
      sql.list(lines.map((l) => l.payment_id)),
    );
    for (const l of lumps) notes.push(`一次性补缴${l.lump_sum_years}年`);
    if (r.reissue_of !== null) notes.push(`补开 原票号 ${this.core.receiptRowById(r.reissue_of).number}`);
    if (r.replaces !== null) notes.push(`作废重开 原票号 ${this.core.receiptRowById(r.replaces).number}`);
    if (r.group_index !== null && r.group_count !== null && r.group_count > 1) {
      const group = this.core.groupOf(r);
      notes.push(
        `第${r.group_index}张/共${r.group_count}张${group && group.numbers.length > 1 ? `（${group.numbers[0]}–${group.numbers[group.numbers.length - 1]}）` : ''}`,
      );
    }
    if (this.core.options.training) notes.push('培训样张 不作收款凭证');
    return {
      number: r.number,
      // 填发日期: the civil date on which it is issued, in the hall's zone, whatever the business day.
      issuedDate: civilDate(new Date(r.issued_at), this.core.options.timeZone),
      taxOffice: this.core.options.taxOffice,
      idNumber: payer.id_number,
      name: payer.name,
      address: receiptAddress(payer),
      lines: lines.map((l) => ({ item: PENSION_ITEM, year: l.year, amountFen: l.amount_fen })),
      totalFen: r.total_fen,
      operatorName: operator.display_name,
      printCount: r.print_count,
      checkCode: r.check_code,
      notes,
      training: this.core.options.training,
    };
  }
}
