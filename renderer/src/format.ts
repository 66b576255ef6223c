import { formatYuan } from '../../shared/domain/money';

/** "¥1,234.50" for amounts on screen. */
export const yuan = (fen: number) => `¥${formatYuan(fen)}`;

/** A tier as the clerk names it: "300元". */
export const tierName = (fen: number) => `${fen % 100 === 0 ? String(fen / 100) : formatYuan(fen)}元`;

/** Instants are stored in UTC; the counter shows them in the hall's time zone. */
export function hallDateTime(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString('zh-CN', {
    timeZone,
    hour12: false,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}
