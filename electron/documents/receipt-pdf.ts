// The formal receipt 《税收缴款书(税务收现专用)》 as a PDF (pdfkit, embedded and subset CJK fonts).
//
// Two layouts share one geometry of the form, in millimetres from its top-left corner:
//  - 'a4':      plain A4 paper (landscape) with the whole form drawn: frame, lines, labels, values;
//  - 'overlay': a page the size of the pre-printed form with the values only, moved by the
//               printer's calibration offsets. The paper number is pre-printed on the stock, so the
//               overlay prints the number in the remarks (票号 …) for the clerk to compare.
// In training mode both layouts carry 样张 / 培训 across the whole page and a banner, so nothing
// printed can pass as a real receipt.
import { amountInCapitals } from '../../shared/domain/capitals';
import { formatYuan } from '../../shared/domain/money';
import { documentFonts, type FontSet } from './fonts';
import { fitText, mm, openPdf } from './pdf-page';
import { chineseDate, FORM_LINES, RECEIPT_TITLE, remarksOf, type ReceiptDocument } from './receipt-document';

export { FORM_LINES };

export type ReceiptLayout = 'a4' | 'overlay';

/** The pre-printed form, mm. */
export const FORM_WIDTH_MM = 241;
export const FORM_HEIGHT_MM = 140;
/** Where the form sits on A4 landscape, mm. */
const A4_ORIGIN_MM = { x: 28, y: 36 };

export interface RenderOptions {
  layout: ReceiptLayout;
  /** Overlay only: the printer's offsets, mm (positive = right / down). */
  calibration?: { xMm: number; yMm: number };
  fonts?: FontSet;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

// ---- the form's geometry (mm, from the form's top-left corner) -------------------------------
const L = 8;
const R = 233;
const ROW = { info1: 22, address: 31, head: 40, lines: 47, lineH: 7, total: 82, bottom: 90, end: 118 };
const COL = { label1: L, value1: 36, label2: 124, value2: 148, period: 98, amount: 158, sealEnd: 70, operatorEnd: 118 };

const field = {
  number: { x: 170, y: 7, w: 63, h: 7 },
  date: { x: 24, y: 14, w: 60, h: 7 },
  taxOffice: { x: 120, y: 14, w: 113, h: 7 },
  idNumber: { x: COL.value1, y: ROW.info1, w: COL.label2 - COL.value1, h: 9 },
  name: { x: COL.value2, y: ROW.info1, w: R - COL.value2, h: 9 },
  address: { x: COL.value1, y: ROW.address, w: R - COL.value1, h: 9 },
  line: (i: number) => ({
    item: { x: L, y: ROW.lines + i * ROW.lineH, w: COL.period - L, h: ROW.lineH },
    period: { x: COL.period, y: ROW.lines + i * ROW.lineH, w: COL.amount - COL.period, h: ROW.lineH },
    amount: { x: COL.amount, y: ROW.lines + i * ROW.lineH, w: R - COL.amount, h: ROW.lineH },
  }),
  capitals: { x: 36, y: ROW.total, w: 130 - 36, h: ROW.bottom - ROW.total },
  figures: { x: 158, y: ROW.total, w: R - 158, h: ROW.bottom - ROW.total },
  operator: { x: COL.sealEnd, y: ROW.bottom + 8, w: COL.operatorEnd - COL.sealEnd, h: 10 },
  remarks: { x: COL.operatorEnd + 2, y: ROW.bottom + 6, w: R - COL.operatorEnd - 4, h: ROW.end - ROW.bottom - 7 },
} satisfies Record<string, Box | ((i: number) => Record<string, Box>)>;

class Page {
  constructor(
    readonly doc: PDFKit.PDFDocument,
    readonly fonts: FontSet,
    readonly ox: number,
    readonly oy: number,
  ) {}

  /** Draws one line of text in a box (mm from the form's corner), shrinking it to fit. */
  text(s: string, box: Box, opts: { size?: number; align?: 'left' | 'center' | 'right'; color?: string } = {}): void {
    const at = { x: this.ox + box.x, y: this.oy + box.y, w: box.w, h: box.h };
    fitText(this.doc, this.fonts, s, at, { size: opts.size ?? 10, minSize: 5, align: opts.align, color: opts.color ?? '#000000' });
  }

