// The demo county: a deterministic, streaming generator of synthetic payers with their payment
// history. It feeds training mode, the reference upstream and the benchmarks, so it must be
// reproducible from a seed, realistic enough to exercise every screen, and cheap enough to
// stream a million payers in seconds. Nothing here is a real person's data.
import { idCheckChar } from '../../../shared/domain/id-number';
import { IsoDate, type Channel, type Gender, type RegistrationStatus, type SpecialGroupCode } from '../../../shared/domain/payer';
import { anniversary, civilOf, DayFormatter, dayNumber, firstOfNextMonth, parseIsoDate, weekday, yearOfDay } from './civil';
import { drawName } from './names';
import { AddressBook, buildCountyMap } from './places';
import { mix32, Rng, Weighted } from './rng';

export { countyPlaces } from './places';

export interface DemoCountyOptions {
  /** Same seed and options give an identical county. Any safe integer. */
  seed: number;
  /** Payers to generate; the first ones are the demo cards (see demoCardCases). */
  payers: number;
  /** 'YYYY-MM-DD', the civil date "today" in the hall; history ends the day before it. 2020–2099. */
  asOf: string;
  /** 6-digit county code that starts every ID number. */
  regionCode?: string;
  countyName?: string;
  /** The region's tier amounts in fen; lower tiers are drawn far more often. */
  tiersFen: readonly number[];
}

export interface DemoSpecialGroup {
  code: SpecialGroupCode;
  from: string;
  to: string | null;
}

export interface DemoPayment {
  year: number;
  tierFen: number;
  amountFen: number;
  channel: Channel;
  /** POS reference number, app voucher number or bank counter slip number; null at the tax hall. */
  channelRef: string | null;
  /** UTC ISO instant. */
  paidAt: string;
}

export interface DemoPayer {
  idNumber: string;
  name: string;
  gender: Gender;
  birthDate: string;
  /** GB 3304 nationality code ('01' 汉), for the ID-card simulator. */
  nationCode: string;
  town: string;
  village: string;
  address: string;
  registrationDate: string;
  status: RegistrationStatus;
  /** When the status took effect: the registration date while active, else the change date. */
  statusSince: string;
  inEmployeeScheme: boolean;
  specialGroups: DemoSpecialGroup[];
  /** At most one per year, in ascending year order. */
  payments: DemoPayment[];
}

export const DEFAULT_TRAINING_PAYERS = 120_000;
// Not an assigned county code: synthetic ID numbers can never be a real person's.
export const DEFAULT_REGION_CODE = '529901';
export const DEFAULT_COUNTY_NAME = '示范县';

/** The unified residents' scheme, and with it the registry's history, starts in 2014. */
const SCHEME_START_YEAR = 2014;
/** China has one zone and no daylight saving. */
const HALL_UTC_OFFSET_HOURS = 8;
/** A new registrant may pay only after this many days (domain notes §1). */
const REGISTRATION_WAIT_DAYS = 7;
/** Share of the current year already paid: the collection season is under way. */
const CURRENT_YEAR_PAID = 0.4;
const RECENT_REGISTRATION_SHARE = 0.002;
/** Among those under 60; about 1 % of the whole registry. */
const EMPLOYEE_SCHEME_SHARE = 0.014;
const OTHER_SUSPENDED_SHARE = 0.03;
const TERMINATED_SHARE = 0.015;
const SPECIAL_GROUP_SHARE = 0.06;
/** Sequence numbers per birth date and sex: odd 001–997 for men, even 002–998 for women. */
const SEQ_PER_DAY = 499;

// Registry age profile on asOf: working-age villagers thin out among the young (students are
// excluded, many work elsewhere in the employees' scheme); pensioners stay on the books.
function ageWeight(age: number): number {
  if (age < 20) return 0.6;
  if (age < 30) return 0.7;
  if (age < 40) return 0.9;
  if (age < 50) return 1.1;
  if (age < 60) return 1.3;
  if (age < 65) return 1.1;
  if (age < 70) return 0.9;
  if (age < 76) return 0.6;
  if (age < 86) return 0.15;
  return 0.03;
}
const AGES = new Weighted(Array.from({ length: 80 }, (_, i) => [i + 16, ageWeight(i + 16)] as const));

