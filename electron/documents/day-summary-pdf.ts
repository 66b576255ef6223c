// 《税务机关入库城乡居民养老保险费日汇总单》 as an A4 (portrait) PDF: the day summary the tax office
// prints, signs and seals, and sends to the pension agency as the bookkeeping voucher and for the
// reconciliation with the treasury (domain.md §6). No public template exists; the layout follows
// the data: header (office, hall, date, operator, counter, close number), tables by year (current /
// 补缴), tier, payment method, counter and operator, exchanges by channel, receipt numbers used,
// voided and reissued, the cash, the total in capitals and figures, then signature and seal boxes.
// Tables continue on further pages with their header row repeated; every page carries the page
// number and the print time. Drawn with the embedded fonts (documentFonts) and per-character
// fallback, as the receipt is.
import type { DaySummaryModel, SummaryModelSection } from '../../shared/day-summary-model';
import { chineseDate, hallTimeSeconds } from '../../shared/domain/time';
import { documentFonts, type FontSet } from './fonts';
import { fitText, mm, openPdf } from './pdf-page';

export interface DaySummaryDocument {
  /** The one model the thermal slip prints too (services/dayclose/model.ts). */
  model: DaySummaryModel;
  /** Close numbers covering a whole-hall summary (informational). */
  closeNumbers?: string[];
  /** Whole hall: every operator who took payments that day has closed it. */
  hallClosed?: boolean;
  printedAt: Date | string;
  timeZone: string;
  /** A reprint of a past close: marked 重打. */
  reprint?: boolean;
}

export interface DaySummaryRenderOptions {
  fonts?: FontSet;
}

const PAGE_W = 210;
const PAGE_H = 297;
const LEFT = 15;
const RIGHT = 195;
const TOP = 14;
const BOTTOM = 280;
const ROW_H = 6.4;
const INK = '#000000';
const GRID = '#444444';

const hallTime = hallTimeSeconds;

interface Column {
  title: string;
  width: number;
  align?: 'left' | 'center' | 'right';
}

type Cell = string | { text: string; bold?: boolean };

class Layout {
  y = TOP;

  constructor(
    readonly doc: PDFKit.PDFDocument,
    readonly fonts: FontSet,
    readonly d: DaySummaryDocument,
  ) {}

  /** One line of text in a box (mm), shrunk to fit, with per-character font fallback. */
  text(s: string, x: number, y: number, w: number, h: number, opts: { size?: number; align?: 'left' | 'center' | 'right'; color?: string } = {}): void {
    fitText(this.doc, this.fonts, s, { x, y, w, h }, { size: opts.size ?? 9.5, minSize: 4.5, align: opts.align, color: opts.color ?? INK });
  }

  rect(x: number, y: number, w: number, h: number, fill?: string): void {
    if (fill) this.doc.rect(mm(x), mm(y), mm(w), mm(h)).fillColor(fill).fill();
    this.doc.rect(mm(x), mm(y), mm(w), mm(h)).lineWidth(0.5).strokeColor(GRID).stroke();
  }

  newPage(): void {
    this.doc.addPage();
    this.y = TOP;
    this.text(`${this.d.model.title}（续）  ${this.d.model.businessDate}  ${this.d.model.operator}`, LEFT, this.y, RIGHT - LEFT, 7, {
      size: 9,
      align: 'center',
    });
    this.y += 9;
  }

  /** Starts a new page unless h mm are left. */
  need(h: number): void {
    if (this.y + h > BOTTOM) this.newPage();
  }

  heading(s: string): void {
    this.need(ROW_H * 3 + 8);
    this.y += 2.5;
    this.text(s, LEFT, this.y, RIGHT - LEFT, 6.5, { size: 11 });
    this.y += 7;
  }

  note(s: string, opts: { color?: string } = {}): void {
    this.need(ROW_H);
    this.text(s, LEFT, this.y, RIGHT - LEFT, ROW_H, { size: 9, color: opts.color });
    this.y += ROW_H;
  }

