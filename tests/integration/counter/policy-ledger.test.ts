// Issue 17 at the counter: quote → record → ledger, through the typed API of a training counter.
// Payers are written into the counter's registry for the cases: a 63-year-old six years short
// (一次性补缴), a 低保 payer whose 2025 holds only the government's 代缴, and a 重度残疾 payer
// whose minimum tier the government pays in full. Amounts are the demo table's, worked by hand.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDaySummaryPdf } from '../../../electron/documents/day-summary-pdf';
import { fixedStartClock } from '../../../electron/platform/clock';
import { openDatabase, type Db } from '../../../electron/platform/db/database';
import { createAppServices, type AppServices } from '../../../electron/services/app';
import { computeDaySummary } from '../../../electron/services/dayclose/summary';
import { buildDaySummaryModel } from '../../../electron/services/dayclose/model';
import { idCheckChar } from '../../../shared/domain/id-number';
import type { Quote } from '../../../shared/policy';
import { tempDir } from '../../helpers/serve';

const START = new Date('2026-06-15T01:00:00Z');
let services: AppServices;
let db: Db;
let dir: string;

function idFor(birth: string, seq: string): string {
  const first17 = `520123${birth.replaceAll('-', '')}${seq}`;
  return first17 + idCheckChar(first17);
}

function addPayer(birth: string, seq: string, name: string): number {
  return Number(
    db
      .prepare(
        `INSERT INTO payers (id_number, name, name_initials, gender, birth_date, town, village, address, registration_date, status, updated_at)
         VALUES (?, ?, 'cs', 'male', ?, '测试镇', '测试村', '测试村1号', '2014-03-01', 'active', '2026-01-01T00:00:00Z')`,
      )
      .run(idFor(birth, seq), name, birth).lastInsertRowid,
  );
}

function addPaid(payerId: number, years: number[], tierFen = 30000): void {
  const ins = db.prepare(
    `INSERT INTO payments (payer_id, year, tier_fen, amount_fen, channel, channel_ref, paid_at, created_at)
     VALUES (?, ?, ?, ?, 'bank_pos', ?, ?, ?)`,
  );
  for (const y of years) ins.run(payerId, y, tierFen, tierFen, `POS-${payerId}-${y}`, `${y}-06-10T02:00:00Z`, `${y}-06-10T02:00:00Z`);
}

