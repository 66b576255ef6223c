// One print path for page documents on every host: the spooler of this operating system (CUPS
// over IPP on Linux / UOS / Kylin, the Windows spooler through pdf-to-printer), or the training
// printer that keeps PDFs. See README "Printing".
import path from 'node:path';
import { FORM_HEIGHT_MM, FORM_WIDTH_MM, type ReceiptLayout } from '../documents/receipt-pdf';
import { CupsSpooler } from './cups';
import { TRAINING_PRINTER, TrainingSpooler } from './training';
import { A4, type PaperSize, type Spooler } from './types';
import { WindowsSpooler } from './windows';

export { PageSpool, type SpoolDocument, type SpoolOptions } from './spool';
export { CupsSpooler, cupsJobAttributes } from './cups';
export { TrainingSpooler, TRAINING_PRINTER } from './training';
export { WindowsSpooler, windowsPrintOptions } from './windows';
export * from './types';

/** The spooler for a configured printer name on this platform. */
export function spoolerFor(printer: string, dataDir: string, platform: NodeJS.Platform = process.platform, windowsPaperName?: string): Spooler {
  if (printer === TRAINING_PRINTER) return new TrainingSpooler(path.join(dataDir, 'printed'));
  if (platform === 'win32') return new WindowsSpooler({ tempDir: path.join(dataDir, 'print-tmp'), paperName: () => windowsPaperName });
  return new CupsSpooler();
}

/** The receipt PDF's page: A4 landscape with the whole form, or the pre-printed form's own size. */
export function receiptPage(layout: ReceiptLayout): PaperSize {
  return layout === 'a4' ? { widthMm: 297, heightMm: 210 } : { widthMm: FORM_WIDTH_MM, heightMm: FORM_HEIGHT_MM };
}

/** The paper loaded for the receipt: as configured, else portrait-fed A4 or the form fed as it is printed. */
export function receiptPaper(layout: ReceiptLayout, configured?: PaperSize): PaperSize {
  return configured ?? (layout === 'a4' ? A4 : receiptPage('overlay'));
}

/** The A4 day summary: portrait A4 on A4. */
export const DAY_SUMMARY_PAGE: PaperSize = A4;