/** How reliably someone pays a past year: most every year, some with gaps to back-pay. */
const PROPENSITY = new Weighted([
  [0.97, 72],
  [0.75, 20],
  [0.35, 8],
] as const);

// The county lies in the south-west: mostly Han, with Miao, Buyei, Dong, Gelao, Shui, Tujia.
const NATIONS = new Weighted([
  ['01', 80],
  ['06', 8],
  ['09', 6],
  ['12', 2],
  ['37', 2],
  ['25', 1],
  ['15', 1],
] as const);

const SPECIAL_GROUPS = new Weighted<SpecialGroupCode>([
  ['dibao', 35],
  ['poverty_registered', 25],
  ['severe_disability', 18],
  ['monitored', 12],
  ['tekun', 10],
]);

// Payment season (domain notes §4): 20 % by 10 June, 50 % by 20 June, 95 % by 30 June,
// the rest scattered through to the year end. [from month, day, to month, day, share].
const SEASON: readonly (readonly [number, number, number, number, number])[] = [
  [1, 1, 5, 31, 0.15],
  [6, 1, 6, 10, 0.05],
  [6, 11, 6, 20, 0.3],
  [6, 21, 6, 30, 0.45],
  [7, 1, 11, 30, 0.04],
  [12, 1, 12, 31, 0.01],
];

/** Local opening hours per channel, seconds of the day [from, to). */
const HOURS: Record<Channel, readonly [number, number]> = {
  counter: [9 * 3600, 17 * 3600],
  bank_counter: [8.5 * 3600, 17 * 3600],
  bank_pos: [8 * 3600, 20 * 3600],
  mobile_app: [6.5 * 3600, 23.5 * 3600],
};

// Bank counter slips start with the bank's clearing code: rural areas bank with the
// Agricultural Bank, the Postal Savings Bank and the rural credit union.
const BANKS = new Weighted([
  ['103', 3],
  ['403', 3],
  ['402', 4],
  ['102', 1],
  ['105', 1],
  ['104', 0.5],
] as const);

const P3: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** Stable names of the fixed payers at the head of every stream, in stream order. */
export const demoCardCases = [
  'normal', // current year unpaid, no gaps
  'new_registration', // registered 3 days before asOf: still inside the 7-day wait
  'turning_60', // turns 60 in asOf's year, current year unpaid
  'back_pay', // three earlier years unpaid
  'paid_this_year', // current year paid by bank POS (a slip to exchange)
  'dibao', // 低保 since 2019, lowest tier
  'rare_name', // name with 𠮷, outside the BMP
  'receiving', // drawing the pension since turning 60 six years ago
  'employee_scheme', // moved into the employees' scheme two years ago: suspended
] as const;
export type DemoCardCase = (typeof demoCardCases)[number];

export interface DemoCard {
  case: DemoCardCase;
  /** Position in the generateCounty stream. */
  index: number;
  payer: DemoPayer;
}

interface ResolvedOptions {
  seed: number;
  asOf: number;
  year: number;
  region: string;
  countyName: string;
  tiers: readonly number[];
}

function resolve(opts: DemoCountyOptions): ResolvedOptions {
  if (!Number.isSafeInteger(opts.seed)) throw new Error('seed must be a safe integer');
  if (!Number.isSafeInteger(opts.payers) || opts.payers < 0) throw new Error('payers must be a non-negative integer');
  if (!IsoDate.safeParse(opts.asOf).success) throw new Error(`asOf is not a valid date: ${opts.asOf}`);
  const year = Number(opts.asOf.slice(0, 4));
  // The demo cards need several years of history behind them.
  if (year < 2020 || year > 2099) throw new Error('asOf must lie in 2020–2099');
  const region = opts.regionCode ?? DEFAULT_REGION_CODE;
  if (!/^[1-9]\d{5}$/.test(region)) throw new Error('regionCode must be 6 digits');
  const countyName = opts.countyName ?? DEFAULT_COUNTY_NAME;
  if (countyName.length === 0) throw new Error('countyName must not be empty');
  const tiers = [...new Set(opts.tiersFen)].sort((a, b) => a - b);
  if (tiers.length === 0 || tiers.some((t) => !Number.isSafeInteger(t) || t <= 0)) {
    throw new Error('tiersFen must hold positive integer amounts in fen');
  }
  return { seed: opts.seed, asOf: parseIsoDate(opts.asOf), year, region, countyName, tiers };
}