async function call<T>(method: string, input: unknown): Promise<T> {
  const r = await services.dispatch(method, input, { transport: 'ipc' });
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

beforeAll(async () => {
  dir = tempDir('policy17');
  services = createAppServices({ dataDir: dir, clock: fixedStartClock(START), demoPayers: 20 });
  await services.ready;
  await call('session.signIn', { username: 'clerk', password: '1234', counterNo: 3 });
  db = openDatabase(path.join(dir, 'counter.sqlite'));
});

afterAll(async () => {
  db.close();
  await services.close();
});

describe('counter: quote → record → ledger', () => {
  it('一次性补缴 6 年: one line, six years, 1,800 yuan; the payer then has 15 years', async () => {
    const id = addPayer('1963-03-01', '101', '补缴甲');
    addPaid(id, [2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022]);
    const lines = [{ year: 2026, tierFen: 30000, lumpSum: true }];
    const q = await call<Extract<Quote, { ok: true }>>('payment.quote', { payerId: id, lines });
    expect(q.lines).toEqual([expect.objectContaining({ kind: 'lump_sum', years: 6, payerFen: 180000, subsidyFen: 0 })]);
    const rec = await call<{ totals: { payerFen: number; years: number }; changeFen: number; lines: { kind: string; years: number }[] }>('payment.record', {
      transactionUid: crypto.randomUUID(),
      payerId: id,
      lines,
      method: 'cash',
      tenderedFen: 200000,
    });
    expect(rec).toMatchObject({ totals: { payerFen: 180000, years: 6 }, changeFen: 20000, lines: [{ kind: 'lump_sum', years: 6 }] });
    const row = db
      .prepare('SELECT year, tier_fen, amount_fen, subsidy_fen, lump_sum_years, back_payment FROM payments WHERE payer_id = ? AND channel = ?')
      .get(id, 'counter');
    expect(row).toEqual({ year: 2026, tier_fen: 30000, amount_fen: 180000, subsidy_fen: 0, lump_sum_years: 6, back_payment: 1 });
    const event = db.prepare("SELECT payload FROM outbox WHERE kind = 'payment.recorded' ORDER BY seq DESC LIMIT 1").get() as { payload: string };
    expect(JSON.parse(event.payload).lines).toEqual([expect.objectContaining({ year: 2026, amountFen: 180000, lumpSumYears: 6, backPayment: true })]);
    // The ledger now counts 15 years: nothing more to pay, and 2026 is still free as a calendar year only under the cap.
    const view = await call<{ assessment: { yearsPaid: number; lumpSum: { payable: boolean; reason: string } } }>('payer.get', { payerId: id });
    expect(view.assessment.yearsPaid).toBe(15);
    expect(view.assessment.lumpSum).toMatchObject({ payable: false, reason: 'minimum_years_reached' });
  });

  it('a 代缴-only year takes a tier on top; the 代缴 credit and the payment stay separate facts', async () => {
    const id = addPayer('1990-03-07', '203', '低保乙');
    db.prepare("INSERT INTO payer_special_groups (payer_id, code, valid_from, valid_to) VALUES (?, 'dibao', '2020-01-01', NULL)").run(id);
    db.prepare(
      `INSERT INTO government_credits (payer_id, year, amount_fen, split, upstream_id, credited_at, created_at)
       VALUES (?, 2025, 5000, '[{"level":"province","amountFen":2500},{"level":"county","amountFen":2500}]', 'UP-GC-1', '2025-12-01T00:00:00Z', '2025-12-01T00:00:00Z')`,
    ).run(id);
    const before = await call<{ assessment: { years: { year: number; payable: boolean; governmentCredit: unknown }[] } }>('payer.get', { payerId: id });
    expect(before.assessment.years.find((y) => y.year === 2025)).toMatchObject({ payable: true, governmentCredit: { year: 2025, amountFen: 5000 } });
    const lines = [
      { year: 2026, tierFen: 30000 },
      { year: 2025, tierFen: 30000 },
    ];
    const rec = await call<{ totals: { payerFen: number; subsidyFen: number; governmentPaidFen: number; subsidyByLevel: unknown } }>('payment.record', {
      transactionUid: crypto.randomUUID(),
      payerId: id,
      lines,
      method: 'bank_card',
      tenderedFen: null,
      posRef: '202606150001',
    });
    // 2026: 300 + subsidy 40 (20/20 province/county) + 代缴 50; 2025: 300 only (back year, 代缴 already credited).
    expect(rec.totals).toMatchObject({ payerFen: 60000, subsidyFen: 4000, governmentPaidFen: 5000 });
    expect(rec.totals.subsidyByLevel).toEqual([
      { level: 'province', amountFen: 2000 },
      { level: 'county', amountFen: 2000 },
    ]);
    const rows = db
      .prepare(
        "SELECT year, amount_fen, subsidy_fen, subsidy_split, government_paid_fen FROM payments WHERE payer_id = ? AND channel = 'counter' ORDER BY year",
      )
      .all(id);
    expect(rows).toEqual([
      { year: 2025, amount_fen: 30000, subsidy_fen: 0, subsidy_split: '[]', government_paid_fen: 0 },
      {
        year: 2026,
        amount_fen: 30000,
        subsidy_fen: 4000,
        subsidy_split: '[{"level":"province","amountFen":2000},{"level":"county","amountFen":2000}]',
        government_paid_fen: 5000,
      },
    ]);
    expect(db.prepare('SELECT year, amount_fen FROM government_credits WHERE payer_id = ?').all(id)).toEqual([{ year: 2025, amount_fen: 5000 }]);
    const after = await call<{ assessment: { years: { year: number; reason: string | null }[] } }>('payer.get', { payerId: id });
    expect(after.assessment.years.find((y) => y.year === 2025)?.reason).toBe('already_paid');
  });

  it('nothing to collect: the government pays the minimum tier in full, and no payment is recorded', async () => {
    const id = addPayer('1985-05-05', '305', '残疾丙');
    db.prepare("INSERT INTO payer_special_groups (payer_id, code, valid_from, valid_to) VALUES (?, 'severe_disability', '2019-01-01', NULL)").run(id);
    const q = await call<Extract<Quote, { ok: true }>>('payment.quote', { payerId: id, lines: [{ year: 2026, tierFen: 10000 }] });
    expect(q.totals).toMatchObject({ payerFen: 0, governmentPaidFen: 10000 });
    const r = await services.dispatch(
      'payment.record',
      { transactionUid: crypto.randomUUID(), payerId: id, lines: [{ year: 2026, tierFen: 10000 }], method: 'cash', tenderedFen: 0 },
      { transport: 'ipc' },
    );
    // Said plainly as an outcome (not an error): nothing taken, nothing recorded, no receipt.
    expect(r).toMatchObject({ ok: true, value: { outcome: 'nothing_to_collect' } });
    if (r.ok) expect((r.value as { message: string }).message).toContain('无需缴费');
    expect(db.prepare('SELECT count(*) AS n FROM payments WHERE payer_id = ?').get(id)).toEqual({ n: 0 });
  });

  it('the 日汇总单 sums subsidy and 代缴 by level and shows the lump sum', async () => {
    const s = computeDaySummary(db, { businessDate: '2026-06-15' });
    expect(s.payments.subsidyByLevel).toEqual([
      { level: 'province', amountFen: 2000 },
      { level: 'county', amountFen: 2000 },
    ]);
    expect(s.payments.governmentPaidByLevel).toEqual([
      { level: 'province', amountFen: 2500 },
      { level: 'county', amountFen: 2500 },
    ]);
    expect(s.payments.lumpSum).toEqual({ count: 1, years: 6, amountFen: 180000 });
    const model = buildDaySummaryModel(
      s,
      { taxOffice: '示范税务局', hallName: '示范办税服务厅', operator: '全部经办人', counter: '全部窗口', training: true },
      null,
    );
    const pdf = await renderDaySummaryPdf({ model, printedAt: START, timeZone: 'Asia/Shanghai' });
    const file = path.join(dir, 'day.pdf');
    fs.writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toMatch(/其中省级出资\s+20\.00\s+25\.00/);
    expect(text).toMatch(/其中县级出资\s+20\.00\s+25\.00/);
    expect(text).toMatch(/其中一次性补缴 6年\s+1笔\s+1,800\.00/);
  });
});
