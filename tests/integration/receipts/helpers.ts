// Shared set-up for the receipt tests: a counter database with the training operators and a small
// demo county (the same county the reference upstream builds from the same seed), a receipt
// service on it, counter payments taken through PaymentService, and the invariants every
// sequence of receipt operations must keep.
import { fixedStartClock } from '../../../electron/platform/clock';
import type { Db } from '../../../electron/platform/db/database';
import { ReceiptService, type ReceiptContext } from '../../../electron/services/receipts';
import { makeCounter, quietLog, recordCounterPayment, START, unpaidPayers, type Counter, type CounterDb } from '../sync/helpers';

export const TAX_OFFICE = '国家税务总局示范县税务局';
export const SERIES = '(2026)示税现';

export interface Operators {
  clerk: number;
  supervisor: number;
  admin: number;
}

export function operators(db: Db): Operators {
  const id = (u: string) => (db.prepare('SELECT id FROM operators WHERE username = ?').get(u) as { id: number }).id;
  return { clerk: id('clerk'), supervisor: id('super'), admin: id('admin') };
}

export function clerkContext(db: Db, counterNo = 1): ReceiptContext {
  return { operatorId: operators(db).clerk, operatorUsername: 'clerk', operatorName: '演示柜员', counterNo };
}

export function receiptService(db: Db, options: { training?: boolean; formLineLimit?: number } = {}): ReceiptService {
  return new ReceiptService(db, fixedStartClock(new Date(START.getTime() + 2 * 3_600_000)), quietLog(), {
    training: options.training ?? true,
    taxOffice: TAX_OFFICE,
    timeZone: 'Asia/Shanghai',
    formLineLimit: options.formLineLimit ?? 5,
  });
}

export type ReceiptCounter = Counter & { ops: Operators };

export async function receiptCounter(options: { payers?: number; dir?: string } = {}): Promise<ReceiptCounter> {
  const c = await makeCounter({ seedPayers: options.payers ?? 40, dir: options.dir });
  return { ...c, ops: operators(c.db) };
}

/**
 * A bank-card payment of one payer for the given years at one tier (300 yuan unless given), taken
 * through PaymentService as payment.record takes it; returns its transaction id.
 */
export function counterPayment(c: CounterDb, idNumber: string, years: number[], tierFen = 30_000): number {
  return transactionId(
    c.db,
    recordCounterPayment(
      c,
      idNumber,
      years.map((year) => ({ year, tierFen })),
    ),
  );
}

export function transactionId(db: Db, uid: string): number {
  return (db.prepare('SELECT id FROM counter_transactions WHERE uid = ?').get(uid) as { id: number }).id;
}

/** Payers the counter may take `years` from (this year unless given). */
export function customers(db: Db, n: number, years: readonly number[] = [2026]): string[] {
  return unpaidPayers(db, years, n);
}

/** Bank and app payments of the demo county that can be exchanged. */
export function bankPayments(db: Db, n: number): { id: number; channel: string; channelRef: string; payerId: number; year: number; amountFen: number }[] {
  return db
    .prepare(
      `SELECT id, channel, channel_ref AS channelRef, payer_id AS payerId, year, amount_fen AS amountFen FROM payments
       WHERE channel <> 'counter' AND channel_ref IS NOT NULL AND amount_fen > 0 ORDER BY id LIMIT ?`,
    )
    .all(n) as { id: number; channel: string; channelRef: string; payerId: number; year: number; amountFen: number }[];
}

/**
 * What must hold after any sequence of operations: within each block the numbers used are exactly
 * first..next-1, each used once (issued or voided, never both); nothing beyond next; every void has
 * its reason and approver; a payment is exchanged at most once and on at most one live original
 * receipt; every issue and void has its outbox event; the stock balance adds up.
 */
export function checkInvariants(db: Db, service: ReceiptService): string[] {
  const problems: string[] = [];
  const blocks = db.prepare('SELECT id, first_serial, last_serial, next_serial, handed_back_from FROM receipt_blocks').all() as {
    id: number;
    first_serial: number;
    last_serial: number;
    next_serial: number;
    handed_back_from: number | null;
  }[];
  for (const b of blocks) {
    const serials = (db.prepare('SELECT serial FROM receipts WHERE block_id = ? ORDER BY serial').all(b.id) as { serial: number }[]).map((r) => r.serial);
    const expected = Array.from({ length: b.next_serial - b.first_serial }, (_, i) => b.first_serial + i);
    if (JSON.stringify(serials) !== JSON.stringify(expected))
      problems.push(`block ${b.id}: used ${JSON.stringify(serials)}, expected ${JSON.stringify(expected)}`);
  }
  const numbers = db.prepare('SELECT number FROM receipts').all() as { number: string }[];
  if (new Set(numbers.map((n) => n.number)).size !== numbers.length) problems.push('a receipt number appears twice');
  const badVoids = db.prepare("SELECT count(*) AS n FROM receipts WHERE state = 'voided' AND (void_reason IS NULL OR void_approved_by IS NULL)").get() as {
    n: number;
  };
  if (badVoids.n > 0) problems.push(`${badVoids.n} voids without reason or approver`);
  const twiceExchanged = db.prepare('SELECT count(*) AS n FROM (SELECT payment_id FROM exchanges GROUP BY payment_id HAVING count(*) > 1)').get() as {
    n: number;
  };
  if (twiceExchanged.n > 0) problems.push('a payment exchanged twice');
  const twiceLive = db
    .prepare('SELECT count(*) AS n FROM (SELECT payment_id FROM receipt_lines WHERE original = 1 AND active = 1 GROUP BY payment_id HAVING count(*) > 1)')
    .get() as { n: number };
  if (twiceLive.n > 0) problems.push('a payment on two live receipts');
  const exchangedNotLive = db
    .prepare(
      `SELECT count(*) AS n FROM exchanges e WHERE NOT EXISTS (SELECT 1 FROM receipt_lines l JOIN receipts r ON r.id = l.receipt_id
         WHERE l.payment_id = e.payment_id AND l.original = 1 AND l.active = 1 AND r.id = e.receipt_id AND r.state = 'issued')`,
    )
    .get() as { n: number };
  if (exchangedNotLive.n > 0) problems.push('an exchanged payment without its live receipt');
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  if (count("SELECT count(*) AS n FROM outbox WHERE kind = 'receipt.issued'") !== count('SELECT count(*) AS n FROM receipts'))
    problems.push('receipt.issued events ≠ receipts');
  if (count("SELECT count(*) AS n FROM outbox WHERE kind = 'receipt.voided'") !== count("SELECT count(*) AS n FROM receipts WHERE state = 'voided'"))
    problems.push('receipt.voided events ≠ voids');
  if (count("SELECT count(*) AS n FROM outbox WHERE kind = 'exchange.claimed'") !== count('SELECT count(*) AS n FROM exchanges'))
    problems.push('exchange.claimed events ≠ exchanges');
  for (const row of service.stockBalance()) {
    if (row.received !== row.issued + row.voided + row.left + row.handedBack)
      problems.push(`stock of ${row.operatorUsername} does not add up: ${JSON.stringify(row)}`);
  }
  return problems;
}
