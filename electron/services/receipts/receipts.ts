import { enqueue, type OutboxKind, type OutboxPayload } from '../../sync/outbox';
import { randomInt, randomUUID } from 'node:crypto';
import { openBusinessDate } from '../dayclose';
import { appendAudit, type AuditAction, type AuditActor } from '../trust/audit';
import { maskIdNumber } from '../../../shared/domain/id-number';
import { FORM_LINES, PENSION_ITEM, type ReceiptDocument } from '../../documents/receipt-document';
import type { ClaimOutcome } from '../../sync/client';
import type { ExchangeChannel, ExchangeClaim, ReceiptBlock } from '../../sync/protocol';
import { civilDate, type Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/database';
import type { Logger } from '../../platform/log';
import { refuse } from './errors';
import { channelLabels as vocabChannels, proofLabels, type ReceiptAction, type ReceiptStatus } from '../../../shared/vocab';
import { receiptAddress } from '../../documents/receipt-document';
import { hallTime } from '../../../shared/domain/time';
import type {
  BlockView,
  ExchangeCandidate,
  ExchangeRef,
  IssueResult,
  ReceiptContext,
  ReceiptKind,
  ReceiptLineView,
  ReceiptServiceOptions,
  ReceiptView,
  StockBalanceRow,
} from './types';

/**
 * Claims a bank or app payment upstream (UpstreamClient.claimExchange bound to this counter's
 * client). Throwing means "could not reach the upstream": the exchange is refused.
 */
const auditActionOf: Record<string, AuditAction> = {
  'receipt.issued': 'receipt.issue',
  'receipt.voided': 'receipt.void',
  'exchange.claimed': 'receipt.exchange',
  'receipt.block_returned': 'receipt.stockAdjust',
};

export type ClaimExchange = (channel: ExchangeChannel, channelRef: string, counterId: string) => Promise<ClaimOutcome>;

export interface Calibration {
  /** Positive moves the print right. */
  xMm: number;
  /** Positive moves the print down. */
  yMm: number;
}

interface BlockRow {
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

interface ReceiptRow {
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

interface PaymentRow {
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
type ExchangeablePayment = PaymentRow & { channel: ExchangeChannel; channel_ref: string };

function isExchangeable(p: PaymentRow): p is ExchangeablePayment {
  return p.channel !== 'counter' && p.channel_ref !== null;
}

interface PayerRow {
  id: number;
  id_number: string;
  name: string;
  town: string;
  village: string;
  address: string;
}

interface LineInput {
  paymentId: number;
  year: number;
  amountFen: number;
}

interface IssueMeta {
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

const MAX_BLOCK = 100_000;

export function formatReceiptNumber(series: string, serial: number, digits: number): string {
  return `${series}${String(serial).padStart(digits, '0')}`;
}

/**
 * Receipt stock (票证), formal receipts and exchanges (换开). Every mutation takes its number,
 * writes its rows and its outbox event in one IMMEDIATE transaction, so a crash leaves all of it
 * or none: a number is used exactly once (issued or voided) and never skipped.
 */
export class ReceiptService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: ReceiptServiceOptions,
  ) {
    if (!Number.isInteger(options.formLineLimit) || options.formLineLimit < 1 || options.formLineLimit > FORM_LINES) {
      throw new Error(`formLineLimit must be 1–${FORM_LINES} (the lines of the paper form), got ${options.formLineLimit}`);
    }
  }

  // ---- stock ---------------------------------------------------------------------------

  /** A block entered by a supervisor from the paper stock delivered to the counter (领用). */
  addBlock(input: { operatorId: number; series: string; firstSerial: number; lastSerial: number; serialDigits: number }, supervisorId: number): BlockView {
    const series = input.series.trim();
    if (series.length < 1 || series.length > 32) throw refuse('VALIDATION', '字轨应为 1–32 个字符');
    if (!Number.isSafeInteger(input.firstSerial) || !Number.isSafeInteger(input.lastSerial) || input.firstSerial < 1 || input.lastSerial < input.firstSerial) {
      throw refuse('VALIDATION', '号码段无效：起始号应为正整数且不大于终止号');
    }
    if (input.lastSerial - input.firstSerial + 1 > MAX_BLOCK) throw refuse('VALIDATION', `一次录入的号码不能超过 ${MAX_BLOCK} 个`);
    if (!Number.isInteger(input.serialDigits) || input.serialDigits < 1 || input.serialDigits > 15 || String(input.lastSerial).length > input.serialDigits) {
      throw refuse('VALIDATION', '号码位数无效：应为 1–15 位且能容纳终止号');
    }
    return this.db
      .transaction((): BlockView => {
        this.approver(supervisorId, null);
        this.holder(input.operatorId);
        const now = this.nowIso();
        const id = this.insertBlock({ ...input, series, source: 'supervisor', upstreamBlockId: null, enteredBy: supervisorId }, now);
        appendAudit(this.db, {
          action: 'receipt.stockReceive',
          entity: 'receipt_block',
          entityId: id,
          actor: { operatorId: supervisorId },
          after: { ...input, series },
          at: now,
        });
        this.log.info(
          { blockId: id, series, first: input.firstSerial, last: input.lastSerial, operatorId: input.operatorId, supervisorId },
          'receipt block entered',
        );
        return this.blockView(this.blockRow(id));
      })
      .immediate();
  }

  /** A block allocated by the upstream (POST /v1/receipt-blocks). Idempotent by the upstream's block id. */
  addUpstreamBlock(block: ReceiptBlock): BlockView {
    return this.db
      .transaction((): BlockView => {
        const existing = this.db.prepare('SELECT id FROM receipt_blocks WHERE upstream_block_id = ?').get(block.blockId) as { id: number } | undefined;
        if (existing) return this.blockView(this.blockRow(existing.id));
        const op = this.db.prepare('SELECT id FROM operators WHERE username = ?').get(block.operatorUsername) as { id: number } | undefined;
        if (!op) throw refuse('NOT_FOUND', `上游分配的号码段属于本机没有的操作员 ${block.operatorUsername}`);
        const id = this.insertBlock(
          {
            operatorId: op.id,
            series: block.series,
            firstSerial: block.firstSerial,
            lastSerial: block.lastSerial,
            serialDigits: block.serialDigits,
            source: 'upstream',
            upstreamBlockId: block.blockId,
            enteredBy: null,
          },
          this.nowIso(),
        );
        this.log.info({ blockId: id, upstreamBlockId: block.blockId, operatorId: op.id }, 'receipt block allocated upstream');
        return this.blockView(this.blockRow(id));
      })
      .immediate();
  }

  /** Hands back the unused rest of a block (交回): recorded, with the supervisor who took it. */
  handBackBlock(blockId: number, supervisorId: number, reason: string): BlockView {
    const why = this.reason(reason);
    return this.db
      .transaction((): BlockView => {
        const approver = this.approver(supervisorId, null);
        const b = this.blockRow(blockId);
        if (b.handed_back_from !== null) throw refuse('RECEIPT_STATE', '该号码段已交回');
        if (b.next_serial > b.last_serial) throw refuse('RECEIPT_STATE', '该号码段已全部用完，没有可交回的号码');
        const now = this.nowIso();
        this.db
          .prepare('UPDATE receipt_blocks SET handed_back_from = next_serial, handed_back_at = ?, handed_back_by = ?, hand_back_reason = ? WHERE id = ?')
          .run(now, supervisorId, why, blockId);
        const holder = this.holder(b.operator_id);
        this.outbox(
          `receipt-block-returned-${blockId}`,
          'receipt.block_returned',
          {
            blockId: b.upstream_block_id,
            localBlockId: b.id,
            receiptType: b.receipt_type,
            series: b.series,
            fromSerial: b.next_serial,
            lastSerial: b.last_serial,
            count: b.last_serial - b.next_serial + 1,
            operatorUsername: holder.username,
            approvedBy: approver.username,
            reason: why,
            returnedAt: now,
          },
          now,
          { operatorId: supervisorId, username: approver.username, counterNo: null },
        );
        this.log.info({ blockId, from: b.next_serial, last: b.last_serial, supervisorId }, 'receipt block handed back');
        return this.blockView(this.blockRow(blockId));
      })
      .immediate();
  }

  blocks(operatorId?: number): BlockView[] {
    const rows = (
      operatorId === undefined
        ? this.db.prepare('SELECT * FROM receipt_blocks ORDER BY id').all()
        : this.db.prepare('SELECT * FROM receipt_blocks WHERE operator_id = ? ORDER BY id').all(operatorId)
    ) as BlockRow[];
    return rows.map((r) => this.blockView(r));
  }

  /** The stock balance (结存) by operator and receipt type, in one query. */
  stockBalance(): StockBalanceRow[] {
    const rows = this.db
      .prepare(
        `WITH used AS (
           SELECT block_id, sum(state = 'issued') AS issued, sum(state = 'voided') AS voided FROM receipts GROUP BY block_id
         ), nxt AS (
           SELECT operator_id, receipt_type, series, next_serial, serial_digits,
                  row_number() OVER (PARTITION BY operator_id, receipt_type ORDER BY id) AS rn
           FROM receipt_blocks WHERE handed_back_from IS NULL AND next_serial <= last_serial
         )
         SELECT b.operator_id AS operatorId, o.username AS operatorUsername, o.display_name AS operatorName,
                b.receipt_type AS receiptType,
                sum(b.last_serial - b.first_serial + 1) AS received,
                sum(coalesce(u.issued, 0)) AS issued,
                sum(coalesce(u.voided, 0)) AS voided,
                sum(CASE WHEN b.handed_back_from IS NULL THEN b.last_serial - b.next_serial + 1 ELSE 0 END) AS "left",
                sum(CASE WHEN b.handed_back_from IS NULL THEN 0 ELSE b.last_serial - b.handed_back_from + 1 END) AS handedBack,
                (SELECT n.series || substr('000000000000000' || n.next_serial, -n.serial_digits)
                   FROM nxt n WHERE n.operator_id = b.operator_id AND n.receipt_type = b.receipt_type AND n.rn = 1) AS nextNumber
         FROM receipt_blocks b
         JOIN operators o ON o.id = b.operator_id
         LEFT JOIN used u ON u.block_id = b.id
         GROUP BY b.operator_id, b.receipt_type
         ORDER BY o.username, b.receipt_type`,
      )
      .all() as StockBalanceRow[];
    return rows;
  }

  /** The number the operator's next receipt will get (the form to load), or null when the stock is empty. */
  nextNumber(operatorId: number): string | null {
    const b = this.currentBlock(operatorId);
    return b ? formatReceiptNumber(b.series, b.next_serial, b.serial_digits) : null;
  }

  // ---- issuing -------------------------------------------------------------------------

  /**
   * Issues the receipt(s) for a counter payment, right after it was taken or later. Idempotent:
   * a transaction that already has its receipts gets them back with duplicate = true.
   */
  issueForTransaction(transactionId: number, ctx: ReceiptContext): IssueResult {
    return this.db
      .transaction((): IssueResult => {
        const tx = this.db.prepare('SELECT id, payer_id FROM counter_transactions WHERE id = ?').get(transactionId) as
          { id: number; payer_id: number } | undefined;
        if (!tx) throw refuse('NOT_FOUND', '没有这笔柜台缴费记录');
        const payments = this.db
          .prepare("SELECT * FROM payments WHERE transaction_id = ? AND channel = 'counter' ORDER BY year, id")
          .all(transactionId) as PaymentRow[];
        if (payments.length === 0) throw refuse('NOT_FOUND', '这笔柜台缴费没有缴费明细');
        const covered = this.liveReceiptIds(payments.map((p) => p.id));
        if (covered.size > 0) {
          const lines = this.db
            .prepare(`SELECT count(*) AS n FROM receipt_lines WHERE original = 1 AND active = 1 AND payment_id IN (${payments.map(() => '?').join(',')})`)
            .get(...payments.map((p) => p.id)) as { n: number };
          if (lines.n !== payments.length) throw refuse('RECEIPT_ALREADY_ISSUED', '这笔缴费的部分年度已开具缴款书，请联系值班主任核对');
          return { receipts: [...covered].map((id) => this.view(this.receiptRowById(id))), duplicate: true };
        }
        const lines = payments.map((p) => ({ paymentId: p.id, year: p.year, amountFen: p.amount_fen }));
        const receipts = this.issueChunks(
          tx.payer_id,
          lines,
          { kind: 'counter', transactionId, reissueOf: null, replaces: null, reason: null, approvedBy: null },
          ctx,
        );
        return { receipts, duplicate: false };
      })
      .immediate();
  }

  /** Bank and app payments with this slip / voucher number in the synced ledger, with their exchange status. */
  findExchangeable(channelRef: string): ExchangeCandidate[] {
    const ref = channelRef.replace(/\s+/g, '');
    if (!ref) return [];
    return this.candidates('p.channel_ref = ?', [ref]);
  }

  /** Every bank and app payment of a payer, for exchanging from the payer's page. */
  exchangeableForPayer(payerId: number): ExchangeCandidate[] {
    return this.candidates('p.payer_id = ?', [payerId]);
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
  async exchange(refs: ExchangeRef | ExchangeRef[], ctx: ReceiptContext, claim: ClaimExchange | null): Promise<IssueResult> {
    const list = Array.isArray(refs) ? refs : [refs];
    if (list.length === 0) throw refuse('VALIDATION', '请选择要换开的缴费凭证');
    const payments: ExchangeablePayment[] = [];
    for (const r of list) {
      const p = this.resolvePayment(r);
      if (!payments.some((q) => q.id === p.id)) payments.push(p);
    }
    if (new Set(payments.map((p) => p.payer_id)).size > 1) throw refuse('VALIDATION', '一张缴款书只能开给同一位缴费人，请分别换开');
    payments.sort((a, b) => a.year - b.year || a.id - b.id);
    for (const p of payments) this.assertNotExchanged(p);

    const claims = new Map<number, { mode: 'upstream' | 'training_local'; claim: ExchangeClaim | null }>();
    const counterId = `${ctx.counterNo}号窗口`;
    if (claim === null) {
      if (!this.options.training) {
        throw refuse('EXCHANGE_OFFLINE', '本柜台未连接上游系统，无法确认该凭证未被其他窗口换开，不能换开。请联系信息技术人员。');
      }
      for (const p of payments) claims.set(p.id, { mode: 'training_local', claim: null });
    } else {
      for (const p of payments) {
        const channel = p.channel;
        const ref = p.channel_ref;
        let outcome: ClaimOutcome;
        try {
          outcome = await claim(channel, ref, counterId);
        } catch (error) {
          this.log.warn({ paymentId: p.id, err: error }, 'exchange claim failed: upstream unreachable');
          throw refuse('EXCHANGE_OFFLINE', '暂时无法连接上游系统，不能确认该凭证未被其他窗口换开。本次未开具缴款书，请稍后再试。');
        }
        if (outcome.outcome === 'not_found') {
          throw refuse('NOT_FOUND', `上游系统查无此${channelLabels[channel].ref}（${ref}），不能换开。请核对凭证。`);
        }
        if (outcome.outcome === 'already_claimed') {
          const c = outcome.claim;
          this.log.info({ paymentId: p.id, station: c.station, counterId: c.counterId }, 'exchange refused: claimed by another counter');
          throw refuse(
            'ALREADY_EXCHANGED',
            `该凭证已于 ${this.localTime(c.claimedAt)} 在 ${c.station}（${c.counterId}）换开，不能再次换开。原缴款书遗失的，经值班主任审批可补开。`,
          );
        }
        claims.set(p.id, { mode: 'upstream', claim: outcome.claim });
      }
    }

    return this.db
      .transaction((): IssueResult => {
        // Another call in this process may have exchanged it while we waited for the upstream.
        for (const p of payments) this.assertNotExchanged(p);
        const lines = payments.map((p) => ({ paymentId: p.id, year: p.year, amountFen: p.amount_fen }));
        const receipts = this.issueChunks(
          payments[0]!.payer_id,
          lines,
          { kind: 'exchange', transactionId: null, reissueOf: null, replaces: null, reason: null, approvedBy: null },
          ctx,
        );
        const now = this.nowIso();
        const payer = this.payer(payments[0]!.payer_id);
        for (const p of payments) {
          const receipt = receipts.find((r) => r.lines.some((l) => l.paymentId === p.id))!;
          const c = claims.get(p.id)!;
          const uid = randomUUID();
          this.db
            .prepare(
              `INSERT INTO exchanges (uid, payment_id, channel, channel_ref, claim_mode, claim, receipt_id, operator_id, counter_no, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              uid,
              p.id,
              p.channel,
              p.channel_ref,
              c.mode,
              c.claim === null ? null : JSON.stringify(c.claim),
              receipt.id,
              ctx.operatorId,
              ctx.counterNo,
              now,
            );
          this.outbox(
            `exchange-claimed-${uid}`,
            'exchange.claimed',
            {
              exchangeUid: uid,
              channel: p.channel,
              channelRef: p.channel_ref,
              paymentUpstreamId: p.upstream_id,
              idNumber: payer.id_number,
              year: p.year,
              amountFen: p.amount_fen,
              claimMode: c.mode,
              claim: c.claim,
              receiptUid: receipt.uid,
              receiptNumber: receipt.number,
              counterNo: ctx.counterNo,
              operatorUsername: ctx.operatorUsername,
              exchangedAt: now,
            },
            now,
            { operatorId: ctx.operatorId, username: ctx.operatorUsername, counterNo: ctx.counterNo },
          );
        }
        this.log.info({ payerId: payer.id, payments: payments.map((p) => p.id), receipts: receipts.map((r) => r.number) }, 'payments exchanged');
        return { receipts, duplicate: false };
      })
      .immediate();
  }

  /**
   * 补开: a new receipt for a lost one, on the next number, marked 补开 with the original's
   * number. Needs a reason and a supervisor's approval; the original stays issued.
   */
  reissue(number: string, reason: string, approverOperatorId: number, ctx: ReceiptContext): ReceiptView {
    const why = this.reason(reason);
    return this.db
      .transaction((): ReceiptView => {
        this.approver(approverOperatorId, ctx);
        const orig = this.resolve(number);
        if (orig.state !== 'issued') throw refuse('RECEIPT_STATE', `缴款书 ${orig.number} 已作废，不能补开`);
        if (orig.print_state !== 'confirmed') throw refuse('RECEIPT_STATE', `缴款书 ${orig.number} 尚未确认打印：请重打或作废重开，不需补开`);
        const lines = this.lineRows(orig.id).map((l) => ({ paymentId: l.payment_id, year: l.year, amountFen: l.amount_fen }));
        const [created] = this.issueChunks(
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
        this.log.info({ receipt: created!.number, reissueOf: orig.number, approverOperatorId }, 'receipt reissued (补开)');
        return created!;
      })
      .immediate();
  }

  // ---- printing ------------------------------------------------------------------------

  /**
   * The document to print now: counts the print (第N次打印) and leaves the receipt waiting for the
   * clerk's "printed correctly?" confirmation. Refused once confirmed (a lost receipt is 补开).
   */
  printDocument(number: string): ReceiptDocument {
    return this.db
      .transaction((): ReceiptDocument => {
        const r = this.resolve(number);
        if (r.state !== 'issued') throw refuse('RECEIPT_STATE', `缴款书 ${r.number} 已作废，不能打印`);
        if (r.print_state === 'confirmed') throw refuse('RECEIPT_STATE', `缴款书 ${r.number} 已确认打印，不能再打印；遗失的请补开`);
        this.db.prepare('UPDATE receipts SET print_count = print_count + 1 WHERE id = ?').run(r.id);
        if (r.print_count > 0) {
          appendAudit(this.db, {
            action: 'receipt.reprint',
            entity: 'receipt',
            entityId: r.number,
            actor: { operatorId: r.operator_id },
            before: { printCount: r.print_count },
            after: { printCount: r.print_count + 1 },
          });
        }
        return this.document(r.number);
      })
      .immediate();
  }

  /** Printed badly: print again on the same number (the remarks show the print count). */
  reprint(number: string): ReceiptDocument {
    const r = this.resolve(number);
    if (r.print_count === 0) throw refuse('RECEIPT_STATE', `缴款书 ${r.number} 还没有打印过`);
    return this.printDocument(r.number);
  }

  /** The clerk confirms the receipt printed correctly. Repeating it is harmless. */
  confirmPrinted(number: string): ReceiptView {
    return this.db
      .transaction((): ReceiptView => {
        const r = this.resolve(number);
        if (r.state !== 'issued') throw refuse('RECEIPT_STATE', `缴款书 ${r.number} 已作废`);
        if (r.print_count === 0) throw refuse('RECEIPT_STATE', `缴款书 ${r.number} 还没有打印`);
        if (r.print_state !== 'confirmed') {
          this.db.prepare("UPDATE receipts SET print_state = 'confirmed', confirmed_at = ? WHERE id = ?").run(this.nowIso(), r.id);
        }
        return this.view(this.receiptRowById(r.id));
      })
      .immediate();
  }

  /**
   * Voids a number (作废: all copies kept, reason recorded, supervisor's approval) and issues the
   * same lines on the next number, marked 作废重开 with the voided number.
   */
  voidAndReissue(number: string, reason: string, approverOperatorId: number, ctx: ReceiptContext): ReceiptView {
    const why = this.reason(reason);
    return this.db
      .transaction((): ReceiptView => {
        const approver = this.approver(approverOperatorId, ctx);
        const old = this.resolve(number);
        if (old.state !== 'issued') throw refuse('RECEIPT_STATE', `缴款书 ${old.number} 已作废`);
        const now = this.nowIso();
        this.db
          .prepare("UPDATE receipts SET state = 'voided', voided_at = ?, void_reason = ?, void_approved_by = ? WHERE id = ?")
          .run(now, why, approverOperatorId, old.id);
        this.db.prepare('UPDATE receipt_lines SET active = 0 WHERE receipt_id = ?').run(old.id);
        const lines = this.lineRows(old.id).map((l) => ({ paymentId: l.payment_id, year: l.year, amountFen: l.amount_fen }));
        const [created] = this.issueChunks(
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
        this.db.prepare('UPDATE exchanges SET receipt_id = ? WHERE receipt_id = ?').run(created!.id, old.id);
        this.outbox(
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
        this.log.info({ voided: old.number, replacedBy: created!.number, approverOperatorId }, 'receipt voided and reissued');
        return created!;
      })
      .immediate();
  }

  // ---- reading -------------------------------------------------------------------------

  get(number: string): ReceiptView {
    return this.view(this.resolve(number));
  }

  receiptsForPayer(payerId: number): ReceiptView[] {
    return (this.db.prepare('SELECT * FROM receipts WHERE payer_id = ? ORDER BY id').all(payerId) as ReceiptRow[]).map((r) => this.view(r));
  }

  /**
   * An operator's receipts still waiting: issued and not voided, not yet confirmed as printed
   * correctly (never printed, or printed and not confirmed), whatever their business day.
   */
  waitingFor(operatorId: number): ReceiptView[] {
    return (
      this.db
        .prepare("SELECT * FROM receipts WHERE operator_id = ? AND state = 'issued' AND print_state = 'pending' ORDER BY id")
        .all(operatorId) as ReceiptRow[]
    ).map((r) => this.view(r));
  }

  receiptsForTransaction(transactionId: number): ReceiptView[] {
    return (this.db.prepare('SELECT * FROM receipts WHERE transaction_id = ? ORDER BY id').all(transactionId) as ReceiptRow[]).map((r) => this.view(r));
  }

  /** Everything printed on the receipt, without counting a print (for previews and the CLI). */
  document(number: string): ReceiptDocument {
    const r = this.resolve(number);
    const payer = this.payer(r.payer_id);
    const operator = this.db.prepare('SELECT display_name FROM operators WHERE id = ?').get(r.operator_id) as { display_name: string };
    const lines = this.lineRows(r.id);
    const notes: string[] = [];
    if (r.state === 'voided') notes.push('已作废');
    const exchanged = this.db
      .prepare(`SELECT channel, channel_ref FROM exchanges WHERE payment_id IN (${lines.map(() => '?').join(',')}) ORDER BY channel_ref`)
      .all(...lines.map((l) => l.payment_id)) as { channel: ExchangeChannel; channel_ref: string }[];
    for (const e of exchanged) notes.push(`换开 ${channelLabels[e.channel].channel}${channelLabels[e.channel].ref} ${e.channel_ref}`);
    // A lump-sum line is paid in one year but counts N years: the remarks say so (issue 17).
    const lumps = this.db
      .prepare(`SELECT lump_sum_years FROM payments WHERE id IN (${lines.map(() => '?').join(',')}) AND lump_sum_years IS NOT NULL ORDER BY id`)
      .all(...lines.map((l) => l.payment_id)) as { lump_sum_years: number }[];
    for (const l of lumps) notes.push(`一次性补缴${l.lump_sum_years}年`);
    if (r.reissue_of !== null) notes.push(`补开 原票号 ${this.receiptRowById(r.reissue_of).number}`);
    if (r.replaces !== null) notes.push(`作废重开 原票号 ${this.receiptRowById(r.replaces).number}`);
    if (r.group_index !== null && r.group_count !== null && r.group_count > 1) {
      const group = this.groupOf(r);
      notes.push(
        `第${r.group_index}张/共${r.group_count}张${group && group.numbers.length > 1 ? `（${group.numbers[0]}–${group.numbers[group.numbers.length - 1]}）` : ''}`,
      );
    }
    if (this.options.training) notes.push('培训样张 不作收款凭证');
    return {
      number: r.number,
      // 填发日期: the civil date on which it is issued, in the hall's zone, whatever the business day.
      issuedDate: civilDate(new Date(r.issued_at), this.options.timeZone),
      taxOffice: this.options.taxOffice,
      idNumber: payer.id_number,
      name: payer.name,
      address: receiptAddress(payer),
      lines: lines.map((l) => ({ item: PENSION_ITEM, year: l.year, amountFen: l.amount_fen })),
      totalFen: r.total_fen,
      operatorName: operator.display_name,
      printCount: r.print_count,
      checkCode: r.check_code,
      notes,
      training: this.options.training,
    };
  }

  // ---- printer calibration ---------------------------------------------------------------

  /** Offsets of the overlay print on a printer's pre-printed forms, in millimetres (0, 0 when never set). */
  calibration(printer: string): Calibration {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(`receipt.calibration.${printer}`) as { value: string } | undefined;
    if (!row) return { xMm: 0, yMm: 0 };
    const v = JSON.parse(row.value) as Calibration;
    return { xMm: v.xMm, yMm: v.yMm };
  }

  setCalibration(printer: string, offsets: Calibration): Calibration {
    if (!printer.trim()) throw refuse('VALIDATION', '请指定打印机');
    for (const v of [offsets.xMm, offsets.yMm]) {
      if (!Number.isFinite(v) || Math.abs(v) > 30) throw refuse('VALIDATION', '校准偏移应在 -30 到 30 毫米之间');
    }
    const value = { xMm: Math.round(offsets.xMm * 10) / 10, yMm: Math.round(offsets.yMm * 10) / 10 };
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(`receipt.calibration.${printer}`, JSON.stringify(value));
    return value;
  }

  // ---- internals -----------------------------------------------------------------------

  private nowIso(): string {
    return this.clock.now().toISOString();
  }

  private localTime(iso: string): string {
    return hallTime(iso, this.options.timeZone);
  }

  private reason(reason: string): string {
    const why = reason.trim();
    if (why.length < 2) throw refuse('VALIDATION', '请填写原因');
    if (why.length > 200) throw refuse('VALIDATION', '原因不能超过 200 字');
    return why;
  }

  /** The approving supervisor: an active supervisor account, not the clerk doing the work. */
  private approver(operatorId: number, ctx: ReceiptContext | null): { id: number; username: string } {
    const row = this.db.prepare('SELECT id, username, role, active FROM operators WHERE id = ?').get(operatorId) as
      { id: number; username: string; role: string; active: number } | undefined;
    if (!row || row.role !== 'supervisor' || row.active !== 1) throw refuse('APPROVAL_REQUIRED', '此操作需要有效的值班主任账户审批');
    if (ctx && row.id === ctx.operatorId) throw refuse('APPROVAL_REQUIRED', '审批人不能是经办人本人，请由另一位值班主任审批');
    return { id: row.id, username: row.username };
  }

  /** The operator a supervisor names when entering paper stock, or null. */
  operatorByUsername(username: string): { id: number } | null {
    return (this.db.prepare('SELECT id FROM operators WHERE username = ?').get(username) as { id: number } | undefined) ?? null;
  }

  /** An operator who may hold receipt stock. */
  private holder(operatorId: number): { id: number; username: string } {
    const row = this.db.prepare('SELECT id, username, role, active FROM operators WHERE id = ?').get(operatorId) as
      { id: number; username: string; role: string; active: number } | undefined;
    if (!row || row.active !== 1 || row.role === 'admin') throw refuse('VALIDATION', '号码段只能发给在用的收费员或值班主任');
    return row;
  }

  private insertBlock(
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
        this.db
          .prepare(
            `INSERT INTO receipt_blocks (receipt_type, series, first_serial, last_serial, serial_digits, operator_id, source, upstream_block_id, entered_by, next_serial, created_at)
             VALUES ('tax_cash', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(b.series, b.firstSerial, b.lastSerial, b.serialDigits, b.operatorId, b.source, b.upstreamBlockId, b.enteredBy, b.firstSerial, now)
          .lastInsertRowid,
      );
    } catch (error) {
      if (error instanceof Error && error.message.includes('overlaps')) {
        throw refuse('VALIDATION', `号码段 ${b.series} ${b.firstSerial}–${b.lastSerial} 与已有号码段重叠，同一号码不能领用两次`);
      }
      throw error;
    }
  }

  private blockRow(id: number): BlockRow {
    const row = this.db.prepare('SELECT * FROM receipt_blocks WHERE id = ?').get(id) as BlockRow | undefined;
    if (!row) throw refuse('NOT_FOUND', '没有这个号码段');
    return row;
  }

  private blockView(b: BlockRow): BlockView {
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
  private currentBlock(operatorId: number): BlockRow | undefined {
    return this.db
      .prepare(
        `SELECT * FROM receipt_blocks WHERE operator_id = ? AND receipt_type = 'tax_cash' AND handed_back_from IS NULL
           AND next_serial <= last_serial ORDER BY id LIMIT 1`,
      )
      .get(operatorId) as BlockRow | undefined;
  }

  private payer(payerId: number): PayerRow {
    const row = this.db.prepare('SELECT id, id_number, name, town, village, address FROM payers WHERE id = ?').get(payerId) as PayerRow | undefined;
    if (!row) throw refuse('NOT_FOUND', '没有这位缴费人');
    return row;
  }

  /** Splits lines over as many receipts as the form's line limit needs. Inside a transaction. */
  private issueChunks(payerId: number, lines: LineInput[], meta: IssueMeta, ctx: ReceiptContext): ReceiptView[] {
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
  private issueOne(payerId: number, lines: LineInput[], meta: IssueMeta, ctx: ReceiptContext): ReceiptView {
    const block = this.currentBlock(ctx.operatorId);
    if (!block) throw refuse('RECEIPT_STOCK_EMPTY', '您名下没有可用的缴款书号码，请值班主任录入或申领票证后再开具');
    const serial = block.next_serial;
    const moved = this.db.prepare('UPDATE receipt_blocks SET next_serial = next_serial + 1 WHERE id = ? AND next_serial = ?').run(block.id, serial);
    if (moved.changes !== 1) throw new Error('receipt block changed under an immediate transaction');
    const number = formatReceiptNumber(block.series, serial, block.serial_digits);
    const now = this.nowIso();
    // Once the clerk has closed today, later receipts go to the next business day.
    const businessDate = openBusinessDate(this.db, civilDate(new Date(now), this.options.timeZone), ctx.operatorId);
    const uid = randomUUID();
    const checkCode = String(randomInt(0, 100_000_000)).padStart(8, '0');
    const total = lines.reduce((s, l) => s + l.amountFen, 0);
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO receipts (uid, block_id, receipt_type, series, serial, number, kind, state, payer_id, operator_id, counter_no, transaction_id,
             reissue_of, replaces, total_fen, business_date, issued_at, check_code, print_count, print_state, reason, approved_by,
             group_uid, group_index, group_count)
           VALUES (?, ?, 'tax_cash', ?, ?, ?, ?, 'issued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'pending', ?, ?, ?, ?, ?)`,
        )
        .run(
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
    const insertLine = this.db.prepare(
      'INSERT INTO receipt_lines (receipt_id, line_no, payment_id, year, amount_fen, original, active) VALUES (?, ?, ?, ?, ?, ?, 1)',
    );
    lines.forEach((l, i) => {
      try {
        insertLine.run(id, i + 1, l.paymentId, l.year, l.amountFen, meta.kind === 'reissue' ? 0 : 1);
      } catch (error) {
        if (error instanceof Error && /UNIQUE/.test(error.message)) throw refuse('RECEIPT_ALREADY_ISSUED', `${l.year}年度的缴费已开具缴款书`);
        throw error;
      }
    });
    const payer = this.payer(payerId);
    const approver =
      meta.approvedBy === null ? null : (this.db.prepare('SELECT username FROM operators WHERE id = ?').get(meta.approvedBy) as { username: string }).username;
    const paymentIds = this.db.prepare('SELECT local_uid, upstream_id FROM payments WHERE id = ?');
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
          const ids = paymentIds.get(l.paymentId) as { local_uid: string | null; upstream_id: string | null };
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
  private outbox<K extends OutboxKind>(key: string, kind: K, payload: OutboxPayload<K>, now: string, actor: AuditActor): void {
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

  private liveReceiptIds(paymentIds: number[]): Set<number> {
    if (paymentIds.length === 0) return new Set();
    const rows = this.db
      .prepare(
        `SELECT DISTINCT receipt_id FROM receipt_lines WHERE original = 1 AND active = 1 AND payment_id IN (${paymentIds.map(() => '?').join(',')}) ORDER BY receipt_id`,
      )
      .all(...paymentIds) as { receipt_id: number }[];
    return new Set(rows.map((r) => r.receipt_id));
  }

  private resolvePayment(ref: ExchangeRef): ExchangeablePayment {
    let rows: PaymentRow[];
    if ('paymentId' in ref) {
      rows = this.db.prepare('SELECT * FROM payments WHERE id = ?').all(ref.paymentId) as PaymentRow[];
      if (rows.length === 0) throw refuse('NOT_FOUND', '没有这笔缴费记录');
    } else {
      const slip = ref.channelRef.replace(/\s+/g, '');
      rows = (
        ref.channel
          ? this.db.prepare("SELECT * FROM payments WHERE channel_ref = ? AND channel = ? AND channel <> 'counter'").all(slip, ref.channel)
          : this.db.prepare("SELECT * FROM payments WHERE channel_ref = ? AND channel <> 'counter'").all(slip)
      ) as PaymentRow[];
      if (rows.length === 0) {
        throw refuse('NOT_FOUND', `本机已同步的缴费记录中没有凭证号 ${slip}。银行或APP缴费可能尚未同步到本机，请稍后再查；仍查不到的请核对凭证。`);
      }
      if (rows.length > 1) throw refuse('VALIDATION', `凭证号 ${slip} 对应多个缴费渠道，请选择渠道`);
    }
    const p = rows[0]!;
    if (!isExchangeable(p)) throw refuse('VALIDATION', '柜台缴费直接开具缴款书，不需换开');
    return p;
  }

  private assertNotExchanged(p: PaymentRow): void {
    const done = this.db
      .prepare('SELECT e.created_at, e.counter_no, r.number FROM exchanges e JOIN receipts r ON r.id = e.receipt_id WHERE e.payment_id = ?')
      .get(p.id) as { created_at: string; counter_no: number; number: string } | undefined;
    if (done) {
      throw refuse(
        'ALREADY_EXCHANGED',
        `该凭证已于 ${this.localTime(done.created_at)} 在${done.counter_no}号窗口换开（缴款书 ${done.number}），不能再次换开。原缴款书遗失的，经值班主任审批可补开。`,
      );
    }
  }

  private candidates(where: string, params: unknown[]): ExchangeCandidate[] {
    const rows = this.db
      .prepare(
        `SELECT p.id, p.payer_id, r.name, r.id_number, p.year, p.amount_fen, p.channel, p.channel_ref, p.paid_at, p.upstream_id,
                rc.number AS receipt_number, e.created_at AS exchanged_at
         FROM payments p JOIN payers r ON r.id = p.payer_id
         LEFT JOIN exchanges e ON e.payment_id = p.id
         LEFT JOIN receipts rc ON rc.id = e.receipt_id
         WHERE ${where} AND p.channel <> 'counter' AND p.channel_ref IS NOT NULL
         ORDER BY p.year, p.id`,
      )
      .all(...params) as {
      id: number;
      payer_id: number;
      name: string;
      id_number: string;
      year: number;
      amount_fen: number;
      channel: ExchangeChannel;
      channel_ref: string;
      paid_at: string;
      upstream_id: string | null;
      receipt_number: string | null;
      exchanged_at: string | null;
    }[];
    return rows.map((r) => ({
      paymentId: r.id,
      payerId: r.payer_id,
      payerName: r.name,
      idNumberMasked: maskIdNumber(r.id_number),
      year: r.year,
      amountFen: r.amount_fen,
      channel: r.channel,
      channelRef: r.channel_ref,
      paidAt: r.paid_at,
      upstreamId: r.upstream_id,
      status: r.exchanged_at === null ? 'exchangeable' : 'exchanged',
      receiptNumber: r.receipt_number,
      exchangedAt: r.exchanged_at,
    }));
  }

  /** A receipt by its full number, or by its serial alone when that is unambiguous. */
  private resolve(input: string): ReceiptRow {
    const text = input.trim();
    const exact = this.db.prepare('SELECT * FROM receipts WHERE number = ?').get(text) as ReceiptRow | undefined;
    if (exact) return exact;
    if (/^\d+$/.test(text)) {
      const rows = this.db.prepare('SELECT * FROM receipts WHERE serial = ?').all(Number(text)) as ReceiptRow[];
      if (rows.length === 1) return rows[0]!;
      if (rows.length > 1) throw refuse('VALIDATION', `有多个字轨的号码为 ${text}，请输入完整票号`);
    }
    throw refuse('NOT_FOUND', `没有票号为 ${text} 的缴款书`);
  }

  private receiptRowById(id: number): ReceiptRow {
    return this.db.prepare('SELECT * FROM receipts WHERE id = ?').get(id) as ReceiptRow;
  }

  private lineRows(receiptId: number): { line_no: number; payment_id: number; year: number; amount_fen: number }[] {
    return this.db.prepare('SELECT line_no, payment_id, year, amount_fen FROM receipt_lines WHERE receipt_id = ? ORDER BY line_no').all(receiptId) as {
      line_no: number;
      payment_id: number;
      year: number;
      amount_fen: number;
    }[];
  }

  private view(r: ReceiptRow): ReceiptView {
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
          ? ((this.db.prepare('SELECT number FROM receipts WHERE replaces = ? ORDER BY id LIMIT 1').get(r.id) as { number: string } | undefined)?.number ??
            null)
          : null,
    };
  }

  /** 第index张/共count张 with the group's live numbers in order, or null for a receipt on its own. */
  private groupOf(r: ReceiptRow): ReceiptView['group'] {
    if (r.group_uid === null || r.group_index === null || r.group_count === null) return null;
    const numbers = (
      this.db.prepare("SELECT number FROM receipts WHERE group_uid = ? AND state = 'issued' ORDER BY group_index, id").all(r.group_uid) as { number: string }[]
    ).map((x) => x.number);
    return { index: r.group_index, count: r.group_count, numbers };
  }
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
