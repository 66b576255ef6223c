/**
 * The services' only source of time. Tests and rehearsals start it at a fixed instant
 * (--clock) so that demo data and policy decisions are reproducible; it still ticks.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedStartClock(start: Date): Clock {
  const offset = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

// Civil dates and ages come from the one time module (shared/domain/time.ts).
export { ageOn, hallDate as civilDate } from '../../shared/domain/time';

/** The UTC instant at which a civil date (YYYY-MM-DD) begins in a time zone. */
export function startOfCivilDate(date: string, timeZone: string): Date {
  const guess = new Date(`${date}T00:00:00Z`);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(guess)
      .map((p) => [p.type, p.value]),
  );
  const asZoned = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return new Date(guess.getTime() - (asZoned - guess.getTime()));
}
