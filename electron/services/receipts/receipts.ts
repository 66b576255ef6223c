// Receipt stock (票证), formal receipts 《税收缴款书(税务收现专用)》 and exchanges (换开): the one
// service the handlers call. Its parts live beside it, one file each (stock, lifecycle, exchange,
// reading, calibration), on one core that takes the numbers and writes the rows (core.ts).
import type { ReceiptDocument } from '../../documents/receipt-document';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/database';
import type { Logger } from '../../platform/log';
import type { ReceiptBlock } from '../../sync/protocol';
import { ReceiptCalibration, type Calibration } from './calibration';
import { ReceiptCore } from './core';
import { ReceiptExchange, type ClaimExchange } from './exchange';
import { ReceiptLifecycle } from './lifecycle';
import { ReceiptReading } from './reading';
import { ReceiptStock } from './stock';
import type { BlockView, ExchangeCandidate, ExchangeRef, IssueResult, ReceiptContext, ReceiptServiceOptions, ReceiptView, StockBalanceRow } from './types';

export type { Calibration } from './calibration';
export type { ClaimExchange } from './exchange';
export { channelLabels, formatReceiptNumber } from './rows';

/**
 * Receipt stock (票证), formal receipts and exchanges (换开). Every mutation takes its number,
 * writes its rows and its outbox event in one IMMEDIATE transaction, so a crash leaves all of it
 * or none: a number is used exactly once (issued or voided) and never skipped.
 */
export class ReceiptService {
  private readonly stock: ReceiptStock;
  private readonly lifecycle: ReceiptLifecycle;
  private readonly exchanges: ReceiptExchange;
  private readonly reading: ReceiptReading;
  private readonly calibrations: ReceiptCalibration;

  constructor(db: Db, clock: Clock, log: Logger, options: ReceiptServiceOptions) {
    const core = new ReceiptCore(db, clock, log, options);
    this.reading = new ReceiptReading(core);
    this.stock = new ReceiptStock(core);
    this.lifecycle = new ReceiptLifecycle(core, this.reading);
    this.exchanges = new ReceiptExchange(core);
    this.calibrations = new ReceiptCalibration(core);
  }

  // ---- stock ---------------------------------------------------------------------------------

  /** A block entered by a supervisor from the paper stock delivered to the counter (领用). */
  addBlock(input: { operatorId: number; series: string; firstSerial: number; lastSerial: number; serialDigits: number }, supervisorId: number): BlockView {
    return this.stock.addBlock(input, supervisorId);
  }

  /** A block allocated by the upstream (POST /v1/receipt-blocks). Idempotent by the upstream's block id. */
  addUpstreamBlock(block: ReceiptBlock): BlockView {
    return this.stock.addUpstreamBlock(block);
  }

  /** Hands back the unused rest of a block (交回): recorded, with the supervisor who took it. */
  handBackBlock(blockId: number, supervisorId: number, reason: string): BlockView {
    return this.stock.handBackBlock(blockId, supervisorId, reason);
  }

  blocks(operatorId?: number): BlockView[] {
    return this.stock.blocks(operatorId);
  }

  /** The stock balance (结存) by operator and receipt type, in one query. */
  stockBalance(): StockBalanceRow[] {
    return this.stock.stockBalance();
  }

  /** The number the operator's next receipt will get (the form to load), or null when the stock is empty. */
  nextNumber(operatorId: number): string | null {
    return this.stock.nextNumber(operatorId);
  }

  /** The operator a supervisor names when entering paper stock, or null. */
  operatorByUsername(username: string): { id: number } | null {
    return this.stock.operatorByUsername(username);
  }

  // ---- issuing, printing, voiding ------------------------------------------------------------

  /**
   * Issues the receipt(s) for a counter payment, right after it was taken or later. Idempotent:
   * a transaction that already has its receipts gets them back with duplicate = true.
   */
  issueForTransaction(transactionId: number, ctx: ReceiptContext): IssueResult {
    return this.lifecycle.issueForTransaction(transactionId, ctx);
  }

