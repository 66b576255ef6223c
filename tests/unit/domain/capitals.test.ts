import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountInCapitals } from '../../../shared/domain/capitals';

describe('amountInCapitals', () => {
  it.each([
    [0, '零元整'],
    [1, '壹分'],
    [10, '壹角'],
    [55, '伍角伍分'],
    [100, '壹元整'],
    [105, '壹元零伍分'],
    [150, '壹元伍角'],
    [1000, '壹拾元整'],
    [1500, '壹拾伍元整'],
    [1005, '壹拾元零伍分'],
    [30000, '叁佰元整'],
    [105050, '壹仟零伍拾元伍角'],
    [105005, '壹仟零伍拾元零伍分'],
    [140950, '壹仟肆佰零玖元伍角'],
    [168032, '壹仟陆佰捌拾元叁角贰分'],
    [32504, '叁佰贰拾伍元零肆分'],
    [600714, '陆仟零柒元壹角肆分'],
    [10000000, '壹拾万元整'],
    [10700053, '壹拾万零柒仟元伍角叁分'],
    [100000100, '壹佰万零壹元整'],
    [1000000000, '壹仟万元整'],
    [10000000000, '壹亿元整'],
    [10000000100, '壹亿零壹元整'],
    [10001000000, '壹亿零壹万元整'],
    [100000000000, '壹拾亿元整'],
    [123456789012, '壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分'],
    [10000000000000000 / 100, '壹万亿元整'],
    [100000001000000, '壹万亿零壹万元整'],
  ])('%d fen → %s', (fen, text) => {
    expect(amountInCapitals(fen)).toBe(text);
  });

  it('refuses amounts that are not whole, non-negative fen', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(() => amountInCapitals(bad)).toThrow(RangeError);
    }
  });

  /** An independent reading of capitals back to fen: if it round-trips, no digit or unit was lost. */
  function parseCapitals(text: string): number {
    const digits = '零壹贰叁肆伍陆柒捌玖';
    const small: Record<string, number> = { 拾: 10, 佰: 100, 仟: 1000 };
    let [yuanPart, fracPart] = text.includes('元') ? text.split('元') : ['', text];
    yuanPart ??= '';
    fracPart = (fracPart ?? '').replace('整', '');
    let total = 0;
    let section = 0;
    let digit = 0;
    for (const ch of yuanPart) {
      const d = digits.indexOf(ch);
      if (d >= 0) digit = d;
      else if (ch in small) {
        section += digit * small[ch]!;
        digit = 0;
      } else if (ch === '万') {
        section = (section + digit) * 10000;
        // 万 after 亿 belongs to the section being built; 万亿 multiplies what is already total.
        total += section;
        section = 0;
        digit = 0;
      } else if (ch === '亿') {
        total = (total + section + digit) * 100000000;
        section = 0;
        digit = 0;
      }
    }
    const yuan = total + section + digit;
    const jiao = /(.)角/.exec(fracPart)?.[1];
    const fen = /(.)分/.exec(fracPart)?.[1];
    return yuan * 100 + (jiao ? digits.indexOf(jiao) * 10 : 0) + (fen ? digits.indexOf(fen) : 0);
  }

  it('round-trips every amount and follows the zero and 整 rules', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 999_999_999_999_99 })), (fen) => {
        const text = amountInCapitals(fen);
        expect(parseCapitals(text)).toBe(fen);
        expect(text).toMatch(/^[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+$/);
        expect(text).not.toContain('零零');
        if (fen > 0) expect(text).not.toMatch(/零[元万亿整]/);
        if (fen >= 100) expect(text.startsWith('零')).toBe(false);
        expect(text.endsWith('整')).toBe(fen % 100 === 0);
      }),
      { numRuns: 3000 },
    );
  });
});
