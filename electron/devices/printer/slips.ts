// Slip layouts: payment slip (缴费凭证), exchange record (换开/补开记录), day summary (日汇总),
// test page. Each takes plain data (money in fen, instants as Date or ISO strings and the hall's
// time zone) and returns the ESC/POS bytes, ending with a cut.
// ID numbers are masked here, whatever the caller passes: a slip leaves the hall with the payer.
import { maskIdNumber } from '../../../shared/domain/id-number';
import type { DaySummaryModel } from '../../../shared/day-summary-model';
import { PRINTER_TYPE_LABELS, type PrinterFont, type PrinterType } from './escpos';
import { SlipWriter, hallTime, tierLabel, yuan, type PaperWidth } from './layout';

export interface SlipOptions {
  width: PaperWidth;
  /** Training mode: the slip is marked 培训样张 at top and bottom so it cannot pass as real. */
  training?: boolean;
  /** The printer's command set (default EPSON-compatible ESC/POS). */
  printerType?: PrinterType;
  /** What the printer's Chinese font covers (default GBK: anything beyond is printed as raster). */
  printerFont?: PrinterFont;
}

export interface SlipYearLine {
  year: number;
  tierFen: number;
  /** What the payer paid at the counter for this year (a 代缴 part is not in it). */
  amountFen: number;
  backPay?: boolean;
  /** 一次性补缴: the years this one line counts (the line is then not a calendar year). */
  lumpSumYears?: number;
}

export interface PaymentSlipData {
  hallName: string;
  /** e.g. 3号窗口 */
  counter: string;
  /** Slip / transaction number; also the QR payload unless `qrPayload` is set. */
  slipNo: string;
  payerName: string;
  /** Full or masked; it is printed masked. */
  idNumber: string;
  lines: SlipYearLine[];
  totalFen: number;
  /** zh label of the payment method, e.g. 现金, 银行卡, 扫码支付 */
  paymentMethod: string;
  cash?: { tenderedFen: number; changeFen: number };
  operator: string;
  paidAt: Date | string;
  timeZone: string;
  qrPayload?: string;
  /** A reprint of an earlier slip: marked 重打 (with the count when known). */
  reprint?: boolean | number;
}

export interface ExchangeRecordData {
  hallName: string;
  counter: string;
  recordNo: string;
  payerName: string;
  idNumber: string;
  /** The proof the payer produced. */
  proof: { kind: string; channel: string; reference: string; paidOn: string };
  /** The formal receipt 《税收缴款书》 issued for it: 字轨 and number. */
  receipt: { series: string; number: string };
  lines: SlipYearLine[];
  totalFen: number;
  operator: string;
  at: Date | string;
  timeZone: string;
  /** 补开 (reissue after a lost receipt) rather than the one 换开. */
  reissue?: boolean;
  reprint?: boolean | number;
}

/** The day summary slip: the one model the A4 document draws too (shared/day-summary-model.ts). */
export interface DaySummaryData {
  model: DaySummaryModel;
  printedAt: Date | string;
  timeZone: string;
  /** A copy of a printed summary: marked 重打 with the count, like a slip. */
  reprint?: number;
}

export interface TestPageData {
  printer: string;
  at: Date | string;
  timeZone: string;
}

const FONT_LABELS: Record<PrinterFont, string> = { gbk: 'GBK（超出部分按图像打印）', gb18030: 'GB18030' };
export const RARE_PROBE = '\u{20BB7}';

const TRAINING_MARK = '*** 培训样张 非正式凭证 ***';

function begin(opts: SlipOptions): SlipWriter {
  const w = new SlipWriter(opts.width, { type: opts.printerType, font: opts.printerFont });
  if (opts.training) w.center(TRAINING_MARK, true);
  return w;
}

function end(w: SlipWriter, opts: SlipOptions): Buffer {
  if (opts.training) w.center(TRAINING_MARK, true);
  return w.cut();
}

function reprintMark(w: SlipWriter, reprint: boolean | number | undefined): void {
  if (reprint === undefined || reprint === false) return;
  w.center(typeof reprint === 'number' ? `（重打 第${reprint}次）` : '（重打）', true);
}

function checkTotal(what: string, parts: number[], total: number): void {
  const sum = parts.reduce((a, b) => a + b, 0);
  if (sum !== total) throw new Error(`${what}: lines add up to ${sum} fen, total says ${total}`);
}

function yearLines(w: SlipWriter, lines: SlipYearLine[]): void {
  w.pair('年度 档次', '金额');
  for (const l of lines) {
    w.pair(
      l.lumpSumYears !== undefined ? `一次性补缴${l.lumpSumYears}年 ${tierLabel(l.tierFen)}` : `${l.year}年 ${tierLabel(l.tierFen)}${l.backPay ? ' 补缴' : ''}`,
      yuan(l.amountFen),
    );
  }
}

