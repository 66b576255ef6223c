// The day summary computed from the ledger: a pure read, nothing written. Every figure comes from
// the rows themselves (counter_transactions, payments, receipts, exchanges) filtered by business
// date and, optionally, operator.
import type { PaymentMethod } from '../../../shared/api/views';
import type { Db } from '../../platform/db/database';
import type { ExchangeChannel } from '../../sync/protocol';
import { evaluationTally } from '../payer-display/tally';
import type { CounterRow, DaySummary, LevelAmount, ReceiptRange, ReissuedReceipt, VoidedReceipt, WaitingReceipt } from './types';
import * as sql from '../../platform/db/sql';

const METHOD_ORDER: readonly PaymentMethod[] = ['cash', 'bank_card', 'qr'];
const CHANNEL_ORDER: readonly ExchangeChannel[] = ['bank_pos', 'bank_counter', 'mobile_app'];
const LEVEL_ORDER: readonly LevelAmount['level'][] = ['central', 'province', 'city', 'county', 'township'];

// Civil-date helpers from the one time module.
export { addDays, isCivilDate as isBusinessDate } from '../../../shared/domain/time';

/** Splits sorted serials into runs of consecutive numbers. */
export function consecutiveRuns(serials: readonly number[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const s of serials) {
    const last = runs[runs.length - 1];
    if (last && s === last[1] + 1) last[1] = s;
    else runs.push([s, s]);
  }
  return runs;
}

export interface SummaryScope {
  businessDate: string;
  /** Omitted: the whole hall. */
  operatorId?: number;
}

/**
 * Per operator (or the whole hall) for one business day: payments by year (current vs 补缴), by
 * tier, by payment method, by operator and counter; exchanges by channel; receipt numbers used
 * (ranges), voided (numbers, reasons) and reissued; the cash to hand over.
 */
