// The payer page (payer.lookup / payer.get) reads the registry once for both of its parts and the
// engine shares tier lists between payers (issue 18). The page must still be today's truth for this
// payer: after a payment at the counter, after rows that sync writes (payments from other channels,
// a conflicting second payment, a 代缴 credit, a special group), and whichever way it is asked for.
import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedStartClock } from '../../../electron/platform/clock';
import { openDatabase, type Db } from '../../../electron/platform/db/database';
import { createAppServices, type AppServices } from '../../../electron/services/app';
import { idCheckChar } from '../../../shared/domain/id-number';
import type { PayerView } from '../../../shared/api/views';
import { tempDir } from '../../helpers/serve';

const START = new Date('2026-06-15T01:00:00Z');
let services: AppServices;
let db: Db;

function idFor(birth: string, seq: string): string {
  const first17 = `520123${birth.replaceAll('-', '')}${seq}`;
  return first17 + idCheckChar(first17);
}

function addPayer(birth: string, seq: string): { id: number; idNumber: string } {
  const idNumber = idFor(birth, seq);
  const id = Number(
    db
      .prepare(
        `INSERT INTO payers (id_number, name, name_initials, gender, birth_date, town, village, address, registration_date, status, updated_at)
         VALUES (?, '页面甲', 'ymj', 'male', ?, '测试镇', '测试村', '测试村1号', '2014-03-01', 'active', '2026-01-01T00:00:00Z')`,
      )
      .run(idNumber, birth).lastInsertRowid,
  );
  return { id, idNumber };
}

/** A payment as sync writes it (bank or app channel). */
function addSynced(payerId: number, year: number, tierFen: number, ref: string, paidAt: string): void {
  db.prepare(
    `INSERT INTO payments (payer_id, year, tier_fen, amount_fen, channel, channel_ref, paid_at, created_at)
     VALUES (?, ?, ?, ?, 'bank_pos', ?, ?, ?)`,
  ).run(payerId, year, tierFen, tierFen, ref, paidAt, paidAt);
}

async function call<T>(method: string, input: unknown): Promise<T> {
  const r = await services.dispatch(method, input, { transport: 'ipc' });
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

async function page(idNumber: string): Promise<PayerView> {
  const byNumber = await call<PayerView>('payer.lookup', { idNumber });
  expect(await call<PayerView>('payer.get', { payerId: byNumber.id })).toEqual(byNumber);
  return byNumber;
}

const yearOf = (v: PayerView, y: number) => v.assessment!.years.find((x) => x.year === y)!;

beforeAll(async () => {
  const dir = tempDir('payer-page');
  services = createAppServices({ dataDir: dir, clock: fixedStartClock(START), demoPayers: 20 });
  await services.ready;
  await call('session.signIn', { username: 'clerk', password: '1234', counterNo: 2 });
  db = openDatabase(path.join(dir, 'counter.sqlite'));
});

afterAll(async () => {
  db.close();
  await services.close();
});

describe('payer page stays current', () => {
  it('a counter payment shows on the next lookup: the year is paid, no longer offered, and the count grows', async () => {
    const p = addPayer('1980-05-04', '211');
    addSynced(p.id, 2024, 30000, 'POS-A', '2024-05-01T02:00:00Z');
    const before = await page(p.idNumber);
    expect(yearOf(before, 2026)).toMatchObject({ payable: true, paid: null });
    expect(before.assessment!.yearsPaid).toBe(1);
    expect(before.years.find((y) => y.year === 2026)!.payments).toEqual([]);

    await call('payment.record', {
      transactionUid: crypto.randomUUID(),
      payerId: p.id,
      lines: [{ year: 2026, tierFen: 50000 }],
      method: 'cash',
      tenderedFen: null,
    });
    const after = await page(p.idNumber);
    expect(yearOf(after, 2026)).toMatchObject({ payable: false, reason: 'already_paid', paid: { year: 2026, tierFen: 50000, channel: 'counter' }, tiers: [] });
    expect(after.assessment!.yearsPaid).toBe(2);
    expect(after.years.find((y) => y.year === 2026)!.payments).toEqual([expect.objectContaining({ tierFen: 50000, amountFen: 50000, channel: 'counter' })]);
    // Another payer's page still offers the year with the same tiers as before.
    const other = await page(addPayer('1980-05-04', '231').idNumber);
    expect(yearOf(other, 2026).tiers).toEqual(yearOf(before, 2026).tiers);
  });

  it('rows sync writes show on the next lookup; of two payments for a year the first recorded counts', async () => {
    const p = addPayer('1975-09-12', '311');
    expect(yearOf(await page(p.idNumber), 2023)).toMatchObject({ payable: true, paid: null, governmentCredit: null });

    // Recorded first (lower id) but paid later in the day than the second: the first recorded counts.
    addSynced(p.id, 2023, 20000, 'POS-1', '2023-07-01T08:00:00Z');
    addSynced(p.id, 2023, 40000, 'POS-2', '2023-07-01T01:00:00Z');
    const conflict = await page(p.idNumber);
    expect(conflict.conflictYears).toEqual([2023]);
    expect(conflict.years.find((y) => y.year === 2023)!.payments.map((x) => x.channelRef)).toEqual(['POS-2', 'POS-1']);
    expect(yearOf(conflict, 2023)).toMatchObject({ payable: false, reason: 'already_paid', paid: { year: 2023, tierFen: 20000 } });
    expect(conflict.assessment!.yearsPaid).toBe(1);

    db.prepare(
      `INSERT INTO government_credits (payer_id, year, amount_fen, split, upstream_id, credited_at, created_at)
       VALUES (?, 2022, 5000, '[]', 'GC-page-1', '2022-12-01T00:00:00Z', '2022-12-01T00:00:00Z')`,
    ).run(p.id);
    db.prepare("INSERT INTO payer_special_groups (payer_id, code, valid_from, valid_to) VALUES (?, 'dibao', '2020-01-01', NULL)").run(p.id);
    const credited = await page(p.idNumber);
    expect(yearOf(credited, 2022)).toMatchObject({ governmentCredit: { year: 2022, amountFen: 5000 } });
    expect(credited.assessment!.yearsPaid).toBe(2);
    expect(credited.specialGroups).toEqual([{ code: 'dibao', from: '2020-01-01', to: null }]);
    expect(yearOf(credited, 2026).governmentPaid).toMatchObject({ group: 'dibao' });
  });
});
