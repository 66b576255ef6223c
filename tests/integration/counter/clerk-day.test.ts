// A clerk's day through the API (issue 13, services side): the POS reference of a bank-card
// payment, receipts waiting for print and confirmation, the payer's page, nothing to collect,
// 换开 practice numbers in training, and a day close that waits for receipts unless a supervisor
// approves — with the thermal slip (decoded) and the A4 PDF (pdftotext) both showing the one model.
import iconv from 'iconv-lite';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../../electron/services/app';
import { fixedStartClock } from '../../../electron/platform/clock';
import { DayCloseService, dayCloseModel } from '../../../electron/services/dayclose';
import type { Envelope } from '../../../shared/api/errors';
import type { DaySummaryModel } from '../../../shared/day-summary-model';
import { quietLog } from '../sync/helpers';
import { repoRoot, tempDir, TEST_CLOCK } from '../../helpers/serve';

process.env.PENSION_COUNTER_ROOT ??= repoRoot;

/* eslint-disable @typescript-eslint/no-explicit-any -- API values are checked field by field below */
let app: AppServices;
let db: Database.Database;
const call = async <T = any>(method: string, input: unknown = {}): Promise<T> => {
  const r = (await app.dispatch(method, input, { transport: 'direct' })) as Envelope<T>;
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value;
};
const refused = async (method: string, input: unknown = {}) => {
  const r = (await app.dispatch(method, input, { transport: 'direct' })) as Envelope<unknown>;
  if (r.ok) throw new Error(`${method} was expected to be refused`);
  return r.error;
};
let uidSeq = 0;
const uid = () => `00000000-0000-4000-8000-${String(++uidSeq).padStart(12, '0')}`;

/** Active payers under 60 registered long ago with the current year unpaid. */
function unpaid(n: number, offset = 0): { id: number; idNumber: string; name: string }[] {
  return db
    .prepare(
      `SELECT id, id_number AS idNumber, name FROM payers p WHERE status = 'active' AND in_employee_scheme = 0 AND registration_date < '2026-01-01'
         AND birth_date > '1967-01-01' AND birth_date < '2008-01-01'
         AND NOT EXISTS (SELECT 1 FROM payer_special_groups g WHERE g.payer_id = p.id)
         AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.payer_id = p.id AND x.year = 2026) ORDER BY id LIMIT ? OFFSET ?`,
    )
    .all(n, offset) as { id: number; idNumber: string; name: string }[];
}

async function payCash(payerId: number): Promise<any> {
  const r = await call('payment.record', { transactionUid: uid(), payerId, lines: [{ year: 2026, tierFen: 30000 }], method: 'cash', tenderedFen: null });
  expect(r.outcome).toBe('recorded');
  return r;
}

/** Whitespace-free text: table cells and wrapped lines come out with spaces and breaks in between. */
const squash = (s: string) => s.replace(/\s+/g, '');

const RASTER_LINE = '〔此行含打印机字库外的字，按图像打印〕';
const inGbk = (s: string | null | undefined) => [...(s ?? '')].every((ch) => ch.charCodeAt(0) < 0x80 || iconv.encode(ch, 'gb18030').length === 2);

/** Every row of every section the document shows: its label and each value. */
function expectModelIn(text: string, model: DaySummaryModel, which: 'a4' | 'thermal'): void {
  const t = squash(text);
  for (const sec of model.sections) {
    if (which === 'thermal' && sec.a4Only) continue;
    expect(t, sec.title).toContain(squash(sec.title));
    for (const n of sec.notes) expect(t, n).toContain(squash(n));
    for (const r of sec.rows) {
      // The training slip printer has a GBK font: a row with a character beyond it (𠮷 in a name,
      // the − of 实点 − 应交) is printed as an image, which the preview marks (slips-printers tests
      // prove the image carries the text).
      if (which === 'thermal' && ![r.label, ...r.values].every(inGbk)) {
        expect(t, `${sec.title}: ${r.label}`).toContain(RASTER_LINE);
        continue;
      }
      expect(t, `${sec.title}: ${r.label}`).toContain(squash(r.label));
      const cols = which === 'thermal' && sec.thermalColumns ? sec.thermalColumns : r.values.map((_, i) => i);
      for (const i of cols) if (r.values[i]) expect(t, `${sec.title}: ${r.label} ${r.values[i]}`).toContain(squash(r.values[i]!));
    }
  }
  expect(t).toContain(squash(model.total.figures));
  expect(t).toContain(model.total.capitals);
}

