// What every printed PDF of the counter shares: a pdfkit document that draws only with the
// embedded faces (no standard font, whose glyphs have no Chinese), collected into one buffer, and
// single-line text that shrinks to its box with per-character font fallback (a rare character in
// a payer's name comes from the fallback face, never as a blank box).
import PDFDocument from 'pdfkit';
import type { FontSet } from './fonts';

export const PT_PER_MM = 72 / 25.4;
/** Millimetres to PDF points. */
export const mm = (v: number): number => v * PT_PER_MM;

export interface PdfPageSetup {
  /** Page size, mm. */
  widthMm: number;
  heightMm: number;
  title: string;
  /** Keep pages in memory so page numbers can be written at the end (multi-page documents). */
  bufferPages?: boolean;
}

export interface OpenPdf {
  doc: PDFKit.PDFDocument;
  /** The finished file, once `doc.end()` has been called. */
  done: Promise<Buffer>;
}

/** A document with the fonts registered, its bytes collected as it is written. */
export function openPdf(setup: PdfPageSetup, fonts: FontSet): OpenPdf {
  const doc = new PDFDocument({
    size: [mm(setup.widthMm), mm(setup.heightMm)],
    margin: 0,
    bufferPages: setup.bufferPages ?? false,
    // No standard font: everything is drawn with the embedded faces.
    font: null as unknown as string,
    info: { Title: setup.title, Producer: 'pension-counter', Creator: 'pension-counter' },
  });
  for (const f of fonts.faces()) doc.registerFont(f.id, f.data, f.collection ? f.postscriptName : undefined);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, done };
}

export interface FitTextOptions {
  /** Preferred size, pt; shrunk (down to minSize) when the text is wider than its box. */
  size: number;
  minSize: number;
  align?: 'left' | 'center' | 'right';
  color: string;
}

/** One line of text in a box given in mm, shrunk to fit, with per-character font fallback. */
export function fitText(doc: PDFKit.PDFDocument, fonts: FontSet, s: string, box: { x: number; y: number; w: number; h: number }, opts: FitTextOptions): void {
  if (!s) return;
  const runs = fonts.runs(s);
  let size = opts.size;
  const width = (sz: number) => runs.reduce((w, r) => w + doc.font(r.face.id).fontSize(sz).widthOfString(r.text), 0);
  const pad = mm(1.2);
  const avail = mm(box.w) - 2 * pad;
  let w = width(size);
  if (w > avail) {
    size = Math.max(opts.minSize, (size * avail) / w);
    w = width(size);
  }
  let x = mm(box.x) + pad;
  if (opts.align === 'center') x += (avail - w) / 2;
  if (opts.align === 'right') x += avail - w;
  const baseline = mm(box.y + box.h / 2) + size * 0.36;
  doc.fillColor(opts.color);
  for (const r of runs) {
    doc.font(r.face.id).fontSize(size).text(r.text, x, baseline, { lineBreak: false, baseline: 'alphabetic' });
    x += doc.widthOfString(r.text);
  }
}
