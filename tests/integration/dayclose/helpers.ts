// Shared set-up for the day-close tests: the counter database of the receipt tests with migration
// 0006 applied on top (it is registered by the lead after 0005), a second clerk, and a generated
// business day written straight into the ledger (thousands of payments over several operators,
// counters, methods, years, tiers and neighbouring days), with the receipts, voids, 补开 and
// exchanges made through the real ReceiptService. The generator keeps its own list of what it
// wrote so that the tests can sum it independently of the SQL in computeDaySummary.
import { mulberry32 } from '../../../electron/services/demo/rng';
import crypto from 'node:crypto';
import { migrate, type Db } from '../../../electron/platform/db/database';
import { migration0007 } from '../../../electron/platform/db/migrations/0007-day-close';
import { migrations } from '../../../electron/platform/db/migrations';
import type { PaymentMethod } from '../../../shared/api/views';
import type { ReceiptContext } from '../../../electron/services/receipts';
import { bankPayments, receiptCounter, receiptService, SERIES, type Operators } from '../receipts/helpers';
import type { Counter } from '../sync/helpers';
import { AS_OF } from '../sync/helpers';

export { AS_OF };

/** Applies the registered migrations and, until the lead registers it, the day-close migration after them. */
export function migrateDayClose(db: Db): void {
  const list = migrations.includes(migration0007) ? migrations : [...migrations, migration0007];
  if (list.indexOf(migration0007) !== migration0007.version - 1)
    throw new Error(`day-close migration registered at position ${list.indexOf(migration0007) + 1}, expected ${migration0007.version}`);
  migrate(db, list);
}

export interface DayOps extends Operators {
  clerk2: number;
}

export async function dayCloseCounter(options: { payers?: number; dir?: string } = {}): Promise<Counter & { ops: DayOps }> {
  const c = await receiptCounter(options);
  migrateDayClose(c.db);
  c.db
    .prepare("INSERT INTO operators (username, display_name, role, password_hash, created_at) VALUES ('clerk2', '第二柜员', 'clerk', 'x', ?)")
    .run('2026-06-01T00:00:00.000Z');
  const clerk2 = (c.db.prepare("SELECT id FROM operators WHERE username = 'clerk2'").get() as { id: number }).id;
  return { ...c, ops: { ...c.ops, clerk2 } };
}

/** A small seeded PRNG. */
export const prng = mulberry32;

export interface GenLine {
  paymentId: number;
  year: number;
  tierFen: number;
  amountFen: number;
  subsidyFen: number;
  governmentPaidFen: number;
  backPayment: boolean;
}

export interface GenTx {
  id: number;
  businessDate: string;
  operatorId: number;
  counterNo: number;
  method: PaymentMethod;
  totalFen: number;
  tenderedFen: number | null;
  changeFen: number | null;
  lines: GenLine[];
}

const TIERS = [20_000, 30_000, 50_000, 100_000, 200_000, 300_000];
const METHODS: PaymentMethod[] = ['cash', 'bank_card', 'qr'];

function shiftFor(db: Db, operatorId: number, counterNo: number): number {
  const row = db.prepare('SELECT id FROM shifts WHERE operator_id = ? AND counter_no = ? AND closed_at IS NULL').get(operatorId, counterNo) as
    { id: number } | undefined;
  return (
    row?.id ??
    Number(
      db.prepare('INSERT INTO shifts (operator_id, counter_no, opened_at) VALUES (?, ?, ?)').run(operatorId, counterNo, '2026-06-01T00:00:00.000Z')
        .lastInsertRowid,
    )
  );
}

