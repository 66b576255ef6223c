// Online backups of the counter database (SQLite backup API through better-sqlite3), their
// rotation, restore, and the start-up check that decides between opening the database and the
// recovery screen. Nothing here ever deletes a database that was in use: a restore moves the
// replaced file aside, and rotation deletes only files this module named.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { dataDirLayout } from '../../platform/config';
import type { Db } from '../../platform/db/database';
import { latestSchemaVersion } from '../../platform/db/migrations';
import type { Logger } from '../../platform/log';
import { appendAudit, hasAuditLog } from './audit';
import * as sql from '../../platform/db/sql';

/** counter-20260615T010000123Z.sqlite: UTC, sorts by time, safe on every file system. */
const BACKUP_NAME = /^counter-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z\.sqlite$/;
export const DEFAULT_KEEP = 14;

export function defaultBackupDir(dataDir: string): string {
  return path.join(dataDirLayout(dataDir).dir, 'backups');
}

function stamp(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, '');
}

export function backupFileName(at: Date): string {
  return `counter-${stamp(at)}.sqlite`;
}

export interface BackupInfo {
  file: string;
  name: string;
  /** UTC instant of the backup, from its name. */
  at: string;
  bytes: number;
}

/** Backups in `dir`, newest first. A missing folder has none. Other files are ignored. */
export function listBackups(dir: string): BackupInfo[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: BackupInfo[] = [];
  for (const name of names) {
    const m = BACKUP_NAME.exec(name);
    if (!m) continue;
    const file = path.join(dir, name);
    let bytes: number;
    try {
      const st = fs.statSync(file);
      if (!st.isFile()) continue;
      bytes = st.size;
    } catch {
      continue;
    }
    out.push({ file, name, at: `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`, bytes });
  }
  return out.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
}

export interface FileCheck {
  ok: boolean;
  /**
   * cannot_open: the file could not be opened or read for a reason outside it (no permission, a
   * full or failing disk, another program holding it): a restore would not help and is not
   * offered. unreadable / corrupt: the file itself is damaged.
   */
  problem?: 'missing' | 'cannot_open' | 'unreadable' | 'corrupt' | 'too_new';
  message: string;
  schemaVersion?: number;
}

/**
 * Opens a database file read-only and runs PRAGMA integrity_check (or quick_check) plus the
 * schema version. Never writes to the file, never throws for a bad file.
 */
export function checkDatabaseFile(file: string, options: { quick?: boolean } = {}): FileCheck {
  if (!fs.existsSync(file)) return { ok: false, problem: 'missing', message: `数据库文件不存在：${file}` };
  let conn: Database.Database | null = null;
  try {
    try {
      conn = new Database(file, { readonly: true, fileMustExist: true });
      sql.get(conn, 'SELECT count(*) FROM sqlite_master');
    } catch (error) {
      const cause = cannotOpenCause(file, error);
      if (cause) return { ok: false, problem: 'cannot_open', message: cause };
      return { ok: false, problem: 'unreadable', message: `数据库文件无法打开或不是数据库：${(error as Error).message}` };
    }
    const version = conn.pragma('user_version', { simple: true }) as number;
    let integrity: string[];
    try {
      integrity = (conn.pragma(options.quick ? 'quick_check' : 'integrity_check') as Record<string, string>[]).map((r) => String(Object.values(r)[0]));
    } catch (error) {
      const cause = cannotOpenCause(file, error);
      if (cause) return { ok: false, problem: 'cannot_open', message: cause, schemaVersion: version };
      return { ok: false, problem: 'corrupt', message: `完整性检查失败：${(error as Error).message}`, schemaVersion: version };
    }
    if (integrity.length !== 1 || integrity[0] !== 'ok') {
      return { ok: false, problem: 'corrupt', message: `完整性检查发现问题：${integrity.slice(0, 5).join('; ')}`, schemaVersion: version };
    }
    if (version > latestSchemaVersion) {
      return {
        ok: false,
        problem: 'too_new',
        message: `数据库版本 ${version} 高于本程序支持的版本 ${latestSchemaVersion}，请升级程序`,
        schemaVersion: version,
      };
    }
    return { ok: true, message: '正常', schemaVersion: version };
  } finally {
    conn?.close();
  }
}

