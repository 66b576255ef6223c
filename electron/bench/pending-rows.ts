// Rows for capabilities that do not exist yet. Each is one function with the input the real
// measurement will need, so adding it means replacing the body:
//  - receipt PDF, warm: render 《税收缴款书(税务收现专用)》 for recorded transactions with the
//    document service already loaded (fonts parsed), `measure()` over a few hundred calls;
//    target < 30 ms.
//  - receipt PDF, cold: the first receipt in a fresh process (font loading included), a few
//    runs in child processes.
//  - day close: record 10,000 payments for one shift and business date (recordRow's loop),
//    then time the day close (totals by method and year, summary slip and PDF); target < 100 ms.
import type { AppRowsInput } from './app-rows';
import type { RowId, RowResult } from './table';

function notBuilt(id: RowId, operation: string, target?: string): RowResult {
  return { id, operation, status: 'not-built', ...(target ? { target: { text: target, met: null } } : {}) };
}

export function receiptPdfWarmRow(_input: AppRowsInput): Promise<RowResult> {
  return Promise.resolve(notBuilt('receipt-pdf-warm', 'receipt PDF generation, warm', '< 30 ms'));
}

export function receiptPdfColdRow(_input: AppRowsInput): Promise<RowResult> {
  return Promise.resolve(notBuilt('receipt-pdf-cold', 'receipt PDF generation, cold (first in a process)'));
}

export function dayCloseRow(_input: AppRowsInput): Promise<RowResult> {
  return Promise.resolve(notBuilt('day-close', 'day close over 10,000 payments', '< 100 ms'));
}
