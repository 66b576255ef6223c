// Host side of the PDF worker (./pdf.worker.ts, issue 18): receipts and day summaries are laid
// out in a worker thread so the services thread (the window, the card reader loop, the printer
// queue) never waits tens of milliseconds per document. One worker per process, started at the
// first document, kept for the next ones (idle, it never keeps the process alive).
import type { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../shared/api/errors';
import { startWorker } from '../platform/worker';
import { MissingGlyphError } from './fonts';
import { renderDaySummaryPdf, type DaySummaryDocument } from './day-summary-pdf';
import type { ReceiptDocument } from './receipt-document';
import { renderReceiptPdf, type RenderOptions } from './receipt-pdf';

type PdfJob = { kind: 'receipt'; doc: ReceiptDocument; options: Omit<RenderOptions, 'fonts'> } | { kind: 'day-summary'; doc: DaySummaryDocument };
export type PdfRequest = PdfJob & { id: number };

export type PdfReply =
  { id: number; ok: true; bytes: Uint8Array } | { id: number; ok: false; error: { message: string; code: string | null; characters: string[] | null } };

type Pending = { resolve: (b: Buffer) => void; reject: (e: Error) => void };

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

function failAll(error: Error): void {
  for (const p of pending.values()) p.reject(error);
  pending.clear();
}

function pdfWorker(): Worker {
  if (worker) return worker;
  const w = startWorker('pdf', null);
  w.on('message', (m: PdfReply) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (pending.size === 0) w.unref();
    if (m.ok) return p.resolve(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
    const { message, code, characters } = m.error;
    p.reject(characters ? new MissingGlyphError(characters) : code ? new AppError(code as ErrorCode, message) : new Error(message));
  });
  // A worker that died takes its documents with it; the next document starts a new one.
  const gone = (error: Error) => {
    if (worker === w) worker = null;
    failAll(error);
  };
  w.on('error', gone);
  w.on('exit', (code) => gone(new Error(`the PDF worker ended (exit code ${code})`)));
  // Idle, it never keeps the process alive; while a document is pending it does (render() refs
  // it). Unref'd after the listeners: adding a 'message' listener refs the worker again.
  w.unref();
  worker = w;
  return w;
}

function render(request: PdfJob, inThread: () => Promise<Buffer>): Promise<Buffer> {
  let w: Worker;
  try {
    w = pdfWorker();
  } catch {
    // No worker entry (an unusual install): the same document, rendered here.
    return inThread();
  }
  const id = nextId++;
  return new Promise<Buffer>((resolve, reject) => {
    if (pending.size === 0) w.ref();
    pending.set(id, { resolve, reject });
    w.postMessage({ ...request, id });
  });
}

/** renderReceiptPdf in the PDF worker (the same bytes, laid out off this thread). */
export function renderReceiptPdfOffThread(doc: ReceiptDocument, options: Omit<RenderOptions, 'fonts'>): Promise<Buffer> {
  return render({ kind: 'receipt', doc, options }, () => renderReceiptPdf(doc, options));
}

/** renderDaySummaryPdf in the PDF worker. */
export function renderDaySummaryPdfOffThread(doc: DaySummaryDocument): Promise<Buffer> {
  return render({ kind: 'day-summary', doc }, () => renderDaySummaryPdf(doc));
}

/** Ends the PDF worker (tools that want their process to end at once; the app need not). */
export async function stopPdfWorker(): Promise<void> {
  const w = worker;
  worker = null;
  if (w) await w.terminate();
}
