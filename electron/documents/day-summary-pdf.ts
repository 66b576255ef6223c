// 《税务机关入库城乡居民养老保险费日汇总单》 as an A4 (portrait) PDF: the day summary the tax office
// prints, signs and seals, and sends to the pension agency as the bookkeeping voucher and for the
// reconciliation with the treasury (domain.md §6). No public template exists; the layout follows
// the data: header (office, hall, date, operator, counter, close number), tables by year (current /
// 补缴), tier, payment method, counter and operator, exchanges by channel, receipt numbers used,
// voided and reissued, the cash, the total in capitals and figures, then signature and seal boxes.
// Tables continue on further pages with their header row repeated; every page carries the page
// number and the print time. Drawn with the embedded fonts (documentFonts) and per-character
// fallback, as the receipt is.
import PDFDocument from 'pdfkit';
import { paymentMethodLabels } from '../../shared/api/views';
import { amountInCapitals } from '../../shared/domain/capitals';
import { formatYuan } from '../../shared/domain/money';
import { governmentLevelLabels as levelLabels } from '../../shared/policy/schema';
import type { DayCloseRecord, DaySummary } from '../services/dayclose/types';
import { documentFonts, type FontSet } from './fonts';
import { chineseDate } from './receipt-document';

export const DAY_SUMMARY_TITLE = '税务机关入库城乡居民养老保险费日汇总单';

export interface DaySummaryDocument {
  taxOffice: string;
  hallName: string;
  /** 经办人, e.g. 演示柜员（clerk）, or 全部经办人 for the whole hall. */
  operator: string;
  /** e.g. 1号窗口. */
  counter: string;
  summary: DaySummary;
  /** The close, or null for a summary of a day not closed yet (printed as 草稿). */
  close: { number: string; closedAt: string; closedBy: string; cashCountedFen: number; cashDifferenceFen: number } | null;
  /** Close numbers covering a whole-hall summary (informational). */
  closeNumbers?: string[];
  /** Whole hall: every operator who took payments that day has closed it. */
  hallClosed?: boolean;
  printedAt: Date | string;
  timeZone: string;
  training: boolean;
  /** A reprint of a past close: marked 重打. */
  reprint?: boolean;
}

export interface DaySummaryRenderOptions {
  fonts?: FontSet;
}

const channelLabels = { bank_pos: '银行POS', bank_counter: '银行柜面', mobile_app: '手机App' } as const;
const kindLabels = { counter: '收款开具', exchange: '换开', reissue: '补开' } as const;

/** The document of a recorded close (what a reprint shows: the snapshot). */
export function dayCloseDocument(
  r: DayCloseRecord,
  h: { taxOffice: string; hallName: string; printedAt: Date | string; timeZone: string; training: boolean; reprint?: boolean },
): DaySummaryDocument {
  return {
    ...h,
    operator: `${r.operator.name}（${r.operator.username}）`,
    counter: `${r.counterNo}号窗口`,
    summary: r.summary,
    close: {
      number: r.number,
      closedAt: r.closedAt,
      closedBy: `${r.closedBy.name}（${r.closedBy.username}）`,
      cashCountedFen: r.cash.countedFen,
      cashDifferenceFen: r.cash.differenceFen,
    },
  };
}

const PT_PER_MM = 72 / 25.4;
const mm = (v: number) => v * PT_PER_MM;
const PAGE_W = 210;
const PAGE_H = 297;
const LEFT = 15;
const RIGHT = 195;
const TOP = 14;
const BOTTOM = 280;
const ROW_H = 6.4;
const INK = '#000000';
const GRID = '#444444';

function hallTime(at: Date | string, timeZone: string): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

