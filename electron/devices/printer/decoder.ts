// Turns ESC/POS bytes back into what the paper shows: text lines (with alignment, bold and size),
// QR payloads and cuts. Used by tests and by the training-mode preview of the last slip, which
// must show what was actually sent, so text outside Chinese mode is decoded as the printer
// would (single bytes) and anything odd is listed in `problems` rather than smoothed over.
import iconv from 'iconv-lite';
import type { Bitmap } from './raster';
import { displayWidth, type Align } from './text-width';

export interface DecodedLine {
  type: 'line';
  text: string;
  align: Align;
  bold: boolean;
  widthMul: number;
  heightMul: number;
  /** Columns the line occupies on paper (character columns × width multiplier). */
  columns: number;
}

export type DecodedItem =
  | DecodedLine
  | { type: 'qr'; data: string }
  | { type: 'barcode'; data: string }
  | { type: 'cut'; partial: boolean; /** byte offset just after the cut command */ end: number }
  | { type: 'status_request'; n: number }
  /** A raster image (GS v 0 on EPSON, ESC k bands on STAR): one printed line drawn as dots. */
  | { type: 'raster'; bitmap: Bitmap };

export interface DecodedSlip {
  items: DecodedItem[];
  /** Text of every printed line, in order. */
  lines: string[];
  qr: string[];
  rasters: Bitmap[];
  cuts: number;
  problems: string[];
}

interface State {
  align: Align;
  bold: boolean;
  widthMul: number;
  heightMul: number;
  chinese: boolean;
}

const initial = (): State => ({ align: 'left', bold: false, widthMul: 1, heightMul: 1, chinese: false });

