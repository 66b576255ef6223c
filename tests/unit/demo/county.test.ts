import { describe, expect, it } from 'vitest';
import { countyPlaces, demoCardCases, demoCardPayers, generateCounty, type DemoCountyOptions, type DemoPayer } from '../../../electron/services/demo/county';
import { idCheckChar } from '../../../shared/domain/id-number';
import { channelCodes, specialGroupCodes } from '../../../shared/domain/payer';
import { addDays, ageOn, dateOfAge } from '../../../shared/policy/dates';

const TIERS = [10000, 20000, 30000, 40000, 50000, 60000, 70000, 80000, 90000, 100000, 150000, 200000];
const AS_OF = '2026-06-15';
const YEAR = 2026;
const base: DemoCountyOptions = { seed: 20260615, payers: 0, asOf: AS_OF, tiersFen: TIERS };

function take(opts: DemoCountyOptions): DemoPayer[] {
  return [...generateCounty(opts)];
}

/** The hall's civil date of a UTC instant (China: UTC+8 all year). */
function hallDate(instant: string): string {
  return new Date(Date.parse(instant) + 8 * 3_600_000).toISOString().slice(0, 10);
}

const share = (part: number, whole: number): number => part / whole;

/**
 * Checks a rule over many records with plain conditions (vitest's expect is too slow for
 * millions of calls) and reports the first few offenders.
 */
function violations<T>(items: Iterable<T>, rule: (item: T) => string | null): string[] {
  const out: string[] = [];
  for (const item of items) {
    const problem = rule(item);
    if (problem !== null && out.length < 5) out.push(problem);
  }
  return out;
}

// One sample, shared by the invariant tests below.
const SAMPLE = take({ ...base, payers: 60_000 });

describe('generateCounty: determinism', () => {
  it('gives the same payers for the same seed and options', () => {
    expect(take({ ...base, payers: 2_000 })).toEqual(SAMPLE.slice(0, 2_000));
  });

  it('does not depend on how many payers are asked for', () => {
    expect(take({ ...base, payers: 300 })).toEqual(SAMPLE.slice(0, 300));
  });

  it('gives a different county for a different seed', () => {
    const other = take({ ...base, seed: base.seed + 1, payers: 2_000 });
    const ids = new Set(SAMPLE.slice(0, 2_000).map((p) => p.idNumber));
    const same = other.filter((p) => ids.has(p.idNumber)).length;
    expect(same).toBeLessThan(100);
    expect(other.map((p) => p.address)).not.toEqual(SAMPLE.slice(0, 2_000).map((p) => p.address));
  });

  it('rejects options it cannot honour before the first payer is drawn', () => {
    expect(() => generateCounty({ ...base, asOf: '2026-02-30' })).toThrow();
    expect(() => generateCounty({ ...base, asOf: '2016-06-01' })).toThrow();
    expect(() => generateCounty({ ...base, tiersFen: [] })).toThrow();
    expect(() => generateCounty({ ...base, tiersFen: [10000, 12.5] })).toThrow();
    expect(() => generateCounty({ ...base, regionCode: '52012' })).toThrow();
    expect(() => generateCounty({ ...base, seed: 1.5 })).toThrow();
  });
});

