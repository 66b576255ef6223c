// How much of a thermal printer's line a string takes (domain notes §8).

export type Align = 'left' | 'center' | 'right';

/** Columns a string takes on the printer: ASCII 1, everything else (Chinese, ￥) 2. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.codePointAt(0)! < 0x80 ? 1 : 2;
  return w;
}