interface CardSpec {
  name: string;
  gender: Gender;
  birth: number;
  registration: number;
  lastYear: number;
  tier: number;
  status?: RegistrationStatus;
  since?: number;
  employee?: boolean;
  nation?: string;
  groups?: DemoSpecialGroup[];
  unpaid?: readonly number[];
  /** Channel of the current-year payment. */
  currentChannel?: Channel;
}

class CountyBuilder {
  private readonly rng: Rng;
  private readonly o: ResolvedOptions;
  private readonly schemeStart: number;
  private readonly addresses: AddressBook;
  private readonly tierTable: Weighted<number>;
  private readonly minBirth: number;
  private readonly seqCounts: Uint16Array;
  private readonly seqKey: number;
  private readonly seqStride: number;
  private readonly refKeys: readonly number[];
  private refSeq = 0;
  private readonly days: DayFormatter;
  /** bornBy[age]: the last birth date of anyone at least `age` years old on asOf. */
  private readonly bornBy: readonly number[];
  // Per year since the scheme start, built on first use.
  private readonly channelTables: (Weighted<Channel> | undefined)[] = [];
  private readonly seasons: (Float64Array | undefined)[] = [];

  constructor(opts: DemoCountyOptions) {
    this.o = resolve(opts);
    this.rng = new Rng(this.o.seed, 0);
    this.schemeStart = dayNumber(SCHEME_START_YEAR, 1, 1);
    this.addresses = new AddressBook(buildCountyMap(this.o.seed), this.o.countyName, new Rng(this.o.seed, 2));
    this.tierTable = new Weighted(this.o.tiers.map((_, i) => [i, 1 / (i + 1) ** 1.5] as const));
    this.minBirth = dayNumber(this.o.year - 120, 1, 1);
    this.seqCounts = new Uint16Array((this.o.asOf - this.minBirth + 1) * 2);
    this.days = new DayFormatter(this.minBirth - 1, this.o.asOf + 1);
    // Counting from the day after asOf keeps a 29 February asOf from letting a 15-year-old in.
    this.bornBy = Array.from({ length: 100 }, (_, age) => anniversary(this.o.asOf + 1, -age) - 1);
    const keys = new Rng(this.o.seed, 3);
    this.seqKey = keys.u32();
    // Any stride below the prime 499 visits every sequence number before repeating one.
    this.seqStride = 1 + keys.int(SEQ_PER_DAY - 1);
    this.refKeys = [keys.u32(), keys.u32(), keys.u32()];
  }

  payerAt(index: number): DemoPayer {
    const card = demoCardCases[index];
    return card === undefined ? this.randomPayer() : this.card(card);
  }

  // ---- random payers -------------------------------------------------------------------

