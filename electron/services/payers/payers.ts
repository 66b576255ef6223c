import { AppError } from '../../../shared/api/errors';
import type { PayerSearchHit, PayerView, PaymentView } from '../../../shared/api/views';
import type { Channel, Gender, RegistrationStatus, SpecialGroupCode } from '../../../shared/domain/payer';
import { maskIdNumber, validateIdNumber } from '../../../shared/domain/id-number';
import { ageOn } from '../../platform/clock';
import { prepareCached, type Db } from '../../platform/db/database';

export interface PayerRow {
  id: number;
  id_number: string;
  name: string;
  gender: Gender;
  birth_date: string;
  town: string;
  village: string;
  address: string;
  registration_date: string;
  status: RegistrationStatus;
  in_employee_scheme: number;
}

export interface PaymentRow {
  id: number;
  year: number;
  tier_fen: number;
  amount_fen: number;
  channel: Channel;
  channel_ref: string | null;
  paid_at: string;
  /** Not on the page; the policy engine counts a lump sum's years (see PaymentService). */
  lump_sum_years: number | null;
}

export interface SpecialGroupRow {
  code: SpecialGroupCode;
  valid_from: string;
  valid_to: string | null;
}

/**
 * What the registry holds about one payer, read once for a payer page: the page's registry part
 * and the policy engine's input are both built from it, so a lookup reads each table once.
 */
export interface PayerRecords {
  row: PayerRow;
  /** Ordered by valid_from. */
  groups: SpecialGroupRow[];
  /** Newest year first, then by time paid. */
  payments: PaymentRow[];
}

/** The registry's part of the payer page; the policy engine's part is added by the counter. */
export type PayerRegistryView = Omit<PayerView, 'assessment' | 'policyMessage'>;

export class PayerService {
  private readonly byIdNumber;
  private readonly byId;
  private readonly groups;
  private readonly payments;

  constructor(private readonly db: Db) {
    this.byIdNumber = db.prepare('SELECT * FROM payers WHERE id_number = ?');
    this.byId = db.prepare('SELECT * FROM payers WHERE id = ?');
    this.groups = db.prepare('SELECT code, valid_from, valid_to FROM payer_special_groups WHERE payer_id = ? ORDER BY valid_from');
    this.payments = db.prepare(
      'SELECT id, year, tier_fen, amount_fen, channel, channel_ref, paid_at, lump_sum_years FROM payments WHERE payer_id = ? ORDER BY year DESC, paid_at',
    );
  }

  /**
   * Name search for the lookup box: Han characters match the start of the name, Latin letters the
   * start of the pinyin initials ("zs" finds 张三, 张帅 …). Both are index range scans, so the
   * cost does not grow with the registry. LIKE is avoided: it cannot use these indexes and would
   * give meaning to % and _ typed by the clerk.
   */
  search(query: string, village: string | undefined, limit: number): { hits: PayerSearchHit[]; more: boolean } {
    const q = query.trim();
    const latin = /^[A-Za-z]+$/.test(q);
    const column = latin ? 'name_initials' : 'name';
    const from = latin ? q.toLowerCase() : q;
    // The smallest string greater than every string starting with `from` (code points, so a
    // rare character outside the BMP is one step, not two surrogates).
    const points = Array.from(from);
    const last = points.pop()!;
    const to = points.join('') + String.fromCodePoint(last.codePointAt(0)! + 1);
    const villageClause = village ? ' AND village = ?' : '';
    // Four statements in all (name or initials, with or without a village), compiled once each.
    const rows = prepareCached(
      this.db,
      `SELECT id, name, id_number, gender, birth_date, town, village FROM payers
          WHERE ${column} >= ? AND ${column} < ?${villageClause}
          ORDER BY ${column}, id LIMIT ?`,
    ).all(...(village ? [from, to, village, limit + 1] : [from, to, limit + 1])) as {
      id: number;
      name: string;
      id_number: string;
      gender: Gender;
      birth_date: string;
      town: string;
      village: string;
    }[];
    return {
      hits: rows.slice(0, limit).map((r) => ({
        id: r.id,
        name: r.name,
        idNumberMasked: maskIdNumber(r.id_number),
        gender: r.gender,
        birthDate: r.birth_date,
        town: r.town,
        village: r.village,
      })),
      more: rows.length > limit,
    };
  }

  villages(): { town: string; villages: string[] }[] {
    const rows = this.db.prepare('SELECT DISTINCT town, village FROM payers ORDER BY town, village').all() as { town: string; village: string }[];
    const byTown = new Map<string, string[]>();
    for (const r of rows) byTown.set(r.town, [...(byTown.get(r.town) ?? []), r.village]);
    return [...byTown].map(([town, villages]) => ({ town, villages }));
  }

  /** The registry id for a full ID number, or null. Validation errors carry the exact reason. */
  findIdByIdNumber(idNumber: string): number | null {
    const row = this.byIdNumber.get(idNumber) as PayerRow | undefined;
    return row ? row.id : null;
  }

  lookup(idNumber: string, today: string): PayerRegistryView {
    return this.view(this.lookupRecords(idNumber), today);
  }

  get(payerId: number, today: string): PayerRegistryView {
    return this.view(this.records(payerId), today);
  }

  /** The payer's records by full ID number; the reason when the number is not valid or not found. */
  lookupRecords(idNumber: string): PayerRecords {
    const check = validateIdNumber(idNumber);
    // The reason once: the message is the field's error too (no second copy in issues).
    if (!check.ok) throw new AppError('INVALID_ID_NUMBER', check.message);
    const row = this.byIdNumber.get(check.idNumber) as PayerRow | undefined;
    if (!row) throw new AppError('PAYER_NOT_FOUND');
    return this.recordsOf(row);
  }

  records(payerId: number): PayerRecords {
    const row = this.byId.get(payerId) as PayerRow | undefined;
    if (!row) throw new AppError('PAYER_NOT_FOUND');
    return this.recordsOf(row);
  }

  private recordsOf(row: PayerRow): PayerRecords {
    return { row, groups: this.groups.all(row.id) as SpecialGroupRow[], payments: this.payments.all(row.id) as PaymentRow[] };
  }

  /** The registry's part of the payer page. */
  view({ row, groups, payments: rows }: PayerRecords, today: string): PayerRegistryView {
    const payments = rows.map((p): PaymentView => ({
      id: p.id,
      year: p.year,
      tierFen: p.tier_fen,
      amountFen: p.amount_fen,
      channel: p.channel,
      channelRef: p.channel_ref,
      paidAt: p.paid_at,
    }));
    const currentYear = Number(today.slice(0, 4));
    const firstYear = Math.min(Number(row.registration_date.slice(0, 4)), ...payments.map((p) => p.year));
    const years: PayerView['years'] = [];
    for (let y = currentYear; y >= firstYear; y--) {
      years.push({ year: y, payments: payments.filter((p) => p.year === y) });
    }
    return {
      id: row.id,
      idNumberMasked: maskIdNumber(row.id_number),
      name: row.name,
      gender: row.gender,
      birthDate: row.birth_date,
      age: ageOn(row.birth_date, today),
      town: row.town,
      village: row.village,
      address: row.address,
      registrationDate: row.registration_date,
      status: row.status,
      inEmployeeScheme: row.in_employee_scheme === 1,
      specialGroups: groups.map((g) => ({
        code: g.code,
        from: g.valid_from,
        to: g.valid_to,
      })),
      years,
      conflictYears: years.filter((y) => y.payments.length > 1).map((y) => y.year),
    };
  }
}
