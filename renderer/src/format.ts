// Screen formatting from the one money and time modules in shared/.
import { formatYuanSigned, tierName as tierNameOf } from '../../shared/domain/money';
import { hallTime } from '../../shared/domain/time';

/** "¥1,234.50" for amounts on screen. */
export const yuan = (fen: number) => formatYuanSigned(fen);

/** A tier as the clerk names it: "300元". */
export const tierName = (fen: number) => tierNameOf(fen);

/** Instants are stored in UTC; the counter shows them in the hall's time zone (YYYY-MM-DD HH:mm). */
export function hallDateTime(iso: string, timeZone: string): string {
  return hallTime(iso, timeZone);
}
