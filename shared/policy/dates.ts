// Civil-date arithmetic on 'YYYY-MM-DD' strings. Dates go through UTC midnight only to count
// days, so the host's time zone can never shift them; nothing here reads the clock.

const DAY_MS = 86_400_000;

function toUtcMs(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
}

export function addDays(iso: string, days: number): string {
  return new Date(toUtcMs(iso) + days * DAY_MS).toISOString().slice(0, 10);
}

export function yearOf(iso: string): number {
  return Number(iso.slice(0, 4));
}

/**
 * Completed years of age on `date`. The age goes up on the birthday; someone born on 29 February
 * is taken to have the birthday on 1 March in other years (the day after 28 February), so that
 * nobody reaches an age limit a day early.
 */
export function ageOn(birthDate: string, date: string): number {
  const age = yearOf(date) - yearOf(birthDate);
  return date.slice(5) >= birthDate.slice(5) ? age : age - 1;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The date on which someone born on `birthDate` reaches `age` (see ageOn for 29 February). */
export function dateOfAge(birthDate: string, age: number): string {
  const year = String(yearOf(birthDate) + age).padStart(4, '0');
  const monthDay = birthDate.slice(5);
  return monthDay === '02-29' && !isLeapYear(Number(year)) ? `${year}-03-01` : `${year}-${monthDay}`;
}