/** Writes n counter transactions on the given dates, as PaymentService.record writes them (ledger rows only). */
export function generateTransactions(
  db: Db,
  rand: () => number,
  n: number,
  options: { dates: string[]; operators: number[]; counters: number[]; currentYear?: number },
): GenTx[] {
  const payers = (db.prepare('SELECT id FROM payers ORDER BY id').all() as { id: number }[]).map((p) => p.id);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
  const currentYear = options.currentYear ?? 2026;
  const insTx = db.prepare(
    `INSERT INTO counter_transactions (uid, payer_id, operator_id, shift_id, counter_no, business_date, method, total_fen, tendered_fen, change_fen, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insLine = db.prepare(
    `INSERT INTO payments (payer_id, year, tier_fen, amount_fen, channel, paid_at, created_at, transaction_id, local_uid, subsidy_fen, government_paid_fen, back_payment)
     VALUES (?, ?, ?, ?, 'counter', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const out: GenTx[] = [];
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const payerId = pick(payers);
      const operatorId = pick(options.operators);
      const counterNo = pick(options.counters);
      const businessDate = pick(options.dates);
      const method = pick(METHODS);
      const years = 1 + Math.floor(rand() * 4);
      const lines = Array.from({ length: years }, (_, k) => {
        const year = currentYear - k - (k > 0 ? Math.floor(rand() * 3) : 0);
        const tierFen = pick(TIERS);
        // Special groups pay less than the tier (government pays part): amount < tier sometimes.
        const governmentPaidFen = rand() < 0.1 ? Math.min(tierFen, 10_000) : 0;
        return {
          year,
          tierFen,
          amountFen: tierFen - governmentPaidFen,
          subsidyFen: year === currentYear ? pick([3_000, 4_000, 6_000]) : 0,
          governmentPaidFen,
          backPayment: year < currentYear,
        };
      });
      // A payer paying only 代缴 years would total 0: the schema wants total > 0.
      if (lines.every((l) => l.amountFen === 0)) lines[0]!.amountFen = lines[0]!.tierFen;
      const totalFen = lines.reduce((s, l) => s + l.amountFen, 0);
      const tenderedFen = method === 'cash' ? totalFen + pick([0, 0, 50, 1_000, 10_000]) : null;
      const changeFen = tenderedFen === null ? null : tenderedFen - totalFen;
      const at = `${businessDate}T03:00:00.000Z`;
      const id = Number(
        insTx.run(
          crypto.randomUUID(),
          payerId,
          operatorId,
          shiftFor(db, operatorId, counterNo),
          counterNo,
          businessDate,
          method,
          totalFen,
          tenderedFen,
          changeFen,
          at,
        ).lastInsertRowid,
      );
      const withIds = lines.map((l) => ({
        ...l,
        paymentId: Number(
          insLine.run(payerId, l.year, l.tierFen, l.amountFen, at, at, id, crypto.randomUUID(), l.subsidyFen, l.governmentPaidFen, l.backPayment ? 1 : 0)
            .lastInsertRowid,
        ),
      }));
      out.push({ id, businessDate, operatorId, counterNo, method, totalFen, tenderedFen, changeFen, lines: withIds });
    }
  })();
  return out;
}

export interface GenReceipts {
  /** number → state, reason, operator, kind. */
  receipts: Map<
    string,
    {
      operatorId: number;
      kind: 'counter' | 'exchange' | 'reissue';
      state: 'issued' | 'voided';
      reason: string | null;
      totalFen: number;
      replacedBy: string | null;
      reissueOf: string | null;
    }
  >;
  exchanges: { operatorId: number; channel: string; amountFen: number }[];
}

export function ctxOf(db: Db, operatorId: number, counterNo = 1): ReceiptContext {
  const o = db.prepare('SELECT username, display_name FROM operators WHERE id = ?').get(operatorId) as { username: string; display_name: string };
  return { operatorId, operatorUsername: o.username, operatorName: o.display_name, counterNo };
}

/**
 * Receipts for a share of the day's transactions (the receipt service's clock is on AS_OF), some
 * voided and reissued in place, some 补开, and exchanges of bank and app payments.
 */