/**
 * Why a sound file could not be opened or read, or null when the failure points at the file
 * itself (not a database, damaged pages). Only the file's own damage makes a restore the answer.
 */
export function cannotOpenCause(file: string, error: unknown): string | null {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return '无法打开数据库：文件正被其他程序锁定（请先停止占用它的程序）';
  if (/^SQLITE_FULL/.test(code) || code === 'ENOSPC') return '无法打开数据库：磁盘已满（请腾出空间后重新启动）';
  if (/^SQLITE_(NOTADB|CORRUPT)/.test(code)) return null;
  for (const target of [file, path.dirname(file)]) {
    try {
      fs.accessSync(target, fs.constants.R_OK | fs.constants.W_OK);
    } catch (e) {
      const c = (e as NodeJS.ErrnoException).code;
      if (c === 'EACCES' || c === 'EPERM') return '无法打开数据库：没有读写权限（请检查数据目录的所有者与权限）';
      if (c === 'EROFS') return '无法打开数据库：数据目录所在的磁盘为只读';
    }
  }
  try {
    if (fs.statfsSync(path.dirname(file)).bavail === 0) return '无法打开数据库：磁盘已满（请腾出空间后重新启动）';
  } catch {
    // No statfs: the codes above decide.
  }
  if (/^SQLITE_(CANTOPEN|IOERR|READONLY|PERM|AUTH)/.test(code)) return `无法打开数据库：${code}（文件本身可能完好，请检查磁盘与权限）`;
  return null;
}

export interface BackupOptions {
  /** How many backups to keep in `dir` (oldest deleted first); default 14, at least 1. */
  keep?: number;
  /** The instant in the file name (default now). */
  at?: Date;
}

export interface BackupResult {
  file: string;
  bytes: number;
  at: string;
  /** Older backups removed by rotation. */
  removed: string[];
}

/**
 * An online backup: better-sqlite3's db.backup() copies the database page by page while the
 * counter keeps working. The copy is written under a temporary name, switched to a single-file
 * journal, checked, made owner-only and only then given its final name; then rotation keeps the
 * newest `keep` backups. A folder it creates is owner-only.
 */
export async function backupDatabase(db: Db, dir: string, options: BackupOptions = {}): Promise<BackupResult> {
  const keep = Math.max(1, Math.trunc(options.keep ?? DEFAULT_KEEP));
  const at = options.at ?? new Date();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  let name = backupFileName(at);
  // Two backups in the same millisecond (day close right after a scheduled one): never overwrite.
  for (let t = at.getTime(); fs.existsSync(path.join(dir, name));) name = backupFileName(new Date(++t));
  const file = path.join(dir, name);
  const partial = `${file}.partial`;
  for (const f of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) fs.rmSync(f, { force: true });
  fs.closeSync(fs.openSync(partial, 'w', 0o600));
  try {
    await db.backup(partial);
    const copy = new Database(partial, { fileMustExist: true });
    try {
      // A backup is one self-contained file: no -wal beside it.
      copy.pragma('journal_mode = DELETE');
      const integrity = copy.pragma('integrity_check', { simple: true }) as string;
      if (integrity !== 'ok') throw new Error(`备份文件完整性检查失败：${integrity}`);
    } finally {
      copy.close();
    }
    fs.chmodSync(partial, 0o600);
    fs.renameSync(partial, file);
  } catch (error) {
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) fs.rmSync(f, { force: true });
    throw error;
  }
  const removed: string[] = [];
  for (const old of listBackups(dir).slice(keep)) {
    fs.rmSync(old.file, { force: true });
    removed.push(old.file);
  }
  return { file, bytes: fs.statSync(file).size, at: at.toISOString(), removed };
}

