import type { ExchangeChannel } from '../../sync/protocol';
import type { ReceiptAction, ReceiptStatus } from '../../../shared/vocab';

export type ReceiptType = 'tax_cash';
export type ReceiptKind = 'counter' | 'exchange' | 'reissue';
export type ReceiptState = 'issued' | 'voided';

export interface ReceiptServiceOptions {
  /** Training mode: receipts are marked 样张 / 培训 and exchanges may be claimed locally without an upstream. */
  training: boolean;
  /** 税务机关 printed on every receipt. */
  taxOffice: string;
  /** The hall's zone, for 填发日期 and business dates (Asia/Shanghai). */
  timeZone: string;
  /** Payment lines the paper form holds; more years are spread over consecutive numbers. */
  formLineLimit: number;
}

/** Who is issuing: the signed-in operator at a counter. */
export interface ReceiptContext {
  operatorId: number;
  operatorUsername: string;
  operatorName: string;
  counterNo: number;
}

export interface BlockView {
  id: number;
  receiptType: ReceiptType;
  series: string;
  firstSerial: number;
  lastSerial: number;
  serialDigits: number;
  operatorId: number;
  source: 'upstream' | 'supervisor';
  upstreamBlockId: string | null;
  /** Next serial to be used; lastSerial + 1 when used up. */
  nextSerial: number;
  handedBack: { fromSerial: number; at: string; byOperatorId: number; reason: string } | null;
  createdAt: string;
}

/** One row of the stock balance: by operator and receipt type. received = issued + voided + left + handedBack. */
export interface StockBalanceRow {
  operatorId: number;
  operatorUsername: string;
  operatorName: string;
  receiptType: ReceiptType;
  received: number;
  issued: number;
  voided: number;
  left: number;
  handedBack: number;
  /** The number the next receipt will get (load this form into the printer), or null when none is left. */
  nextNumber: string | null;
}

export interface ReceiptLineView {
  lineNo: number;
  paymentId: number;
  year: number;
  amountFen: number;
}

export interface ReceiptView {
  id: number;
  uid: string;
  number: string;
  series: string;
  serial: number;
  receiptType: ReceiptType;
  kind: ReceiptKind;
  state: ReceiptState;
  payerId: number;
  payerName: string;
  idNumberMasked: string;
  operatorId: number;
  counterNo: number;
  transactionId: number | null;
  lines: ReceiptLineView[];
  totalFen: number;
  businessDate: string;
  issuedAt: string;
  checkCode: string;
  printCount: number;
  printState: 'pending' | 'confirmed';
  /** 补开: the number of the receipt this one replaces as a lost-receipt copy. */
  reissueOf: string | null;
  /** 作废重开: the voided number this one was printed in place of. */
  replaces: string | null;
  reason: string | null;
  voided: { at: string; reason: string; approvedBy: number } | null;
  /** For the clerk: issued (not printed), printed (not confirmed), confirmed, voided. */
  status: ReceiptStatus;
  /** What the service allows now. */
  actions: ReceiptAction[];
  /** Several forms for one confirmation: 第index张/共count张 and the group's live numbers. */
  group: { index: number; count: number; numbers: string[] } | null;
  /** Voided: the number printed in its place (作废重开), if any. */
  replacedBy: string | null;
}

export interface IssueResult {
  /** One receipt per formLineLimit years, on consecutive numbers. */
  receipts: ReceiptView[];
  /** True when the payment already had its receipt(s): nothing new was issued. */
  duplicate: boolean;
}

export type ExchangeStatus = 'exchangeable' | 'exchanged';

/** A bank or app payment that may be exchanged (换开) for a formal receipt. */
export interface ExchangeCandidate {
  paymentId: number;
  payerId: number;
  payerName: string;
  idNumberMasked: string;
  year: number;
  amountFen: number;
  channel: ExchangeChannel;
  channelRef: string;
  paidAt: string;
  upstreamId: string | null;
  status: ExchangeStatus;
  /** The live receipt holding this payment, when exchanged. */
  receiptNumber: string | null;
  exchangedAt: string | null;
}

export type ExchangeRef = { paymentId: number } | { channelRef: string; channel?: ExchangeChannel };