beforeAll(async () => {
  app = createAppServices({ dataDir: tempDir('clerk-day'), demoPayers: 400, clock: fixedStartClock(new Date(TEST_CLOCK)) });
  await app.ready;
  db = new Database(path.join(app.layout.dir, 'counter.sqlite'), { readonly: true });
  await call('session.signIn', { username: 'clerk', password: '1234', counterNo: 1 });
}, 120_000);

afterAll(async () => {
  db?.close();
  await app?.close();
});

describe('bank card', () => {
  it('needs the POS reference number; it is stored with the payment and shown on the payer page', async () => {
    const [p] = unpaid(1, 0);
    const input = { transactionUid: uid(), payerId: p!.id, lines: [{ year: 2026, tierFen: 30000 }], method: 'bank_card', tenderedFen: null };
    const missing = await refused('payment.record', input);
    expect(missing.code).toBe('VALIDATION');
    expect(missing.message).toBe('请输入POS小票上的参考号');
    expect((await refused('payment.record', { ...input, posRef: '12-34' })).message).toContain('参考号为POS小票上的6–20位数字或字母');
    // Typed with a Chinese IME: full-width digits.
    const paid = await call('payment.record', { ...input, posRef: '１２３４５６７８９０１２' });
    expect(paid).toMatchObject({ outcome: 'recorded', method: 'bank_card', posRef: '123456789012' });
    expect(db.prepare('SELECT pos_ref FROM counter_transactions WHERE id = ?').get(paid.transactionId)).toEqual({ pos_ref: '123456789012' });
    const page = await call('payer.activity', { payerId: p!.id });
    expect(page.transactions[0]).toMatchObject({ transactionId: paid.transactionId, method: 'bank_card', posRef: '123456789012', totalFen: 30000 });
    expect(page.transactions[0].canIssueReceipt).toBe(true);
    // The upstream event carries it too.
    const ev = db.prepare("SELECT payload FROM outbox WHERE kind = 'payment.recorded' AND idempotency_key = ?").get(input.transactionUid) as {
      payload: string;
    };
    expect(JSON.parse(ev.payload).posRef).toBe('123456789012');
  });
});

describe('receipts waiting for print and confirmation', () => {
  it('are listed for the operator and on the payer page with their status and actions until confirmed', async () => {
    const [p] = unpaid(1, 1);
    const paid = await payCash(p!.id);
    const { receipts } = await call('receipt.issue', { transactionId: paid.transactionId });
    const number: string = receipts[0].number;
    let waiting = await call<any[]>('receipt.waiting');
    expect(waiting.find((r) => r.number === number)).toMatchObject({ status: 'issued', actions: ['print', 'void', 'preview'], group: null });

    const page = await call('payer.activity', { payerId: p!.id });
    expect(page.transactions[0]).toMatchObject({ transactionId: paid.transactionId, receiptNumbers: [number], canIssueReceipt: false });
    expect(page.receipts.map((r: any) => [r.number, r.status])).toEqual([[number, 'issued']]);

    const printed = await call('receipt.print', { number });
    // Where it went, as a clerk names it: never a file path.
    expect(printed.sentTo).toBe('培训打印机');
    expect(printed.receipt).toMatchObject({ status: 'printed', actions: ['reprint', 'confirm', 'void', 'preview'] });
    waiting = await call<any[]>('receipt.waiting');
    expect(waiting.find((r) => r.number === number)?.status).toBe('printed');

    const confirmed = await call('receipt.confirmPrinted', { number });
    expect(confirmed).toMatchObject({ status: 'confirmed', actions: ['reissue', 'void', 'preview'] });
    waiting = await call<any[]>('receipt.waiting');
    expect(waiting.map((r) => r.number)).not.toContain(number);
  });
});

