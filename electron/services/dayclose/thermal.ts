// The thermal day summary (electron/devices/printer/slips.ts daySummary) from a summary or a close.
import { paymentMethodLabels } from '../../../shared/api/views';
import type { DaySummaryData } from '../../devices/printer/slips';
import type { DayCloseRecord, DaySummary } from './types';

export interface SlipHeader {
  hallName: string;
  timeZone: string;
  operator: string;
  counterNo?: number;
  printedAt: Date | string;
}

/** The slip's input. Counts are payment lines (years paid) in both tables, so both add up to totalCount. */
export function slipDataOf(s: DaySummary, h: SlipHeader, cashToHandOverFen = s.cash.expectedFen): DaySummaryData {
  return {
    hallName: h.hallName,
    ...(h.counterNo !== undefined ? { counter: `${h.counterNo}号窗口` } : {}),
    date: s.businessDate,
    operator: h.operator,
    printedAt: h.printedAt,
    timeZone: h.timeZone,
    byYearTier: s.payments.byYearTier.map((r) => ({ year: r.year, tierFen: r.tierFen, count: r.count, amountFen: r.amountFen })),
    byMethod: s.payments.byMethod.map((r) => ({ method: paymentMethodLabels[r.method], count: r.count, amountFen: r.amountFen })),
    totalCount: s.payments.count,
    totalFen: s.payments.amountFen,
    receipts: {
      used: s.receipts.ranges.map((r) => (r.count === 1 ? r.firstNumber : `${r.firstNumber}–${String(r.lastSerial)}`)),
      voided: s.receipts.voidedList.map((v) => ({ number: v.number, reason: v.reason })),
    },
    cashToHandOverFen,
  };
}

/** The slip of a recorded close (reprints use the snapshot). */
export function slipDataOfClose(r: DayCloseRecord, h: Omit<SlipHeader, 'operator' | 'counterNo'>): DaySummaryData {
  return slipDataOf(r.summary, { ...h, operator: `${r.operator.name}（${r.number}）`, counterNo: r.counterNo }, r.cash.expectedFen);
}
