import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../../electron/services/app';
import { fixedStartClock } from '../../../electron/platform/clock';
import { openDatabase } from '../../../electron/platform/db/database';
import { createLogger } from '../../../electron/platform/log';
import { EventBus } from '../../../electron/platform/events';
import { PayerDisplayService, type Timers } from '../../../electron/services/payer-display/service';
import { computeDaySummary } from '../../../electron/services/dayclose/summary';
import { buildDaySummaryModel } from '../../../electron/services/dayclose/model';
import type { Envelope } from '../../../shared/api/errors';
import { maskPersonName, type PayerDisplayState } from '../../../shared/payer-display';
import { repoRoot, tempDir, TEST_CLOCK } from '../../helpers/serve';

process.env.PENSION_COUNTER_ROOT ??= repoRoot;

describe("the payer's screen shows masked, priced steps and records the rating", () => {
  let app: AppServices;
  let db: Database.Database;
  const events: PayerDisplayState[] = [];
  const call = async <T>(method: string, input: unknown = {}) => {
    const r = (await app.dispatch(method, input, { transport: 'direct' })) as Envelope<T>;
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  const payable = (offset: number) =>
    db
      .prepare(
        `SELECT id, name, id_number FROM payers p WHERE status = 'active' AND registration_date < '2026-06-01'
           AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.payer_id = p.id AND x.year = 2026)
           AND NOT EXISTS (SELECT 1 FROM payer_special_groups g WHERE g.payer_id = p.id) ORDER BY id LIMIT 1 OFFSET ?`,
      )
      .get(offset) as { id: number; name: string; id_number: string };

  beforeAll(async () => {
    app = createAppServices({ dataDir: tempDir('payerview'), demoPayers: 200, clock: fixedStartClock(new Date(TEST_CLOCK)) });
    await app.ready;
    app.events.subscribe((name, payload) => {
      if (name === 'payer.display') events.push(payload as PayerDisplayState);
    });
    db = new Database(path.join(app.layout.dir, 'counter.sqlite'), { readonly: true });
    await call('session.signIn', { username: 'clerk', password: '1234', counterNo: 3 });
  });
  afterAll(async () => {
    db.close();
    await app.close();
  });

  it('masks names the way the hall does', () => {
    expect(maskPersonName('李四华')).toBe('李*华');
    expect(maskPersonName('张三')).toBe('张*');
    expect(maskPersonName('欧阳娜娜')).toBe('欧**娜');
    // A rare character outside the BMP counts as one character.
    expect(maskPersonName('王𠮷明')).toBe('王*明');
  });

  it('prices the chosen year itself and never carries the full ID number', async () => {
    const p = payable(3);
    const shown = await call<PayerDisplayState>('display.publish', {
      stage: 'payer',
      payerId: p.id,
      lines: [{ year: 2026, tierFen: 20000 }],
      method: 'cash',
      tenderedFen: 50000,
    });
    expect(shown.stage).toBe('payer');
    if (shown.stage !== 'payer') return;
    expect(shown.payer.name).toBe(maskPersonName(p.name));
    expect(shown.payer.idNumberMasked).toBe(`${p.id_number.slice(0, 6)}********${p.id_number.slice(-4)}`);
    expect(shown.counterNo).toBe(3);
    expect(shown.amounts).toMatchObject({ payerFen: 20000, capitals: '贰佰元整', tenderedFen: 50000, changeFen: 30000 });
    expect(shown.amounts!.lines[0]).toMatchObject({ year: 2026, tierFen: 20000, payerFen: 20000 });
    expect(shown.amounts!.subsidyFen).toBeGreaterThan(0);
    const everything = JSON.stringify(events);
    expect(everything).not.toContain(p.id_number);
    expect(everything).not.toContain(p.name.length > 1 ? p.name : '\u0000');
  });

  it('a payment: 缴费成功 with slip and receipt number, the question, the rating recorded and sent upstream', async () => {
    const p = payable(4);
    await call('display.publish', { stage: 'payer', payerId: p.id, lines: [{ year: 2026, tierFen: 20000 }], method: 'cash', tenderedFen: 30000 });
    const paid = await call<{ transactionId: number }>('payment.record', {
      transactionUid: '00000000-0000-4000-8000-0000000000b1',
      payerId: p.id,
      lines: [{ year: 2026, tierFen: 20000 }],
      method: 'cash',
      tenderedFen: 30000,
    });
    const success = await call<PayerDisplayState>('display.publish', { stage: 'paid', transactionId: paid.transactionId });
    expect(success).toMatchObject({ stage: 'paid', slipNo: expect.stringMatching(/^\d{8}-\d{6}$/), receiptNumbers: [] });
    if (success.stage !== 'paid') return;
    expect(success.amounts).toMatchObject({ payerFen: 20000, tenderedFen: 30000, changeFen: 10000, capitals: '贰佰元整' });
    const issued = await call<{ receipts: { number: string }[] }>('receipt.issue', { transactionId: paid.transactionId });
    const again = await call<PayerDisplayState>('display.publish', { stage: 'paid', transactionId: paid.transactionId });
    expect(again).toMatchObject({ stage: 'paid', receiptNumbers: [issued.receipts[0]!.number] });
    // The clerk presses 下一位: the payer is asked first.
    const asked = await call<PayerDisplayState>('display.publish', { stage: 'idle' });
    expect(asked.stage).toBe('evaluate');
    if (asked.stage !== 'evaluate') return;
    // Reasons only for the two lowest levels; a stale question cannot be answered.
    await expect(call('evaluation.submit', { evaluationId: asked.evaluationId, level: 'satisfied', reasons: ['slow'] })).rejects.toThrow(/VALIDATION/);
    await expect(call('evaluation.submit', { evaluationId: 'other', level: 'satisfied' })).rejects.toThrow(/VALIDATION/);
    const thanks = await call<PayerDisplayState>('evaluation.submit', { evaluationId: asked.evaluationId, level: 'dissatisfied', reasons: ['waited_long'] });
    expect(thanks.stage).toBe('thanks');
    await expect(call('evaluation.submit', { evaluationId: asked.evaluationId, level: 'very_satisfied' })).rejects.toThrow(/VALIDATION/);

    const row = db
      .prepare('SELECT e.*, o.username FROM service_evaluations e JOIN operators o ON o.id = e.operator_id WHERE transaction_id = ?')
      .get(paid.transactionId) as Record<string, unknown>;
    expect(row).toMatchObject({
      outcome: 'rated',
      level: 'dissatisfied',
      reasons: '["waited_long"]',
      counter_no: 3,
      username: 'clerk',
      business_date: '2026-06-15',
    });
    const out = db.prepare("SELECT payload FROM outbox WHERE kind = 'evaluation.recorded'").all() as { payload: string }[];
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0]!.payload)).toMatchObject({
      level: 'dissatisfied',
      reasons: ['waited_long'],
      operatorUsername: 'clerk',
      counterNo: 3,
      transactionUid: '00000000-0000-4000-8000-0000000000b1',
    });
  });

  it('the next payer arriving leaves the question 未评价 (recorded, not sent upstream); counts per operator and day', async () => {
    const p = payable(5);
    const paid = await call<{ transactionId: number }>('payment.record', {
      transactionUid: '00000000-0000-4000-8000-0000000000b2',
      payerId: p.id,
      lines: [{ year: 2026, tierFen: 20000 }],
      method: 'cash',
      tenderedFen: null,
    });
    await call('display.publish', { stage: 'paid', transactionId: paid.transactionId });
    expect((await call<PayerDisplayState>('display.publish', { stage: 'idle' })).stage).toBe('evaluate');
    const next = await call<PayerDisplayState>('display.publish', { stage: 'payer', payerId: payable(6).id, lines: [], method: 'cash', tenderedFen: null });
    expect(next).toMatchObject({ stage: 'payer', amounts: null });
    expect(db.prepare('SELECT outcome, level FROM service_evaluations WHERE transaction_id = ?').get(paid.transactionId)).toEqual({
      outcome: 'skipped',
      level: null,
    });
    expect(db.prepare("SELECT count(*) AS n FROM outbox WHERE kind = 'evaluation.recorded'").get()).toEqual({ n: 1 });

    await call('session.signOut');
    // Signing out clears the payer's screen: the next operator's payer does not see the last name.
    expect(await call('display.state')).toMatchObject({ stage: 'idle', counterNo: null });
    await call('session.signIn', { username: 'super', password: '5678', counterNo: 9 });
    const counts = await call<{ operatorUsername: string; businessDate: string; counts: Record<string, number>; skipped: number; rated: number }[]>(
      'evaluation.counts',
      {},
    );
    expect(counts).toEqual([
      expect.objectContaining({
        operatorUsername: 'clerk',
        businessDate: '2026-06-15',
        rated: 1,
        skipped: 1,
        counts: expect.objectContaining({ dissatisfied: 1, very_satisfied: 0 }),
      }),
    ]);
    await call('session.signOut');
    await call('session.signIn', { username: 'clerk', password: '1234', counterNo: 3 });
  });

  it("another operator's transaction cannot be put on this screen", async () => {
    await expect(call('display.publish', { stage: 'paid', transactionId: 999_999 })).rejects.toThrow(/VALIDATION/);
    // The counter cannot hand the payer's screen a name or an ID number of its own: only ids.
    const p = payable(8);
    await expect(
      call('display.publish', { stage: 'payer', payerId: p.id, lines: [], method: 'cash', tenderedFen: null, name: p.name, idNumber: p.id_number }),
    ).rejects.toThrow(/VALIDATION/);
  });

  it('a question left unanswered is withdrawn after the configured time and recorded as 未评价', async () => {
    const p = payable(7);
    const paid = await call<{ transactionId: number }>('payment.record', {
      transactionUid: '00000000-0000-4000-8000-0000000000b3',
      payerId: p.id,
      lines: [{ year: 2026, tierFen: 20000 }],
      method: 'cash',
      tenderedFen: null,
    });
    // A service of its own on the same database, with timers the test runs by hand.
    const pending: { run: () => void; ms: number }[] = [];
    const timers: Timers = { set: (run, ms) => pending.push({ run, ms }) - 1, clear: (h) => void (pending[h as number] = { run: () => {}, ms: -1 }) };
    const rw = openDatabase(path.join(app.layout.dir, 'counter.sqlite'));
    const shown: PayerDisplayState[] = [];
    const bus = new EventBus();
    bus.subscribe((_n, s) => shown.push(s as PayerDisplayState));
    const svc = new PayerDisplayService({
      db: rw,
      clock: { now: () => new Date(TEST_CLOCK) },
      events: bus,
      log: createLogger(path.join(app.layout.dir, 'logs-test'), { stderr: false }),
      training: true,
      hallName: '示范厅',
      quote: () => ({ ok: false, errors: [] }),
      period: () => ({ year: 2026, from: '2026-01-01', to: '2026-12-31', ended: false }),
      evaluationSeconds: () => 20,
      successMs: 4000,
      timers,
    });
    const clerk = db.prepare("SELECT id FROM operators WHERE username = 'clerk'").get() as { id: number };
    svc.publish({ stage: 'paid', transactionId: paid.transactionId }, { operatorId: clerk.id, operatorUsername: 'clerk', counterNo: 3 });
    expect(pending.at(-1)!.ms).toBe(4000);
    pending.at(-1)!.run();
    expect(svc.current()).toMatchObject({ stage: 'evaluate', training: true, deadline: '2026-06-15T01:00:20.000Z' });
    expect(pending.at(-1)!.ms).toBe(20_000);
    pending.at(-1)!.run();
    expect(svc.current()).toMatchObject({ stage: 'idle', period: { to: '2026-12-31' } });
    expect(shown.map((s) => s.stage)).toEqual(['paid', 'evaluate', 'idle']);
    expect(rw.prepare('SELECT outcome FROM service_evaluations WHERE transaction_id = ?').get(paid.transactionId)).toEqual({ outcome: 'skipped' });
    svc.close();
    rw.close();
  });

  it("the 日汇总单 (thermal and A4 draw the same model) carries the day's ratings of the operator", () => {
    const clerk = db.prepare("SELECT id FROM operators WHERE username = 'clerk'").get() as { id: number };
    const summary = computeDaySummary(db, { businessDate: '2026-06-15', operatorId: clerk.id });
    expect(summary.evaluations).toEqual({
      counts: { very_satisfied: 0, satisfied: 0, basic: 0, dissatisfied: 1, very_dissatisfied: 0 },
      skipped: 2,
    });
    const model = buildDaySummaryModel(
      summary,
      { taxOffice: '税务局', hallName: '示范厅', operator: '演示柜员（clerk）', counter: '3号窗口', training: true },
      null,
    );
    expect(model.sections.find((x) => x.key === 'byYear')!.notes).toContain(
      '服务评价（好差评）：非常满意 0、满意 0、基本满意 0、不满意 1、非常不满意 0；未评价 2。',
    );
    // Another operator's day has none of them.
    const other = computeDaySummary(db, { businessDate: '2026-06-15', operatorId: clerk.id + 1000 });
    expect(other.evaluations).toEqual({ counts: { very_satisfied: 0, satisfied: 0, basic: 0, dissatisfied: 0, very_dissatisfied: 0 }, skipped: 0 });
  });
});
