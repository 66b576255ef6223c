// Slip documents as printer bytes, built with node-thermal-printer for the configured command set:
// EPSON (ESC/POS — Epson and the Gprinter / Xprinter class most halls use) or STAR (Star Line
// Mode). The library is used without an interface: it only fills a buffer (getBuffer / clear),
// and the bytes go to our persistent print queue, which owns delivery, retries and status.
//
// What is not taken from the library, and why:
//  - Chinese text. The library's CHINA code page encodes EUC-CN and never enters the printer's
//    Chinese mode; we append FS & + GB18030 bytes + FS . with add() (domain notes §8).
//  - Text wrapping and columns: layout.ts wraps by display width (a Chinese character is two
//    columns), the library's print() folds by string length.
//  - The EPSON cut: GS V 66 0 feeds to the cutter then cuts partially; the library's partialCut
//    feeds a fixed 8 lines and then cuts, wasting paper on every slip.
// STAR printers get every line with a non-ASCII character as a raster image: Star Line Mode only
// knows JIS / Shift-JIS Kanji modes (ESC p, ESC $ n), not GB2312 / GBK / GB18030.
import iconv from 'iconv-lite';
import { ThermalPrinter, PrinterTypes } from 'node-thermal-printer';
import { renderLine, toRgba, type Bitmap } from './raster';
import type { Align } from './text-width';

export { displayWidth, type Align } from './text-width';

export type PrinterType = 'epson' | 'star';
/** What the printer's built-in Chinese font covers. */
export type PrinterFont = 'gbk' | 'gb18030';
export type QrEcc = 'L' | 'M' | 'Q' | 'H';

export const PRINTER_TYPE_LABELS: Record<PrinterType, string> = { epson: 'EPSON 兼容（ESC/POS）', star: 'STAR（Star Line Mode）' };

const FS = 0x1c;
const GS = 0x1d;
const ESC = 0x1b;

/** The slice of the library's per-type command object used for raster images (typed here because
 *  the library's .d.ts only declares printImageBuffer(png), which would need a PNG encoder). */
interface LibraryCommandSet {
  printImageBuffer(width: number, height: number, rgba: Buffer): Buffer;
}

/** True when the printer's own font can print every character of `s`. */
export function printableAsText(s: string, type: PrinterType, font: PrinterFont): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) continue;
    if (type === 'star') return false;
    if (font === 'gb18030') continue;
    // GBK has no 4-byte sequences: a character GB18030 encodes in 4 bytes is not in GBK.
    if (iconv.encode(ch, 'gb18030').length !== 2) return false;
  }
  return true;
}

export interface DocumentOptions {
  type?: PrinterType;
  font?: PrinterFont;
  /** Columns of the paper (32 on 58 mm, 48 on 80 mm): a raster line is that wide. */
  cols?: number;
}

export class EscPosBuilder {
  readonly type: PrinterType;
  readonly font: PrinterFont;
  readonly cols: number;
  private readonly printer: ThermalPrinter;
  private state = { align: 'left' as Align, bold: false, widthMul: 1, heightMul: 1 };

  constructor(opts: DocumentOptions = {}) {
    this.type = opts.type ?? 'epson';
    this.font = opts.font ?? 'gbk';
    this.cols = opts.cols ?? 48;
    // No interface: the library builds bytes only (execute() is never called).
    this.printer = new ThermalPrinter({ type: this.type === 'star' ? PrinterTypes.STAR : PrinterTypes.EPSON, interface: '', width: this.cols });
  }

  raw(bytes: Uint8Array | number[]): this {
    this.printer.add(Buffer.from(bytes));
    return this;
  }

  /** ESC @: back to power-on settings. */
  init(): this {
    this.raw([ESC, 0x40]); // the same ESC @ on both command sets
    this.state = { align: 'left', bold: false, widthMul: 1, heightMul: 1 };
    return this;
  }

  align(a: Align): this {
    if (a === 'center') this.printer.alignCenter();
    else if (a === 'right') this.printer.alignRight();
    else this.printer.alignLeft();
    this.state.align = a;
    return this;
  }

  bold(on: boolean): this {
    this.printer.bold(on);
    this.state.bold = on;
    return this;
  }

  /** Character width and height multipliers (1–8 on EPSON; STAR takes 1–6). */
  size(width: number, height: number): this {
    if (this.type === 'star') {
      // ESC i n1 n2: n1 height, n2 width expansion (0 = normal).
      this.raw([ESC, 0x69, height - 1, width - 1]);
    } else {
      // The library's setTextSize(a, b) writes GS ! with `a` in the high nibble, which ESC/POS
      // reads as the width: so the width goes first, whatever the parameter is called.
      this.printer.setTextSize(width - 1, height - 1);
    }
    this.state.widthMul = width;
    this.state.heightMul = height;
    return this;
  }

