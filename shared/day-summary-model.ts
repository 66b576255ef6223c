// The day summary (日汇总单) as ONE computed model, drawn by both the thermal slip
// (electron/devices/printer/slips.ts) and the A4 document (electron/documents/day-summary-pdf.ts).
// Every figure is formatted once, here (services/dayclose/model.ts builds it), so the two prints
// cannot disagree: the same rows, the same labels from shared/vocab.ts, the same strings.
//
// Counting words, used the same way everywhere:
//   笔   — a counter payment (one confirmation: one payer, one method, one or more years);
//   年次 — one year paid (a payment line); a payment of 3 years is 1 笔 and 3 年次;
//   份   — a receipt form (one number).

export interface SummaryModelRow {
  label: string;
  /** Values for the section's columns, formatted (counts with their unit word, amounts as 1,234.50). */
  values: string[];
  /** A subtotal or total. */
  total?: boolean;
}

export interface SummaryModelSection {
  key: 'byYear' | 'byLevel' | 'byTier' | 'byMethod' | 'byCounter' | 'exchanges' | 'receipts' | 'voided' | 'reissued' | 'waiting' | 'cash';
  title: string;
  /** Column titles: the label column first, then one per value. */
  columns: string[];
  rows: SummaryModelRow[];
  /** Which value columns the narrow thermal slip prints (all when omitted). */
  thermalColumns?: number[];
  /** Lines of text under the title (explanations, counts). */
  notes: string[];
  /** Shown instead of an empty table. */
  emptyText: string;
  /** Only on the A4 document (e.g. the hall's table of counters). */
  a4Only?: boolean;
}

export interface DaySummaryModel {
  title: string;
  taxOffice: string;
  hallName: string;
  /** YYYY-MM-DD. */
  businessDate: string;
  operator: string;
  counter: string;
  /** 日结编号, or null for a day not closed yet (a draft). */
  closeNumber: string | null;
  closedAt: string | null;
  closedBy: string | null;
  /** The headline figures, as numbers, for checks and tests. */
  figures: {
    transactions: number;
    lines: number;
    amountFen: number;
    subsidyFen: number;
    governmentPaidFen: number;
    cashExpectedFen: number;
    cashCountedFen: number | null;
    receiptsUsed: number;
    receiptsIssued: number;
    receiptsVoided: number;
    receiptsReissued: number;
    exchanges: number;
    exchangesFen: number;
    waiting: number;
  };
  sections: SummaryModelSection[];
  /** 入库金额合计: in capitals and in figures (1,234.50). */
  total: { capitals: string; figures: string };
  training: boolean;
}