export function decodeEscPos(bytes: Uint8Array): DecodedSlip {
  const b = Buffer.from(bytes);
  const items: DecodedItem[] = [];
  const problems: string[] = [];
  let st = initial();
  let lineText = '';
  let lineState: State | null = null;
  let seg: number[] = [];
  let qrStore = '';

  const flushSeg = (): void => {
    if (seg.length === 0) return;
    const raw = Buffer.from(seg);
    seg = [];
    lineState ??= { ...st };
    if (st.chinese) {
      lineText += iconv.decode(raw, 'gb18030');
    } else {
      for (const byte of raw) {
        if (byte >= 0x80) {
          problems.push(`非中文模式下的字节 0x${byte.toString(16)}（中文应在 FS & 之后发送）`);
          lineText += '\ufffd';
        } else {
          lineText += String.fromCharCode(byte);
        }
      }
    }
  };
  const newline = (): void => {
    flushSeg();
    const s = lineState ?? st;
    items.push({
      type: 'line',
      text: lineText,
      align: s.align,
      bold: s.bold,
      widthMul: s.widthMul,
      heightMul: s.heightMul,
      columns: displayWidth(lineText) * s.widthMul,
    });
    lineText = '';
    lineState = null;
  };
  const need = (i: number, n: number, what: string): boolean => {
    if (i + n <= b.length) return true;
    problems.push(`${what} 命令不完整`);
    return false;
  };

  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c === 0x0a) {
      newline();
      i++;
    } else if (c === 0x0d) {
      i++;
    } else if (c === 0x1b) {
      flushSeg();
      const op = b[i + 1];
      const n = b[i + 2] ?? 0;
      switch (op) {
        case 0x40: // ESC @
          if (lineText !== '') newline();
          st = initial();
          i += 2;
          break;
        case 0x61: // ESC a n
          st.align = n % 48 === 1 ? 'center' : n % 48 === 2 ? 'right' : 'left';
          i += 3;
          break;
        case 0x45: // ESC E n
          st.bold = (n & 1) === 1;
          i += 3;
          break;
        case 0x21: // ESC ! n
          st.bold = (n & 0x08) !== 0;
          st.heightMul = n & 0x10 ? 2 : 1;
          st.widthMul = n & 0x20 ? 2 : 1;
          i += 3;
          break;
        case 0x64: // ESC d n: print and feed n lines, i.e. n line feeds
          for (let k = 0; k < n; k++) newline();
          i += 3;
          break;
        case 0x32: // ESC 2
          i += 2;
          break;
        case 0x70: // ESC p m t1 t2 (drawer kick)
          i += 5;
          break;
        case 0x33:
        case 0x2d:
        case 0x74:
        case 0x4d:
        case 0x52:
        case 0x47:
        case 0x4a:
        case 0x56:
        case 0x7b:
        case 0x20:
          i += 3;
          break;
        default:
          problems.push(`未知命令 ESC 0x${(op ?? 0).toString(16)}`);
          i += 2;
      }
    } else if (c === 0x1d) {
      flushSeg();
      const op = b[i + 1];
      switch (op) {
        case 0x21: {
          const n = b[i + 2] ?? 0;
          st.widthMul = ((n >> 4) & 7) + 1;
          st.heightMul = (n & 7) + 1;
          i += 3;
          break;
        }
        case 0x56: {
          const m = b[i + 2] ?? 0;
          const withFeed = m === 65 || m === 66 || m === 97 || m === 98 || m === 103 || m === 104;
          const len = withFeed ? 4 : 3;
          if (!need(i, len, 'GS V')) return finish();
          if (lineText !== '') newline();
          i += len;
          items.push({ type: 'cut', partial: m % 2 === 1 || m === 66 || m === 98 || m === 104, end: i });
          break;
        }
        case 0x28: {
          if (!need(i, 5, 'GS (')) return finish();
          const fn = b[i + 2];
          const len = b[i + 3]! | (b[i + 4]! << 8);
          if (!need(i, 5 + len, 'GS (')) return finish();
          const body = b.subarray(i + 5, i + 5 + len);
          if (fn === 0x6b && body[0] === 0x31) {
            if (body[1] === 0x50) qrStore = body.subarray(3).toString('utf8');
            if (body[1] === 0x51) {
              if (lineText !== '') newline();
              items.push({ type: 'qr', data: qrStore });
            }
          }
          i += 5 + len;
          break;
        }
        case 0x6b: {
          // GS k m: m 0–6 NUL-terminated data, m 65–73 length-prefixed.
          const m = b[i + 2] ?? 0;
          let data: Buffer;
          if (m <= 6) {
            const endAt = b.indexOf(0, i + 3);
            const stop = endAt < 0 ? b.length : endAt;
            data = b.subarray(i + 3, stop);
            i = stop + 1;
          } else {
            const n = b[i + 3] ?? 0;
            data = b.subarray(i + 4, i + 4 + n);
            i += 4 + n;
          }
          items.push({ type: 'barcode', data: data.toString('latin1') });
          break;
        }
        case 0x76: {
          // GS v 0 m xL xH yL yH d…: raster image, x bytes a row, y rows.
          if (!need(i, 8, 'GS v 0')) return finish();
          const x = b[i + 4]! | (b[i + 5]! << 8);
          const y = b[i + 6]! | (b[i + 7]! << 8);
          if (!need(i, 8 + x * y, 'GS v 0')) return finish();
          if (lineText !== '') newline();
          items.push({ type: 'raster', bitmap: unpackRows(b.subarray(i + 8, i + 8 + x * y), x, y) });
          i += 8 + x * y;
          break;
        }
        case 0x42:
        case 0x68:
        case 0x77:
        case 0x48:
        case 0x66:
        case 0x61:
          i += 3;
          break;
        case 0x4c:
        case 0x57:
          i += 4;
          break;
        default:
          problems.push(`未知命令 GS 0x${(op ?? 0).toString(16)}`);
          i += 2;
      }
    } else if (c === 0x1c) {
      flushSeg();
      const op = b[i + 1];
      if (op === 0x26) {
        st.chinese = true;
        i += 2;
      } else if (op === 0x2e) {
        st.chinese = false;
        i += 2;
      } else if (op === 0x21 || op === 0x57 || op === 0x2d || op === 0x43) {
        i += 3;
      } else {
        problems.push(`未知命令 FS 0x${(op ?? 0).toString(16)}`);
        i += 2;
      }
    } else if (c === 0x10 && b[i + 1] === 0x04) {
      flushSeg();
      items.push({ type: 'status_request', n: b[i + 2] ?? 0 });
      i += 3;
    } else if (c < 0x20 && c !== 0x09) {
      problems.push(`未知控制字符 0x${c.toString(16)}`);
      i++;
    } else {
      seg.push(c === 0x09 ? 0x20 : c);
      i++;
    }
  }
  return finish();

  function finish(): DecodedSlip {
    flushSeg();
    if (lineText !== '') {
      problems.push('最后一行没有换行（未打印出来）');
    }
    return summarise(items, problems);
  }
}

function summarise(items: DecodedItem[], problems: string[]): DecodedSlip {
  return {
    items,
    lines: items.flatMap((it) => (it.type === 'line' ? [it.text] : [])),
    qr: items.flatMap((it) => (it.type === 'qr' ? [it.data] : [])),
    rasters: items.flatMap((it) => (it.type === 'raster' ? [it.bitmap] : [])),
    cuts: items.filter((it) => it.type === 'cut').length,
    problems,
  };
}

/** Row-major packed bits (MSB = leftmost dot) to one value a dot. */
function unpackRows(data: Uint8Array, bytesPerRow: number, rows: number): Bitmap {
  const width = bytesPerRow * 8;
  const bits = new Uint8Array(width * rows);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < width; x++) bits[y * width + x] = (data[y * bytesPerRow + (x >> 3)]! >> (7 - (x & 7))) & 1;
  }
  return { width, height: rows, bits };
}

/**
 * The same for a STAR printer in Star Line Mode, as node-thermal-printer's STAR type writes it:
 * ESC GS a alignment, ESC E / ESC F bold, ESC i size, ESC d n cut, ESC GS y QR, and images as
 * ESC 0 … ESC k bands of 24 rows (each followed by LF) … ESC z 1. Star Line Mode has no GB
 * Chinese mode, so any byte ≥ 0x80 in text is listed as a problem.
 */
