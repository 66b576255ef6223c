import Database from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../electron/platform/db/database';
import { createLogger } from '../../../electron/platform/log';
import { appendAudit, queryAudit, verifyAuditChain } from '../../../electron/services/trust/audit';
import { backupDatabase, BackupScheduler, checkDatabaseFile, listBackups, restoreBackup, startupCheck } from '../../../electron/services/trust/backup';
import { tempDir } from '../../helpers/serve';
import { auditedDb, databaseDigest } from './helpers';

const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
const mode = (f: string) => fs.statSync(f).mode & 0o777;
const T0 = Date.parse('2026-06-15T01:00:00Z');

let open: Db[] = [];
afterEach(() => {
  for (const db of open) if (db.open) db.close();
  open = [];
});

function counter(rows = 200) {
  const c = auditedDb();
  open.push(c.db);
  c.db.exec('CREATE TABLE ledger (id INTEGER PRIMARY KEY, note TEXT NOT NULL) STRICT');
  const ins = c.db.prepare('INSERT INTO ledger (note) VALUES (?)');
  c.db.transaction(() => {
    for (let i = 0; i < rows; i++) ins.run(`payment ${i} ${'x'.repeat(100)}`);
    appendAudit(c.db, { action: 'payment.record', entity: 'payment', entityId: 1, at: new Date(T0) });
  })();
  return c;
}

/**
 * Writes garbage over the last pages (table data written last), leaving the schema intact: the
 * schema of seven migrations spans several pages at the start, so the middle could hit it.
 */
function corrupt(file: string): void {
  const fd = fs.openSync(file, 'r+');
  const size = fs.fstatSync(fd).size;
  fs.writeSync(fd, Buffer.alloc(4096 * 2, 0x5a), 0, 4096 * 2, Math.max(4096, size - 4096 * 2));
  fs.closeSync(fd);
}

