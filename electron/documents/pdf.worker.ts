// PDF layout off the services thread (issue 18): pdfkit parses the 10 MB CJK face and lays out
// every glyph synchronously, tens of milliseconds a receipt, longer for a day summary. This worker
// renders them; host side and protocol: ./pdf-worker.ts.
import { parentPort } from 'node:worker_threads';
import { AppError } from '../../shared/api/errors';
import { documentFonts, MissingGlyphError, type FontSet } from './fonts';
import { renderDaySummaryPdf } from './day-summary-pdf';
import { renderReceiptPdf } from './receipt-pdf';
import type { PdfReply, PdfRequest } from './pdf-worker';

// The document fonts are read once for the worker's life, not once a document.
let fonts: FontSet | null = null;

parentPort!.on('message', (m: PdfRequest) => {
  void (async () => {
    try {
      fonts ??= documentFonts();
      const bytes = m.kind === 'receipt' ? await renderReceiptPdf(m.doc, { ...m.options, fonts }) : await renderDaySummaryPdf(m.doc, { fonts });
      const out = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).slice();
      parentPort!.postMessage({ id: m.id, ok: true, bytes: out } satisfies PdfReply, [out.buffer]);
    } catch (error) {
      const e = error as Error;
      parentPort!.postMessage({
        id: m.id,
        ok: false,
        error: {
          message: e.message,
          code: error instanceof AppError ? error.code : null,
          characters: error instanceof MissingGlyphError ? error.characters : null,
        },
      } satisfies PdfReply);
    }
  })();
});