export function decodeStarLine(bytes: Uint8Array): DecodedSlip {
  const b = Buffer.from(bytes);
  const items: DecodedItem[] = [];
  const problems: string[] = [];
  let st = initial();
  let text = '';
  let lineState: State | null = null;
  let qrStore = '';
  let image: { width: number; rows: Uint8Array[] } | null = null;
  let afterBand = false;
  const newline = (): void => {
    const s = lineState ?? st;
    items.push({ type: 'line', text, align: s.align, bold: s.bold, widthMul: s.widthMul, heightMul: s.heightMul, columns: displayWidth(text) * s.widthMul });
    text = '';
    lineState = null;
  };
  const need = (i: number, n: number, what: string): boolean => {
    if (i + n <= b.length) return true;
    problems.push(`${what} 命令不完整`);
    return false;
  };
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const band = afterBand;
    afterBand = false;
    if (c === 0x0a) {
      if (!band) newline();
      i++;
    } else if (c === 0x0d) {
      i++;
    } else if (c === 0x1b) {
      const op = b[i + 1];
      if (op === 0x40) {
        if (text !== '') newline();
        st = initial();
        i += 2;
      } else if (op === 0x45 || op === 0x46) {
        st.bold = op === 0x45;
        i += 2;
      } else if (op === 0x69) {
        if (!need(i, 4, 'ESC i')) break;
        st.heightMul = b[i + 2]! + 1;
        st.widthMul = b[i + 3]! + 1;
        i += 4;
      } else if (op === 0x64) {
        if (!need(i, 3, 'ESC d')) break;
        const n = b[i + 2]! % 48;
        if (text !== '') newline();
        i += 3;
        items.push({ type: 'cut', partial: n === 1 || n === 3, end: i });
      } else if (op === 0x30) {
        image = { width: 0, rows: [] };
        i += 2;
      } else if (op === 0x7a) {
        if (image) {
          const bits = new Uint8Array(image.width * image.rows.length);
          image.rows.forEach((r, y) => bits.set(r, y * image!.width));
          items.push({ type: 'raster', bitmap: { width: image.width, height: image.rows.length, bits } });
        }
        image = null;
        i += 3;
      } else if (op === 0x6b) {
        if (!need(i, 4, 'ESC k')) break;
        const perRow = b[i + 2]! | (b[i + 3]! << 8);
        if (!need(i, 4 + perRow * 24, 'ESC k')) break;
        const bm = unpackRows(b.subarray(i + 4, i + 4 + perRow * 24), perRow, 24);
        if (!image) problems.push('ESC k 图像带不在 ESC 0 … ESC z 之间');
        else {
          image.width = bm.width;
          for (let y = 0; y < 24; y++) image.rows.push(bm.bits.subarray(y * bm.width, (y + 1) * bm.width));
        }
        i += 4 + perRow * 24;
        afterBand = true;
      } else if (op === 0x1d && b[i + 2] === 0x61) {
        const n = b[i + 3] ?? 0;
        st.align = n % 48 === 1 ? 'center' : n % 48 === 2 ? 'right' : 'left';
        i += 4;
      } else if (op === 0x1d && b[i + 2] === 0x79) {
        const sub = b[i + 3];
        if (sub === 0x53) i += 6;
        else if (sub === 0x44) {
          if (!need(i, 8, 'ESC GS y D')) break;
          const len = b[i + 6]! | (b[i + 7]! << 8);
          qrStore = b.subarray(i + 8, i + 8 + len).toString('latin1');
          i += 8 + len;
        } else if (sub === 0x50) {
          if (text !== '') newline();
          items.push({ type: 'qr', data: qrStore });
          i += 4;
        } else {
          problems.push(`未知命令 ESC GS y 0x${(sub ?? 0).toString(16)}`);
          i += 4;
        }
      } else {
        problems.push(`未知命令 ESC 0x${(op ?? 0).toString(16)}`);
        i += 2;
      }
    } else if (c < 0x20 && c !== 0x09) {
      problems.push(`未知控制字符 0x${c.toString(16)}`);
      i++;
    } else {
      lineState ??= { ...st };
      if (c >= 0x80) {
        problems.push(`STAR 文本中的字节 0x${c.toString(16)}（中文应按图像发送）`);
        text += '\ufffd';
      } else text += c === 0x09 ? ' ' : String.fromCharCode(c);
      i++;
    }
  }
  if (text !== '') problems.push('最后一行没有换行（未打印出来）');
  return summarise(items, problems);
}

/** Splits a byte stream into slips at each cut (the preview shows the last one). */
export function splitAtCuts(bytes: Uint8Array, decode: (b: Uint8Array) => DecodedSlip = decodeEscPos): { slips: Buffer[]; rest: Buffer } {
  const b = Buffer.from(bytes);
  const slips: Buffer[] = [];
  let start = 0;
  for (const it of decode(b).items) {
    if (it.type === 'cut') {
      slips.push(b.subarray(start, it.end));
      start = it.end;
    }
  }
  return { slips, rest: b.subarray(start) };
}
