// The one money module. Money is integer fen everywhere; yuan strings exist only on screen and
// paper (formatYuan and friends) and in what a clerk types (parseYuanInput).

/** Integer fen as yuan with two decimals and thousands separators: 123456 -> "1,234.56". */
export function formatYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new Error(`amount must be an integer number of fen, got ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

/** With the currency sign, for the screen and slips: 123456 -> "¥1,234.56". */
export function formatYuanSigned(fen: number): string {
  const s = formatYuan(fen);
  return s.startsWith('-') ? `-¥${s.slice(1)}` : `¥${s}`;
}

/** A tier as the clerk names it: "300元" (or "300.50元" for a tier that is not whole yuan). */
export function tierName(tierFen: number): string {
  return `${tierFen % 100 === 0 ? String(tierFen / 100) : formatYuan(tierFen)}元`;
}

/** A tier as printed in tables: "300元档". */
export function tierLabel(tierFen: number): string {
  return `${tierName(tierFen)}档`;
}

/** Full-width digits, point, comma and yen sign (typed with a Chinese IME) to their ASCII forms. */
export function toHalfWidth(input: string): string {
  return input
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, '.')
    .replace(/，/g, ',')
    .replace(/\u3000/g, ' ')
    .replace(/[￥]/g, '¥');
}

export type YuanInput = { ok: true; fen: number } | { ok: false; message: string };

/** Largest amount a clerk can type: 1,000,000 yuan (the API's own limits are lower per field). */
const MAX_YUAN_DIGITS = 9;

/**
 * An amount typed in yuan into integer fen, without floating point. Accepts "500", "300.5",
 * "１００" (full-width), "¥1,000.50" (thousands grouped in threes); refuses with a message the
 * clerk can act on: "100,50" (a decimal comma, which must never become 10050 yuan), "1,00",
 * more than two decimals, negative or non-numeric input.
 */
export function parseYuanInput(input: string): YuanInput {
  const s = toHalfWidth(input).trim().replace(/^¥\s*/, '').replace(/\s+/g, '');
  if (s === '') return { ok: false, message: '请输入金额' };
  if (s.startsWith('-')) return { ok: false, message: '金额不能为负数' };
  if (s.includes(',')) {
    // Thousands separators only where they belong: 1,000 / 12,345.60. "100,50" is refused.
    if (!/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(s)) {
      return { ok: false, message: '金额格式有误：小数点请用“.”，如 100.50；千位分隔只能每三位一个逗号' };
    }
  }
  const plain = s.replace(/,/g, '');
  const m = /^(\d+)(?:\.(\d*))?$/.exec(plain);
  if (!m) return { ok: false, message: '金额只能包含数字和小数点，如 100 或 100.50' };
  if ((m[2] ?? '').length > 2) return { ok: false, message: '金额最多两位小数（角、分）' };
  const whole = m[1]!.replace(/^0+(?=\d)/, '');
  if (whole.length > MAX_YUAN_DIGITS) return { ok: false, message: '金额过大，请核对' };
  const fen = Number(whole) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(fen)) return { ok: false, message: '金额过大，请核对' };
  return { ok: true, fen };
}
