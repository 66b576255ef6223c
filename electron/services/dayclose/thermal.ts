// The thermal day summary (electron/devices/printer/slips.ts daySummary): the one day-summary model
// (./model.ts), the same the A4 document draws.
import type { DaySummaryData } from '../../devices/printer/slips';
import { buildDaySummaryModel, dayCloseModel, type ModelHeader } from './model';
import type { DayCloseRecord, DaySummary } from './types';

export interface SlipHeader extends ModelHeader {
  timeZone: string;
  printedAt: Date | string;
}

/** The slip of a day still open (a draft). */
export function slipDataOf(s: DaySummary, h: SlipHeader): DaySummaryData {
  return { model: buildDaySummaryModel(s, h, null), printedAt: h.printedAt, timeZone: h.timeZone };
}

/** The slip of a recorded close (reprints use the snapshot). */
export function slipDataOfClose(r: DayCloseRecord, h: Omit<SlipHeader, 'operator' | 'counter'>): DaySummaryData {
  return { model: dayCloseModel(r, h), printedAt: h.printedAt, timeZone: h.timeZone };
}
