// The payer's screen (客显) and the service evaluation (好差评). The counter only says which step
// it is at (a payer id and the chosen lines, or a transaction id); everything the payer's screen
// shows is built here from the services' own records: the name and ID number masked, the amounts
// priced by the policy engine, the slip and receipt numbers from the ledger. What the renderer
// sends is never shown as is, so a counter page cannot put a full ID number on the payer's screen.
//
// After a payment the screen says 缴费成功, then asks for a rating; the question is withdrawn and
// recorded as 未评价 after the configured time, or when the next payer is identified.
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/api/errors';
import { amountInCapitals } from '../../../shared/domain/capitals';
import { maskIdNumber } from '../../../shared/domain/id-number';
import { maskPersonName, type DisplayLine, type DisplayPublish, type EvaluationCountRow, type PayerDisplayState } from '../../../shared/payer-display';
import type { Quote, QuoteLineRequest } from '../../../shared/policy';
import { evaluationLevelCodes, evaluationLowLevels, type EvaluationLevel, type EvaluationReason } from '../../../shared/vocab';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/database';
import type { EventBus } from '../../platform/events';
import type { Logger } from '../../platform/log';
import { enqueue } from '../../sync/outbox';
import * as sql from '../../platform/db/sql';

export interface DisplayCounter {
  operatorId: number;
  operatorUsername: string;
  counterNo: number;
}

export interface Timers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}
const realTimers: Timers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface PayerDisplayOptions {
  db: Db;
  clock: Clock;
  events: EventBus;
  log: Logger;
  training: boolean;
  hallName: string;
  /** The policy engine's quote for a payer (PaymentService.quote). */
  quote(payerId: number, lines: readonly QuoteLineRequest[]): Quote;
  /** The collection period in force today, if any. */
  period(): { year: number; from: string; to: string; ended: boolean } | null;
  /** Seconds the payer has to rate (read on every question: IT may change it). */
  evaluationSeconds(): number;
  /** How long 缴费成功 stays before the question (ms). */
  successMs?: number;
  /** How long the thanks stay before the screen goes idle (ms). */
  thanksMs?: number;
  timers?: Timers;
}

interface Question {
  evaluationId: string;
  transactionId: number;
  transactionUid: string;
  operatorId: number;
  operatorUsername: string;
  counterNo: number;
  businessDate: string;
  slipNo: string;
}

/** The slip's 流水号 exactly as the payment slip prints it (electron/services/counter/devices.ts). */
export function slipNumber(createdAt: string, transactionId: number): string {
  return `${createdAt.slice(0, 10).replaceAll('-', '')}-${String(transactionId).padStart(6, '0')}`;
}

export class PayerDisplayService {
  private state: PayerDisplayState;
  private counterNo: number | null = null;
  /** The payment waiting for its rating (shown as 缴费成功 or as the question). */
  private question: Question | null = null;
  /** What the counter asked for last; shown when the question is over. */
  private afterQuestion: DisplayPublish = { stage: 'idle' };
  private timer: unknown = null;
  private readonly timers: Timers;

  constructor(private readonly o: PayerDisplayOptions) {
    this.timers = o.timers ?? realTimers;
    this.state = this.idle();
  }

  current(): PayerDisplayState {
    return this.state;
  }

  /** The counter's step. Refused for a payer or transaction that does not exist (or another operator's). */
  publish(input: DisplayPublish, counter: DisplayCounter): PayerDisplayState {
    this.counterNo = counter.counterNo;
    if (input.stage === 'paid') return this.paid(input.transactionId, counter);
    const shown = this.build(input);
    this.afterQuestion = input;
    if (this.question) {
      // The next payer is at the counter: the question was not answered.
      if (input.stage === 'payer' && this.state.stage === 'evaluate') {
        this.record(null, []);
      } else {
        // 缴费成功 on screen and the clerk moved on: ask now; the counter's step shows afterwards.
        if (this.state.stage === 'paid') this.ask();
        return this.state;
      }
    }
    return this.show(shown);
  }

  /** The payer's rating of the open question. */
  submit(evaluationId: string, level: EvaluationLevel, reasons: readonly EvaluationReason[]): PayerDisplayState {
    const q = this.question;
    if (!q || this.state.stage !== 'evaluate' || q.evaluationId !== evaluationId) {
      throw new AppError('VALIDATION', '评价已结束，感谢您的配合');
    }
    if (reasons.length && !evaluationLowLevels.includes(level)) throw new AppError('VALIDATION', '只有"不满意"和"非常不满意"可以选择原因');
    this.record(level, [...new Set(reasons)]);
    this.show({ stage: 'thanks', ...this.common() });
    this.schedule(() => this.showAfterQuestion(), this.o.thanksMs ?? 3_000);
    return this.state;
  }

