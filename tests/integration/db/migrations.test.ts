import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDatabase, migrate, openDatabase, schemaVersion } from '../../../electron/services/db/database';
import { latestSchemaVersion, migrations } from '../../../electron/services/db/migrations';
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
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as { name: string; sql: string }[];
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
    expect(() => db.prepare("INSERT INTO payments (payer_id, year, tier_fen, amount_fen, channel, paid_at, created_at) VALUES (99, 2024, 1, 1, 'counter', 'x', 'x')").run()).toThrow(/FOREIGN KEY/);
    // Two payments for one year (offline counter + app) are both kept: a conflict, not an error.
    pay.run(2025, 20000, 20000, 'counter', null);
    expect((db.prepare('SELECT count(*) AS n FROM payments WHERE year = 2025').get() as { n: number }).n).toBe(2);
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
    fs.writeFileSync(file, 'this is not a database, but it is somebody\'s file'.repeat(100));
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
