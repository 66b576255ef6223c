import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/api/errors';
import { latestSchemaVersion, migrations } from './migrations';
import type { Migration } from './migrations/types';

export type Db = Database.Database;

export interface OpenOptions {
  /** Create the file if missing (first start). Otherwise a missing file is an error. */
  create?: boolean;
  readonly?: boolean;
}

/**
 * Opens the counter database with the settings the ledger needs: WAL so readers never block the
 * writer, synchronous=FULL so a confirmed payment survives power loss, foreign keys on.
 * The file is created owner-only because it holds citizens' identity data.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (!fs.existsSync(file)) {
    if (!options.create) throw new AppError('DB_CORRUPT', `数据库文件不存在：${file}`);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.closeSync(fs.openSync(file, 'a', 0o600));
  }
  let db: Db;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    // Reading the schema is the cheapest way to find a file that is not a database at all.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('DB_CORRUPT', `${'数据库文件已损坏或无法读取'}：${(error as Error).message}`);
  }
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export interface MigrationResult {
  from: number;
  to: number;
  applied: { version: number; name: string }[];
}

/**
 * Brings the schema up to date, one transaction per migration so that a failure leaves the
 * database at the last good version. A database written by a newer program is refused untouched.
 */
export function migrate(db: Db, list: readonly Migration[] = migrations): MigrationResult {
  const from = schemaVersion(db);
  const target = list.length;
  if (from > target) {
    throw new AppError('DB_TOO_NEW', `数据库版本 ${from} 高于本程序支持的版本 ${target}。请升级程序；数据库未被改动。`);
  }
  const applied: MigrationResult['applied'] = [];
  for (const m of list.slice(from)) {
    if (m.version !== schemaVersion(db) + 1) {
      throw new Error(`migration ${m.version} out of order (database at ${schemaVersion(db)})`);
    }
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push({ version: m.version, name: m.name });
  }
  return { from, to: schemaVersion(db), applied };
}

export interface CheckResult {
  ok: boolean;
  schemaVersion: number;
  latestSchemaVersion: number;
  integrity: string[];
  foreignKeyViolations: number;
}

/** PRAGMA integrity_check plus foreign keys: what `db check` and start-up report. */
export function checkDatabase(db: Db): CheckResult {
  const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  const fk = db.pragma('foreign_key_check') as unknown[];
  const version = schemaVersion(db);
  return {
    ok: integrity.length === 1 && integrity[0] === 'ok' && fk.length === 0 && version <= latestSchemaVersion,
    schemaVersion: version,
    latestSchemaVersion,
    integrity,
    foreignKeyViolations: fk.length,
  };
}

/** Deletes a database file with its WAL and shared-memory companions (used for unfinished builds only). */
export function removeDatabaseFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
}

const statementCache = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * The prepared statement for `sql` on this connection, compiled once. Preparing costs far more
 * than running a small statement, and the same few dozen statements run on every counter call.
 */
export function prepareCached(db: Db, sql: string): Database.Statement {
  let cache = statementCache.get(db);
  if (!cache) statementCache.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}
