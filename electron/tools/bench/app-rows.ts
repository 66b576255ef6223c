// Rows measured through the API boundary (dispatch: input validation, access rules, the service,
// output validation), on the counter data directory the first sync filled, each beside a raw
// better-sqlite3 baseline on the same file where one makes sense.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PayerView } from '../../../shared/api/views';
import type { AppServices } from '../../services/app';
import { migrate, openDatabase } from '../../platform/db/database';
import { paymentSlip } from '../../devices/printer/slips';
import type { BenchContext } from './context';
import { measure, measureSync, sampler, type Stats } from './stats';
import type { RowResult } from './table';

const ctxDirect = { transport: 'direct' } as const;

/** Calls the API and unwraps the envelope; a refusal is a failed row. */
export async function call<T>(app: AppServices, method: string, input: unknown): Promise<T> {
  const r = await app.dispatch(method, input, ctxDirect);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

export interface AppRowsInput {
  ctx: BenchContext;
  app: AppServices;
  /** The counter database file (read by the raw baselines through their own connection). */
  file: string;
}

function payerSample(raw: Database.Database, n: number, seed: number): { id: number; id_number: string; name: string; name_initials: string }[] {
  const count = (raw.prepare('SELECT max(id) AS n FROM payers').get() as { n: number }).n;
  const get = raw.prepare('SELECT id, id_number, name, name_initials FROM payers WHERE id = ?');
  const rnd = sampler(seed);
  const out: { id: number; id_number: string; name: string; name_initials: string }[] = [];
  while (out.length < n) {
    const row = get.get(1 + Math.floor(rnd() * count)) as (typeof out)[number] | undefined;
    if (row) out.push(row);
  }
  return out;
}

const latencyTarget = (stats: Stats, baseline: Stats) => stats.p99 <= 2 * baseline.p99 && stats.p99 < 1;

export async function lookupRow({ ctx, app, file }: AppRowsInput): Promise<RowResult> {
  const raw = new Database(file, { readonly: true });
  try {
    const n = ctx.iterations(5000, 50);
    const sample = payerSample(raw, n + 200, 1);
    const pk = raw.prepare('SELECT * FROM payers WHERE id_number = ?');
    const baseline = measureSync((i) => pk.get(sample[i % sample.length]!.id_number), { iterations: n, warmup: 200 });
    const stats = await measure((i) => call(app, 'payer.lookup', { idNumber: sample[i % sample.length]!.id_number }), { iterations: n, warmup: 200 });
    return {
      id: 'lookup',
      operation: 'payer lookup by ID number (API payer.lookup)',
      status: 'ok',
      stats,
      unit: 'ops/s',
      baseline: { label: 'raw prepared key lookup', stats: baseline, compare: 'p99' },
      target: { text: 'p99 ≤ 2× raw and < 1 ms', met: latencyTarget(stats, baseline) },
      note: `${n} random payers; the API answer is the whole payer page (registry, every year, policy assessment); raw = SELECT * FROM payers WHERE id_number = ?`,
    };
  } finally {
    raw.close();
  }
}

export async function searchRow({ ctx, app, file }: AppRowsInput): Promise<RowResult> {
  const raw = new Database(file, { readonly: true });
  try {
    const n = ctx.iterations(2000, 40);
    // Half Han prefixes (surname + first given character), half pinyin initials, as typed.
    const queries = payerSample(raw, n, 2).map((p, i) => (i % 2 === 0 ? Array.from(p.name).slice(0, 2).join('') : p.name_initials.slice(0, 2)));
    const byName = raw.prepare(
      'SELECT id, name, id_number, gender, birth_date, town, village FROM payers WHERE name >= ? AND name < ? ORDER BY name, id LIMIT 21',
    );
    const byInitials = raw.prepare(
      'SELECT id, name, id_number, gender, birth_date, town, village FROM payers WHERE name_initials >= ? AND name_initials < ? ORDER BY name_initials, id LIMIT 21',
    );
    const upper = (q: string) => {
      const points = Array.from(q);
      const last = points.pop()!;
      return points.join('') + String.fromCodePoint(last.codePointAt(0)! + 1);
    };
    const baseline = measureSync(
      (i) => {
        const q = queries[i % n]!;
        return (/^[a-z]+$/.test(q) ? byInitials : byName).all(q, upper(q));
      },
      { iterations: n, warmup: 100 },
    );
    const stats = await measure((i) => call(app, 'payer.search', { query: queries[i % n]!, limit: 20 }), { iterations: n, warmup: 100 });
    return {
      id: 'search',
      operation: 'name / pinyin-initials search (API payer.search, 20 hits)',
      status: 'ok',
      stats,
      unit: 'ops/s',
      baseline: { label: 'raw prepared range query', stats: baseline, compare: 'p99' },
      note: `${n} queries, half 2-character name prefixes (张伟…), half 2-letter initials (zw…); raw = the same index range query, prepared once`,
    };
  } finally {
    raw.close();
  }
}

export async function payerPageRow({ ctx, app, file }: AppRowsInput): Promise<RowResult> {
  const raw = new Database(file, { readonly: true });
  try {
    const n = ctx.iterations(2000, 40);
    const sample = payerSample(raw, n + 100, 3);
    const payer = raw.prepare('SELECT * FROM payers WHERE id = ?');
    const groups = raw.prepare('SELECT code, valid_from, valid_to FROM payer_special_groups WHERE payer_id = ? ORDER BY valid_from');
    const payments = raw.prepare(
      'SELECT id, year, tier_fen, amount_fen, channel, channel_ref, paid_at FROM payments WHERE payer_id = ? ORDER BY year DESC, paid_at',
    );
    const baseline = measureSync(
      (i) => {
        const id = sample[i % sample.length]!.id;
        return [payer.get(id), groups.all(id), payments.all(id)];
      },
      { iterations: n, warmup: 100 },
    );
    let years = 0;
    const stats = await measure(
      async (i) => {
        const v = await call<PayerView>(app, 'payer.get', { payerId: sample[i % sample.length]!.id });
        years += v.years.length;
      },
      { iterations: n, warmup: 100 },
    );
    return {
      id: 'payer-page',
      operation: "payer page's full data (API payer.get)",
      status: 'ok',
      stats,
      unit: 'ops/s',
      baseline: { label: 'raw: payer row + groups + payments', stats: baseline, compare: 'p99' },
      note: `registry, special groups, every year since registration (avg ${(years / (n + 100)).toFixed(1)}), policy assessment; raw = the three prepared queries`,
    };
  } finally {
    raw.close();
  }
}

/** A payer with at least ten unpaid years that the policy lets them pay now. */
async function payerWithUnpaidYears(
  app: AppServices,
  raw: Database.Database,
  year: number,
  want: number,
): Promise<{ payer: PayerView; lines: { year: number; tierFen: number }[] }> {
  const candidates = raw
    .prepare(
      `SELECT p.id FROM payers p
        WHERE p.status = 'active' AND p.in_employee_scheme = 0 AND p.registration_date < '2015-01-01' AND p.birth_date > ?
          AND NOT EXISTS (SELECT 1 FROM payer_special_groups g WHERE g.payer_id = p.id)
          AND (SELECT count(*) FROM payments x WHERE x.payer_id = p.id) <= ? - CAST(substr(p.registration_date, 1, 4) AS INTEGER) - ?
        ORDER BY p.id LIMIT 200`,
    )
    .all(`${year - 55}-01-01`, year, want) as { id: number }[];
  let best: { payer: PayerView; lines: { year: number; tierFen: number }[] } | null = null;
  for (const c of candidates) {
    const payer = await call<PayerView>(app, 'payer.get', { payerId: c.id });
    const lines = (payer.assessment?.years ?? [])
      .filter((y) => y.payable && y.paid === null && y.kind === 'back_payment' && y.tiers.length > 0)
      .map((y) => ({ year: y.year, tierFen: y.tiers[0]!.tierFen }));
    if (!best || lines.length > best.lines.length) best = { payer, lines };
    if (lines.length >= want) return { payer, lines: lines.slice(0, want) };
  }
  if (!best) throw new Error('no payer with unpaid years in this county');
  return best;
}

export async function quoteRow({ ctx, app, file }: AppRowsInput): Promise<RowResult> {
  const raw = new Database(file, { readonly: true });
  try {
    const { payer, lines } = await payerWithUnpaidYears(app, raw, ctx.year, 10);
    const n = ctx.iterations(1000, 30);
    const first = await call<{ ok: boolean }>(app, 'payment.quote', { payerId: payer.id, lines });
    if (!first.ok) throw new Error(`the quote was refused: ${JSON.stringify(first)}`);
    const stats = await measure(() => call(app, 'payment.quote', { payerId: payer.id, lines }), { iterations: n, warmup: 50 });
    return {
      id: 'quote',
      operation: `policy engine quote, payer with ${lines.length} unpaid years (API payment.quote)`,
      status: 'ok',
      stats,
      unit: 'ops/s',
      note: `back-payment of ${lines.length} years (${lines[lines.length - 1]?.year}–${lines[0]?.year}); includes reading the payer and assessing every year`,
    };
  } finally {
    raw.close();
  }
}

/**
 * The raw baseline of recording: the same four inserts (transaction, payment line, outbox event,
 * print job) in one IMMEDIATE transaction on a database with the same schema and pragmas (WAL,
 * synchronous=FULL): the price of one durable commit on this disk.
 */
function rawRecordBaseline(ctx: BenchContext, n: number): Stats {
  const dir = path.join(ctx.work, 'raw-record');
  fs.mkdirSync(dir, { recursive: true });
  const db = openDatabase(path.join(dir, 'raw.sqlite'), { create: true });
  try {
    migrate(db);
    const now = new Date(ctx.clockIso).toISOString();
    db.prepare("INSERT INTO operators (id, username, display_name, role, password_hash, created_at) VALUES (1, 'c', 'c', 'clerk', 'x', ?)").run(now);
    db.prepare('INSERT INTO shifts (id, operator_id, counter_no, opened_at) VALUES (1, 1, 1, ?)').run(now);
    db.prepare(
      `INSERT INTO payers (id, id_number, name, name_initials, gender, birth_date, town, village, address, registration_date, status, updated_at)
       VALUES (1, '529901198001010011', '张三', 'zs', 'male', '1980-01-01', '镇', '村', '地址', '2014-01-01', 'active', ?)`,
    ).run(now);
    const tx = db.prepare(
      `INSERT INTO counter_transactions (uid, payer_id, operator_id, shift_id, counter_no, business_date, method, total_fen, tendered_fen, change_fen, created_at)
       VALUES (?, 1, 1, 1, 1, ?, 'cash', 20000, 20000, 0, ?)`,
    );
    const line = db.prepare(
      `INSERT INTO payments (payer_id, year, tier_fen, amount_fen, channel, paid_at, created_at, transaction_id, local_uid, subsidy_fen, government_paid_fen, government_paid_split)
       VALUES (1, ?, 20000, 20000, 'counter', ?, ?, ?, ?, 3000, 0, '[]')`,
    );
    const outbox = db.prepare("INSERT INTO outbox (idempotency_key, kind, payload, created_at) VALUES (?, 'payment.recorded', ?, ?)");
    const job = db.prepare("INSERT INTO print_jobs (kind, ref_id, payload, state, created_at) VALUES ('payment_slip', ?, ?, 'pending', ?)");
    const record = db.transaction((i: number) => {
      const uid = randomUUID();
      const txId = Number(tx.run(uid, ctx.asOf, now).lastInsertRowid);
      const localUid = randomUUID();
      line.run(2000 + (i % 200), now, now, txId, localUid);
      outbox.run(
        uid,
        JSON.stringify({
          transactionUid: uid,
          counterNo: 1,
          operatorUsername: 'clerk',
          businessDate: ctx.asOf,
          paidAt: now,
          method: 'cash',
          lines: [{ localUid, year: ctx.year }],
        }),
        now,
      );
      job.run(txId, JSON.stringify({ transactionId: txId }), now);
    });
    return measureSync((i) => record.immediate(i), { iterations: n, warmup: 20 });
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Payers who can pay this year's contribution with the open tier today (active, resident scheme,
 * registered before June, under 60, no special group, nothing paid this year yet), by id.
 */
export function payersWhoCanPay(file: string, ctx: BenchContext, limit: number): number[] {
  const raw = new Database(file, { readonly: true });
  try {
    return (
      raw
        .prepare(
          `SELECT id FROM payers p
            WHERE status = 'active' AND in_employee_scheme = 0 AND id > 20 AND registration_date < ? AND birth_date > ?
              AND NOT EXISTS (SELECT 1 FROM payer_special_groups g WHERE g.payer_id = p.id)
              AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.payer_id = p.id AND x.year = ?)
            ORDER BY id LIMIT ?`,
        )
        .all(`${ctx.year}-06-01`, `${ctx.year - 59}-01-01`, ctx.year, limit) as { id: number }[]
    ).map((r) => r.id);
  } finally {
    raw.close();
  }
}

/** One cash payment of this year at the open tier through the API (recordRow's call); null when refused. */
export async function recordPayment(app: AppServices, ctx: BenchContext, payerId: number): Promise<number | null> {
  const r = await app.dispatch(
    'payment.record',
    { transactionUid: randomUUID(), payerId, lines: [{ year: ctx.year, tierFen: ctx.tiersFen[0]! }], method: 'cash', tenderedFen: null },
    ctxDirect,
  );
  return r.ok ? (r.value as { transactionId: number }).transactionId : null;
}

export async function recordRow({ ctx, app, file }: AppRowsInput): Promise<RowResult> {
  const candidates = payersWhoCanPay(file, ctx, ctx.iterations(1000, 30) + 100);
  let synchronous: number;
  {
    // synchronous is per connection: ask one opened the way the app opens its own.
    const probe = openDatabase(file);
    synchronous = probe.pragma('synchronous', { simple: true }) as number;
    probe.close();
  }
  const n = Math.min(ctx.iterations(1000, 30), candidates.length - 20);
  if (n <= 0) throw new Error('no payers left who could pay this year');
  const baseline = rawRecordBaseline(ctx, n);
  let refused = 0;
  const stats = await measure(
    async (i) => {
      if ((await recordPayment(app, ctx, candidates[i % candidates.length]!)) === null) refused++;
    },
    { iterations: n, warmup: 20 },
  );
  if (refused > n / 10) throw new Error(`${refused} of ${n} payments were refused`);
  return {
    id: 'record',
    operation: 'record a payment (API payment.record: ledger + outbox + print job)',
    status: 'ok',
    stats,
    unit: 'payments/s',
    baseline: { label: 'raw: same 4 inserts, one durable commit', stats: baseline, compare: 'p99' },
    target: { text: 'p99 < 5 ms, synchronous=FULL', met: stats.p99 < 5 && synchronous === 2 },
    note: `${n} payments, one after another; connection opened with synchronous=${synchronous === 2 ? 'FULL' : synchronous}, WAL${refused ? `; ${refused} refused by policy` : ''}`,
  };
}

export function slipRow(ctx: BenchContext): RowResult {
  const n = ctx.iterations(5000, 50);
  const data = {
    hallName: '示范县税务局第一办税服务厅',
    counter: '3号窗口',
    slipNo: '20260615-000123',
    payerName: '陈国强',
    idNumber: '529901197411020035',
    lines: [
      { year: 2026, tierFen: 50000, amountFen: 50000 },
      { year: 2023, tierFen: 30000, amountFen: 30000, backPay: true },
      { year: 2021, tierFen: 30000, amountFen: 30000, backPay: true },
    ],
    totalFen: 110000,
    paymentMethod: '现金',
    cash: { tenderedFen: 120000, changeFen: 10000 },
    operator: '演示柜员',
    paidAt: new Date(ctx.clockIso),
    timeZone: 'Asia/Shanghai',
    qrPayload: `PC:${randomUUID()}`,
  };
  let bytes = 0;
  const stats = measureSync(
    () => {
      bytes = paymentSlip(data, { width: 80, training: true }).length;
    },
    { iterations: n, warmup: 100 },
  );
  return {
    id: 'slip',
    operation: 'thermal slip encoding (ESC/POS, GB18030, QR)',
    status: 'ok',
    stats,
    unit: 'slips/s',
    note: `80 mm payment slip, 3 years, cash; ${bytes} bytes`,
  };
}