  /**
   * 补开: a new receipt for a lost one, on the next number, marked 补开 with the original's
   * number. Needs a reason and a supervisor's approval; the original stays issued.
   */
  reissue(number: string, reason: string, approverOperatorId: number, ctx: ReceiptContext): ReceiptView {
    return this.lifecycle.reissue(number, reason, approverOperatorId, ctx);
  }

  /**
   * The document to print now: counts the print (第N次打印) and leaves the receipt waiting for the
   * clerk's "printed correctly?" confirmation. Refused once confirmed (a lost receipt is 补开).
   */
  printDocument(number: string): ReceiptDocument {
    return this.lifecycle.printDocument(number);
  }

  /** Printed badly: print again on the same number (the remarks show the print count). */
  reprint(number: string): ReceiptDocument {
    return this.lifecycle.reprint(number);
  }

  /** The clerk confirms the receipt printed correctly. Repeating it is harmless. */
  confirmPrinted(number: string): ReceiptView {
    return this.lifecycle.confirmPrinted(number);
  }

  /**
   * Voids a number (作废: all copies kept, reason recorded, supervisor's approval) and issues the
   * same lines on the next number, marked 作废重开 with the voided number.
   */
  voidAndReissue(number: string, reason: string, approverOperatorId: number, ctx: ReceiptContext): ReceiptView {
    return this.lifecycle.voidAndReissue(number, reason, approverOperatorId, ctx);
  }

  // ---- exchange (换开) -------------------------------------------------------------------------

  /** Bank and app payments with this slip / voucher number in the synced ledger, with their exchange status. */
  findExchangeable(channelRef: string): ExchangeCandidate[] {
    return this.exchanges.findExchangeable(channelRef);
  }

  /** Every bank and app payment of a payer, for exchanging from the payer's page. */
  exchangeableForPayer(payerId: number): ExchangeCandidate[] {
    return this.exchanges.exchangeableForPayer(payerId);
  }

  /**
   * 换开: exchanges bank or app payments of one payer for a formal receipt. Each payment must be
   * in the synced ledger and not yet exchanged here; then it is claimed upstream, one at a time,
   * stopping at the first refusal; then the receipt is issued with the exchange and outbox rows
   * in one transaction.
   *
   * Offline policy: an exchange that cannot be claimed upstream is REFUSED (`claim` threw, or
   * `claim` is null in production). Only the upstream can make "once across all counters" true;
   * issuing on a local check alone could give a payer two formal receipts for one payment from
   * two counters. With `claim` null in training mode (a stand-alone training counter), the
   * exchange is recorded as 'training_local'. A claim won upstream whose local transaction then
   * failed (crash, refusal) stays with this counter: claiming again from the same counter is
   * answered 'claimed', so the retry succeeds.
   */
  exchange(refs: ExchangeRef | ExchangeRef[], ctx: ReceiptContext, claim: ClaimExchange | null): Promise<IssueResult> {
    return this.exchanges.exchange(refs, ctx, claim);
  }

  // ---- reading -------------------------------------------------------------------------------

  get(number: string): ReceiptView {
    return this.reading.get(number);
  }

  receiptsForPayer(payerId: number): ReceiptView[] {
    return this.reading.receiptsForPayer(payerId);
  }

  /**
   * An operator's receipts still waiting: issued and not voided, not yet confirmed as printed
   * correctly (never printed, or printed and not confirmed), whatever their business day.
   */
  waitingFor(operatorId: number): ReceiptView[] {
    return this.reading.waitingFor(operatorId);
  }

  receiptsForTransaction(transactionId: number): ReceiptView[] {
    return this.reading.receiptsForTransaction(transactionId);
  }

  /** Everything printed on the receipt, without counting a print (for previews and the CLI). */
  document(number: string): ReceiptDocument {
    return this.reading.document(number);
  }

  // ---- printer calibration -------------------------------------------------------------------

  /** Offsets of the overlay print on a printer's pre-printed forms, in millimetres (0, 0 when never set). */
  calibration(printer: string): Calibration {
    return this.calibrations.calibration(printer);
  }

  setCalibration(printer: string, offsets: Calibration): Calibration {
    return this.calibrations.setCalibration(printer, offsets);
  }
}