export async function generateReceipts(
  db: Db,
  rand: () => number,
  txs: GenTx[],
  ops: DayOps,
  counts: { issue: number; voids: number; reissues: number; exchanges: number; leaveWaiting?: boolean },
): Promise<GenReceipts> {
  const service = receiptService(db, { formLineLimit: 2 });
  service.addBlock({ operatorId: ops.clerk, series: SERIES, firstSerial: 1, lastSerial: 4000, serialDigits: 8 }, ops.supervisor);
  service.addBlock({ operatorId: ops.clerk2, series: SERIES, firstSerial: 10_001, lastSerial: 14_000, serialDigits: 8 }, ops.supervisor);
  const out: GenReceipts = { receipts: new Map(), exchanges: [] };
  const day = txs.filter((t) => t.businessDate === AS_OF && (t.operatorId === ops.clerk || t.operatorId === ops.clerk2));
  for (const t of day.slice(0, counts.issue)) {
    for (const r of service.issueForTransaction(t.id, ctxOf(db, t.operatorId, t.counterNo)).receipts) {
      out.receipts.set(r.number, {
        operatorId: t.operatorId,
        kind: 'counter',
        state: 'issued',
        reason: null,
        totalFen: r.totalFen,
        replacedBy: null,
        reissueOf: null,
      });
    }
  }
  const live = () => [...out.receipts].filter(([, r]) => r.state === 'issued');
  for (let i = 0; i < counts.voids; i++) {
    const list = live();
    const [number, r] = list[Math.floor(rand() * list.length)]!;
    const reason = `打印错位${i + 1}`;
    const created = service.voidAndReissue(number, reason, ops.supervisor, ctxOf(db, r.operatorId));
    r.state = 'voided';
    r.reason = reason;
    r.replacedBy = created.number;
    out.receipts.set(created.number, {
      operatorId: r.operatorId,
      kind: r.kind,
      state: 'issued',
      reason: null,
      totalFen: created.totalFen,
      replacedBy: null,
      reissueOf: r.reissueOf,
    });
  }
  for (let i = 0; i < counts.reissues; i++) {
    const list = live().filter(([, r]) => r.kind === 'counter');
    const [number, r] = list[Math.floor(rand() * list.length)]!;
    if (service.get(number).printState !== 'confirmed') {
      service.printDocument(number);
      service.confirmPrinted(number);
    }
    const created = service.reissue(number, `缴费人遗失${i + 1}`, ops.supervisor, ctxOf(db, r.operatorId));
    out.receipts.set(created.number, {
      operatorId: r.operatorId,
      kind: 'reissue',
      state: 'issued',
      reason: `缴费人遗失${i + 1}`,
      totalFen: created.totalFen,
      replacedBy: null,
      reissueOf: number,
    });
  }
  for (const p of bankPayments(db, counts.exchanges)) {
    const operatorId = rand() < 0.5 ? ops.clerk : ops.clerk2;
    const { receipts } = await service.exchange({ paymentId: p.id }, ctxOf(db, operatorId, 2), null);
    for (const r of receipts)
      out.receipts.set(r.number, { operatorId, kind: 'exchange', state: 'issued', reason: null, totalFen: r.totalFen, replacedBy: null, reissueOf: null });
    out.exchanges.push({ operatorId, channel: p.channel, amountFen: p.amountFen });
  }
  // A careful clerk prints and confirms every receipt before closing the day (a close waits for
  // receipts still issued or printed; tests of that guard leave some unconfirmed on purpose).
  if (counts.leaveWaiting !== true) {
    for (const [number, r] of live()) {
      const v = service.get(number);
      if (r.state !== 'issued' || v.printState === 'confirmed') continue;
      if (v.printCount === 0) service.printDocument(number);
      service.confirmPrinted(number);
    }
  }
  return out;
}

/** Sums by key, as plain objects sorted by key, for comparing with the summary's rows. */
export function tally<T>(items: readonly T[], key: (t: T) => string, amount: (t: T) => number): Record<string, { count: number; amountFen: number }> {
  const m: Record<string, { count: number; amountFen: number }> = {};
  for (const it of items) {
    const k = key(it);
    m[k] ??= { count: 0, amountFen: 0 };
    m[k].count += 1;
    m[k].amountFen += amount(it);
  }
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1)));
}