  private randomPayer(): DemoPayer {
    const rng = this.rng;
    const { asOf, year } = this.o;
    const gender: Gender = rng.chance(0.51) ? 'male' : 'female';
    const age = AGES.draw(rng);
    const { idNumber, birth } = this.allocateId(rng.between(this.bornBy[age + 1]! + 1, this.bornBy[age]!), gender);
    const born = civilOf(birth);
    const birth60 = dayNumber(born.year + 60, born.month, born.day);
    const turns60Year = born.year + 60;
    const eligible = Math.max(this.schemeStart, dayNumber(born.year + 16, born.month, born.day));
    const reg = this.registrationDay(eligible, birth60, turns60Year);

    let status: RegistrationStatus = 'active';
    let since = reg;
    let payStop = asOf;
    let employee = false;
    if (turns60Year < year) {
      since = Math.max(firstOfNextMonth(birth60), reg);
      status = 'receiving';
      payStop = since;
      if (since < asOf - 1 && rng.chance(0.08)) {
        status = 'terminated';
        since = rng.between(since + 1, asOf - 1);
      }
    } else if (reg < asOf - 60) {
      const r = rng.next();
      if (r < EMPLOYEE_SCHEME_SHARE) {
        employee = true;
        status = 'suspended';
      } else if (r < EMPLOYEE_SCHEME_SHARE + OTHER_SUSPENDED_SHARE) {
        status = 'suspended';
      } else if (r < EMPLOYEE_SCHEME_SHARE + OTHER_SUSPENDED_SHARE + TERMINATED_SHARE) {
        status = 'terminated';
      }
      if (status !== 'active') {
        since = rng.between(reg + 30, asOf - 1);
        payStop = since;
      }
    }

    const name = drawName(rng, gender, born.year);
    const nationCode = NATIONS.draw(rng);
    const residence = this.addresses.draw(rng);
    const specialGroups = rng.chance(SPECIAL_GROUP_SHARE) ? this.drawGroups(eligible) : [];

    const payments: DemoPayment[] = [];
    const propensity = PROPENSITY.draw(rng);
    let tier = this.tierTable.draw(rng);
    const lastYear = Math.min(year, turns60Year);
    for (let y = yearOfDay(reg); y <= lastYear; y++) {
      const lo = Math.max(dayNumber(y, 1, 1), reg + REGISTRATION_WAIT_DAYS);
      const hi = Math.min(dayNumber(y, 12, 31), asOf - 1, payStop - 1);
      if (lo > hi) continue;
      if (!rng.chance(y === year ? CURRENT_YEAR_PAID : propensity)) continue;
      tier = this.nextTier(tier);
      payments.push(this.payment(y, tier, lo, hi));
    }

    return {
      idNumber,
      name,
      gender,
      birthDate: this.days.isoDate(birth),
      nationCode,
      town: residence.town,
      village: residence.village,
      address: residence.address,
      registrationDate: this.days.isoDate(reg),
      status,
      statusSince: this.days.isoDate(since),
      inEmployeeScheme: employee,
      specialGroups,
      payments,
    };
  }

  private registrationDay(eligible: number, birth60: number, turns60Year: number): number {
    const rng = this.rng;
    const { asOf, year } = this.o;
    const latest = asOf - 11;
    // Turned 16 in the last days: registered as soon as allowed.
    if (eligible > latest) return rng.between(eligible, asOf - 1);
    if (turns60Year >= year && rng.chance(RECENT_REGISTRATION_SHARE)) return rng.between(asOf - 10, asOf - 1);
    // Already 60 when the schemes merged: carried over in the first months.
    if (birth60 <= this.schemeStart) return this.schemeStart + rng.int(90);
    const cap = Math.min(latest, birth60 - 1);
    let reg: number;
    if (eligible === this.schemeStart && rng.chance(0.55)) reg = this.schemeStart + rng.int(120);
    else reg = eligible + Math.floor(-Math.log(1 - rng.next()) * 365 * 2.5);
    return reg > cap ? rng.between(eligible, cap) : reg;
  }

  private drawGroups(eligible: number): DemoSpecialGroup[] {
    const rng = this.rng;
    const codes = new Set<SpecialGroupCode>([SPECIAL_GROUPS.draw(rng)]);
    if (rng.chance(0.15)) codes.add(SPECIAL_GROUPS.draw(rng));
    const lo = Math.max(eligible, this.schemeStart);
    const hi = this.o.asOf - 1;
    const groups: DemoSpecialGroup[] = [];
    const monitoredStart = dayNumber(2021, 1, 1);
    const povertyEnd = dayNumber(2020, 12, 31);
    for (const requested of codes) {
      let code = requested;
      // 建档立卡 ended with 2020 and 监测对象 began in 2021: fall back where the dates do not fit.
      if (code === 'poverty_registered' && lo > povertyEnd - 365) code = 'dibao';
      if (code === 'monitored' && Math.max(lo, monitoredStart) > hi) code = 'dibao';
      if (groups.some((g) => g.code === code)) continue;
      if (code === 'poverty_registered') {
        const from = rng.between(lo, povertyEnd - 365);
        const ended = povertyEnd < hi && rng.chance(0.5);
        groups.push({ code, from: this.days.isoDate(from), to: ended ? this.days.isoDate(povertyEnd) : null });
        // Many lifted out of poverty stay watched for relapse.
        if (ended && monitoredStart <= hi && !codes.has('monitored') && rng.chance(0.4)) {
          groups.push({ code: 'monitored', from: this.days.isoDate(monitoredStart), to: null });
        }
      } else if (code === 'monitored') {
        groups.push({ code, from: this.days.isoDate(rng.between(Math.max(lo, monitoredStart), hi)), to: null });
      } else {
        const from = rng.between(lo, hi);
        const endShare = code === 'dibao' ? 0.35 : code === 'tekun' ? 0.1 : 0;
        const ended = from + 180 <= hi && rng.chance(endShare);
        groups.push({ code, from: this.days.isoDate(from), to: ended ? this.days.isoDate(rng.between(from + 180, hi)) : null });
      }
    }
    return groups;
  }

