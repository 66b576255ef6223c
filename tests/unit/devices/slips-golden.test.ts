// The switch to node-thermal-printer must not change what the paper shows. slips-before-library.json
// holds the decoded output of the hand-written ESC/POS builder (commit 705c61e) for the cases in
// golden/cases.ts: every line's text, alignment, bold, size and columns, the QR payloads and the cut.
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeEscPos, type DecodedItem } from '../../../electron/devices/printer/decoder';
import * as slips from '../../../electron/devices/printer/slips';
import { inkCount, renderLine } from '../../../electron/devices/printer/raster';
import { goldenCases } from './golden/cases';

const golden = JSON.parse(fs.readFileSync(path.join(__dirname, 'golden', 'slips-before-library.json'), 'utf8')) as Record<
  string,
  { items: DecodedItem[]; problems: string[] }
>;

const withoutOffsets = (items: DecodedItem[]): unknown[] => items.map((it) => (it.type === 'cut' ? { type: 'cut', partial: it.partial } : it));

describe.each(goldenCases.map((c) => [c.name, c] as const))('%s', (name, c) => {
  const before = golden[name]!;

  it('prints the same lines, sizes, columns, QR and cut on a GB18030 printer', () => {
    const d = decodeEscPos(c.build({ ...slips, ...withFont(slips, 'gb18030') }));
    expect(d.problems).toEqual(before.problems);
    expect(withoutOffsets(d.items)).toEqual(withoutOffsets(before.items));
  });

  it('on a GBK printer differs only where a character is outside GBK, which comes as a raster of the same line', () => {
    const cols = name.endsWith('-58') ? 32 : 48;
    const after = decodeEscPos(c.build(slips)).items.filter((it) => it.type !== 'cut');
    const old = before.items.filter((it) => it.type !== 'cut');
    expect(after).toHaveLength(old.length);
    old.forEach((o, i) => {
      const a = after[i]!;
      if (o.type === 'line' && [...o.text].some((ch) => Buffer.from(ch).length > 1 && !isGbk(ch))) {
        expect(a.type).toBe('raster');
        if (a.type === 'raster') {
          const expected = renderLine(o.text, cols, { align: o.align, widthMul: o.widthMul, heightMul: o.heightMul });
          expect(inkCount(expected)).toBeGreaterThan(50);
          expect(a.bitmap.width).toBe(cols * 12);
          expect(Buffer.from(a.bitmap.bits).equals(Buffer.from(expected.bits))).toBe(true);
        }
      } else {
        expect(a).toEqual(o);
      }
    });
    expect(decodeEscPos(c.build(slips)).cuts).toBe(1);
  });
});

function isGbk(ch: string): boolean {
  return iconv.encode(ch, 'gb18030').length === 2;
}

/** The slips module with every call printing for a printer with the given font. */
function withFont(m: typeof slips, font: 'gbk' | 'gb18030'): Pick<typeof slips, 'paymentSlip' | 'exchangeRecord' | 'daySummary'> {
  return {
    paymentSlip: (d, o) => m.paymentSlip(d, { ...o, printerFont: font }),
    exchangeRecord: (d, o) => m.exchangeRecord(d, { ...o, printerFont: font }),
    daySummary: (d, o) => m.daySummary(d, { ...o, printerFont: font }),
  };
}