  private row(cols: Column[], cells: Cell[], header: boolean): void {
    let x = LEFT;
    const total = cols.reduce((s, c) => s + c.width, 0);
    const scale = (RIGHT - LEFT) / total;
    cols.forEach((c, i) => {
      const w = c.width * scale;
      const cell = cells[i] ?? '';
      const text = typeof cell === 'string' ? cell : cell.text;
      const strong = typeof cell !== 'string' && cell.bold;
      this.rect(x, this.y, w, ROW_H, header ? '#e8e8e8' : strong ? '#f4f4f4' : undefined);
      this.text(text, x, this.y, w, ROW_H, { size: header ? 9 : 9.5, align: header ? 'center' : (c.align ?? 'left') });
      x += w;
    });
    this.y += ROW_H;
  }

  table(cols: Column[], rows: Cell[][]): void {
    this.need(ROW_H * 2);
    this.row(
      cols,
      cols.map((c) => c.title),
      true,
    );
    for (const r of rows) {
      if (this.y + ROW_H > BOTTOM) {
        this.newPage();
        this.row(
          cols,
          cols.map((c) => c.title),
          true,
        );
      }
      this.row(cols, r, false);
    }
  }
}

function drawHeader(L: Layout): void {
  const d = L.d;
  const m = d.model;
  L.text(m.title, LEFT, L.y, RIGHT - LEFT, 10, { size: 16, align: 'center' });
  L.y += 11;
  const done = m.closeNumber !== null || d.hallClosed === true;
  const status = m.closeNumber
    ? `日结编号 ${m.closeNumber}${d.reprint ? '（重打）' : ''}`
    : d.hallClosed
      ? '全厅汇总 · 各经办人均已日结'
      : '未日结 · 草稿（数据截至打印时间）';
  L.text(status, LEFT, L.y, RIGHT - LEFT, 6, { size: 10, align: 'right', color: done ? INK : '#c00000' });
  L.text('金额单位：元', LEFT, L.y, 60, 6, { size: 9 });
  L.y += 7;
  const grid: [string, string, string, string][] = [
    ['税务机关', m.taxOffice, '办税服务厅', m.hallName],
    ['业务日期', chineseDate(m.businessDate), '窗口', m.counter],
    ['经办人', m.operator, m.closedAt ? '日结时间' : '打印时间', hallTime(m.closedAt ?? d.printedAt, d.timeZone)],
  ];
  if (m.closeNumber) grid.push(['日结办理人', m.closedBy ?? '', '日结编号', m.closeNumber]);
  else if (d.closeNumbers && d.closeNumbers.length > 0) grid.push(['已日结', d.closeNumbers.join('、'), '', '']);
  const w = [24, 66, 24, 66];
  for (const r of grid) {
    let x = LEFT;
    r.forEach((s, i) => {
      L.rect(x, L.y, w[i]!, 7, i % 2 === 0 ? '#f0f0f0' : undefined);
      L.text(s, x, L.y, w[i]!, 7, { size: i % 2 === 0 ? 9 : 10, align: i % 2 === 0 ? 'center' : 'left' });
      x += w[i]!;
    });
    L.y += 7;
  }
}

/** One section of the model as a table: the label column, then the value columns. */
function drawSection(L: Layout, sec: SummaryModelSection): void {
  L.heading(sec.title);
  for (const n of sec.notes) L.note(n);
  if (sec.rows.length === 0) {
    L.note(sec.emptyText);
    return;
  }
  const labelWidth = sec.columns.length > 3 ? 36 : 44;
  const cols: Column[] = sec.columns.map((title, i) =>
    i === 0 ? { title, width: labelWidth } : { title, width: Math.max(18, (RIGHT - LEFT - labelWidth) / (sec.columns.length - 1)), align: 'right' },
  );
  L.table(
    cols,
    sec.rows.map((r) => [r.total ? { text: r.label, bold: true } : r.label, ...r.values.map((v) => (r.total ? { text: v, bold: true } : v))]),
  );
}

function drawTables(L: Layout): void {
  for (const sec of L.d.model.sections) if (sec.key !== 'cash') drawSection(L, sec);
}