  private nextTier(tier: number): number {
    // Mostly the same tier as last time; occasional step ups (多缴多补) stay rare enough that
    // they do not pile up on the top tier over a decade of history.
    const r = this.rng.next();
    if (r < 0.92) return tier;
    if (r < 0.96) return Math.min(this.o.tiers.length - 1, tier + 1);
    return this.tierTable.draw(this.rng);
  }

  // ---- ID numbers ----------------------------------------------------------------------

  /**
   * Hands out sequence numbers per birth date and sex in a seeded order, so numbers look
   * scattered yet never repeat. When a day runs out (499 people of one sex born that day),
   * the person moves a day earlier, which keeps everyone at least as old as drawn.
   */
  private allocateId(birthDay: number, gender: Gender): { idNumber: string; birth: number } {
    const male = gender === 'male' ? 1 : 0;
    for (let birth = birthDay; ; birth--) {
      const slot = (birth - this.minBirth) * 2 + male;
      if (slot < 0 || slot >= this.seqCounts.length) throw new Error('birth date outside the generator range');
      const used = this.seqCounts[slot]!;
      if (used >= SEQ_PER_DAY) continue;
      this.seqCounts[slot] = used + 1;
      const start = mix32(this.seqKey ^ Math.imul(slot, 0x9e3779b1)) % SEQ_PER_DAY;
      const k = (start + used * this.seqStride) % SEQ_PER_DAY;
      const seq = male ? 2 * k + 1 : 2 * k + 2;
      const first17 = this.o.region + this.days.compactDate(birth) + String(seq).padStart(3, '0');
      return { idNumber: first17 + idCheckChar(first17), birth };
    }
  }

  // ---- payments ------------------------------------------------------------------------

  /** A payment for `year` on a day in [lo, hi], all inside that year. */
  private payment(year: number, tier: number, lo: number, hi: number, channel?: Channel): DemoPayment {
    const rng = this.rng;
    const ch = channel ?? this.channelTable(year).draw(rng);
    let day = this.seasonalDay(year, lo, hi);
    // The tax hall is closed at weekends; banks and the app are not.
    if (ch === 'counter') {
      const wd = weekday(day);
      if (wd === 6) day = day - 1 >= lo ? day - 1 : day + 2 <= hi ? day + 2 : day;
      else if (wd === 0) day = day + 1 <= hi ? day + 1 : day - 2 >= lo ? day - 2 : day;
    }
    const [open, close] = HOURS[ch];
    const tierFen = this.o.tiers[tier]!;
    return {
      year,
      tierFen,
      amountFen: tierFen,
      channel: ch,
      channelRef: this.channelRef(ch, year, day),
      paidAt: this.days.utcInstant(day, rng.between(open, close - 1), HALL_UTC_OFFSET_HOURS),
    };
  }

  /** The app's share grows year by year at the expense of bank counters and POS. */
  private channelTable(year: number): Weighted<Channel> {
    let table = this.channelTables[year - SCHEME_START_YEAR];
    if (!table) {
      const t = Math.min(1, Math.max(0, (year - SCHEME_START_YEAR) / 10));
      table = new Weighted<Channel>([
        ['mobile_app', 0.05 + 0.5 * t],
        ['counter', 0.1],
        ['bank_counter', 0.4 - 0.25 * t],
        ['bank_pos', 0.45 - 0.25 * t],
      ]);
      this.channelTables[year - SCHEME_START_YEAR] = table;
    }
    return table;
  }

