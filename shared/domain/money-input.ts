import { parseYuanInput } from './money';

/**
 * Parses an amount typed in yuan ("500", "300.5", "1,000.00", full-width digits) into integer fen
 * without floating point. Returns null for anything parseYuanInput refuses (use that function to
 * show the clerk why).
 */
export function parseYuanToFen(input: string): number | null {
  const r = parseYuanInput(input);
  return r.ok ? r.fen : null;
}