  /** Ratings per operator and business day, inclusive dates. */
  counts(fromDate: string, toDate: string): EvaluationCountRow[] {
    const rows = sql.all<{ d: string; u: string; n: string; outcome: 'rated' | 'skipped'; level: EvaluationLevel | null; c: number }>(
      this.o.db,
      `SELECT e.business_date AS d, o.username AS u, o.display_name AS n, e.outcome AS outcome, e.level AS level, count(*) AS c
           FROM service_evaluations e JOIN operators o ON o.id = e.operator_id
          WHERE e.business_date BETWEEN ? AND ?
          GROUP BY e.business_date, o.username, e.outcome, e.level
          ORDER BY e.business_date DESC, o.username`,
      fromDate,
      toDate,
    );
    const byKey = new Map<string, EvaluationCountRow>();
    for (const r of rows) {
      const key = `${r.d}\u0000${r.u}`;
      let row = byKey.get(key);
      if (!row) {
        row = {
          businessDate: r.d,
          operatorUsername: r.u,
          operatorName: r.n,
          counts: Object.fromEntries(evaluationLevelCodes.map((l) => [l, 0])) as Record<EvaluationLevel, number>,
          skipped: 0,
          rated: 0,
        };
        byKey.set(key, row);
      }
      if (r.outcome === 'skipped' || r.level === null) row.skipped += r.c;
      else {
        row.counts[r.level] += r.c;
        row.rated += r.c;
      }
    }
    return [...byKey.values()];
  }

  /** The counter closed (sign-out): an open question is 未评价, the screen goes idle. */
  reset(): void {
    if (this.question) this.record(null, []);
    this.afterQuestion = { stage: 'idle' };
    this.counterNo = null;
    this.show(this.idle());
  }

  /** Stops the timers (the app is closing); an open question stays unrecorded. */
  close(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }

  // --- steps -------------------------------------------------------------------------------

  private paid(transactionId: number, counter: DisplayCounter): PayerDisplayState {
    const tx = sql.get<{
      id: number;
      uid: string;
      payer_id: number;
      operator_id: number;
      counter_no: number;
      business_date: string;
      method: 'cash' | 'bank_card' | 'qr';
      tendered_fen: number | null;
      change_fen: number | null;
      created_at: string;
      name: string;
      id_number: string;
    }>(
      this.o.db,
      `SELECT t.id, t.uid, t.payer_id, t.operator_id, t.counter_no, t.business_date, t.method, t.tendered_fen, t.change_fen, t.created_at,
                p.name, p.id_number
           FROM counter_transactions t JOIN payers p ON p.id = t.payer_id WHERE t.id = ?`,
      transactionId,
    );
    if (!tx || tx.operator_id !== counter.operatorId) throw new AppError('VALIDATION', '没有这笔缴费');
    const lines = sql
      .all<{
        year: number;
        tier_fen: number;
        amount_fen: number;
        subsidy_fen: number;
        government_paid_fen: number;
        back_payment: number;
        lump_sum_years: number | null;
      }>(
        this.o.db,
        `SELECT year, tier_fen, amount_fen, subsidy_fen, government_paid_fen, back_payment, lump_sum_years
             FROM payments WHERE transaction_id = ? ORDER BY year DESC, id`,
        tx.id,
      )
      .map((l): DisplayLine => ({
        year: l.year,
        years: l.lump_sum_years ?? 1,
        lumpSum: l.lump_sum_years !== null,
        backPayment: l.back_payment === 1,
        tierFen: l.tier_fen,
        payerFen: l.amount_fen,
        subsidyFen: l.subsidy_fen,
        governmentPaidFen: l.government_paid_fen,
      }));
    const receiptNumbers = sql
      .all<{ number: string }>(this.o.db, "SELECT number FROM receipts WHERE transaction_id = ? AND state = 'issued' ORDER BY id", tx.id)
      .map((r) => r.number);
    const sum = (k: 'payerFen' | 'subsidyFen' | 'governmentPaidFen') => lines.reduce((a, l) => a + l[k], 0);
    const payerFen = sum('payerFen');
    const slipNo = slipNumber(tx.created_at, tx.id);
    const state: PayerDisplayState = {
      stage: 'paid',
      ...this.common(),
      payer: { name: maskPersonName(tx.name), idNumberMasked: maskIdNumber(tx.id_number) },
      amounts: {
        lines,
        payerFen,
        subsidyFen: sum('subsidyFen'),
        governmentPaidFen: sum('governmentPaidFen'),
        capitals: amountInCapitals(payerFen),
        method: tx.method,
        tenderedFen: tx.tendered_fen,
        changeFen: tx.change_fen,
      },
      slipNo,
      receiptNumbers,
    };
    if (this.question?.transactionId === tx.id) {
      // The receipt was issued after 缴费成功: the number is added, the question is not asked again.
      if (this.state.stage === 'paid') this.show(state);
      return this.state;
    }
    const rated = sql.get(this.o.db, 'SELECT 1 FROM service_evaluations WHERE transaction_id = ?', tx.id);
    if (this.question && this.state.stage === 'evaluate') this.record(null, []);
    this.question = rated
      ? null
      : {
          evaluationId: randomUUID(),
          transactionId: tx.id,
          transactionUid: tx.uid,
          operatorId: tx.operator_id,
          operatorUsername: counter.operatorUsername,
          counterNo: tx.counter_no,
          businessDate: tx.business_date,
          slipNo,
        };
    this.afterQuestion = { stage: 'idle' };
    this.show(state);
    // The clerk is still issuing and printing the receipt: the question comes with 下一位, or after a minute.
    if (this.question) this.schedule(() => this.ask(), this.o.successMs ?? 60_000);
    return this.state;
  }