describe('generateCounty: people', () => {
  it('issues valid, unique ID numbers whose digits match birth date and sex', () => {
    const bad = violations(SAMPLE, (p) => {
      const seq = Number(p.idNumber.slice(14, 17));
      if (!/^529901\d{11}[\dX]$/.test(p.idNumber)) return `format ${p.idNumber}`;
      if (p.idNumber.slice(17) !== idCheckChar(p.idNumber.slice(0, 17))) return `check ${p.idNumber}`;
      if (p.idNumber.slice(6, 14) !== p.birthDate.replaceAll('-', '')) return `birth ${p.idNumber}`;
      if (seq === 0 || (seq % 2 === 1 ? 'male' : 'female') !== p.gender) return `sex ${p.idNumber}`;
      return null;
    });
    expect(bad).toEqual([]);
    expect(new Set(SAMPLE.map((p) => p.idNumber)).size).toBe(SAMPLE.length);
  });

  it('uses the region code and county name it is given', () => {
    const [p] = take({ ...base, payers: 20, regionCode: '330122', countyName: '桐溪县' }).slice(12);
    expect(p!.idNumber.startsWith('330122')).toBe(true);
    expect(p!.address.startsWith(`桐溪县${p!.town}${p!.village}`)).toBe(true);
  });

  it('has nobody under 16, mostly 16–75, with people turning 60 this year', () => {
    const ages = SAMPLE.map((p) => ageOn(p.birthDate, AS_OF));
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(16);
    expect(share(ages.filter((a) => a <= 75).length, ages.length)).toBeGreaterThan(0.9);
    expect(share(ages.filter((a) => a < 30).length, ages.length)).toBeGreaterThan(0.1);
    expect(SAMPLE.filter((p) => p.birthDate.startsWith(String(YEAR - 60))).length).toBeGreaterThan(300);
  });

  it('lets only those who turned 60 before this year draw the pension, and some do', () => {
    const receiving = SAMPLE.filter((p) => p.status === 'receiving');
    expect(share(receiving.length, SAMPLE.length)).toBeGreaterThan(0.1);
    const bad = violations(SAMPLE, (p) => {
      const over60 = Number(p.birthDate.slice(0, 4)) + 60 < YEAR;
      if (p.status === 'receiving' && !over60) return `receiving at ${p.birthDate}`;
      if (over60 && p.status !== 'receiving' && p.status !== 'terminated') return `${p.status} at ${p.birthDate}`;
      return null;
    });
    expect(bad).toEqual([]);
  });

  it('registers people from 2014 on, never before 16, mostly years ago and a few last week', () => {
    const lastTenDays = addDays(AS_OF, -10);
    const bad = violations(SAMPLE, (p) => {
      const r = p.registrationDate;
      // Registering on asOf itself happens only to those who turn 16 that day.
      if (r < '2014-01-01' || r < dateOfAge(p.birthDate, 16) || r > AS_OF) return `${p.birthDate} ${r}`;
      if (p.statusSince < r || p.statusSince > AS_OF) return `since ${r} ${p.statusSince}`;
      return null;
    });
    expect(bad).toEqual([]);
    const recent = SAMPLE.filter((p) => p.registrationDate >= lastTenDays).length;
    const yearsAgo = SAMPLE.filter((p) => p.registrationDate < `${YEAR - 2}-01-01`).length;
    expect(recent).toBeGreaterThan(20);
    expect(share(recent, SAMPLE.length)).toBeLessThan(0.01);
    expect(share(yearsAgo, SAMPLE.length)).toBeGreaterThan(0.8);
  });

  it('has mostly active payers, ~1 % in the employees scheme (suspended), some terminated', () => {
    const count = (f: (p: DemoPayer) => boolean): number => SAMPLE.filter(f).length;
    const working = SAMPLE.filter((p) => p.status !== 'receiving' && Number(p.birthDate.slice(0, 4)) + 60 >= YEAR);
    expect(share(working.filter((p) => p.status === 'active').length, working.length)).toBeGreaterThan(0.9);
    const employees = SAMPLE.filter((p) => p.inEmployeeScheme);
    expect(share(employees.length, SAMPLE.length)).toBeGreaterThan(0.005);
    expect(share(employees.length, SAMPLE.length)).toBeLessThan(0.02);
    for (const p of employees) expect(p.status).toBe('suspended');
    expect(count((p) => p.status === 'suspended' && !p.inEmployeeScheme)).toBeGreaterThan(100);
    expect(count((p) => p.status === 'terminated')).toBeGreaterThan(100);
  });

  it('flags ~6 % as special groups with sensible validity periods', () => {
    const flagged = SAMPLE.filter((p) => p.specialGroups.length > 0);
    expect(share(flagged.length, SAMPLE.length)).toBeGreaterThan(0.045);
    expect(share(flagged.length, SAMPLE.length)).toBeLessThan(0.08);
    const seen = new Set(flagged.flatMap((p) => p.specialGroups.map((g) => g.code)));
    const bad = violations(flagged, (p) => {
      if (new Set(p.specialGroups.map((g) => g.code)).size !== p.specialGroups.length) return 'duplicate code';
      for (const g of p.specialGroups) {
        const text = JSON.stringify(g);
        if (!(specialGroupCodes as readonly string[]).includes(g.code) || g.from >= AS_OF) return text;
        if (g.to !== null && (g.to < g.from || g.to >= AS_OF)) return text;
        if (g.code === 'monitored' && g.from < '2021-01-01') return text;
      }
      return null;
    });
    expect(bad).toEqual([]);
    for (const code of ['severe_disability', 'dibao', 'tekun', 'poverty_registered', 'monitored']) {
      expect(seen).toContain(code);
    }
  });

  it('builds addresses from the county places and keeps fields within the ID card layout', () => {
    const places = new Map(countyPlaces(base.seed).map((t) => [t.town, new Set(t.villages)]));
    const bad = violations(SAMPLE, (p) => {
      if (!places.get(p.town)?.has(p.village)) return `${p.town}${p.village}`;
      if (!p.address.startsWith(`示范县${p.town}${p.village}`) || !/\d+号$/.test(p.address)) return p.address;
      // The card holds 15 UTF-16 units of name and 35 of address.
      if (p.address.length > 35) return p.address;
      if (!/^\p{Script=Han}{2,4}$/u.test(p.name) || p.name.length > 15) return p.name;
      return null;
    });
    expect(bad).toEqual([]);
  });
});

