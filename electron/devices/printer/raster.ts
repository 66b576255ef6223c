// Text drawn as a 1-bit bitmap for the thermal printer, from the embedded font and its fallbacks
// (electron/platform/fonts.ts: Noto Sans SC, then e.g. Noto Sans CJK for 𠮷). Used where the
// printer's own font cannot be trusted with a character: outside GBK when the printer is set to
// GBK, and for every Chinese line on a STAR printer (Star Line Mode has JIS / Shift-JIS Kanji
// modes only, no GB). The bitmap keeps the printer's text grid — 12 dots per column, 24 dots per
// line — so a raster line lines up with the text lines around it.
import type { Font } from 'fontkit';
import { documentFonts, type FontSet } from '../../platform/fonts';
import { displayWidth, type Align } from './text-width';

export const DOTS_PER_COLUMN = 12;
export const DOTS_PER_LINE = 24;

/** Row-major, 1 = black; `width` is a multiple of 8. */
export interface Bitmap {
  width: number;
  height: number;
  bits: Uint8Array;
}

export function blankBitmap(width: number, height: number): Bitmap {
  return { width, height, bits: new Uint8Array(width * height) };
}

export function inkCount(b: Bitmap): number {
  let n = 0;
  for (const v of b.bits) n += v;
  return n;
}

let fonts: FontSet | null = null;
function fontSet(): FontSet {
  fonts ??= documentFonts();
  return fonts;
}

type Edge = [number, number, number, number];

/** The glyph outline as line segments in bitmap pixels (y down), curves flattened. */
function outline(font: Font, cp: number, x0: number, baseline: number, scale: number): Edge[] {
  const edges: Edge[] = [];
  const tx = (x: number): number => x0 + x * scale;
  const ty = (y: number): number => baseline - y * scale;
  let sx = 0;
  let sy = 0;
  let cx = 0;
  let cy = 0;
  const to = (x: number, y: number): void => {
    edges.push([cx, cy, x, y]);
    cx = x;
    cy = y;
  };
  for (const c of font.glyphForCodePoint(cp).path.commands) {
    const a = c.args;
    if (c.command === 'moveTo') {
      if (cx !== sx || cy !== sy) to(sx, sy);
      sx = cx = tx(a[0]!);
      sy = cy = ty(a[1]!);
    } else if (c.command === 'lineTo') {
      to(tx(a[0]!), ty(a[1]!));
    } else if (c.command === 'quadraticCurveTo') {
      const [px, py, ex, ey] = [cx, cy, tx(a[2]!), ty(a[3]!)];
      const [qx, qy] = [tx(a[0]!), ty(a[1]!)];
      for (let i = 1; i <= 8; i++) {
        const t = i / 8;
        const u = 1 - t;
        to(u * u * px + 2 * u * t * qx + t * t * ex, u * u * py + 2 * u * t * qy + t * t * ey);
      }
    } else if (c.command === 'bezierCurveTo') {
      const [px, py] = [cx, cy];
      const [q1x, q1y, q2x, q2y, ex, ey] = [tx(a[0]!), ty(a[1]!), tx(a[2]!), ty(a[3]!), tx(a[4]!), ty(a[5]!)];
      for (let i = 1; i <= 10; i++) {
        const t = i / 10;
        const u = 1 - t;
        to(
          u * u * u * px + 3 * u * u * t * q1x + 3 * u * t * t * q2x + t * t * t * ex,
          u * u * u * py + 3 * u * u * t * q1y + 3 * u * t * t * q2y + t * t * t * ey,
        );
      }
    } else if (cx !== sx || cy !== sy) {
      to(sx, sy);
    }
  }
  if (cx !== sx || cy !== sy) to(sx, sy);
  return edges;
}

/** Non-zero winding fill, sampled at pixel centres. */
function fill(bm: Bitmap, edges: Edge[]): void {
  for (let y = 0; y < bm.height; y++) {
    const sy = y + 0.5;
    const xs: { x: number; w: number }[] = [];
    for (const [x1, y1, x2, y2] of edges) {
      if (y1 === y2) continue;
      const up = y2 < y1;
      const lo = up ? y2 : y1;
      const hi = up ? y1 : y2;
      if (sy < lo || sy >= hi) continue;
      xs.push({ x: x1 + ((sy - y1) * (x2 - x1)) / (y2 - y1), w: up ? 1 : -1 });
    }
    xs.sort((p, q) => p.x - q.x);
    let wind = 0;
    for (let i = 0; i < xs.length - 1; i++) {
      wind += xs[i]!.w;
      if (wind === 0) continue;
      const from = Math.max(0, Math.ceil(xs[i]!.x - 0.5));
      const to = Math.min(bm.width - 1, Math.floor(xs[i + 1]!.x - 0.5));
      for (let x = from; x <= to; x++) bm.bits[y * bm.width + x] = 1;
    }
  }
}

/**
 * One printed line as a bitmap `cols` columns wide, the text aligned as the printer would align
 * it. Each character gets its columns (ASCII 1, others 2) times `widthMul`; the height is 24
 * dots times `heightMul`. Throws MissingGlyphError when no font has a character (never a box).
 */
export function renderLine(text: string, cols: number, opts: { align?: Align; widthMul?: number; heightMul?: number } = {}): Bitmap {
  const wm = opts.widthMul ?? 1;
  const hm = opts.heightMul ?? 1;
  const bm = blankBitmap(cols * DOTS_PER_COLUMN, DOTS_PER_LINE * hm);
  const used = displayWidth(text) * wm;
  const align = opts.align ?? 'left';
  let col = align === 'center' ? Math.floor((cols - used) / 2) : align === 'right' ? cols - used : 0;
  col = Math.max(0, col);
  const edges: Edge[] = [];
  for (const run of fontSet().runs(text)) {
    const font = run.face.font;
    // The em fills the line's height; ascent/descent decide where the baseline sits.
    const size = bm.height;
    const scale = size / font.unitsPerEm;
    const baseline = (font.ascent / (font.ascent - font.descent)) * bm.height;
    for (const ch of run.text) {
      const cw = displayWidth(ch) * wm;
      const cellX = col * DOTS_PER_COLUMN;
      const cp = ch.codePointAt(0)!;
      if (cp > 0x20) {
        const g = font.glyphForCodePoint(cp);
        // Squeeze horizontally to the cell (an ASCII glyph is half an em wide on the printer).
        const cellW = cw * DOTS_PER_COLUMN;
        const sx = Math.min(scale, cellW / Math.max(1, g.advanceWidth));
        const ox = cellX + (cellW - g.advanceWidth * sx) / 2;
        for (const e of outline(font, cp, 0, baseline, scale)) {
          edges.push([ox + e[0] * (sx / scale), e[1], ox + e[2] * (sx / scale), e[3]]);
        }
      }
      col += cw;
    }
  }
  fill(bm, edges);
  return bm;
}

/** The bitmap as RGBA pixels (black ink on white), the form node-thermal-printer's image printing takes. */
export function toRgba(b: Bitmap): Buffer {
  const out = Buffer.alloc(b.width * b.height * 4, 0xff);
  for (let i = 0; i < b.bits.length; i++) {
    if (b.bits[i]) out.fill(0, i * 4, i * 4 + 3);
  }
  return out;
}