  /** A day drawn from the season profile restricted to [lo, hi]. */
  private seasonalDay(year: number, lo: number, hi: number): number {
    let segs = this.seasons[year - SCHEME_START_YEAR];
    if (!segs) {
      segs = new Float64Array(SEASON.length * 3);
      SEASON.forEach(([m1, d1, m2, d2, share], i) => {
        segs![i * 3] = dayNumber(year, m1, d1);
        segs![i * 3 + 1] = dayNumber(year, m2, d2);
        segs![i * 3 + 2] = share;
      });
      this.seasons[year - SCHEME_START_YEAR] = segs;
    }
    // The whole year open (the usual case) needs no truncation: the shares sum to 1.
    let total = lo <= segs[0]! && hi >= segs[segs.length - 2]! ? 1 : 0;
    if (total === 0) {
      for (let i = 0; i < segs.length; i += 3) {
        const a = Math.max(segs[i]!, lo);
        const b = Math.min(segs[i + 1]!, hi);
        if (b >= a) total += (segs[i + 2]! * (b - a + 1)) / (segs[i + 1]! - segs[i]! + 1);
      }
    }
    let u = this.rng.next() * total;
    for (let i = 0; i < segs.length; i += 3) {
      const a = Math.max(segs[i]!, lo);
      const b = Math.min(segs[i + 1]!, hi);
      if (b < a) continue;
      const mass = (segs[i + 2]! * (b - a + 1)) / (segs[i + 1]! - segs[i]! + 1);
      if (u < mass) return a + Math.min(b - a, Math.floor((u / mass) * (b - a + 1)));
      u -= mass;
    }
    return hi;
  }

  /**
   * Slip and voucher numbers, unique across the county: a keyed Feistel permutation of a
   * running counter over 12 decimal digits is a bijection, so numbers look random yet cannot
   * collide. Each channel's format has its own length, so channels cannot collide either.
   */
  private channelRef(channel: Channel, year: number, day: number): string | null {
    if (channel === 'counter') return null;
    let left = Math.floor(this.refSeq / 1e6);
    let right = this.refSeq % 1e6;
    this.refSeq++;
    for (let i = 0; i < this.refKeys.length; i++) {
      // A 20-bit round value and subtraction instead of '%' keep this in small-integer
      // arithmetic; adding any round value modulo 10^6 keeps the round invertible.
      let next = left + (mix32(right ^ this.refKeys[i]!) >>> 12);
      while (next >= 1e6) next -= 1e6;
      left = right;
      right = next;
    }
    // Table lookups of three-digit groups: formatting numbers dominated the generator's time.
    const ref = P3[Math.floor(left / 1000)]! + P3[left % 1000]! + P3[Math.floor(right / 1000)]! + P3[right % 1000]!;
    switch (channel) {
      case 'bank_pos':
        return ref; // 系统参考号 printed on the POS slip
      case 'mobile_app':
        return this.days.compactDate(day) + ref; // 20-digit electronic voucher number
      case 'bank_counter':
        return BANKS.draw(this.rng) + String(year) + ref; // 19-digit 缴费凭单 number
    }
  }

  // ---- demo cards ----------------------------------------------------------------------