describe('generateCounty: payment history', () => {
  it('keeps one payment per year, inside the registration, status and asOf bounds', () => {
    const bad = violations(SAMPLE, (p) => {
      const regYear = Number(p.registrationDate.slice(0, 4));
      const turns60 = Number(p.birthDate.slice(0, 4)) + 60;
      const payableFrom = addDays(p.registrationDate, 7);
      let previous = 0;
      for (const pay of p.payments) {
        const where = `${p.registrationDate} ${p.status} ${p.statusSince} ${JSON.stringify(pay)}`;
        if (pay.year <= previous) return `order ${where}`;
        previous = pay.year;
        if (pay.year < Math.max(regYear, 2014) || pay.year > Math.min(YEAR, turns60)) return `year ${where}`;
        const day = hallDate(pay.paidAt);
        if (day.slice(0, 4) !== String(pay.year) || day > AS_OF || day < payableFrom) return `day ${where}`;
        if (p.status !== 'active' && day >= p.statusSince) return `after status ${where}`;
        if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/.test(pay.paidAt)) return `instant ${where}`;
        if (!TIERS.includes(pay.tierFen) || pay.amountFen !== pay.tierFen) return `amount ${where}`;
        if (!(channelCodes as readonly string[]).includes(pay.channel)) return `channel ${where}`;
      }
      return null;
    });
    expect(bad).toEqual([]);
  });

  it('formats channel references per channel', () => {
    const payments = SAMPLE.flatMap((p) => p.payments);
    const byChannel = new Map<string, number>();
    for (const pay of payments) byChannel.set(pay.channel, (byChannel.get(pay.channel) ?? 0) + 1);
    const bad = violations(payments, (pay) => {
      const ref = pay.channelRef;
      const paidDay = hallDate(pay.paidAt).replaceAll('-', '');
      const ok =
        pay.channel === 'counter'
          ? ref === null
          : pay.channel === 'bank_pos'
            ? ref !== null && /^\d{12}$/.test(ref)
            : pay.channel === 'mobile_app'
              ? ref !== null && /^\d{20}$/.test(ref) && ref.startsWith(paidDay)
              : ref !== null && /^(102|103|104|105|402|403)\d{16}$/.test(ref) && ref.slice(3, 7) === String(pay.year);
      return ok ? null : JSON.stringify(pay);
    });
    expect(bad).toEqual([]);
    const total = [...byChannel.values()].reduce((a, b) => a + b, 0);
    expect(share(byChannel.get('counter') ?? 0, total)).toBeGreaterThan(0.05);
    expect(share(byChannel.get('counter') ?? 0, total)).toBeLessThan(0.15);
    for (const c of ['bank_pos', 'bank_counter', 'mobile_app']) {
      expect(share(byChannel.get(c) ?? 0, total)).toBeGreaterThan(0.15);
    }
  });

  it('pays most past years with some gaps, the current year by about 40 %', () => {
    let open = 0;
    let paid = 0;
    let withGaps = 0;
    for (const p of SAMPLE) {
      const years = p.payments.map((q) => q.year).filter((y) => y < YEAR);
      if (years.length >= 2 && years[years.length - 1]! - years[0]! + 1 > years.length) withGaps++;
      // Active people registered long enough ago to have been able to pay this year.
      if (p.status === 'active' && p.registrationDate < `${YEAR}-01-01`) {
        open++;
        if (p.payments.some((q) => q.year === YEAR)) paid++;
      }
    }
    expect(share(paid, open)).toBeGreaterThan(0.33);
    expect(share(paid, open)).toBeLessThan(0.47);
    expect(share(withGaps, SAMPLE.length)).toBeGreaterThan(0.1);
    expect(share(withGaps, SAMPLE.length)).toBeLessThan(0.5);
  });

  it('draws low tiers far more often and pays mostly in June', () => {
    const tierCounts = new Map<number, number>();
    let past = 0;
    let june = 0;
    for (const p of SAMPLE) {
      for (const pay of p.payments) {
        tierCounts.set(pay.tierFen, (tierCounts.get(pay.tierFen) ?? 0) + 1);
        if (pay.year < YEAR) {
          past++;
          if (hallDate(pay.paidAt).slice(5, 7) === '06') june++;
        }
      }
    }
    const count = (t: number): number => tierCounts.get(t) ?? 0;
    const all = [...tierCounts.values()].reduce((a, b) => a + b, 0);
    expect(count(TIERS[0]!)).toBeGreaterThan(5 * count(TIERS[TIERS.length - 1]!));
    expect(share(count(TIERS[0]!) + count(TIERS[1]!) + count(TIERS[2]!), all)).toBeGreaterThan(0.5);
    expect(count(TIERS[TIERS.length - 1]!)).toBeGreaterThan(0);
    expect(share(june, past)).toBeGreaterThan(0.65);
    expect(share(june, past)).toBeLessThan(0.9);
  });

  it('keeps ID numbers and channel references unique over 200,000 payers, with rare names', () => {
    const ids = new Set<string>();
    const refs = new Set<string>();
    let refCount = 0;
    let rare = 0;
    let outsideBmp = 0;
    for (const p of generateCounty({ ...base, seed: 99, payers: 200_000 })) {
      ids.add(p.idNumber);
      if (/[𠮷㛃堃犇]/u.test(p.name)) rare++;
      if ([...p.name].some((c) => c.codePointAt(0)! > 0xffff)) outsideBmp++;
      for (const pay of p.payments) {
        if (pay.channelRef === null) continue;
        refs.add(pay.channelRef);
        refCount++;
      }
    }
    expect(ids.size).toBe(200_000);
    expect(refs.size).toBe(refCount);
    expect(refCount).toBeGreaterThan(800_000);
    // One in 5,000 expected: 40 here.
    expect(rare).toBeGreaterThan(15);
    expect(rare).toBeLessThan(80);
    expect(outsideBmp).toBeGreaterThan(3);
  }, 120_000);
});

