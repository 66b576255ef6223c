// 换开: bank and app payments exchanged for a formal receipt, once across all counters.
import { randomUUID } from 'node:crypto';
import { maskIdNumber } from '../../../shared/domain/id-number';
import type { ClaimOutcome } from '../../sync/client';
import type { ExchangeChannel, ExchangeClaim } from '../../sync/protocol';
import { refuse } from './errors';
import type { ReceiptCore } from './core';
import { channelLabels, isExchangeable, type ExchangeablePayment, type PaymentRow } from './rows';
import type { ExchangeCandidate, ExchangeRef, IssueResult, ReceiptContext } from './types';
import * as sql from '../../platform/db/sql';

/**
 * Claims a bank or app payment upstream (UpstreamClient.claimExchange bound to this counter's
 * client). Throwing means "could not reach the upstream": the exchange is refused.
 */
export type ClaimExchange = (channel: ExchangeChannel, channelRef: string, counterId: string) => Promise<ClaimOutcome>;

export class ReceiptExchange {
  constructor(private readonly core: ReceiptCore) {}

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
      if (!this.core.options.training) {
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
          this.core.log.warn({ paymentId: p.id, err: error }, 'exchange claim failed: upstream unreachable');
          throw refuse('EXCHANGE_OFFLINE', '暂时无法连接上游系统，不能确认该凭证未被其他窗口换开。本次未开具缴款书，请稍后再试。');
        }
        if (outcome.outcome === 'not_found') {
          throw refuse('NOT_FOUND', `上游系统查无此${channelLabels[channel].ref}（${ref}），不能换开。请核对凭证。`);
        }
        if (outcome.outcome === 'already_claimed') {
          const c = outcome.claim;
          this.core.log.info({ paymentId: p.id, station: c.station, counterId: c.counterId }, 'exchange refused: claimed by another counter');
          throw refuse(
            'ALREADY_EXCHANGED',
            `该凭证已于 ${this.core.localTime(c.claimedAt)} 在 ${c.station}（${c.counterId}）换开，不能再次换开。原缴款书遗失的，经值班主任审批可补开。`,
          );
        }
        claims.set(p.id, { mode: 'upstream', claim: outcome.claim });
      }
    }

    return this.core.db
      .transaction((): IssueResult => {
        // Another call in this process may have exchanged it while we waited for the upstream.
        for (const p of payments) this.assertNotExchanged(p);
        const lines = payments.map((p) => ({ paymentId: p.id, year: p.year, amountFen: p.amount_fen }));
        const receipts = this.core.issueChunks(
          payments[0]!.payer_id,
          lines,
          { kind: 'exchange', transactionId: null, reissueOf: null, replaces: null, reason: null, approvedBy: null },
          ctx,
        );
        const now = this.core.nowIso();
        const payer = this.core.payer(payments[0]!.payer_id);
        for (const p of payments) {
          const receipt = receipts.find((r) => r.lines.some((l) => l.paymentId === p.id))!;
          const c = claims.get(p.id)!;
          const uid = randomUUID();
          sql.run(
            this.core.db,
            `INSERT INTO exchanges (uid, payment_id, channel, channel_ref, claim_mode, claim, receipt_id, operator_id, counter_no, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
          this.core.outbox(
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
        this.core.log.info({ payerId: payer.id, payments: payments.map((p) => p.id), receipts: receipts.map((r) => r.number) }, 'payments exchanged');
        return { receipts, duplicate: false };
      })
      .immediate();
  }

  private resolvePayment(ref: ExchangeRef): ExchangeablePayment {
    let rows: PaymentRow[];
    if ('paymentId' in ref) {
      rows = sql.all<PaymentRow>(this.core.db, 'SELECT * FROM payments WHERE id = ?', ref.paymentId);
      if (rows.length === 0) throw refuse('NOT_FOUND', '没有这笔缴费记录');
    } else {
      const slip = ref.channelRef.replace(/\s+/g, '');
      rows = ref.channel
        ? sql.all<PaymentRow>(this.core.db, "SELECT * FROM payments WHERE channel_ref = ? AND channel = ? AND channel <> 'counter'", slip, ref.channel)
        : sql.all<PaymentRow>(this.core.db, "SELECT * FROM payments WHERE channel_ref = ? AND channel <> 'counter'", slip);
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
    const done = sql.get<{ created_at: string; counter_no: number; number: string }>(
      this.core.db,
      'SELECT e.created_at, e.counter_no, r.number FROM exchanges e JOIN receipts r ON r.id = e.receipt_id WHERE e.payment_id = ?',
      p.id,
    );
    if (done) {
      throw refuse(
        'ALREADY_EXCHANGED',
        `该凭证已于 ${this.core.localTime(done.created_at)} 在${done.counter_no}号窗口换开（缴款书 ${done.number}），不能再次换开。原缴款书遗失的，经值班主任审批可补开。`,
      );
    }
  }

  private candidates(where: string, params: sql.Param[]): ExchangeCandidate[] {
    const rows = sql.all<{
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
    }>(
      this.core.db,
      `SELECT p.id, p.payer_id, r.name, r.id_number, p.year, p.amount_fen, p.channel, p.channel_ref, p.paid_at, p.upstream_id,
                rc.number AS receipt_number, e.created_at AS exchanged_at
         FROM payments p JOIN payers r ON r.id = p.payer_id
         LEFT JOIN exchanges e ON e.payment_id = p.id
         LEFT JOIN receipts rc ON rc.id = e.receipt_id
         WHERE ${where} AND p.channel <> 'counter' AND p.channel_ref IS NOT NULL
         ORDER BY p.year, p.id`,
      ...params,
    );
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
}
