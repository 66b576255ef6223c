// The receipt tables' rows as SQLite returns them, and the pure rules over them: how a number is
// written, what each channel's proof is called, where a receipt stands and what it allows.
import { channelLabels as vocabChannels, proofLabels, type ReceiptAction, type ReceiptStatus } from '../../../shared/vocab';
import type { ExchangeChannel } from '../../sync/protocol';
import type { ReceiptKind } from './types';

export interface BlockRow {
  id: number;
  receipt_type: 'tax_cash';
  series: string;
  first_serial: number;
  last_serial: number;
  serial_digits: number;
  operator_id: number;
  source: 'upstream' | 'supervisor';
  upstream_block_id: string | null;
  entered_by: number | null;
  next_serial: number;
  handed_back_from: number | null;
  handed_back_at: string | null;
  handed_back_by: number | null;
  hand_back_reason: string | null;
  created_at: string;
}

export interface ReceiptRow {
  id: number;
  uid: string;
  block_id: number;
  receipt_type: 'tax_cash';
  series: string;
  serial: number;
  number: string;
  kind: ReceiptKind;
  state: 'issued' | 'voided';
  payer_id: number;
  operator_id: number;
  counter_no: number;
  transaction_id: number | null;
  reissue_of: number | null;
  replaces: number | null;
  total_fen: number;
  business_date: string;
  issued_at: string;
  check_code: string;
  print_count: number;
  print_state: 'pending' | 'confirmed';
  confirmed_at: string | null;
  reason: string | null;
  approved_by: number | null;
  voided_at: string | null;
  void_reason: string | null;
  void_approved_by: number | null;
  group_uid: string | null;
  group_index: number | null;
  group_count: number | null;
}

export interface PaymentRow {
  id: number;
  payer_id: number;
  year: number;
  amount_fen: number;
  channel: 'counter' | ExchangeChannel;
  channel_ref: string | null;
  paid_at: string;
  upstream_id: string | null;
  local_uid: string | null;
  transaction_id: number | null;
}

/** A bank or app payment: the only kind a receipt can be exchanged (换开) for. */
export type ExchangeablePayment = PaymentRow & { channel: ExchangeChannel; channel_ref: string };

export function isExchangeable(p: PaymentRow): p is ExchangeablePayment {
  return p.channel !== 'counter' && p.channel_ref !== null;
}

export interface PayerRow {
  id: number;
  id_number: string;
  name: string;
  town: string;
  village: string;
  address: string;
}

export interface LineInput {
  paymentId: number;
  year: number;
  amountFen: number;
}

export interface IssueMeta {
  kind: ReceiptKind;
  transactionId: number | null;
  reissueOf: number | null;
  replaces: number | null;
  reason: string | null;
  approvedBy: number | null;
  /** Set by issueChunks for several forms, or inherited by the number printed in a voided form's place. */
  group?: { uid: string; index: number; count: number } | null;
}

/** From the one vocabulary (shared/vocab.ts): the channel and what its proof's number is called. */
export const channelLabels: Record<ExchangeChannel, { channel: string; ref: string }> = {
  bank_pos: { channel: vocabChannels.bank_pos, ref: proofLabels.bank_pos.ref },
  bank_counter: { channel: vocabChannels.bank_counter, ref: proofLabels.bank_counter.ref },
  mobile_app: { channel: vocabChannels.mobile_app, ref: proofLabels.mobile_app.ref },
};

export const MAX_BLOCK = 100_000;

export function formatReceiptNumber(series: string, serial: number, digits: number): string {
  return `${series}${String(serial).padStart(digits, '0')}`;
}

/** Where a receipt stands for the clerk: issued (not printed), printed (not confirmed), confirmed, voided. */
export function receiptStatusOf(r: { state: 'issued' | 'voided'; print_state: 'pending' | 'confirmed'; print_count: number }): ReceiptStatus {
  if (r.state === 'voided') return 'voided';
  if (r.print_state === 'confirmed') return 'confirmed';
  return r.print_count > 0 ? 'printed' : 'issued';
}

/** What the service allows in each status (printDocument, reprint, confirmPrinted, voidAndReissue, reissue). */
export function receiptActionsOf(r: { state: 'issued' | 'voided'; print_state: 'pending' | 'confirmed'; print_count: number }): ReceiptAction[] {
  switch (receiptStatusOf(r)) {
    case 'issued':
      return ['print', 'void', 'preview'];
    case 'printed':
      return ['reprint', 'confirm', 'void', 'preview'];
    case 'confirmed':
      return ['reissue', 'void', 'preview'];
    case 'voided':
      return ['preview'];
  }
}
