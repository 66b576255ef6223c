// The one time module: civil dates ('YYYY-MM-DD', no zone) and instants shown in the hall's time
// zone. Screen, slips, receipts, summaries and services format time through these functions only.
// Nothing here reads the clock: callers pass the instant (from the services' Clock).
export { addDays, ageOn, dateOfAge, yearOf } from '../policy/dates';

// Building an Intl formatter costs far more than using one: one per zone, kept.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const timeFormats = new Map<string, Intl.DateTimeFormat>();

function toDate(at: Date | string): Date {
  const d = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) throw new Error(`invalid instant: ${String(at)}`);
  return d;
}

// The last date asked for in each zone, by minute: every counter call asks for today, and a civil
// date cannot change within a minute (the offsets zones use today are whole minutes).
const lastDates = new Map<string, { minute: number; date: string }>();

/** The civil date (YYYY-MM-DD) of an instant in the hall's time zone (e.g. Asia/Shanghai). */
export function hallDate(at: Date | string, timeZone: string): string {
  const d = toDate(at);
  const minute = Math.floor(d.getTime() / 60_000);
  const last = lastDates.get(timeZone);
  if (last !== undefined && last.minute === minute) return last.date;
  let f = dateFormats.get(timeZone);
  if (!f) {
    // en-CA formats as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, f);
  }
  const date = f.format(d);
  lastDates.set(timeZone, { minute, date });
  return date;
}

function clockParts(at: Date | string, timeZone: string): { hour: string; minute: string; second: string } {
  let f = timeFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    timeFormats.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(toDate(at)).map((p) => [p.type, p.value]));
  return { hour: parts.hour ?? '00', minute: parts.minute ?? '00', second: parts.second ?? '00' };
}

/** 'YYYY-MM-DD HH:mm' in the hall's time zone: what the screen shows for an instant. */
export function hallTime(at: Date | string, timeZone: string): string {
  const t = clockParts(at, timeZone);
  return `${hallDate(at, timeZone)} ${t.hour}:${t.minute}`;
}

/** 'YYYY-MM-DD HH:mm:ss' in the hall's time zone: slips and printed documents. */
export function hallTimeSeconds(at: Date | string, timeZone: string): string {
  const t = clockParts(at, timeZone);
  return `${hallDate(at, timeZone)} ${t.hour}:${t.minute}:${t.second}`;
}

/** 2026-06-15 → 2026年06月15日 (填发日期, 业务日期 on documents). */
export function chineseDate(civil: string): string {
  const [y, m, d] = civil.split('-');
  return `${y}年${m}月${d}日`;
}

/** A well-formed civil date that exists in the calendar. */
export function isCivilDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