export function paymentSlip(d: PaymentSlipData, opts: SlipOptions): Buffer {
  checkTotal(
    'payment slip',
    d.lines.map((l) => l.amountFen),
    d.totalFen,
  );
  const w = begin(opts);
  w.title('缴费凭证');
  reprintMark(w, d.reprint);
  w.center('城乡居民基本养老保险费')
    .field('办税服务厅', d.hallName)
    .field('窗口', d.counter)
    .field('流水号', d.slipNo)
    .rule()
    .field('缴费人', d.payerName)
    .field('证件号码', maskIdNumber(d.idNumber))
    .rule();
  yearLines(w, d.lines);
  w.rule().pair('合计', yuan(d.totalFen), true).pair('缴费方式', d.paymentMethod);
  if (d.cash) w.pair('实收', yuan(d.cash.tenderedFen)).pair('找零', yuan(d.cash.changeFen));
  w.rule()
    .field('经办人', d.operator)
    .field('时间', hallTime(d.paidAt, d.timeZone))
    .qr(d.qrPayload ?? d.slipNo)
    .center(d.slipNo)
    .text('本凭证为柜台缴费证明，正式票据以《税收缴款书》为准。');
  return end(w, opts);
}

export function exchangeRecord(d: ExchangeRecordData, opts: SlipOptions): Buffer {
  checkTotal(
    'exchange record',
    d.lines.map((l) => l.amountFen),
    d.totalFen,
  );
  const w = begin(opts);
  w.title(d.reissue ? '补开记录' : '换开记录');
  reprintMark(w, d.reprint);
  w.field('办税服务厅', d.hallName)
    .field('窗口', d.counter)
    .field('记录号', d.recordNo)
    .rule()
    .field('缴费人', d.payerName)
    .field('证件号码', maskIdNumber(d.idNumber))
    .rule()
    .field('原缴费凭据', d.proof.kind)
    .field('缴费渠道', d.proof.channel)
    .field('凭据号', d.proof.reference)
    .field('缴费日期', d.proof.paidOn)
    .rule();
  yearLines(w, d.lines);
  w.rule()
    .pair('合计', yuan(d.totalFen), true)
    .field('税收缴款书', `${d.receipt.series} ${d.receipt.number}`)
    .rule()
    .field('经办人', d.operator)
    .field('时间', hallTime(d.at, d.timeZone))
    .qr(d.recordNo)
    .center(d.recordNo);
  return end(w, opts);
}

export function daySummary(d: DaySummaryData, opts: SlipOptions): Buffer {
  const m = d.model;
  const w = begin(opts);
  w.title('日汇总单');
  reprintMark(w, d.reprint);
  w.center(m.title.replace(/日汇总单$/, ''))
    .field('税务机关', m.taxOffice)
    .field('办税服务厅', m.hallName)
    .field('窗口', m.counter)
    .field('业务日期', m.businessDate)
    .field('经办人', m.operator)
    .field('日结编号', m.closeNumber ?? '未日结（草稿）')
    .rule();
  for (const sec of m.sections) {
    if (sec.a4Only) continue;
    w.text(sec.title, { bold: true });
    for (const n of sec.notes) w.text(n);
    if (sec.rows.length === 0) w.text(sec.emptyText);
    for (const r of sec.rows) {
      const values = (sec.thermalColumns ?? r.values.map((_, i) => i)).map((i) => r.values[i] ?? '').filter((v) => v !== '');
      w.pair(r.label, values.join(' '), r.total === true);
    }
    w.rule();
  }
  w.pair('入库金额合计', m.total.figures, true).text(`（大写）${m.total.capitals}`);
  w.rule().field('打印时间', hallTime(d.printedAt, d.timeZone)).blank().text('经办人签字：').blank().text('复核人签字：').blank();
  return end(w, opts);
}

export function testPage(d: TestPageData, opts: SlipOptions): Buffer {
  const w = begin(opts);
  w.title('打印测试页');
  const ruler = Array.from({ length: w.cols }, (_, i) => String((i + 1) % 10)).join('');
  w.field('打印机', d.printer)
    .field('打印机类型', PRINTER_TYPE_LABELS[w.printerType])
    .field('汉字字库', w.printerType === 'star' ? '不用（STAR 无国标汉字模式，中文按图像打印）' : FONT_LABELS[w.printerFont])
    .field('纸宽', `${opts.width}mm，每行${w.cols}列`)
    .field('时间', hallTime(d.at, d.timeZone))
    .rule()
    .text(ruler)
    .text('中文'.repeat(w.cols / 4))
    .pair('金额右对齐', yuan(123456))
    .text('左对齐')
    .center('居中')
    .text('右对齐', { align: 'right' })
    .text('粗体 Bold', { bold: true })
    .rule('=');
  // A 4-byte GB18030 character (U+20BB7, outside GBK) through the printer's font, then the same
  // as a raster image: where the first line shows a box or '?', set the font to GBK.
  w.text('生僻字测试（U+20BB7）：');
  if (w.printerType === 'epson') w.fontProbe(`字库：${RARE_PROBE}吉`);
  w.raster(`图像：${RARE_PROBE}吉`)
    .text(w.printerType === 'epson' ? '两行应相同；“字库”一行缺字时，字库请设为 GBK。' : '“图像”一行应清晰。')
    .rule('=')
    .qr('pension-counter test page')
    .center('扫码应显示 pension-counter test page');
  return end(w, opts);
}
