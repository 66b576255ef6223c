// Helpers for the crash-safety test: the soak child (the built CLI, killed with SIGKILL) and the
// invariants that must hold in a counter database whatever moment it was killed at.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { cliBin, repoRoot } from '../../helpers/serve';

export function requireBuiltCli(): void {
  if (!fs.existsSync(path.join(repoRoot, 'out', 'main', 'cli.js'))) {
    throw new Error('out/main/cli.js is missing: run `npm run build` first (npm test does this).');
  }
}

export interface SoakChild {
  process: ChildProcess;
  output: () => string;
  /** Completed `op` lines printed so far. */
  ops: () => number;
  exited: Promise<number | null>;
}

export function spawnCli(args: string[]): SoakChild {
  const child = spawn(process.execPath, [cliBin, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let ops = 0;
  child.stdout!.on('data', (d: Buffer) => {
    const s = d.toString();
    out += s;
    ops += s.split('\n').filter((l) => l.startsWith('op ')).length;
  });
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, output: () => out, ops: () => ops, exited };
}

export function runCli(args: string[]): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [cliBin, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/**
 * Every local invariant a kill must not break. Returns a list of problems (empty when sound), so a
 * failure shows all of them at once.
 */
export function localProblems(db: Database.Database): string[] {
  const problems: string[] = [];
  const rows = <T>(sql: string) => db.prepare(sql).all() as T[];
  const expectNone = (what: string, sql: string) => {
    const found = rows<Record<string, unknown>>(sql);
    if (found.length) problems.push(`${what}: ${found.length}, e.g. ${JSON.stringify(found.slice(0, 3))}`);
  };

  // Ledger: a transaction has its payment lines (summing to its total), one outbox event and one audit row.
  expectNone(
    'counter transactions without payment lines or with lines not summing to the total',
    `SELECT t.id, t.total_fen, (SELECT count(*) FROM payments p WHERE p.transaction_id = t.id) AS n,
            (SELECT sum(amount_fen) FROM payments p WHERE p.transaction_id = t.id) AS s
     FROM counter_transactions t WHERE n = 0 OR s <> t.total_fen`,
  );
  expectNone(
    'counter transactions without exactly one payment.recorded outbox row',
    `SELECT t.uid, (SELECT count(*) FROM outbox o WHERE o.idempotency_key = t.uid AND o.kind = 'payment.recorded') AS n
     FROM counter_transactions t WHERE n <> 1`,
  );
  expectNone(
    'payment.recorded outbox rows without their transaction',
    `SELECT o.idempotency_key FROM outbox o WHERE o.kind = 'payment.recorded'
       AND NOT EXISTS (SELECT 1 FROM counter_transactions t WHERE t.uid = o.idempotency_key)`,
  );
  expectNone(
    'counter transactions without exactly one audit row',
    `SELECT t.id, (SELECT count(*) FROM audit_log a WHERE a.action = 'payment.record' AND a.entity_id = CAST(t.id AS TEXT)) AS n
     FROM counter_transactions t WHERE n <> 1`,
  );
  expectNone(
    'payment lines with a counter uid but no transaction, or the reverse',
    'SELECT id FROM payments WHERE (transaction_id IS NULL) <> (local_uid IS NULL)',
  );

  // Receipt numbers: per block, every serial from first_serial to next_serial - 1 used exactly once,
  // none outside; each state issued or voided.
  expectNone(
    'receipt blocks whose used numbers are not exactly first..next-1',
    `SELECT b.id, b.first_serial, b.next_serial, count(r.id) AS n, min(r.serial) AS lo, max(r.serial) AS hi
     FROM receipt_blocks b LEFT JOIN receipts r ON r.block_id = b.id GROUP BY b.id
     HAVING n <> b.next_serial - b.first_serial OR (n > 0 AND (lo <> b.first_serial OR hi <> b.next_serial - 1))`,
  );
  expectNone('receipts in an unknown state', "SELECT id, state FROM receipts WHERE state NOT IN ('issued', 'voided')");
  expectNone(
    'payments on two live original receipts',
    'SELECT payment_id, count(*) AS n FROM receipt_lines WHERE original = 1 AND active = 1 GROUP BY payment_id HAVING n > 1',
  );
  expectNone('receipts without lines', 'SELECT r.id FROM receipts r WHERE NOT EXISTS (SELECT 1 FROM receipt_lines l WHERE l.receipt_id = r.id)');
  expectNone(
    'voided receipts with live lines',
    "SELECT DISTINCT r.id FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.id WHERE r.state = 'voided' AND l.active = 1",
  );
  expectNone(
    'voided receipts not replaced by exactly one receipt',
    "SELECT v.id, (SELECT count(*) FROM receipts n WHERE n.replaces = v.id) AS n FROM receipts v WHERE v.state = 'voided' AND n <> 1",
  );
  expectNone(
    'receipts without exactly one receipt.issued outbox row',
    "SELECT r.uid, (SELECT count(*) FROM outbox o WHERE o.idempotency_key = 'receipt-issued-' || r.uid) AS n FROM receipts r WHERE n <> 1",
  );
  expectNone(
    'voided receipts without exactly one receipt.voided outbox row',
    "SELECT r.uid, (SELECT count(*) FROM outbox o WHERE o.idempotency_key = 'receipt-voided-' || r.uid) AS n FROM receipts r WHERE r.state = 'voided' AND n <> 1",
  );
  expectNone(
    'receipts without exactly one receipt.issue audit row',
    "SELECT r.id, (SELECT count(*) FROM audit_log a WHERE a.action = 'receipt.issue' AND a.entity_id = 'receipt-issued-' || r.uid) AS n FROM receipts r WHERE n <> 1",
  );
  expectNone(
    'counter transactions with more than one live counter receipt line per payment',
    `SELECT p.id FROM payments p JOIN receipt_lines l ON l.payment_id = p.id JOIN receipts r ON r.id = l.receipt_id
     WHERE r.kind = 'counter' AND r.state = 'issued' GROUP BY p.id HAVING count(*) > 1`,
  );

  // Exchanges: a payment exchanged at most once (UNIQUE), each with a live or replaced receipt that carries it.
  expectNone('payments exchanged twice', 'SELECT payment_id, count(*) AS n FROM exchanges GROUP BY payment_id HAVING n > 1');
  expectNone(
    'exchanges whose receipt does not carry the payment',
    'SELECT e.id FROM exchanges e WHERE NOT EXISTS (SELECT 1 FROM receipt_lines l WHERE l.receipt_id = e.receipt_id AND l.payment_id = e.payment_id)',
  );

  // Outbox: keys unique (UNIQUE), payloads valid JSON (CHECK); nothing left half-confirmed.
  expectNone('outbox rows with a result but no confirmation', 'SELECT seq FROM outbox WHERE server_result IS NOT NULL AND confirmed_at IS NULL');
  return problems;
}

export const audited = (db: Database.Database) => {
  const c = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    transactions: c('SELECT count(*) AS n FROM counter_transactions'),
    receipts: c('SELECT count(*) AS n FROM receipts'),
    voided: c("SELECT count(*) AS n FROM receipts WHERE state = 'voided'"),
    exchanges: c('SELECT count(*) AS n FROM exchanges'),
    dayCloses: c('SELECT count(*) AS n FROM day_closes'),
    outbox: c('SELECT count(*) AS n FROM outbox'),
    pending: c('SELECT count(*) AS n FROM outbox WHERE confirmed_at IS NULL'),
  };
};
