// A small ESC/POS command builder (domain notes §8).
// Written here rather than using node-thermal-printer: its Chinese output goes through code-page
// tables that yield EUC-CN / EUC-JP bytes and never enters the printer's Chinese mode (FS &),
// and it wants to own the transport, while we need the bytes (for the print queue, the status
// check around a job and the training-mode preview). The command set needed is small.
import iconv from 'iconv-lite';

export type Align = 'left' | 'center' | 'right';

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const LF = 0x0a;

/** Columns a string takes on the printer: ASCII 1, everything else (Chinese, ￥) 2. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.codePointAt(0)! < 0x80 ? 1 : 2;
  return w;
}

const isAscii = (s: string): boolean => s.charCodeAt(0) < 0x80;

export type QrEcc = 'L' | 'M' | 'Q' | 'H';

export class EscPosBuilder {
  private readonly parts: Buffer[] = [];

  raw(bytes: Uint8Array | number[]): this {
    this.parts.push(Buffer.from(bytes));
    return this;
  }

  /** ESC @: back to power-on settings. */
  init(): this {
    return this.raw([ESC, 0x40]);
  }

  align(a: Align): this {
    return this.raw([ESC, 0x61, a === 'left' ? 0 : a === 'center' ? 1 : 2]);
  }

  bold(on: boolean): this {
    return this.raw([ESC, 0x45, on ? 1 : 0]);
  }

  /** GS !: character width and height multipliers (1–8). */
  size(width: number, height: number): this {
    return this.raw([GS, 0x21, ((width - 1) << 4) | (height - 1)]);
  }

  /**
   * Text without a line feed. Runs of non-ASCII characters are sent as GB18030 inside the
   * printer's Chinese mode (FS & … FS .); ASCII stays single-byte outside it.
   */
  text(s: string): this {
    let run = '';
    for (const ch of s) {
      if (run !== '' && isAscii(ch) !== isAscii(run)) {
        this.run(run);
        run = '';
      }
      run += ch;
    }
    if (run !== '') this.run(run);
    return this;
  }

  private run(run: string): void {
    if (isAscii(run)) {
      // Control characters inside text would be taken as commands: print them as spaces.
      const bytes = Buffer.from(run, 'latin1').map((b) => (b < 0x20 || b === 0x7f ? 0x20 : b));
      this.parts.push(Buffer.from(bytes));
    } else {
      this.raw([FS, 0x26]);
      this.parts.push(iconv.encode(run, 'gb18030'));
      this.raw([FS, 0x2e]);
    }
  }

  line(s = ''): this {
    return this.text(s).raw([LF]);
  }

  /** ESC d n: print and feed n lines. */
  feed(lines: number): this {
    return this.raw([ESC, 0x64, lines]);
  }

  /** QR code with GS ( k: model 2, module size, error correction, store, print. */
  qr(data: string, opts: { moduleSize?: number; ecc?: QrEcc } = {}): this {
    const payload = Buffer.from(data, 'utf8');
    const storeLen = payload.length + 3;
    const ecc = { L: 0x30, M: 0x31, Q: 0x32, H: 0x33 }[opts.ecc ?? 'M'];
    return this.raw([GS, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00])
      .raw([GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, opts.moduleSize ?? 6])
      .raw([GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, ecc])
      .raw([GS, 0x28, 0x6b, storeLen & 0xff, storeLen >> 8, 0x31, 0x50, 0x30])
      .raw(payload)
      .raw([GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30]);
  }

  /** GS V 66 n: feed to the cutting position (+ n motion units) so the last line clears the
   *  blade, then a partial cut that leaves a hinge. */
  cut(extraFeed = 0): this {
    return this.raw([GS, 0x56, 0x42, extraFeed]);
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}