describe('nothing to collect', () => {
  it('records nothing and says 无需缴费 when the government pays the whole tier', async () => {
    const candidates = db
      .prepare(
        `SELECT p.id FROM payers p JOIN payer_special_groups g ON g.payer_id = p.id AND g.code = 'severe_disability'
         WHERE p.status = 'active' AND p.in_employee_scheme = 0 AND p.registration_date < '2026-01-01' AND p.birth_date > '1967-01-01'
           AND g.valid_from <= '2026-01-01' AND (g.valid_to IS NULL OR g.valid_to >= '2026-12-31')
           AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.payer_id = p.id AND x.year = 2026) ORDER BY p.id`,
      )
      .all() as { id: number }[];
    let payerId: number | null = null;
    let tierFen = 0;
    for (const c of candidates) {
      const payer = await call('payer.get', { payerId: c.id });
      const y = payer.assessment?.years.find((x: any) => x.year === 2026);
      const tier = y?.tiers.find((t: any) => t.payerFen === 0);
      if (tier) {
        payerId = c.id;
        tierFen = tier.tierFen;
        break;
      }
    }
    expect(payerId, 'the training county has a 重度残疾 payer whose minimum tier is paid in full').not.toBeNull();
    const quote = await call('payment.quote', { payerId, lines: [{ year: 2026, tierFen }] });
    expect(quote.totals.payerFen).toBe(0);
    const before = db.prepare('SELECT (SELECT count(*) FROM counter_transactions) AS tx, (SELECT count(*) FROM outbox) AS ev').get();
    const r = await call('payment.record', { transactionUid: uid(), payerId, lines: [{ year: 2026, tierFen }], method: 'cash', tenderedFen: null });
    expect(r.outcome).toBe('nothing_to_collect');
    expect(r.message).toMatch(/^无需缴费：2026年度个人应缴 0 元（政府代缴 [\d,.]+ 元），本次不收款、不开具缴款书。$/);
    expect(r.totals.governmentPaidFen).toBe(tierFen);
    expect(db.prepare('SELECT (SELECT count(*) FROM counter_transactions) AS tx, (SELECT count(*) FROM outbox) AS ev').get()).toEqual(before);
  });
});

describe('training: 换开 practice', () => {
  it('offers bank slip and voucher numbers that can be found and exchanged', async () => {
    const slips = await call<any[]>('training.exchangeSlips');
    expect(new Set(slips.map((s) => s.channel))).toEqual(new Set(['bank_pos', 'bank_counter', 'mobile_app']));
    expect(slips.every((s) => /^\d{6}\*+\d{4}$/.test(s.idNumberMasked) && s.status === 'exchangeable')).toBe(true);
    const slip = slips.find((s) => s.channel === 'bank_pos')!;
    const found = await call<any[]>('exchange.find', { channelRef: slip.channelRef });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ channelRef: slip.channelRef, amountFen: slip.amountFen, status: 'exchangeable' });
    const { receipts } = await call('exchange.issue', { paymentIds: [found[0].paymentId] });
    expect(receipts[0]).toMatchObject({ kind: 'exchange', totalFen: slip.amountFen, status: 'issued' });
    const after = await call<any[]>('training.exchangeSlips');
    // The exchanged one goes to the back of its channel; another number to practise with is offered.
    expect(after.filter((s) => s.channel === 'bank_pos' && s.status === 'exchangeable').length).toBeGreaterThan(0);
    expect(after.find((s) => s.channelRef === slip.channelRef)?.status ?? 'exchanged').toBe('exchanged');
    // Printed and confirmed, so that it does not wait at the close.
    await call('receipt.print', { number: receipts[0].number });
    await call('receipt.confirmPrinted', { number: receipts[0].number });
  });
});