  private ask(): void {
    const q = this.question;
    if (!q) return;
    const seconds = this.o.evaluationSeconds();
    this.show({
      stage: 'evaluate',
      ...this.common(),
      evaluationId: q.evaluationId,
      deadline: new Date(this.o.clock.now().getTime() + seconds * 1000).toISOString(),
      seconds,
      slipNo: q.slipNo,
    });
    this.schedule(() => {
      if (this.question !== q) return;
      this.record(null, []);
      this.showAfterQuestion();
    }, seconds * 1000);
  }

  /** The counter's latest step once the question is over (idle if that payer can no longer be shown). */
  private showAfterQuestion(): void {
    let next: PayerDisplayState;
    try {
      next = this.build(this.afterQuestion);
    } catch {
      next = this.idle();
    }
    this.show(next);
  }

  /** Writes the rating (or 未评价) with its transaction; a rating goes upstream in the same transaction. */
  private record(level: EvaluationLevel | null, reasons: EvaluationReason[]): void {
    const q = this.question;
    if (!q) return;
    this.question = null;
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
    const at = this.o.clock.now().toISOString();
    const uid = randomUUID();
    const db = this.o.db;
    try {
      db.transaction(() => {
        const inserted = sql.run(
          db,
          `INSERT INTO service_evaluations (uid, transaction_id, operator_id, counter_no, business_date, outcome, level, reasons, recorded_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(transaction_id) DO NOTHING`,
          uid,
          q.transactionId,
          q.operatorId,
          q.counterNo,
          q.businessDate,
          level ? 'rated' : 'skipped',
          level,
          JSON.stringify(reasons),
          at,
        );
        if (!inserted.changes || !level) return;
        enqueue(
          db,
          'evaluation.recorded',
          {
            evaluationUid: uid,
            transactionUid: q.transactionUid,
            businessDate: q.businessDate,
            operatorUsername: q.operatorUsername,
            counterNo: q.counterNo,
            level,
            reasons,
            evaluatedAt: at,
          },
          { key: `evaluation:${uid}`, at },
        );
      })();
    } catch (error) {
      // The payer's screen goes on; the lost rating is in the log for IT.
      this.o.log.error({ err: error, transactionId: q.transactionId }, 'service evaluation not recorded');
      return;
    }
    this.o.log.info({ transactionId: q.transactionId, outcome: level ? 'rated' : 'skipped' }, 'service evaluation recorded');
  }

  private build(input: DisplayPublish): PayerDisplayState {
    if (input.stage !== 'payer') return this.idle();
    const payer = sql.get<{ name: string; id_number: string }>(this.o.db, 'SELECT name, id_number FROM payers WHERE id = ?', input.payerId);
    if (!payer) throw new AppError('PAYER_NOT_FOUND');
    let amounts: Extract<PayerDisplayState, { stage: 'payer' }>['amounts'] = null;
    if (input.lines.length) {
      const q = this.o.quote(input.payerId, input.lines);
      if (q.ok) {
        const due = q.totals.payerFen;
        const tendered = input.method === 'cash' ? input.tenderedFen : null;
        amounts = {
          lines: q.lines.map((l) => ({
            year: l.year,
            years: l.years,
            lumpSum: l.kind === 'lump_sum',
            backPayment: l.kind === 'back_payment',
            tierFen: l.tierFen,
            payerFen: l.payerFen,
            subsidyFen: l.subsidyFen,
            governmentPaidFen: l.governmentPaidFen,
          })),
          payerFen: due,
          subsidyFen: q.totals.subsidyFen,
          governmentPaidFen: q.totals.governmentPaidFen,
          capitals: amountInCapitals(due),
          method: input.method,
          tenderedFen: tendered,
          changeFen: tendered !== null && tendered >= due ? tendered - due : null,
        };
      }
    }
    return {
      stage: 'payer',
      ...this.common(),
      payer: { name: maskPersonName(payer.name), idNumberMasked: maskIdNumber(payer.id_number) },
      amounts,
    };
  }

  private idle(): PayerDisplayState {
    return { stage: 'idle', ...this.common(), period: this.o.period() };
  }

  private common() {
    return { training: this.o.training, hallName: this.o.hallName, counterNo: this.counterNo };
  }

  private show(state: PayerDisplayState): PayerDisplayState {
    if (state.stage === 'idle' || state.stage === 'payer') {
      if (this.timer !== null) this.timers.clear(this.timer);
      this.timer = null;
    }
    this.state = state;
    this.o.events.emit('payer.display', state);
    return state;
  }

  private schedule(run: () => void, ms: number): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = this.timers.set(() => {
      this.timer = null;
      run();
    }, ms);
  }
}
