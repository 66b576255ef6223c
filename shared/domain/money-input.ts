/**
 * Parses an amount typed in yuan ("500", "300.5", "1,000.00") into integer fen without floating
 * point. Returns null for anything that is not a plain non-negative amount with at most two
 * decimals.
 */
export function parseYuanToFen(input: string): number | null {
  const s = input
    .trim()
    .replace(/[,，\s]/g, '')
    .replace(/^[¥￥]/, '');
  const m = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(s);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : null;
}
