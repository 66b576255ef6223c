// The payer's page at the counter: this payer's recent counter payments with their receipts, every
// receipt with its status and the actions it allows, and the bank / app payments that can be
// exchanged (换开). Read-only.
import type { CounterTransactionView, PayerActivityView, PaymentMethod, PrintJobView, TrainingExchangeView } from '../../../shared/api/views';
import { maskIdNumber } from '../../../shared/domain/id-number';
import type { Db } from '../../platform/db/database';
import type { ReceiptService } from '../receipts';
import * as sql from '../../platform/db/sql';

/** How many counter payments of a payer the page lists (newest first). */
export const RECENT_TRANSACTIONS = 20;

interface TxRow {
  id: number;
  created_at: string;
  business_date: string;
  method: PaymentMethod;
  pos_ref: string | null;
  operator_name: string;
  counter_no: number;
  total_fen: number;
}

export function payerActivity(db: Db, receipts: ReceiptService, payerId: number): PayerActivityView {
  const txs = sql.all<TxRow>(
    db,
    `SELECT t.id, t.created_at, t.business_date, t.method, t.pos_ref, o.display_name AS operator_name, t.counter_no, t.total_fen
       FROM counter_transactions t JOIN operators o ON o.id = t.operator_id
       WHERE t.payer_id = ? ORDER BY t.id DESC LIMIT ${RECENT_TRANSACTIONS}`,
    payerId,
  );
  const transactions: CounterTransactionView[] = txs.map((t) => {
    const numbers = sql
      .all<{ number: string }>(
        db,
        `SELECT DISTINCT r.number FROM receipt_lines l JOIN receipts r ON r.id = l.receipt_id JOIN payments p ON p.id = l.payment_id
          WHERE p.transaction_id = ? AND l.original = 1 AND l.active = 1 ORDER BY r.id`,
        t.id,
      )
      .map((r) => r.number);
    const j = sql.get<{ id: number; kind: PrintJobView['kind']; state: PrintJobView['state']; last_error: string | null }>(
      db,
      "SELECT id, kind, state, last_error FROM print_jobs WHERE kind = 'payment_slip' AND ref_id = ? ORDER BY id DESC LIMIT 1",
      t.id,
    );
    return {
      transactionId: t.id,
      recordedAt: t.created_at,
      businessDate: t.business_date,
      method: t.method,
      posRef: t.pos_ref,
      operatorName: t.operator_name,
      counterNo: t.counter_no,
      totalFen: t.total_fen,
      lines: sql
        .all<{ year: number; tier_fen: number; amount_fen: number; back_payment: number }>(
          db,
          'SELECT year, tier_fen, amount_fen, back_payment FROM payments WHERE transaction_id = ? ORDER BY year DESC',
          t.id,
        )
        .map((l) => ({
          year: l.year,
          tierFen: l.tier_fen,
          amountFen: l.amount_fen,
          backPayment: l.back_payment === 1,
        })),
      receiptNumbers: numbers,
      canIssueReceipt: numbers.length === 0,
      slipJob: j ? { id: j.id, kind: j.kind, state: j.state, lastError: j.last_error } : null,
    };
  });
  return {
    transactions,
    receipts: receipts.receiptsForPayer(payerId).reverse(),
    exchanges: receipts.exchangeableForPayer(payerId),
  };
}

/** Offered per channel by the training panel. */
export const TRAINING_SLIPS_PER_CHANNEL = 3;

/**
 * Training mode: bank slip / voucher numbers of the training county's bank and app payments, so
 * that 换开 can be practised (as the panel offers demo cards). The newest years first, those not
 * yet exchanged before those already exchanged, a few of each channel.
 */
export function trainingExchangeSlips(db: Db): TrainingExchangeView[] {
  const rows = sql.all<{
    channel: TrainingExchangeView['channel'];
    channel_ref: string;
    name: string;
    id_number: string;
    year: number;
    amount_fen: number;
    exchanged: number;
  }>(
    db,
    `WITH c AS (
         SELECT p.channel, p.channel_ref, r.name, r.id_number, p.year, p.amount_fen,
                EXISTS (SELECT 1 FROM exchanges e WHERE e.payment_id = p.id) AS exchanged,
                row_number() OVER (PARTITION BY p.channel ORDER BY p.year DESC,
                                   EXISTS (SELECT 1 FROM exchanges e WHERE e.payment_id = p.id), p.id) AS rn
         FROM payments p JOIN payers r ON r.id = p.payer_id
         WHERE p.channel IN ('bank_pos', 'bank_counter', 'mobile_app') AND p.channel_ref IS NOT NULL
           AND p.year >= (SELECT max(year) - 1 FROM payments WHERE channel <> 'counter')
       )
       SELECT * FROM c WHERE rn <= ${TRAINING_SLIPS_PER_CHANNEL} ORDER BY channel, rn`,
  );
  return rows.map((r) => ({
    channel: r.channel,
    channelRef: r.channel_ref,
    payerName: r.name,
    idNumberMasked: maskIdNumber(r.id_number),
    year: r.year,
    amountFen: r.amount_fen,
    status: r.exchanged ? 'exchanged' : 'exchangeable',
  }));
}