export interface RestoreResult {
  /** The database file now in place. */
  databaseFile: string;
  /** Where the database it replaced was moved (with its -wal / -shm), or null if there was none. */
  replacedAside: string | null;
  schemaVersion: number;
  /** Left in the recovery state until it has reconciled with the upstream (issue 15). */
  recoveryPending: boolean;
}

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/**
 * Puts a backup in place of the data directory's database. The backup is checked first (and its
 * copy again before the switch); the database it replaces is moved to <data dir>/replaced/ with its
 * WAL files, never deleted. Run with the app stopped (the CLI holds the instance lock). When the
 * restored database has the audit log, the restore itself is its next row. The restored database
 * is left in the recovery state until it has reconciled with the upstream.
 */
export function restoreBackup(backupFile: string, dataDir: string, options: { at?: Date; actor?: string | null } = {}): RestoreResult {
  const at = options.at ?? new Date();
  const source = path.resolve(backupFile);
  const check = checkDatabaseFile(source);
  if (!check.ok) throw new BackupError(`备份文件不可用，未做任何改动：${check.message}`);
  const layout = dataDirLayout(dataDir);
  fs.mkdirSync(layout.dir, { recursive: true, mode: 0o700 });
  const incoming = `${layout.databaseFile}.restoring`;
  for (const f of [incoming, `${incoming}-wal`, `${incoming}-shm`, `${incoming}-journal`]) fs.rmSync(f, { force: true });
  fs.copyFileSync(source, incoming);
  fs.chmodSync(incoming, 0o600);
  const copyCheck = checkDatabaseFile(incoming);
  if (!copyCheck.ok) {
    fs.rmSync(incoming, { force: true });
    throw new BackupError(`备份复制后检查失败，未做任何改动：${copyCheck.message}`);
  }

  let replacedAside: string | null = null;
  if (fs.existsSync(layout.databaseFile)) {
    const asideDir = path.join(layout.dir, 'replaced');
    fs.mkdirSync(asideDir, { recursive: true, mode: 0o700 });
    let aside = path.join(asideDir, `counter-${stamp(at)}.sqlite`);
    for (let i = 1; fs.existsSync(aside); i++) aside = path.join(asideDir, `counter-${stamp(at)}-${i}.sqlite`);
    // The WAL files travel with their database so that the replaced copy stays consistent.
    for (const suffix of ['-wal', '-shm', '-journal']) {
      if (fs.existsSync(layout.databaseFile + suffix)) fs.renameSync(layout.databaseFile + suffix, aside + suffix);
    }
    fs.renameSync(layout.databaseFile, aside);
    replacedAside = aside;
  }
  fs.renameSync(incoming, layout.databaseFile);

  const conn = new Database(layout.databaseFile, { fileMustExist: true });
  let recoveryPending = false;
  try {
    conn.pragma('journal_mode = WAL');
    conn.pragma('synchronous = FULL');
    // Issue 15: a restored file has gone back in time. Until the counter has compared it with
    // the upstream and read back the work done since the backup, it takes no payment and issues
    // no receipt (the recovery gate of migration 0012 reads this row).
    // A stand-alone counter (no upstream in config.json) has no second copy to reconcile with.
    let standalone = false;
    try {
      standalone = !!fs.existsSync(layout.configFile) && !(JSON.parse(fs.readFileSync(layout.configFile, 'utf8')) as { upstream?: unknown }).upstream;
    } catch {
      standalone = false;
    }
    recoveryPending = !standalone && !!sql.get(conn, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'");
    if (recoveryPending) {
      sql.run(
        conn,
        "INSERT INTO settings (key, value) VALUES ('recovery.pending', ?) ON CONFLICT (key) DO NOTHING",
        JSON.stringify({ reason: 'restore', since: at.toISOString() }),
      );
    }
    if (hasAuditLog(conn)) {
      conn.transaction(() =>
        appendAudit(conn, {
          action: 'backup.restore',
          entity: 'database',
          actor: { username: options.actor ?? null },
          after: { from: path.basename(source), replacedAside: replacedAside && path.basename(replacedAside) },
          at,
        }),
      )();
    }
  } finally {
    conn.close();
  }
  return { databaseFile: layout.databaseFile, replacedAside, schemaVersion: copyCheck.schemaVersion ?? 0, recoveryPending };
}

export type StartupProblem = {
  problem: 'missing' | 'cannot_open' | 'unreadable' | 'corrupt' | 'too_new';
  message: string;
  /** The newest backup that passes the integrity check, to offer on the recovery screen. */
  latestGoodBackup: BackupInfo | null;
};

/**
 * What the app runs before opening its database: 'ok', or the problem for the recovery screen
 * (restore the latest good backup, re-sync from upstream). It never creates or repairs anything.
 * `missing` is only a problem when the configuration says the database should exist.
 */
export function startupCheck(dbFile: string, options: { backupDirs?: string[]; quick?: boolean } = {}): 'ok' | StartupProblem {
  const check = checkDatabaseFile(dbFile, { quick: options.quick });
  if (check.ok) return 'ok';
  const dirs = options.backupDirs ?? [defaultBackupDir(path.dirname(dbFile))];
  const problem = check.problem ?? 'corrupt';
  // A file that is fine but cannot be opened now (permission, full disk, locked) is never
  // replaced: a restore would throw away the work since the backup (issue 15).
  return { problem, message: check.message, latestGoodBackup: problem === 'cannot_open' ? null : latestGoodBackup(dirs) };
}

/** The newest backup across `dirs` whose integrity check passes and whose schema this program reads. */
export function latestGoodBackup(dirs: string[]): BackupInfo | null {
  const all = dirs.flatMap((d) => listBackups(d)).sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  for (const b of all) if (checkDatabaseFile(b.file).ok) return b;
  return null;
}

export interface BackupSchedulerOptions {
  /** The open database; null while it is not (start-up, recovery): the run is skipped. */
  db: () => Db | null;
  dir: string;
  keep?: number;
  /** Interval between scheduled backups; 0 = only explicit runs. */
  intervalMs: number;
  log: Logger;
  now?: () => Date;
  onResult?: (result: { ok: true; backup: BackupResult; reason: BackupReason } | { ok: false; error: string; reason: BackupReason }) => void;
}

export type BackupReason = 'schedule' | 'day_close' | 'manual';

/**
 * Backups on a timer and on demand (the day close calls runNow('day_close') after its
 * transaction commits). Runs never overlap: a run asked for while one is going starts after it,
 * so the day-close backup always contains the close.
 */
export class BackupScheduler {
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private last: BackupResult | null = null;

  constructor(private readonly options: BackupSchedulerOptions) {}

  start(): void {
    if (this.timer || this.options.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      this.runNow('schedule').catch(() => {});
    }, this.options.intervalMs);
    this.timer.unref();
  }

  stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return this.chain.then(
      () => undefined,
      () => undefined,
    );
  }

  lastBackup(): BackupResult | null {
    return this.last;
  }

  /** Resolves with the backup, or null when there is no open database; rejects when it failed. */
  runNow(reason: BackupReason): Promise<BackupResult | null> {
    const run = this.chain.then(
      () => this.runOnce(reason),
      () => this.runOnce(reason),
    );
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async runOnce(reason: BackupReason): Promise<BackupResult | null> {
    const db = this.options.db();
    if (!db?.open) return null;
    try {
      const backup = await backupDatabase(db, this.options.dir, { keep: this.options.keep, at: this.options.now?.() });
      this.last = backup;
      this.options.log.info({ file: backup.file, bytes: backup.bytes, removed: backup.removed.length, reason }, 'database backed up');
      this.options.onResult?.({ ok: true, backup, reason });
      return backup;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.options.log.error({ err: error, reason, dir: this.options.dir }, 'database backup failed');
      this.options.onResult?.({ ok: false, error: message, reason });
      throw error;
    }
  }
}