function drawCashTotalsAndSignatures(L: Layout): void {
  const m = L.d.model;
  // The cash, the totals and the signature boxes stay together on the last page.
  L.need(9.5 + 4 * ROW_H + 4 + 10 + 5 + 34 + 3 + ROW_H + 2);
  const cash = m.sections.find((s) => s.key === 'cash');
  if (cash) drawSection(L, cash);

  L.y += 4;
  const h = 10;
  L.rect(LEFT, L.y, 36, h, '#f0f0f0');
  L.text('入库金额合计（大写）', LEFT, L.y, 36, h, { size: 9, align: 'center' });
  L.rect(LEFT + 36, L.y, 84, h);
  L.text(m.total.capitals, LEFT + 36, L.y, 84, h, { size: 11 });
  L.rect(LEFT + 120, L.y, 18, h, '#f0f0f0');
  L.text('（小写）', LEFT + 120, L.y, 18, h, { size: 9, align: 'center' });
  L.rect(LEFT + 138, L.y, RIGHT - LEFT - 138, h);
  L.text(`¥${m.total.figures}`, LEFT + 138, L.y, RIGHT - LEFT - 138, h, { size: 11, align: 'right' });
  L.y += h + 5;

  // Signature and seal boxes.
  const boxes = ['经办人（签字）', '复核人（签字）', '负责人（签字）', '税务机关（盖章）'];
  const bw = (RIGHT - LEFT) / boxes.length;
  const bh = 34;
  boxes.forEach((b, i) => {
    const x = LEFT + i * bw;
    L.rect(x, L.y, bw, bh);
    L.text(b, x, L.y + 1, bw, 6, { size: 9, align: 'center' });
    L.text('年    月    日', x, L.y + bh - 7, bw, 6, { size: 8.5, align: 'right' });
  });
  L.y += bh + 3;
  L.note('本单一式两联：第一联税务机关留存，第二联送社会保险经办机构作记账凭证及与国库入库数核对。');
}

function drawTrainingMarks(doc: PDFKit.PDFDocument, fonts: FontSet): void {
  doc.save();
  doc.fillColor('#d23c3c').fillOpacity(0.18).font(fonts.primary.id).fontSize(40);
  // Clear of the footer (print time, page numbers).
  for (let y = mm(40), row = 0; y < mm(BOTTOM - 20); y += mm(60), row++) {
    for (let x = mm(10) + (row % 2) * mm(40); x < mm(PAGE_W); x += mm(90)) {
      doc.save();
      doc.rotate(-30, { origin: [x, y] });
      doc.text(row % 2 ? '培训' : '样张', x, y, { lineBreak: false });
      doc.restore();
    }
  }
  doc.restore();
}

/** Renders the day summary; resolves with the PDF bytes. */
export async function renderDaySummaryPdf(d: DaySummaryDocument, options: DaySummaryRenderOptions = {}): Promise<Buffer> {
  const fonts = options.fonts ?? documentFonts();
  const m = d.model;
  // Every character must be drawable before the first byte is written.
  fonts.check([
    m.taxOffice,
    m.hallName,
    m.operator,
    m.counter,
    m.closedBy ?? '',
    ...m.sections.flatMap((sec) => sec.rows.flatMap((r) => [r.label, ...r.values])),
  ]);
  const { doc, done } = openPdf(
    {
      widthMm: PAGE_W,
      heightMm: PAGE_H,
      bufferPages: true,
      title: `${m.title} ${m.businessDate}${m.closeNumber ? ` ${m.closeNumber}` : '（草稿）'}${m.training ? '（培训样张）' : ''}`,
    },
    fonts,
  );
  const L = new Layout(doc, fonts, d);
  if (m.training) {
    L.text('培训模式样张 · 不作记账凭证 · 不具法律效力', LEFT, 4, RIGHT - LEFT, 6, { size: 10, align: 'center', color: '#c00000' });
  }
  drawHeader(L);
  drawTables(L);
  drawCashTotalsAndSignatures(L);
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    if (m.training) drawTrainingMarks(doc, fonts);
    L.text(`打印时间 ${hallTime(d.printedAt, d.timeZone)}${d.reprint ? ' · 重打' : ''}`, LEFT, BOTTOM + 4, 110, 6, { size: 8 });
    L.text(`第 ${i + 1} 页 共 ${range.count} 页`, RIGHT - 50, BOTTOM + 4, 50, 6, { size: 8, align: 'right' });
  }
  doc.flushPages();
  doc.end();
  return done;
}