describe('day close', () => {
  it('waits for receipts not printed and confirmed, closes with a supervisor approval, and both summaries show the same model', async () => {
    const [p] = unpaid(1, 2);
    const paid = await payCash(p!.id);
    const { receipts } = await call('receipt.issue', { transactionId: paid.transactionId });
    const number: string = receipts[0].number;

    const preview = await call('dayclose.preview');
    expect(preview.waiting.map((w: any) => w.number)).toContain(number);
    expect(preview.waiting.find((w: any) => w.number === number)).toMatchObject({ payerName: p!.name, totalFen: 30000, status: 'issued' });

    const cash = preview.cashExpectedFen;
    const refusedClose = await refused('dayclose.close', { cashCountedFen: cash });
    expect(refusedClose.code).toBe('RECEIPTS_WAITING');
    expect(refusedClose.message).toContain(number);
    expect(db.prepare('SELECT count(*) AS n FROM day_closes').get()).toEqual({ n: 0 });
    expect((await refused('dayclose.close', { cashCountedFen: cash, approval: { username: 'super', password: 'wrong' } })).code).toBe('BAD_CREDENTIALS');

    const closed = await call('dayclose.close', { cashCountedFen: cash, approval: { username: 'super', password: '5678' } });
    expect(closed.waitingApprovedBy).toBeTruthy();
    expect(closed.summary.waiting.map((w: any) => w.number)).toContain(number);
    // Receipts used = receipt numbers taken today (issued or voided), counted one by one.
    const usedToday = db
      .prepare("SELECT count(*) AS n FROM receipts WHERE business_date = '2026-06-15' AND operator_id = (SELECT id FROM operators WHERE username = 'clerk')")
      .get() as {
      n: number;
    };
    expect(closed.summary.receipts.used).toBe(usedToday.n);
    expect(usedToday.n).toBeGreaterThanOrEqual(1);

    const rec = new DayCloseService(db as never, fixedStartClock(new Date(TEST_CLOCK)), quietLog(), { timeZone: 'Asia/Shanghai' }).get(closed.no);
    const model = dayCloseModel(rec, { taxOffice: app.info().taxOffice, hallName: app.info().hallName, training: true });
    expect(model.figures).toMatchObject({ receiptsUsed: usedToday.n, transactions: closed.summary.transactions, lines: closed.summary.count, waiting: 1 });

    // The A4 summary.
    const pdf = await call('dayclose.pdf', { no: closed.no });
    const file = path.join(app.layout.dir, 'summary.pdf');
    fs.writeFileSync(file, Buffer.from(pdf.base64, 'base64'));
    const a4 = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expectModelIn(a4, model, 'a4');
    expect(squash(a4)).toContain(squash(`使用 ${usedToday.n}份`));

    // The thermal summary, decoded from the bytes the (simulated) printer received.
    const job = await call('dayclose.printSlip', { no: closed.no });
    for (let i = 0; i < 100 && (await call('print.get', { jobId: job.id })).state.match(/^(pending|sending)$/); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect((await call('print.get', { jobId: job.id })).state).toBe('printed');
    const slip = await call('training.lastSlip');
    const thermal = slip.lines.map((l: any) => l.text).join('\n');
    expect(thermal).toContain('日汇总单');
    expectModelIn(thermal, model, 'thermal');
  });
});

describe('ID input at the counter', () => {
  it('finds a payer from a number typed with full-width digits, spaces and dashes; a wrong check digit is one clear reason', async () => {
    const [p] = unpaid(1, 5);
    const id = p!.idNumber;
    const typed = `${id.slice(0, 6)} ${id.slice(6, 14)}-${id.slice(14)}`.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).toLowerCase();
    expect((await call('payer.lookup', { idNumber: typed })).id).toBe(p!.id);
    const wrong = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
    const e = await refused('payer.lookup', { idNumber: wrong });
    expect(e.code).toBe('INVALID_ID_NUMBER');
    expect(e.message).toBe('证件号码校验位不正确，请核对号码是否录入有误');
    expect(e.issues).toBeUndefined();
  });
});