describe('demo cards', () => {
  const cards = demoCardPayers({ ...base, payers: 0 });
  const card = (c: (typeof demoCardCases)[number]): DemoPayer => {
    const found = cards.find((x) => x.case === c);
    if (!found) throw new Error(`no card ${c}`);
    return found.payer;
  };
  const years = (p: DemoPayer): number[] => p.payments.map((q) => q.year);
  const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('head the stream in the published order', () => {
    expect(cards.map((c) => c.case)).toEqual([...demoCardCases]);
    expect(cards.map((c) => c.index)).toEqual(demoCardCases.map((_, i) => i));
    expect(cards.map((c) => c.payer)).toEqual(SAMPLE.slice(0, cards.length));
  });

  it('normal: active, every year paid since registration, current year open', () => {
    const p = card('normal');
    expect(p.status).toBe('active');
    expect(p.specialGroups).toEqual([]);
    expect(years(p)).toEqual(range(Number(p.registrationDate.slice(0, 4)), YEAR - 1));
  });

  it('new_registration: registered 3 days before asOf, nothing paid', () => {
    const p = card('new_registration');
    expect(p.registrationDate).toBe(addDays(AS_OF, -3));
    expect(p.payments).toEqual([]);
    expect(p.status).toBe('active');
    expect(ageOn(p.birthDate, AS_OF)).toBeGreaterThanOrEqual(16);
  });

  it('turning_60: turns 60 this year, still active, this year unpaid', () => {
    const p = card('turning_60');
    expect(Number(p.birthDate.slice(0, 4))).toBe(YEAR - 60);
    expect(p.status).toBe('active');
    expect(years(p)).not.toContain(YEAR);
    expect(years(p).length).toBeGreaterThan(5);
  });

  it('back_pay: several earlier years unpaid', () => {
    const p = card('back_pay');
    const missing = range(Number(p.registrationDate.slice(0, 4)), YEAR - 1).filter((y) => !years(p).includes(y));
    expect(missing.length).toBeGreaterThanOrEqual(3);
    expect(years(p)).not.toContain(YEAR);
  });

  it('paid_this_year: this year paid by bank POS, with a slip reference', () => {
    const p = card('paid_this_year');
    const current = p.payments.find((q) => q.year === YEAR);
    expect(current?.channel).toBe('bank_pos');
    expect(current?.channelRef).toMatch(/^\d{12}$/);
  });

  it('dibao, rare_name, receiving and employee_scheme carry their property', () => {
    expect(card('dibao').specialGroups).toEqual([{ code: 'dibao', from: '2019-03-01', to: null }]);
    expect([...card('rare_name').name].some((c) => c.codePointAt(0)! > 0xffff)).toBe(true);
    const receiving = card('receiving');
    expect(receiving.status).toBe('receiving');
    expect(ageOn(receiving.birthDate, AS_OF)).toBeGreaterThan(60);
    expect(Math.max(...years(receiving))).toBe(Number(receiving.birthDate.slice(0, 4)) + 60);
    const employee = card('employee_scheme');
    expect(employee.inEmployeeScheme).toBe(true);
    expect(employee.status).toBe('suspended');
  });

  it('still hold on 1 January and on 29 February', () => {
    const jan1 = demoCardPayers({ ...base, asOf: '2024-01-01' });
    const paid = jan1.find((c) => c.case === 'paid_this_year')!.payer;
    expect(paid.payments.map((q) => hallDate(q.paidAt))).toContain('2024-01-01');
    expect(jan1.find((c) => c.case === 'new_registration')!.payer.registrationDate).toBe('2023-12-29');
    const bad = violations(take({ ...base, asOf: '2024-02-29', payers: 20_000 }), (p) =>
      ageOn(p.birthDate, '2024-02-29') < 16 || p.payments.some((q) => hallDate(q.paidAt) > '2024-02-29') ? p.birthDate : null,
    );
    expect(bad).toEqual([]);
  });
});

describe('countyPlaces', () => {
  it('gives 8–12 towns of 8–20 uniquely named villages, the same for the same seed', () => {
    for (const seed of [1, 2, 3, 42, 20260615]) {
      const places = countyPlaces(seed);
      expect(places).toEqual(countyPlaces(seed));
      expect(places.length).toBeGreaterThanOrEqual(8);
      expect(places.length).toBeLessThanOrEqual(12);
      const names = places.flatMap((t) => [t.town, ...t.villages]);
      expect(new Set(names).size).toBe(names.length);
      for (const t of places) {
        expect(t.town).toMatch(/^\p{Script=Han}{2}(镇|乡|街道)$/u);
        expect(t.villages.length).toBeGreaterThanOrEqual(8);
        expect(t.villages.length).toBeLessThanOrEqual(20);
        for (const v of t.villages) expect(v).toMatch(/^\p{Script=Han}{2}(村|社区)$/u);
      }
    }
    expect(countyPlaces(1)).not.toEqual(countyPlaces(2));
  });
});