  line(x1: number, y1: number, x2: number, y2: number, width = 0.6): void {
    this.doc
      .moveTo(mm(this.ox + x1), mm(this.oy + y1))
      .lineTo(mm(this.ox + x2), mm(this.oy + y2))
      .lineWidth(width)
      .strokeColor('#8a1c1c')
      .stroke();
  }
}

/** The pre-printed part of the form: frame, rules and labels (A4 layout only). */
function drawForm(p: Page): void {
  const red = '#8a1c1c';
  p.text(RECEIPT_TITLE, { x: 20, y: 1, w: 160, h: 10 }, { size: 15, align: 'center', color: red });
  p.text('No.', { x: 160, y: 7, w: 11, h: 7 }, { size: 11, color: red });
  p.text('填发日期', { x: L, y: 14, w: 17, h: 7 }, { size: 9, color: red });
  p.text('税务机关', { x: 104, y: 14, w: 17, h: 7 }, { size: 9, color: red });
  // Outer frame and rows.
  p.line(L, ROW.info1, R, ROW.info1, 1);
  p.line(L, ROW.end, R, ROW.end, 1);
  p.line(L, ROW.info1, L, ROW.end, 1);
  p.line(R, ROW.info1, R, ROW.end, 1);
  for (const y of [ROW.address, ROW.head, ROW.lines, ROW.total, ROW.bottom]) p.line(L, y, R, y);
  for (let i = 1; i < FORM_LINES; i++) p.line(L, ROW.lines + i * ROW.lineH, R, ROW.lines + i * ROW.lineH, 0.3);
  // Columns.
  p.line(COL.value1, ROW.info1, COL.value1, ROW.head);
  // 纳税人名称 spans only the first row.
  p.line(COL.label2, ROW.info1, COL.label2, ROW.address);
  p.line(COL.value2, ROW.info1, COL.value2, ROW.address);
  p.line(COL.period, ROW.head, COL.period, ROW.total);
  p.line(COL.amount, ROW.head, COL.amount, ROW.total);
  p.line(36, ROW.total, 36, ROW.bottom);
  p.line(130, ROW.total, 130, ROW.bottom);
  p.line(158, ROW.total, 158, ROW.bottom);
  p.line(COL.sealEnd, ROW.bottom, COL.sealEnd, ROW.end);
  p.line(COL.operatorEnd, ROW.bottom, COL.operatorEnd, ROW.end);
  const label = (s: string, box: Box, align: 'left' | 'center' = 'center') => p.text(s, box, { size: 9, align, color: red });
  label('纳税人识别号', { x: L, y: ROW.info1, w: COL.value1 - L, h: 9 });
  label('纳税人名称', { x: COL.label2, y: ROW.info1, w: COL.value2 - COL.label2, h: 9 });
  label('地址', { x: L, y: ROW.address, w: COL.value1 - L, h: 9 });
  label('税种 / 品目名称', { x: L, y: ROW.head, w: COL.period - L, h: 7 });
  label('税款所属时期', { x: COL.period, y: ROW.head, w: COL.amount - COL.period, h: 7 });
  label('实缴金额（元）', { x: COL.amount, y: ROW.head, w: R - COL.amount, h: 7 });
  label('金额合计（大写）', { x: L, y: ROW.total, w: 36 - L, h: 8 });
  label('（小写）', { x: 130, y: ROW.total, w: 28, h: 8 });
  label('税务机关（盖章）', { x: L, y: ROW.bottom, w: COL.sealEnd - L, h: 7 });
  label('填票人', { x: COL.sealEnd, y: ROW.bottom, w: COL.operatorEnd - COL.sealEnd, h: 7 });
  label('备注', { x: COL.operatorEnd, y: ROW.bottom, w: 14, h: 6 }, 'left');
  label('第一联（收据）交缴款人作完税凭证', { x: L, y: ROW.end + 1, w: 120, h: 6 }, 'left');
}

/** The variable part: what the counter prints, on plain paper or onto the pre-printed form. */
function drawValues(p: Page, d: ReceiptDocument, layout: ReceiptLayout): void {
  if (layout === 'a4') p.text(d.number, field.number, { size: 11 });
  p.text(chineseDate(d.issuedDate), field.date);
  p.text(d.taxOffice, field.taxOffice);
  p.text(d.idNumber, field.idNumber, { size: 11 });
  p.text(d.name, field.name, { size: 11 });
  p.text(d.address, field.address);
  d.lines.forEach((l, i) => {
    const f = field.line(i);
    p.text(l.item, f.item);
    p.text(`${l.year}年度`, f.period, { align: 'center' });
    p.text(formatYuan(l.amountFen), f.amount, { align: 'right' });
  });
  p.text(amountInCapitals(d.totalFen), field.capitals, { size: 11 });
  p.text(`¥${formatYuan(d.totalFen)}`, field.figures, { size: 11, align: 'right' });
  p.text(d.operatorName, field.operator, { align: 'center' });
  const remarks = layout === 'overlay' ? [`票号 ${d.number}`, ...remarksOf(d)] : remarksOf(d);
  const lineH = Math.min(4.6, field.remarks.h / remarks.length);
  remarks.forEach((r, i) => p.text(r, { ...field.remarks, y: field.remarks.y + i * lineH, h: lineH }, { size: 8 }));
}

/** 样张 / 培训 across the whole page, under a banner that says what the paper is. */
function drawTrainingMarks(doc: PDFKit.PDFDocument, fonts: FontSet, pageW: number, pageH: number): void {
  const face = fonts.primary.id;
  doc.save();
  doc.fillColor('#d23c3c').fillOpacity(0.2);
  doc.font(face).fontSize(36);
  const stepX = mm(80);
  const stepY = mm(42);
  let row = 0;
  for (let y = mm(24); y < pageH; y += stepY, row++) {
    for (let x = -mm(12) + (row % 2) * (stepX / 2); x < pageW; x += stepX) {
      doc.save();
      doc.rotate(-25, { origin: [x, y] });
      doc.text(row % 2 ? '培训' : '样张', x, y, { lineBreak: false });
      doc.restore();
    }
  }
  doc.restore();
  doc.save();
  doc.fillColor('#c00000').fillOpacity(1).font(face).fontSize(11);
  const banner = '培训模式样张 · 不作收款凭证 · 不具法律效力';
  doc.text(banner, (pageW - doc.widthOfString(banner)) / 2, mm(3), { lineBreak: false });
  doc.restore();
}

/** Renders the receipt; resolves with the PDF bytes. */
export async function renderReceiptPdf(d: ReceiptDocument, options: RenderOptions): Promise<Buffer> {
  if (d.lines.length < 1 || d.lines.length > FORM_LINES) throw new Error(`a receipt has 1–${FORM_LINES} lines, got ${d.lines.length}`);
  const fonts = options.fonts ?? documentFonts();
  const remarks = remarksOf(d);
  // Every character must be drawable before the first byte is written.
  fonts.check([d.number, d.taxOffice, d.idNumber, d.name, d.address, d.operatorName, ...remarks, ...d.lines.map((l) => l.item)]);
  const a4 = options.layout === 'a4';
  const pageW = a4 ? mm(297) : mm(FORM_WIDTH_MM);
  const pageH = a4 ? mm(210) : mm(FORM_HEIGHT_MM);
  const { doc, done } = openPdf(
    {
      widthMm: a4 ? 297 : FORM_WIDTH_MM,
      heightMm: a4 ? 210 : FORM_HEIGHT_MM,
      title: `${RECEIPT_TITLE} ${d.number}${d.training ? '（培训样张）' : ''}`,
    },
    fonts,
  );
  const cal = a4 ? { xMm: 0, yMm: 0 } : (options.calibration ?? { xMm: 0, yMm: 0 });
  const page = new Page(doc, fonts, (a4 ? A4_ORIGIN_MM.x : 0) + cal.xMm, (a4 ? A4_ORIGIN_MM.y : 0) + cal.yMm);
  if (d.training) drawTrainingMarks(doc, fonts, pageW, pageH);
  if (a4) drawForm(page);
  drawValues(page, d, options.layout);
  doc.end();
  return done;
}
