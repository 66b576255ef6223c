import { pinyin } from 'pinyin-pro';
import { AppError } from '../../../shared/api/errors';
import type { PayerView, PaymentView } from '../../../shared/api/views';
import type { Channel, Gender, RegistrationStatus, SpecialGroupCode } from '../../../shared/domain/payer';
import { maskIdNumber, validateIdNumber } from '../../../shared/domain/id-number';
import { ageOn } from '../clock';
import type { Db } from '../db/database';

/** "zs" for 张三: what a clerk types to find a payer by name. Non-Han characters are kept as typed. */
export function nameInitials(name: string): string {
  return pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .toLowerCase();
}

interface PayerRow {
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

interface PaymentRow {
  id: number;
  year: number;
  tier_fen: number;
  amount_fen: number;
  channel: Channel;
  channel_ref: string | null;
  paid_at: string;
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
    this.groups = db.prepare(
      'SELECT code, valid_from, valid_to FROM payer_special_groups WHERE payer_id = ? ORDER BY valid_from',
    );
    this.payments = db.prepare(
      'SELECT id, year, tier_fen, amount_fen, channel, channel_ref, paid_at FROM payments WHERE payer_id = ? ORDER BY year DESC, paid_at',
    );
  }

  /** The registry id for a full ID number, or null. Validation errors carry the exact reason. */
  findIdByIdNumber(idNumber: string): number | null {
    const row = this.byIdNumber.get(idNumber) as PayerRow | undefined;
    return row ? row.id : null;
  }

  lookup(idNumber: string, today: string): PayerRegistryView {
    const check = validateIdNumber(idNumber);
    if (!check.ok) throw new AppError('INVALID_ID_NUMBER', check.message, [{ path: 'idNumber', message: check.message }]);
    const row = this.byIdNumber.get(check.idNumber) as PayerRow | undefined;
    if (!row) throw new AppError('PAYER_NOT_FOUND');
    return this.view(row, today);
  }

  get(payerId: number, today: string): PayerRegistryView {
    const row = this.byId.get(payerId) as PayerRow | undefined;
    if (!row) throw new AppError('PAYER_NOT_FOUND');
    return this.view(row, today);
  }

  private view(row: PayerRow, today: string): PayerRegistryView {
    const payments = (this.payments.all(row.id) as PaymentRow[]).map(
      (p): PaymentView => ({
        id: p.id,
        year: p.year,
        tierFen: p.tier_fen,
        amountFen: p.amount_fen,
        channel: p.channel,
        channelRef: p.channel_ref,
        paidAt: p.paid_at,
      }),
    );
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
      specialGroups: (this.groups.all(row.id) as { code: SpecialGroupCode; valid_from: string; valid_to: string | null }[]).map(
        (g) => ({ code: g.code, from: g.valid_from, to: g.valid_to }),
      ),
      years,
      conflictYears: years.filter((y) => y.payments.length > 1).map((y) => y.year),
    };
  }
}
