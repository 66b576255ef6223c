// Width-aware line layout for 58 mm (32 columns) and 80 mm (48 columns) paper, where a Chinese
// character (and the full-width ￥) takes two columns.
import { formatYuan } from '../../../shared/domain/money';
import { renderLine } from './raster';
import { EscPosBuilder, displayWidth, type Align, type PrinterFont, type PrinterType } from './escpos';

export type PaperWidth = 58 | 80;

export function columnsFor(width: PaperWidth): number {
  return width === 58 ? 32 : 48;
}

/** Splits text into lines of at most `cols` columns, never inside a character. */
export function wrap(text: string, cols: number): string[] {
  const lines: string[] = [];
  let cur = '';
  let w = 0;
  for (const ch of text) {
    const cw = displayWidth(ch);
    if (w + cw > cols) {
      lines.push(cur);
      cur = '';
      w = 0;
    }
    cur += ch;
    w += cw;
  }
  if (cur !== '' || lines.length === 0) lines.push(cur);
  return lines;
}

export function padEnd(s: string, cols: number): string {
  return s + ' '.repeat(Math.max(0, cols - displayWidth(s)));
}

export function padStart(s: string, cols: number): string {
  return ' '.repeat(Math.max(0, cols - displayWidth(s))) + s;
}

/**
 * `left` flush left and `right` flush right on one line; when both do not fit, `left` wraps
 * onto lines of its own and `right` ends the last line (or gets its own).
 */
export function leftRight(left: string, right: string, cols: number): string[] {
  const rw = displayWidth(right);
  if (displayWidth(left) + 1 + rw <= cols) return [padEnd(left, cols - rw) + right];
  const lines = wrap(left, cols);
  const last = lines[lines.length - 1]!;
  if (displayWidth(last) + 1 + rw <= cols) lines[lines.length - 1] = padEnd(last, cols - rw) + right;
  else lines.push(...wrap(right, cols).map((l) => padStart(l, cols)));
  return lines;
}

/** ￥1,234.50 (full-width yuan sign, as on Chinese receipts; the digits are formatYuan's). */
export function yuan(fen: number): string {
  if (!Number.isInteger(fen)) throw new Error(`amount must be integer fen, got ${fen}`);
  const s = formatYuan(fen);
  return s.startsWith('-') ? `-￥${s.slice(1)}` : `￥${s}`;
}

/** A tier as printed: 300元档, or 300.50元档 for a tier that is not whole yuan. */
export { tierLabel } from '../../../shared/domain/money';

/** YYYY-MM-DD HH:mm:ss in the hall's time zone. */
export { hallTimeSeconds as hallTime } from '../../../shared/domain/time';

/** Writes a slip line by line, keeping every line inside the paper's columns. */
export class SlipWriter {
  readonly cols: number;
  private readonly out: EscPosBuilder;

  constructor(
    readonly width: PaperWidth,
    printer: { type?: PrinterType; font?: PrinterFont } = {},
  ) {
    this.cols = columnsFor(width);
    this.out = new EscPosBuilder({ ...printer, cols: this.cols }).init();
  }

  /** Double width and height, centred; wraps at half the columns. */
  title(text: string): this {
    this.out.align('center').bold(true).size(2, 2);
    for (const l of wrap(text, Math.floor(this.cols / 2))) this.out.line(l);
    this.out.size(1, 1).bold(false).align('left');
    return this;
  }

  text(text: string, opts: { align?: Align; bold?: boolean } = {}): this {
    const align = opts.align ?? 'left';
    if (align !== 'left') this.out.align(align);
    if (opts.bold) this.out.bold(true);
    for (const l of wrap(text, this.cols)) this.out.line(l);
    if (opts.bold) this.out.bold(false);
    if (align !== 'left') this.out.align('left');
    return this;
  }

  center(text: string, bold = false): this {
    return this.text(text, { align: 'center', bold });
  }

  pair(left: string, right: string, bold = false): this {
    if (bold) this.out.bold(true);
    for (const l of leftRight(left, right, this.cols)) this.out.line(l);
    if (bold) this.out.bold(false);
    return this;
  }

  /** Label：value on one line, or the label alone and the value below when it does not fit
   *  (a number is then never split between label and value). */
  field(label: string, value: string): this {
    const one = `${label}：${value}`;
    if (displayWidth(one) <= this.cols) return this.text(one);
    return this.text(`${label}：`).text(value);
  }

  /** A line through the printer's own font even where it may lack a glyph (the test page shows
   *  IT what the printer does with a 4-byte GB18030 character). */
  fontProbe(text: string): this {
    this.out.text(text).raw([0x0a]);
    return this;
  }

  /** A line always drawn as a raster image from the embedded font. */
  raster(text: string): this {
    this.out.image(renderLine(text, this.cols));
    return this;
  }

  get printerType(): PrinterType {
    return this.out.type;
  }

  get printerFont(): PrinterFont {
    return this.out.font;
  }

  rule(ch = '-'): this {
    this.out.line(ch.repeat(this.cols));
    return this;
  }

  blank(): this {
    this.out.line();
    return this;
  }

  qr(data: string): this {
    this.out
      .align('center')
      .qr(data, { moduleSize: this.width === 58 ? 5 : 6 })
      .line()
      .align('left');
    return this;
  }

  cut(): Buffer {
    return this.out.feed(1).cut().bytes();
  }
}
