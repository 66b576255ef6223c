import type { DayCloseView, DaySummaryView } from '../../../shared/api/views';
import type { DayCloseRecord, DaySummary } from '../dayclose';

/** The day's figures as the API sends them: what the clerk checks before closing. */
export function toSummaryView(s: DaySummary): DaySummaryView {
  const p = s.payments;
  return {
    businessDate: s.businessDate,
    transactions: p.transactions,
    count: p.count,
    amountFen: p.amountFen,
    subsidyFen: p.subsidyFen,
    governmentPaidFen: p.governmentPaidFen,
    current: { count: p.current.count, amountFen: p.current.amountFen },
    backPayment: { count: p.backPayment.count, amountFen: p.backPayment.amountFen },
    byMethod: p.byMethod.map(({ method, transactions, count, amountFen }) => ({ method, transactions, count, amountFen })),
    byTier: p.byTier.map(({ tierFen, count, amountFen }) => ({ tierFen, count, amountFen })),
    exchanges: { count: s.exchanges.count, amountFen: s.exchanges.amountFen },
    receipts: {
      used: s.receipts.used,
      issued: s.receipts.issued,
      voided: s.receipts.voided,
      reissued: s.receipts.reissued,
      ranges: s.receipts.ranges.map(({ firstNumber, lastNumber, count }) => ({ firstNumber, lastNumber, count })),
      voidedList: s.receipts.voidedList.map(({ number, reason }) => ({ number, reason })),
    },
    waiting: (s.waiting ?? []).map(({ number, payerName, totalFen, status, businessDate }) => ({ number, payerName, totalFen, status, businessDate })),
    cashExpectedFen: s.cash.expectedFen,
  };
}

export function toCloseView(r: DayCloseRecord): DayCloseView {
  return {
    no: r.no,
    number: r.number,
    businessDate: r.businessDate,
    operatorName: r.operator.name,
    counterNo: r.counterNo,
    closedByName: r.closedBy.name,
    closedAt: r.closedAt,
    cash: r.cash,
    summary: toSummaryView(r.summary),
    waitingApprovedBy: r.waitingApprovedBy ? r.waitingApprovedBy.name : null,
  };
}
