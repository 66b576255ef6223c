import { describe, expect, it } from 'vitest';
import { anniversary, civilOf, DayFormatter, dayNumber, firstOfNextMonth, isoDate, parseIsoDate, weekday } from '../../../electron/services/demo/civil';

const DAY_MS = 86_400_000;

describe('demo civil dates', () => {
  it('agrees with the JavaScript UTC calendar from 1900 to 2100', () => {
    for (let day = dayNumber(1900, 1, 1); day <= dayNumber(2100, 12, 31); day += 7) {
      const d = new Date(day * DAY_MS);
      expect(civilOf(day)).toEqual({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
      expect(isoDate(day)).toBe(d.toISOString().slice(0, 10));
      expect(weekday(day)).toBe(d.getUTCDay());
      expect(parseIsoDate(isoDate(day))).toBe(day);
    }
  });

  it('rolls 29 February anniversaries to 1 March and months over the year end', () => {
    expect(isoDate(anniversary(parseIsoDate('2008-02-29'), 1))).toBe('2009-03-01');
    expect(isoDate(anniversary(parseIsoDate('2008-02-29'), 4))).toBe('2012-02-29');
    expect(isoDate(firstOfNextMonth(parseIsoDate('2025-12-31')))).toBe('2026-01-01');
    expect(isoDate(firstOfNextMonth(parseIsoDate('2024-02-10')))).toBe('2024-03-01');
  });

  it('turns a hall-local time into the UTC instant eight hours earlier', () => {
    const f = new DayFormatter(dayNumber(2020, 1, 1), dayNumber(2027, 1, 1));
    expect(f.utcInstant(parseIsoDate('2025-06-15'), 9 * 3600 + 5 * 60 + 7, 8)).toBe('2025-06-15T01:05:07.000Z');
    expect(f.utcInstant(parseIsoDate('2025-06-15'), 7 * 3600, 8)).toBe('2025-06-14T23:00:00.000Z');
    expect(f.compactDate(parseIsoDate('2025-06-05'))).toBe('20250605');
  });
});
