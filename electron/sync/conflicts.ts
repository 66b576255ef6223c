// A year can be paid only once, yet a counter working offline can take a payment for a year the
// payer also paid in the app meanwhile. Sync keeps both payments (money was collected twice);
// this query surfaces every such payer-year as a case for the supervisor's refund form.
import type { Db } from '../platform/db/database';
import type { Channel } from '../../shared/domain/payer';
import { maskIdNumber } from '../../shared/domain/id-number';

export interface ConflictPayment {
  paymentId: number;
  channel: Channel;
  channelRef: string | null;
  tierFen: number;
  amountFen: number;
  paidAt: string;
  upstreamId: string | null;
  localUid: string | null;
  /** Set for payments taken at this counter. */
  transactionId: number | null;
}

export interface PaymentConflict {
  payerId: number;
  name: string;
  idNumberMasked: string;
  year: number;
  /** In the order they were paid: the later ones are normally the ones to refund. */
  payments: ConflictPayment[];
}

interface Row {
  payer_id: number;
  name: string;
  id_number: string;
  year: number;
  id: number;
  channel: Channel;
  channel_ref: string | null;
  tier_fen: number;
  amount_fen: number;
  paid_at: string;
  upstream_id: string | null;
  local_uid: string | null;
  transaction_id: number | null;
}

/** Payer-years with more than one payment, newest case first. */
export function listConflicts(db: Db): PaymentConflict[] {
  const rows = db
    .prepare(
      `WITH dup AS (SELECT payer_id, year FROM payments GROUP BY payer_id, year HAVING count(*) > 1)
       SELECT p.payer_id, r.name, r.id_number, p.year, p.id, p.channel, p.channel_ref, p.tier_fen, p.amount_fen,
              p.paid_at, p.upstream_id, p.local_uid, p.transaction_id
       FROM dup JOIN payments p ON p.payer_id = dup.payer_id AND p.year = dup.year
       JOIN payers r ON r.id = p.payer_id
       ORDER BY p.payer_id, p.year, p.paid_at, p.id`,
    )
    .all() as Row[];
  const cases = new Map<string, PaymentConflict>();
  for (const r of rows) {
    const key = `${r.payer_id}:${r.year}`;
    let c = cases.get(key);
    if (!c) {
      c = { payerId: r.payer_id, name: r.name, idNumberMasked: maskIdNumber(r.id_number), year: r.year, payments: [] };
      cases.set(key, c);
    }
    c.payments.push({
      paymentId: r.id,
      channel: r.channel,
      channelRef: r.channel_ref,
      tierFen: r.tier_fen,
      amountFen: r.amount_fen,
      paidAt: r.paid_at,
      upstreamId: r.upstream_id,
      localUid: r.local_uid,
      transactionId: r.transaction_id,
    });
  }
  const latest = (c: PaymentConflict) => c.payments.reduce((m, p) => (p.paidAt > m ? p.paidAt : m), '');
  return [...cases.values()].sort((a, b) => latest(b).localeCompare(latest(a)));
}