describe('online backups with rotation', () => {
  it('backs up a database in use: one owner-only, self-contained, intact file per run, newest kept', async () => {
    const { db, dir } = counter();
    const folder = path.join(dir, 'second-disk', 'backups');
    fs.mkdirSync(path.dirname(folder), { recursive: true });
    fs.writeFileSync(path.join(path.dirname(folder), 'unrelated.txt'), 'x');
    const results = [];
    for (let i = 0; i < 5; i++) {
      db.prepare('INSERT INTO ledger (note) VALUES (?)').run(`after ${i}`);
      results.push(await backupDatabase(db, folder, { keep: 3, at: new Date(T0 + i * 3_600_000) }));
    }
    expect(mode(folder)).toBe(0o700);
    const kept = listBackups(folder);
    expect(kept.map((b) => b.at)).toEqual(['2026-06-15T05:00:00.000Z', '2026-06-15T04:00:00.000Z', '2026-06-15T03:00:00.000Z']);
    expect(kept[0]!.name).toBe('counter-20260615T050000000Z.sqlite');
    expect(results[3]!.removed).toEqual([path.join(folder, 'counter-20260615T010000000Z.sqlite')]);
    expect(fs.readdirSync(folder).sort()).toEqual(kept.map((b) => b.name).sort());
    expect(fs.existsSync(path.join(path.dirname(folder), 'unrelated.txt'))).toBe(true);
    for (const b of kept) {
      expect(mode(b.file)).toBe(0o600);
      expect(checkDatabaseFile(b.file)).toMatchObject({ ok: true });
    }
    const copy = new Database(kept[0]!.file, { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(copy.prepare('SELECT count(*) AS n FROM ledger').get()).toEqual({ n: 205 });
    copy.close();
    // Same instant twice: a second file, never an overwrite.
    const again = await backupDatabase(db, folder, { keep: 10, at: new Date(T0 + 4 * 3_600_000) });
    expect(again.file).not.toBe(results[4]!.file);
    expect(listBackups(folder)).toHaveLength(4);
  });

  it('the scheduler never overlaps runs; the day-close backup contains the close; no database = no run', async () => {
    const { db, dir } = counter();
    let current: Db | null = db;
    const outcomes: string[] = [];
    let tick = 0;
    const s = new BackupScheduler({
      db: () => current,
      dir: path.join(dir, 'backups'),
      keep: 10,
      intervalMs: 0,
      log: createLogger(null),
      now: () => new Date(T0 + tick++ * 1000),
      onResult: (r) => outcomes.push(r.ok ? `ok:${r.reason}` : `fail:${r.reason}`),
    });
    const a = s.runNow('schedule');
    db.prepare("INSERT INTO ledger (note) VALUES ('day close')").run();
    const b = s.runNow('day_close');
    const [ra, rb] = await Promise.all([a, b]);
    expect(outcomes).toEqual(['ok:schedule', 'ok:day_close']);
    expect(ra!.file).not.toBe(rb!.file);
    const copy = new Database(rb!.file, { readonly: true });
    expect(copy.prepare("SELECT count(*) AS n FROM ledger WHERE note = 'day close'").get()).toEqual({ n: 1 });
    copy.close();
    expect(s.lastBackup()?.file).toBe(rb!.file);
    current = null;
    expect(await s.runNow('manual')).toBeNull();
    s.start();
    await s.stop();
  });
});

describe('restore and the start-up check', () => {
  it('refuses a corrupt or foreign backup and changes nothing', async () => {
    const { db, dir, file } = counter();
    const b = await backupDatabase(db, path.join(dir, 'backups'), { at: new Date(T0) });
    db.close();
    const before = sha(file);
    const bad = path.join(dir, 'bad.sqlite');
    fs.copyFileSync(b.file, bad);
    corrupt(bad);
    const notDb = path.join(dir, 'notes.txt');
    fs.writeFileSync(notDb, 'not a database at all '.repeat(300));
    for (const f of [bad, notDb, path.join(dir, 'missing.sqlite')]) {
      expect(() => restoreBackup(f, dir)).toThrow(/未做任何改动/);
      expect(sha(file)).toBe(before);
      expect(fs.existsSync(path.join(dir, 'replaced'))).toBe(false);
      expect(fs.existsSync(`${file}.restoring`)).toBe(false);
    }
  });

  it('restores a backup and keeps the replaced database (with its WAL) aside; the restore is audited', async () => {
    const { db, dir, file } = counter();
    const b = await backupDatabase(db, path.join(dir, 'backups'), { at: new Date(T0) });
    db.prepare("INSERT INTO ledger (note) VALUES ('after the backup')").run();
    const digestBefore = databaseDigest(db);
    db.close();

    const r = restoreBackup(b.file, dir, { at: new Date(T0 + 60_000), actor: 'admin' });
    expect(r.replacedAside).toMatch(/replaced\/counter-20260615T010100000Z\.sqlite$/);
    expect(mode(path.join(dir, 'replaced'))).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    const aside = new Database(r.replacedAside!, { readonly: true });
    expect(databaseDigest(aside)).toBe(digestBefore);
    aside.close();

    const restored = new Database(file);
    open.push(restored);
    expect(restored.prepare("SELECT count(*) AS n FROM ledger WHERE note = 'after the backup'").get()).toEqual({ n: 0 });
    expect(restored.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(verifyAuditChain(restored)).toMatchObject({ ok: true, rows: 2 });
    expect(queryAudit(restored, { action: 'backup.restore' }).rows[0]).toMatchObject({ operatorUsername: 'admin', after: { from: path.basename(b.file) } });
  });

  it('start-up check: ok, missing, unreadable, corrupt, too new — with the latest good backup', async () => {
    const { db, dir, file } = counter(2000);
    const backups = path.join(dir, 'backups');
    const good = await backupDatabase(db, backups, { at: new Date(T0) });
    const newer = await backupDatabase(db, backups, { at: new Date(T0 + 1000) });
    db.close();
    corrupt(newer.file);
    expect(startupCheck(file)).toBe('ok');

    const copy = (name: string) => {
      const f = path.join(tempDir('startup'), name);
      fs.copyFileSync(file, f);
      return f;
    };
    const corrupted = copy('counter.sqlite');
    corrupt(corrupted);
    const before = sha(corrupted);
    expect(startupCheck(corrupted, { backupDirs: [backups] })).toMatchObject({ problem: 'corrupt', latestGoodBackup: { file: good.file } });
    expect(sha(corrupted)).toBe(before);

    const garbage = copy('garbage.sqlite');
    fs.writeFileSync(garbage, crypto.randomBytes(8192));
    expect(startupCheck(garbage, { backupDirs: [backups] })).toMatchObject({ problem: 'unreadable', latestGoodBackup: { file: good.file } });

    const tooNew = copy('new.sqlite');
    const t = new Database(tooNew);
    t.pragma('journal_mode = DELETE');
    t.pragma('user_version = 999');
    t.close();
    expect(startupCheck(tooNew, { backupDirs: [] })).toMatchObject({ problem: 'too_new', latestGoodBackup: null });

    expect(startupCheck(path.join(dir, 'nope.sqlite'))).toMatchObject({ problem: 'missing', latestGoodBackup: { file: good.file } });
  });
});
