// Integer day numbers for civil dates (days since 1970-01-01). The generator handles tens of
// millions of dates for a large county; plain integer arithmetic keeps that cheap and can never
// be shifted by the host's time zone.

const P2: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/** Day number of a proleptic Gregorian date; day or month overflow rolls forward (29 Feb → 1 Mar). */
export function dayNumber(year: number, month: number, day: number): number {
  // Counting years from March puts the leap day at the end of the year, so month lengths
  // follow a fixed 153-days-per-5-months pattern.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export interface Civil {
  year: number;
  month: number;
  day: number;
}

export function civilOf(dayNum: number): Civil {
  const z = dayNum + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function parseIsoDate(iso: string): number {
  return dayNumber(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
}

export function isoDate(dayNum: number): string {
  const c = civilOf(dayNum);
  return `${c.year}-${P2[c.month]}-${P2[c.day]}`;
}

/** 'YYYYMMDD', as inside ID numbers and voucher numbers. */
export function compactDate(dayNum: number): string {
  const c = civilOf(dayNum);
  return `${c.year}${P2[c.month]}${P2[c.day]}`;
}

export function yearOfDay(dayNum: number): number {
  return civilOf(dayNum).year;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(dayNum: number): number {
  return (((dayNum + 4) % 7) + 7) % 7;
}

/** The day someone born on `birth` reaches `years` of age (29 February birthdays fall on 1 March). */
export function anniversary(birth: number, years: number): number {
  const c = civilOf(birth);
  return dayNumber(c.year + years, c.month, c.day);
}

/** The first day of the month after the one containing `dayNum`. */
export function firstOfNextMonth(dayNum: number): number {
  const c = civilOf(dayNum);
  return c.month === 12 ? dayNumber(c.year + 1, 1, 1) : dayNumber(c.year, c.month + 1, 1);
}

/**
 * Memoised date strings for a fixed span of days. A large county formats the same few
 * thousand payment days millions of times; each day is formatted once here.
 */
export class DayFormatter {
  private readonly iso: (string | undefined)[];
  private readonly compact: (string | undefined)[];

  constructor(
    private readonly first: number,
    last: number,
  ) {
    this.iso = new Array<string | undefined>(last - first + 1);
    this.compact = new Array<string | undefined>(last - first + 1);
  }

  isoDate(dayNum: number): string {
    const i = dayNum - this.first;
    return this.iso[i] ?? (this.iso[i] = isoDate(dayNum));
  }

  compactDate(dayNum: number): string {
    const i = dayNum - this.first;
    return this.compact[i] ?? (this.compact[i] = compactDate(dayNum));
  }

  /** UTC ISO instant for a civil day and second-of-day in a zone `offsetHours` east of UTC. */
  utcInstant(dayNum: number, localSecond: number, offsetHours: number): string {
    let second = localSecond - offsetHours * 3600;
    let day = dayNum;
    if (second < 0) {
      second += 86400;
      day--;
    } else if (second >= 86400) {
      second -= 86400;
      day++;
    }
    const hh = Math.floor(second / 3600);
    const mm = Math.floor((second % 3600) / 60);
    return `${this.isoDate(day)}T${P2[hh]}:${P2[mm]}:${P2[second % 60]}.000Z`;
  }
}