  /**
   * Text without a line feed, through the printer's font. Runs of non-ASCII characters are sent
   * as GB18030 inside the printer's Chinese mode (FS & … FS .); ASCII stays single-byte outside
   * it. Only for text `printableAsText` accepts: `line()` chooses raster otherwise.
   */
  text(s: string): this {
    let run = '';
    const isAscii = (c: string): boolean => c.charCodeAt(0) < 0x80;
    const flush = (): void => {
      if (run === '') return;
      if (isAscii(run)) {
        // Control characters inside text would be taken as commands: print them as spaces.
        this.printer.add(Buffer.from(Buffer.from(run, 'latin1').map((b) => (b < 0x20 || b === 0x7f ? 0x20 : b))));
      } else {
        this.printer.add(Buffer.concat([Buffer.from([FS, 0x26]), iconv.encode(run, 'gb18030'), Buffer.from([FS, 0x2e])]));
      }
      run = '';
    };
    for (const ch of s) {
      if (run !== '' && isAscii(ch) !== isAscii(run)) flush();
      run += ch;
    }
    flush();
    return this;
  }

  /** One printed line: as text when the printer's font has every character, else as a raster
   *  image of the same line (same columns, alignment and size) drawn from the embedded font. */
  line(s = ''): this {
    if (printableAsText(s, this.type, this.font)) {
      this.text(s);
      this.printer.newLine();
      return this;
    }
    const bm = renderLine(s, this.cols, { align: this.state.align, widthMul: this.state.widthMul, heightMul: this.state.heightMul });
    return this.image(bm);
  }

  /** A bitmap through the library's image printing (GS v 0 on EPSON, ESC k bands on STAR). The
   *  bitmap carries its own alignment, so the printer's is set to left around it. */
  image(bm: Bitmap): this {
    const restore = this.state.align;
    if (restore !== 'left') this.align('left');
    const cmd = (this.printer as unknown as { printer: LibraryCommandSet }).printer;
    this.printer.add(cmd.printImageBuffer(bm.width, bm.height, toRgba(bm)));
    if (restore !== 'left') this.align(restore);
    return this;
  }

  /** Print and feed n lines. */
  feed(lines: number): this {
    if (this.type === 'star') {
      for (let i = 0; i < lines; i++) this.printer.newLine();
      return this;
    }
    return this.raw([ESC, 0x64, lines]);
  }

  qr(data: string, opts: { moduleSize?: number; ecc?: QrEcc } = {}): this {
    // The library counts the payload in UTF-16 units for the store length: ASCII only.
    if (!/^[\x20-\x7e]*$/.test(data)) throw new Error('QR payload must be printable ASCII');
    const cellSize = opts.moduleSize ?? 6;
    const ecc = opts.ecc ?? 'M';
    if (this.type === 'star') {
      // Written here: node-thermal-printer 4.6.1's STAR printQR sends nL nH and the data without
      // the ESC GS y D 1 m header, so a Star printer would print the payload as text and no code.
      // Star Line Mode: ESC GS y S 0 n model, S 1 n correction, S 2 n cell size,
      // ESC GS y D 1 0 nL nH data (store), ESC GS y P (print).
      const payload = Buffer.from(data, 'latin1');
      return this.raw([ESC, GS, 0x79, 0x53, 0x30, 0x02])
        .raw([ESC, GS, 0x79, 0x53, 0x31, { L: 0, M: 1, Q: 2, H: 3 }[ecc]])
        .raw([ESC, GS, 0x79, 0x53, 0x32, cellSize])
        .raw([ESC, GS, 0x79, 0x44, 0x31, 0x00, payload.length & 0xff, payload.length >> 8])
        .raw(payload)
        .raw([ESC, GS, 0x79, 0x50]);
    }
    this.printer.printQR(data, { model: 2, cellSize, correction: ecc });
    return this;
  }

  /** Feeds to the cutting position so the last line clears the blade, then a partial cut. */
  cut(extraFeed = 0): this {
    if (this.type === 'star') {
      // ESC d 3: feed to the cutting position and cut partially (Star Line Mode).
      return this.raw([ESC, 0x64, 0x03]);
    }
    return this.raw([GS, 0x56, 0x42, extraFeed]);
  }

  bytes(): Buffer {
    return Buffer.from(this.printer.getBuffer() ?? Buffer.alloc(0));
  }
}