export function computeDaySummary(db: Db, scope: SummaryScope): DaySummary {
  const date = scope.businessDate;
  const op = scope.operatorId ?? null;
  // "@op IS NULL OR x = @op": one statement for both scopes.
  const args = { date, op };

  const lineRows = sql.all<{ year: number; bp: number; tier: number; method: PaymentMethod; n: number; amount: number; subsidy: number; gov: number }>(
    db,
    `SELECT p.year, p.back_payment AS bp, p.tier_fen AS tier, t.method,
              count(*) AS n, sum(p.amount_fen) AS amount, sum(p.subsidy_fen) AS subsidy, sum(p.government_paid_fen) AS gov
       FROM payments p JOIN counter_transactions t ON t.id = p.transaction_id
       WHERE t.business_date = @date AND (@op IS NULL OR t.operator_id = @op)
       GROUP BY p.year, p.back_payment, p.tier_fen, t.method`,
    args,
  );

  // Splits by level of government, as each line recorded them (JSON arrays of {level, amountFen}).
  const levelRows = sql.all<{ kind: 'subsidy' | 'government'; level: LevelAmount['level']; amount: number }>(
    db,
    `SELECT 'subsidy' AS kind, json_extract(s.value, '$.level') AS level, sum(json_extract(s.value, '$.amountFen')) AS amount
       FROM payments p JOIN counter_transactions t ON t.id = p.transaction_id, json_each(p.subsidy_split) s
       WHERE t.business_date = @date AND (@op IS NULL OR t.operator_id = @op) GROUP BY level
       UNION ALL
       SELECT 'government' AS kind, json_extract(s.value, '$.level') AS level, sum(json_extract(s.value, '$.amountFen')) AS amount
       FROM payments p JOIN counter_transactions t ON t.id = p.transaction_id, json_each(p.government_paid_split) s
       WHERE t.business_date = @date AND (@op IS NULL OR t.operator_id = @op) GROUP BY level`,
    args,
  );
  const lumpRow = sql.one<{ n: number; years: number; amount: number }>(
    db,
    `SELECT count(*) AS n, coalesce(sum(p.lump_sum_years), 0) AS years, coalesce(sum(p.amount_fen), 0) AS amount
       FROM payments p JOIN counter_transactions t ON t.id = p.transaction_id
       WHERE t.business_date = @date AND (@op IS NULL OR t.operator_id = @op) AND p.lump_sum_years IS NOT NULL`,
    args,
  );
  const byLevel = (kind: 'subsidy' | 'government'): LevelAmount[] =>
    LEVEL_ORDER.flatMap((level) => {
      const r = levelRows.find((x) => x.kind === kind && x.level === level);
      return r ? [{ level, amountFen: r.amount }] : [];
    });

  const txRows = sql.all<{ method: PaymentMethod; n: number; total: number; tendered: number; change: number }>(
    db,
    `SELECT t.method, count(*) AS n, sum(t.total_fen) AS total, sum(coalesce(t.tendered_fen, 0)) AS tendered, sum(coalesce(t.change_fen, 0)) AS change
       FROM counter_transactions t WHERE t.business_date = @date AND (@op IS NULL OR t.operator_id = @op) GROUP BY t.method`,
    args,
  );

  const counterRows = sql.all<{
    operatorId: number;
    username: string;
    name: string;
    counterNo: number;
    transactions: number;
    n: number;
    amount: number;
    cash: number;
  }>(
    db,
    `SELECT t.operator_id AS operatorId, o.username, o.display_name AS name, t.counter_no AS counterNo,
              count(DISTINCT t.id) AS transactions, count(p.id) AS n, coalesce(sum(p.amount_fen), 0) AS amount,
              (SELECT coalesce(sum(t2.total_fen), 0) FROM counter_transactions t2 WHERE t2.business_date = @date
                 AND t2.operator_id = t.operator_id AND t2.counter_no = t.counter_no AND t2.method = 'cash') AS cash
       FROM counter_transactions t JOIN operators o ON o.id = t.operator_id LEFT JOIN payments p ON p.transaction_id = t.id
       WHERE t.business_date = @date AND (@op IS NULL OR t.operator_id = @op)
       GROUP BY t.operator_id, t.counter_no ORDER BY t.counter_no, o.username`,
    args,
  );

  // An exchange belongs to the day of the first exchange receipt that carried its payment (a
  // void-and-reissue later moves exchanges.receipt_id to the new number).
  const exchangeRows = sql.all<{ channel: ExchangeChannel; n: number; amount: number }>(
    db,
    `SELECT e.channel, count(*) AS n, sum(p.amount_fen) AS amount
       FROM exchanges e JOIN payments p ON p.id = e.payment_id
       WHERE (@op IS NULL OR e.operator_id = @op)
         AND (SELECT r.business_date FROM receipt_lines l JOIN receipts r ON r.id = l.receipt_id
               WHERE l.payment_id = e.payment_id AND r.kind = 'exchange' ORDER BY r.id LIMIT 1) = @date
       GROUP BY e.channel`,
    args,
  );

  const receiptRows = sql.all<{
    id: number;
    blockId: number;
    series: string;
    serial: number;
    number: string;
    kind: 'counter' | 'exchange' | 'reissue';
    state: 'issued' | 'voided';
    totalFen: number;
    voidedAt: string | null;
    voidReason: string | null;
    reason: string | null;
    reissueOf: string | null;
    replacedBy: string | null;
    digits: number;
  }>(
    db,
    `SELECT r.id, r.block_id AS blockId, r.series, r.serial, r.number, r.kind, r.state, r.total_fen AS totalFen,
              r.voided_at AS voidedAt, r.void_reason AS voidReason, r.reason,
              (SELECT o.number FROM receipts o WHERE o.id = r.reissue_of) AS reissueOf,
              (SELECT n.number FROM receipts n WHERE n.replaces = r.id ORDER BY n.id LIMIT 1) AS replacedBy,
              b.serial_digits AS digits
       FROM receipts r JOIN receipt_blocks b ON b.id = r.block_id
       WHERE r.business_date = @date AND (@op IS NULL OR r.operator_id = @op)
       ORDER BY r.series, r.serial`,
    args,
  );

  const waiting: WaitingReceipt[] = sql
    .all<{ number: string; payerName: string; totalFen: number; printCount: number; businessDate: string }>(
      db,
      `SELECT r.number, p.name AS payerName, r.total_fen AS totalFen, r.print_count AS printCount, r.business_date AS businessDate
         FROM receipts r JOIN payers p ON p.id = r.payer_id
         WHERE r.state = 'issued' AND r.print_state = 'pending' AND r.business_date <= @date AND (@op IS NULL OR r.operator_id = @op)
         ORDER BY r.series, r.serial`,
      args,
    )
    .map((r) => ({
      number: r.number,
      payerName: r.payerName,
      totalFen: r.totalFen,
      status: r.printCount > 0 ? ('printed' as const) : ('issued' as const),
      businessDate: r.businessDate,
    }));

  // ---- payments -------------------------------------------------------------------------
  const byYear = new Map<string, DaySummary['payments']['byYear'][number]>();
  const byTier = new Map<number, DaySummary['payments']['byTier'][number]>();
  const byYearTier = new Map<string, DaySummary['payments']['byYearTier'][number]>();
  const linesByMethod = new Map<PaymentMethod, { n: number; amount: number }>();
  let count = 0;
  let amountFen = 0;
  let subsidyFen = 0;
  let governmentPaidFen = 0;
  const current = { count: 0, amountFen: 0 };
  const backPayment = { count: 0, amountFen: 0 };
  for (const r of lineRows) {
    const bp = r.bp === 1;
    count += r.n;
    amountFen += r.amount;
    subsidyFen += r.subsidy;
    governmentPaidFen += r.gov;
    const kind = bp ? backPayment : current;
    kind.count += r.n;
    kind.amountFen += r.amount;
    const yk = `${r.year}|${r.bp}`;
    const y = byYear.get(yk) ?? { year: r.year, backPayment: bp, count: 0, amountFen: 0, subsidyFen: 0, governmentPaidFen: 0 };
    y.count += r.n;
    y.amountFen += r.amount;
    y.subsidyFen += r.subsidy;
    y.governmentPaidFen += r.gov;
    byYear.set(yk, y);
    const t = byTier.get(r.tier) ?? { tierFen: r.tier, count: 0, amountFen: 0 };
    t.count += r.n;
    t.amountFen += r.amount;
    byTier.set(r.tier, t);
    const ytk = `${r.year}|${r.bp}|${r.tier}`;
    const yt = byYearTier.get(ytk) ?? { year: r.year, backPayment: bp, tierFen: r.tier, count: 0, amountFen: 0 };
    yt.count += r.n;
    yt.amountFen += r.amount;
    byYearTier.set(ytk, yt);
    const m = linesByMethod.get(r.method) ?? { n: 0, amount: 0 };
    m.n += r.n;
    m.amount += r.amount;
    linesByMethod.set(r.method, m);
  }
  const byMethod = METHOD_ORDER.flatMap((method) => {
    const tx = txRows.find((t) => t.method === method);
    const lines = linesByMethod.get(method);
    if (!tx && !lines) return [];
    return [{ method, transactions: tx?.n ?? 0, count: lines?.n ?? 0, amountFen: lines?.amount ?? 0 }];
  });
  const cashTx = txRows.find((t) => t.method === 'cash');

  // ---- receipts -------------------------------------------------------------------------
  const ranges: ReceiptRange[] = [];
  const byBlock = new Map<number, typeof receiptRows>();
  for (const r of receiptRows) byBlock.set(r.blockId, [...(byBlock.get(r.blockId) ?? []), r]);
  for (const rows of byBlock.values()) {
    const bySerial = new Map(rows.map((r) => [r.serial, r]));
    for (const [first, last] of consecutiveRuns(rows.map((r) => r.serial))) {
      const a = bySerial.get(first)!;
      const b = bySerial.get(last)!;
      ranges.push({ series: a.series, firstSerial: first, lastSerial: last, firstNumber: a.number, lastNumber: b.number, count: last - first + 1 });
    }
  }
  ranges.sort((a, b) => (a.series < b.series ? -1 : a.series > b.series ? 1 : a.firstSerial - b.firstSerial));
  const voidedList: VoidedReceipt[] = receiptRows
    .filter((r) => r.state === 'voided')
    .map((r) => ({ number: r.number, kind: r.kind, totalFen: r.totalFen, reason: r.voidReason ?? '', voidedAt: r.voidedAt ?? '', replacedBy: r.replacedBy }));
  const reissuedList: ReissuedReceipt[] = receiptRows
    .filter((r) => r.kind === 'reissue')
    .map((r) => ({ number: r.number, reissueOf: r.reissueOf ?? '', totalFen: r.totalFen, reason: r.reason ?? '', state: r.state }));
  const issuedFen = { counter: 0, exchange: 0, reissue: 0 };
  for (const r of receiptRows) if (r.state === 'issued') issuedFen[r.kind] += r.totalFen;

  const byCounter: CounterRow[] = counterRows.map((r) => ({
    operatorId: r.operatorId,
    operatorUsername: r.username,
    operatorName: r.name,
    counterNo: r.counterNo,
    transactions: r.transactions,
    count: r.n,
    amountFen: r.amount,
    cashFen: r.cash,
  }));

  const exchangesByChannel = CHANNEL_ORDER.flatMap((channel) => {
    const e = exchangeRows.find((x) => x.channel === channel);
    return e ? [{ channel, count: e.n, amountFen: e.amount }] : [];
  });

  const evaluations = evaluationTally(db, date, op);

  return {
    businessDate: date,
    operatorId: op,
    payments: {
      transactions: txRows.reduce((s, t) => s + t.n, 0),
      count,
      amountFen,
      subsidyFen,
      governmentPaidFen,
      subsidyByLevel: byLevel('subsidy'),
      governmentPaidByLevel: byLevel('government'),
      lumpSum: { count: lumpRow.n, years: lumpRow.years, amountFen: lumpRow.amount },
      current,
      backPayment,
      byYear: [...byYear.values()].sort((a, b) => b.year - a.year || Number(a.backPayment) - Number(b.backPayment)),
      byTier: [...byTier.values()].sort((a, b) => a.tierFen - b.tierFen),
      byYearTier: [...byYearTier.values()].sort((a, b) => b.year - a.year || Number(a.backPayment) - Number(b.backPayment) || a.tierFen - b.tierFen),
      byMethod,
    },
    byCounter,
    exchanges: {
      count: exchangesByChannel.reduce((s, e) => s + e.count, 0),
      amountFen: exchangesByChannel.reduce((s, e) => s + e.amountFen, 0),
      byChannel: exchangesByChannel,
    },
    evaluations,
    receipts: {
      used: receiptRows.length,
      issued: receiptRows.filter((r) => r.state === 'issued').length,
      voided: voidedList.length,
      reissued: reissuedList.length,
      issuedFen,
      ranges,
      voidedList,
      reissuedList,
    },
    waiting,
    cash: { expectedFen: cashTx?.total ?? 0, tenderedFen: cashTx?.tendered ?? 0, changeFen: cashTx?.change ?? 0 },
  };
}