  private card(c: DemoCardCase): DemoPayer {
    const Y = this.o.year;
    const asOf = this.o.asOf;
    switch (c) {
      case 'normal':
        return this.cardPayer({
          name: '李建华',
          gender: 'male',
          birth: dayNumber(Y - 45, 3, 14),
          registration: dayNumber(2014, 3, 5),
          lastYear: Y - 1,
          tier: 2,
        });
      case 'new_registration':
        return this.cardPayer({
          name: '王欣怡',
          gender: 'female',
          birth: dayNumber(Y - 17, 8, 9),
          registration: asOf - 3,
          lastYear: Y - 1,
          tier: 0,
        });
      case 'turning_60':
        return this.cardPayer({
          name: '刘秀英',
          gender: 'female',
          birth: dayNumber(Y - 60, 9, 20),
          registration: dayNumber(2014, 4, 18),
          lastYear: Y - 1,
          tier: 0,
        });
      case 'back_pay':
        return this.cardPayer({
          name: '陈国强',
          gender: 'male',
          birth: dayNumber(Y - 52, 11, 2),
          registration: dayNumber(2014, 5, 10),
          lastYear: Y - 1,
          tier: 1,
          unpaid: [Y - 6, Y - 5, Y - 3],
        });
      case 'paid_this_year':
        return this.cardPayer({
          name: '杨丽',
          gender: 'female',
          birth: dayNumber(Y - 38, 5, 21),
          registration: dayNumber(2015, 6, 1),
          lastYear: Y,
          tier: 3,
          currentChannel: 'bank_pos',
        });
      case 'dibao':
        return this.cardPayer({
          name: '黄桂兰',
          gender: 'female',
          birth: dayNumber(Y - 57, 2, 17),
          nation: '06',
          registration: dayNumber(2014, 3, 20),
          lastYear: Y - 1,
          tier: 0,
          groups: [{ code: 'dibao', from: '2019-03-01', to: null }],
        });
      case 'rare_name':
        return this.cardPayer({
          name: '陈𠮷祥',
          gender: 'male',
          birth: dayNumber(Y - 33, 7, 7),
          registration: dayNumber(2016, 8, 15),
          lastYear: Y - 1,
          tier: 1,
        });
      case 'receiving': {
        const birth = dayNumber(Y - 66, 4, 12);
        return this.cardPayer({
          name: '赵桂英',
          gender: 'female',
          birth,
          registration: dayNumber(2014, 2, 20),
          lastYear: Y - 6,
          tier: 0,
          status: 'receiving',
          since: firstOfNextMonth(anniversary(birth, 60)),
        });
      }
      case 'employee_scheme':
        return this.cardPayer({
          name: '周鹏',
          gender: 'male',
          birth: dayNumber(Y - 29, 10, 30),
          registration: dayNumber(2016, 3, 1),
          lastYear: Y - 3,
          tier: 1,
          status: 'suspended',
          since: dayNumber(Y - 2, 3, 1),
          employee: true,
        });
    }
  }

  private cardPayer(s: CardSpec): DemoPayer {
    const { asOf, year } = this.o;
    const { idNumber, birth } = this.allocateId(s.birth, s.gender);
    const status = s.status ?? 'active';
    const since = s.since ?? s.registration;
    const payStop = status === 'active' ? asOf : since;
    const residence = this.addresses.draw(this.rng);
    const payments: DemoPayment[] = [];
    for (let y = yearOfDay(s.registration); y <= s.lastYear; y++) {
      if (s.unpaid?.includes(y)) continue;
      let lo = Math.max(dayNumber(y, 1, 1), s.registration + REGISTRATION_WAIT_DAYS);
      let hi = Math.min(dayNumber(y, 12, 31), asOf - 1, payStop - 1);
      // On 1 January nothing of this year lies before asOf: the card paid this morning.
      if (lo > hi && y === year && s.currentChannel !== undefined) lo = hi = asOf;
      if (lo > hi) continue;
      payments.push(this.payment(y, s.tier, lo, hi, y === year ? s.currentChannel : undefined));
    }
    return {
      idNumber,
      name: s.name,
      gender: s.gender,
      birthDate: this.days.isoDate(birth),
      nationCode: s.nation ?? '01',
      town: residence.town,
      village: residence.village,
      address: residence.address,
      registrationDate: this.days.isoDate(s.registration),
      status,
      statusSince: this.days.isoDate(since),
      inEmployeeScheme: s.employee ?? false,
      specialGroups: s.groups ?? [],
      payments,
    };
  }
}

/**
 * Streams the county: the demo cards first, then random payers. Nothing is retained per payer
 * beyond a counter per birth date, so a million payers stream in constant memory. Options are
 * checked at once, before the first payer is asked for.
 */
export function generateCounty(opts: DemoCountyOptions): Generator<DemoPayer, void, undefined> {
  const builder = new CountyBuilder(opts);
  return (function* stream() {
    for (let i = 0; i < opts.payers; i++) yield builder.payerAt(i);
  })();
}

/** The demo cards exactly as they head the stream for these options (whatever `payers` says). */
export function demoCardPayers(opts: DemoCountyOptions): DemoCard[] {
  const builder = new CountyBuilder(opts);
  return demoCardCases.map((c, index) => ({ case: c, index, payer: builder.payerAt(index) }));
}