function tier(fen: number): string {
  return `${fen % 100 === 0 ? String(fen / 100) : formatYuan(fen)}元档`;
}

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
    if (!s) return;
    const runs = this.fonts.runs(s);
    let size = opts.size ?? 9.5;
    const width = (sz: number) => runs.reduce((acc, r) => acc + this.doc.font(r.face.id).fontSize(sz).widthOfString(r.text), 0);
    const pad = mm(1.2);
    const avail = mm(w) - 2 * pad;
    let tw = width(size);
    if (tw > avail) {
      size = Math.max(4.5, (size * avail) / tw);
      tw = width(size);
    }
    let px = mm(x) + pad;
    if (opts.align === 'center') px += (avail - tw) / 2;
    if (opts.align === 'right') px += avail - tw;
    const baseline = mm(y + h / 2) + size * 0.36;
    this.doc.fillColor(opts.color ?? INK);
    for (const r of runs) {
      this.doc.font(r.face.id).fontSize(size).text(r.text, px, baseline, { lineBreak: false, baseline: 'alphabetic' });
      px += this.doc.widthOfString(r.text);
    }
  }

  rect(x: number, y: number, w: number, h: number, fill?: string): void {
    if (fill) this.doc.rect(mm(x), mm(y), mm(w), mm(h)).fillColor(fill).fill();
    this.doc.rect(mm(x), mm(y), mm(w), mm(h)).lineWidth(0.5).strokeColor(GRID).stroke();
  }

  newPage(): void {
    this.doc.addPage();
    this.y = TOP;
    this.text(`${DAY_SUMMARY_TITLE}（续）  ${this.d.summary.businessDate}  ${this.d.operator}`, LEFT, this.y, RIGHT - LEFT, 7, { size: 9, align: 'center' });
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

const num = (n: number) => String(n);
const bold = (text: string) => ({ text, bold: true });

function drawHeader(L: Layout): void {
  const d = L.d;
  L.text(DAY_SUMMARY_TITLE, LEFT, L.y, RIGHT - LEFT, 10, { size: 16, align: 'center' });
  L.y += 11;
  const done = d.close !== null || d.hallClosed === true;
  const status = d.close
    ? `日结编号 ${d.close.number}${d.reprint ? '（重打）' : ''}`
    : d.hallClosed
      ? '全厅汇总 · 各经办人均已日结'
      : '未日结 · 草稿（数据截至打印时间）';
  L.text(status, LEFT, L.y, RIGHT - LEFT, 6, { size: 10, align: 'right', color: done ? INK : '#c00000' });
  L.text('金额单位：元', LEFT, L.y, 60, 6, { size: 9 });
  L.y += 7;
  const grid: [string, string, string, string][] = [
    ['税务机关', d.taxOffice, '办税服务厅', d.hallName],
    ['业务日期', chineseDate(d.summary.businessDate), '窗口', d.counter],
    ['经办人', d.operator, d.close ? '日结时间' : '打印时间', hallTime(d.close ? d.close.closedAt : d.printedAt, d.timeZone)],
  ];
  if (d.close) grid.push(['日结办理人', d.close.closedBy, '日结编号', d.close.number]);
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

function drawTables(L: Layout): void {
  const s = L.d.summary;
  const p = s.payments;

  L.heading('一、缴费汇总（按缴费年度）');
  const yearCols: Column[] = [
    { title: '缴费年度', width: 22, align: 'center' },
    { title: '类别', width: 16, align: 'center' },
    { title: '笔数', width: 16, align: 'right' },
    { title: '个人缴费金额', width: 32, align: 'right' },
    { title: '政府补贴（记账）', width: 30, align: 'right' },
    { title: '政府代缴（记账）', width: 30, align: 'right' },
  ];
  const yearRows: Cell[][] = p.byYear.map((y) => [
    `${y.year}年度`,
    y.backPayment ? '补缴' : '当年',
    num(y.count),
    formatYuan(y.amountFen),
    formatYuan(y.subsidyFen),
    formatYuan(y.governmentPaidFen),
  ]);
  yearRows.push([bold('当年缴费小计'), '', bold(num(p.current.count)), bold(formatYuan(p.current.amountFen)), '', '']);
  yearRows.push([bold('补缴小计'), '', bold(num(p.backPayment.count)), bold(formatYuan(p.backPayment.amountFen)), '', '']);
  yearRows.push([bold('合计'), '', bold(num(p.count)), bold(formatYuan(p.amountFen)), bold(formatYuan(p.subsidyFen)), bold(formatYuan(p.governmentPaidFen))]);
  if (p.lumpSum !== undefined && p.lumpSum.count > 0) {
    yearRows.push([bold('其中一次性补缴'), `${p.lumpSum.years}年`, bold(num(p.lumpSum.count)), bold(formatYuan(p.lumpSum.amountFen)), '', '']);
  }
  L.table(yearCols, yearRows);
  const levels = [...new Set([...(p.subsidyByLevel ?? []), ...(p.governmentPaidByLevel ?? [])].map((x) => x.level))];
  if (levels.length > 0) {
    const find = (list: typeof p.subsidyByLevel, level: string) => formatYuan(list?.find((x) => x.level === level)?.amountFen ?? 0);
    L.table(
      [
        { title: '出资层级', width: 40, align: 'center' },
        { title: '政府补贴（记账）', width: 50, align: 'right' },
        { title: '政府代缴（记账）', width: 50, align: 'right' },
      ],
      levels.map((level) => [levelLabels[level], find(p.subsidyByLevel, level), find(p.governmentPaidByLevel, level)]),
    );
  }
  L.note('注：政府补贴和政府代缴只记入个人账户，不向缴费人收取，不计入入库金额。');

  L.heading('二、按缴费档次');
  L.table(
    [
      { title: '缴费档次', width: 40, align: 'center' },
      { title: '笔数', width: 30, align: 'right' },
      { title: '金额', width: 40, align: 'right' },
    ],
    [...p.byTier.map((t) => [tier(t.tierFen), num(t.count), formatYuan(t.amountFen)]), [bold('合计'), bold(num(p.count)), bold(formatYuan(p.amountFen))]],
  );

  L.heading('三、按缴费方式');
  L.table(
    [
      { title: '缴费方式', width: 30, align: 'center' },
      { title: '交易笔数', width: 25, align: 'right' },
      { title: '缴费笔数（年度）', width: 30, align: 'right' },
      { title: '金额', width: 40, align: 'right' },
    ],
    [
      ...p.byMethod.map((m) => [paymentMethodLabels[m.method], num(m.transactions), num(m.count), formatYuan(m.amountFen)]),
      [bold('合计'), bold(num(p.transactions)), bold(num(p.count)), bold(formatYuan(p.amountFen))],
    ],
  );

  L.heading('四、按窗口和经办人');
  if (s.byCounter.length === 0) L.note('本日无柜台收款。');
  else {
    L.table(
      [
        { title: '窗口', width: 18, align: 'center' },
        { title: '经办人', width: 40 },
        { title: '交易笔数', width: 20, align: 'right' },
        { title: '缴费笔数', width: 20, align: 'right' },
        { title: '金额', width: 32, align: 'right' },
        { title: '其中现金', width: 32, align: 'right' },
      ],
      s.byCounter.map((c) => [
        `${c.counterNo}号`,
        `${c.operatorName}（${c.operatorUsername}）`,
        num(c.transactions),
        num(c.count),
        formatYuan(c.amountFen),
        formatYuan(c.cashFen),
      ]),
    );
  }

  L.heading('五、换开缴款书（银行、App 缴费，不收款）');
  if (s.exchanges.byChannel.length === 0) L.note('本日无换开。');
  else {
    L.table(
      [
        { title: '缴费渠道', width: 40, align: 'center' },
        { title: '笔数', width: 30, align: 'right' },
        { title: '金额', width: 40, align: 'right' },
      ],
      [
        ...s.exchanges.byChannel.map((e) => [channelLabels[e.channel], num(e.count), formatYuan(e.amountFen)]),
        [bold('合计'), bold(num(s.exchanges.count)), bold(formatYuan(s.exchanges.amountFen))],
      ],
    );
  }

  const r = s.receipts;
  L.heading('六、票证使用情况（税收缴款书）');
  L.note(
    `使用 ${r.used} 份：已开具 ${r.issued} 份，作废 ${r.voided} 份；其中补开 ${r.reissued} 份。有效票面金额：收款开具 ${formatYuan(r.issuedFen.counter)}，换开 ${formatYuan(r.issuedFen.exchange)}，补开 ${formatYuan(r.issuedFen.reissue)}。`,
  );
  if (r.ranges.length > 0) {
    L.table(
      [
        { title: '起始票号', width: 50 },
        { title: '终止票号', width: 50 },
        { title: '份数', width: 20, align: 'right' },
      ],
      r.ranges.map((x) => [x.firstNumber, x.lastNumber, num(x.count)]),
    );
  }
  if (r.voidedList.length > 0) {
    L.need(ROW_H * 3);
    L.note(`作废 ${r.voided} 份：`);
    L.table(
      [
        { title: '作废票号', width: 44 },
        { title: '类型', width: 14, align: 'center' },
        { title: '金额', width: 22, align: 'right' },
        { title: '作废原因', width: 54 },
        { title: '重开票号', width: 44 },
      ],
      r.voidedList.map((v) => [v.number, kindLabels[v.kind], formatYuan(v.totalFen), v.reason, v.replacedBy ?? '—']),
    );
  }
  if (r.reissuedList.length > 0) {
    L.need(ROW_H * 3);
    L.note(`补开 ${r.reissued} 份：`);
    L.table(
      [
        { title: '补开票号', width: 44 },
        { title: '原票号', width: 44 },
        { title: '金额', width: 22, align: 'right' },
        { title: '补开原因', width: 58 },
      ],
      r.reissuedList.map((x) => [x.state === 'voided' ? `${x.number}（已作废）` : x.number, x.reissueOf, formatYuan(x.totalFen), x.reason]),
    );
  }
}

function drawCashTotalsAndSignatures(L: Layout): void {
  const d = L.d;
  const s = d.summary;
  // The cash, the totals and the signature boxes stay together on the last page.
  L.need(9.5 + 2 * ROW_H + 4 + 10 + 5 + 34 + 3 + ROW_H + 2);
  L.heading('七、现金');
  const counted = d.close ? formatYuan(d.close.cashCountedFen) : '（日结时录入）';
  let diff = '—';
  if (d.close) {
    const v = d.close.cashDifferenceFen;
    diff = v === 0 ? '0.00（相符）' : v > 0 ? `长款 ${formatYuan(v)}` : `短款 ${formatYuan(-v)}`;
  }
  L.table(
    [
      { title: '应交现金', width: 40, align: 'right' },
      { title: '实点现金', width: 40, align: 'right' },
      { title: '差额（实点 − 应交）', width: 50, align: 'right' },
    ],
    [[formatYuan(s.cash.expectedFen), counted, diff]],
  );

  // Totals, signature boxes and the note stay together on one page.
  L.need(4 + 10 + 5 + 34 + 3 + ROW_H + 2);
  L.y += 4;
  const h = 10;
  L.rect(LEFT, L.y, 36, h, '#f0f0f0');
  L.text('入库金额合计（大写）', LEFT, L.y, 36, h, { size: 9, align: 'center' });
  L.rect(LEFT + 36, L.y, 84, h);
  L.text(amountInCapitals(s.payments.amountFen), LEFT + 36, L.y, 84, h, { size: 11 });
  L.rect(LEFT + 120, L.y, 18, h, '#f0f0f0');
  L.text('（小写）', LEFT + 120, L.y, 18, h, { size: 9, align: 'center' });
  L.rect(LEFT + 138, L.y, RIGHT - LEFT - 138, h);
  L.text(`¥${formatYuan(s.payments.amountFen)}`, LEFT + 138, L.y, RIGHT - LEFT - 138, h, { size: 11, align: 'right' });
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
  const s = d.summary;
  // Every character must be drawable before the first byte is written.
  fonts.check([
    d.taxOffice,
    d.hallName,
    d.operator,
    d.counter,
    d.close?.closedBy ?? '',
    ...s.byCounter.map((c) => c.operatorName),
    ...s.receipts.ranges.flatMap((r) => [r.firstNumber, r.lastNumber]),
    ...s.receipts.voidedList.flatMap((v) => [v.number, v.reason]),
    ...s.receipts.reissuedList.flatMap((v) => [v.reissueOf, v.reason]),
  ]);
  const doc = new PDFDocument({
    size: [mm(PAGE_W), mm(PAGE_H)],
    margin: 0,
    bufferPages: true,
    font: null as unknown as string,
    info: {
      Title: `${DAY_SUMMARY_TITLE} ${s.businessDate}${d.close ? ` ${d.close.number}` : '（草稿）'}${d.training ? '（培训样张）' : ''}`,
      Producer: 'pension-counter',
      Creator: 'pension-counter',
    },
  });
  for (const f of fonts.faces()) doc.registerFont(f.id, f.data, f.collection ? f.postscriptName : undefined);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const L = new Layout(doc, fonts, d);
  if (d.training) {
    L.text('培训模式样张 · 不作记账凭证 · 不具法律效力', LEFT, 4, RIGHT - LEFT, 6, { size: 10, align: 'center', color: '#c00000' });
  }
  drawHeader(L);
  drawTables(L);
  drawCashTotalsAndSignatures(L);
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    if (d.training) drawTrainingMarks(doc, fonts);
    L.text(`打印时间 ${hallTime(d.printedAt, d.timeZone)}${d.reprint ? ' · 重打' : ''}`, LEFT, BOTTOM + 4, 110, 6, { size: 8 });
    L.text(`第 ${i + 1} 页 共 ${range.count} 页`, RIGHT - 50, BOTTOM + 4, 50, 6, { size: 8, align: 'right' });
  }
  doc.flushPages();
  doc.end();
  return done;
}
