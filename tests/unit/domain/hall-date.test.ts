// hallDate remembers the last answer per zone for the rest of the minute (issue 18: every counter
// call asks for today). The remembered answer must never outlive the hall's midnight or leak
// into another zone.
import { describe, expect, it } from 'vitest';
import { hallDate } from '../../../shared/domain/time';

describe('hallDate', () => {
  it("turns over at the hall's midnight, asked again and again across it", () => {
    const before = new Date('2026-06-15T15:59:59.999Z'); // 23:59:59.999 in Shanghai
    const after = new Date('2026-06-15T16:00:00.000Z'); // 00:00 the next day
    for (let i = 0; i < 3; i++) {
      expect(hallDate(before, 'Asia/Shanghai')).toBe('2026-06-15');
      expect(hallDate(after, 'Asia/Shanghai')).toBe('2026-06-16');
      expect(hallDate(new Date(before.getTime() - 30_000), 'Asia/Shanghai')).toBe('2026-06-15');
      // A half-hour zone: midnight is not on the hour.
      expect(hallDate('2026-06-15T18:29:59Z', 'Asia/Kolkata')).toBe('2026-06-15');
      expect(hallDate('2026-06-15T18:30:00Z', 'Asia/Kolkata')).toBe('2026-06-16');
    }
  });

  it('answers each zone for itself within the same minute', () => {
    const at = new Date('2026-06-15T20:30:10Z');
    expect(hallDate(at, 'Asia/Shanghai')).toBe('2026-06-16');
    expect(hallDate(at, 'UTC')).toBe('2026-06-15');
    expect(hallDate(new Date('2026-06-15T20:30:50Z'), 'Asia/Shanghai')).toBe('2026-06-16');
    expect(hallDate('2026-06-15T20:30:50Z', 'America/Los_Angeles')).toBe('2026-06-15');
  });
});
