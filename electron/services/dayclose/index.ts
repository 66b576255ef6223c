// Day summary and day close (日汇总 / 日结), issue 8.
export { computeDaySummary, addDays, isBusinessDate, consecutiveRuns, type SummaryScope } from './summary';
export { DayCloseService, openBusinessDate, closeNumber, canonicalJson, dayClosedPayload, type DayCloseServiceOptions } from './service';
export { compareWithUpstream } from './upstream';
export { slipDataOf, slipDataOfClose, type SlipHeader } from './thermal';
export { buildDaySummaryModel, dayCloseModel, cashDifferenceText, DAY_SUMMARY_TITLE, type ModelHeader, type ModelClose } from './model';
export type * from './types';
