import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDatabase, migrate, openDatabase, schemaVersion } from '../../../electron/platform/db/database';
import { latestSchemaVersion, migrations } from '../../../electron/platform/db/migrations';
import { tempDir } from '../../helpers/serve';

const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

describe('database and numbered migrations', () => {
  it('numbers migrations 1..n without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(latestSchemaVersion).toBe(migrations.length);
  });

  it('creates an owner-only WAL database with FULL sync and migrates it to the latest version', () => {
    const file = path.join(tempDir('db'), 'counter.sqlite');
    const db = openDatabase(file, { create: true });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    const r = migrate(db);
    expect(r).toMatchObject({ from: 0, to: latestSchemaVersion });
    expect(migrate(db).applied).toEqual([]);
    // Every table is STRICT: a string in an integer column is an error, not a silent coercion.
    // (sqlite_sequence is SQLite's own bookkeeping for AUTOINCREMENT keys, e.g. day-close numbers.)
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; sql: string }[];
    for (const t of tables) expect(t.sql, t.name).toMatch(/\)\s*STRICT/);
    expect(checkDatabase(db).ok).toBe(true);
    db.close();
  });

  it('migration 1: the ledger rejects impossible rows and keeps channel references unique', () => {
    const db = openDatabase(path.join(tempDir('db'), 'c.sqlite'), { create: true });
    migrate(db);
    db.prepare(
      `INSERT INTO payers (id_number, name, name_initials, gender, birth_date, town, village, address, registration_date, status, updated_at)
       VALUES ('52012319700101001X', '张三', 'zs', 'male', '1970-01-01', '镇', '村', '址', '2015-01-01', 'active', 'now')`,
    ).run();
    const pay = db.prepare(
      "INSERT INTO payments (payer_id, year, tier_fen, amount_fen, channel, channel_ref, paid_at, created_at) VALUES (1, ?, ?, ?, ?, ?, 'now', 'now')",
    );
    pay.run(2025, 20000, 20000, 'bank_pos', 'POS-1');
    expect(() => pay.run(2024, 20000, 20000, 'bank_pos', 'POS-1')).toThrow(/UNIQUE/);
    expect(() => pay.run(2024, 0, 0, 'counter', null)).toThrow(/CHECK/);
    expect(() => pay.run(2024, '二百元', 20000, 'counter', null)).toThrow(/cannot store TEXT value in INTEGER column|datatype mismatch/);
    expect(() => pay.run(2024, 20000, 20000, 'cash', null)).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare("INSERT INTO payments (payer_id, year, tier_fen, amount_fen, channel, paid_at, created_at) VALUES (99, 2024, 1, 1, 'counter', 'x', 'x')")
        .run(),
    ).toThrow(/FOREIGN KEY/);
    // Two payments for one year (offline counter + app) are both kept: a conflict, not an error.
    pay.run(2025, 20000, 20000, 'counter', null);
    expect((db.prepare('SELECT count(*) AS n FROM payments WHERE year = 2025').get() as { n: number }).n).toBe(2);
    db.close();
  });

  it('migration 2: cash change must add up, outbox payloads must be JSON, a payment line uid is unique', () => {
    const db = openDatabase(path.join(tempDir('db'), 'm2.sqlite'), { create: true });
    migrate(db);
    db.exec(`
      INSERT INTO payers (id_number, name, name_initials, gender, birth_date, town, village, address, registration_date, status, updated_at)
        VALUES ('52012319700101001X', '张三', 'zs', 'male', '1970-01-01', '镇', '村', '址', '2015-01-01', 'active', 'now');
      INSERT INTO operators (username, display_name, role, password_hash, created_at) VALUES ('c', 'c', 'clerk', 'x', 'now');
      INSERT INTO shifts (operator_id, counter_no, opened_at) VALUES (1, 1, 'now');`);
    const tx = db.prepare(
      `INSERT INTO counter_transactions (uid, payer_id, operator_id, shift_id, counter_no, business_date, method, total_fen, tendered_fen, change_fen, created_at)
       VALUES (?, 1, 1, 1, 1, '2026-06-15', ?, ?, ?, ?, 'now')`,
    );
    tx.run('t1', 'cash', 30000, 50000, 20000);
    expect(() => tx.run('t2', 'cash', 30000, 50000, 10000)).toThrow(/CHECK/); // wrong change
    expect(() => tx.run('t3', 'cash', 30000, 20000, -10000)).toThrow(/CHECK/); // not enough tendered
    expect(() => tx.run('t1', 'bank_card', 30000, null, null)).toThrow(/UNIQUE/); // same uid twice
    expect(() => db.prepare("INSERT INTO outbox (idempotency_key, kind, payload, created_at) VALUES ('k', 'x', '{not json', 'now')").run()).toThrow(/CHECK/);
    const line = db.prepare(
      "INSERT INTO payments (payer_id, year, tier_fen, amount_fen, channel, paid_at, created_at, transaction_id, local_uid) VALUES (1, ?, 30000, 30000, 'counter', 'now', 'now', 1, ?)",
    );
    line.run(2026, 'L1');
    expect(() => line.run(2025, 'L1')).toThrow(/UNIQUE/);
    db.close();
  });

  it("migration 6: a counter transaction's lines and a payment's print job are found by index, not by scanning the ledger", () => {
    const db = openDatabase(path.join(tempDir('db'), 'm6.sqlite'), { create: true });
    migrate(db);
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan('SELECT * FROM payments WHERE transaction_id = 1')).toContain('USING INDEX payments_transaction');
    expect(plan("SELECT * FROM print_jobs WHERE ref_id = 1 AND kind = 'payment_slip'")).toContain('USING INDEX print_jobs_ref');
    db.close();
  });

  it('refuses a database from a newer program and leaves the file untouched', () => {
    const file = path.join(tempDir('db'), 'newer.sqlite');
    const db = openDatabase(file, { create: true });
    migrate(db);
    db.pragma(`user_version = ${latestSchemaVersion + 1}`);
    db.close();
    const before = sha(file);
    const again = openDatabase(file);
    expect(() => migrate(again)).toThrow(/高于本程序支持的版本/);
    expect(schemaVersion(again)).toBe(latestSchemaVersion + 1);
    again.close();
    expect(sha(file)).toBe(before);
  });

  it('reports a file that is not a database instead of re-creating it', () => {
    const file = path.join(tempDir('db'), 'garbage.sqlite');
    fs.writeFileSync(file, "this is not a database, but it is somebody's file".repeat(100));
    const before = sha(file);
    expect(() => openDatabase(file)).toThrow(/损坏或无法读取/);
    expect(sha(file)).toBe(before);
  });

  it('a failing migration leaves the database at the last good version', () => {
    const db = openDatabase(path.join(tempDir('db'), 'fail.sqlite'), { create: true });
    const broken = [
      ...migrations,
      { version: migrations.length + 1, name: 'broken', up: (d: typeof db) => d.exec('CREATE TABLE half (x INTEGER) STRICT; SELECT * FROM no_such_table;') },
    ];
    expect(() => migrate(db, broken)).toThrow(/no_such_table/);
    expect(schemaVersion(db)).toBe(latestSchemaVersion);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 });
    db.close();
  });
});
