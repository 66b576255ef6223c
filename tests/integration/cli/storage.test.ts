// Issue 15: storage faults are told apart from corruption, and every CLI storage error is one
// line. A file that cannot be opened now (locked, read-only disk, full disk) is never called
// corrupt and never gets a restore offered — a restore would throw away the work since the backup.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backupDatabase, startupCheck } from '../../../electron/services/trust/backup';
import { runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/serve';
import { makeCounter } from '../sync/helpers';

const mounts: string[] = [];
afterEach(() => {
  for (const m of mounts.splice(0)) execFileSync('umount', ['-l', m], { stdio: 'ignore' });
});

function mountTmpfs(size: string): { dir: string } | { skip: string } {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return { skip: 'needs Linux and root to mount a small tmpfs' };
  const dir = tempDir('tmpfs');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    return { skip: `mount -t tmpfs failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  mounts.push(dir);
  return { dir };
}

const oneLine = (r: { out: string; err: string }) => {
  const text = `${r.out}${r.err}`;
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toMatch(/意外错误|SqliteError|Error:/);
  return text.trim().split('\n');
};

/** A counter data directory (migrated database) with one good backup. */
async function counterWithBackup(dir?: string) {
  const c = await makeCounter({ dir });
  await backupDatabase(c.db, path.join(c.dir, 'backups'));
  return c;
}

describe('db check and the start-up check tell damage from trouble opening', () => {
  it('a damaged file: db check says so in one line (exit 3); the start-up check offers the backup', async () => {
    const c = await counterWithBackup();
    c.db.close();
    fs.writeFileSync(c.file, crypto.randomBytes(16_384));
    fs.rmSync(`${c.file}-wal`, { force: true });
    fs.rmSync(`${c.file}-shm`, { force: true });
    const r = await runCli(['db', 'check', '--data-dir', c.dir]);
    expect(r.code).toBe(3);
    expect(oneLine(r)).toHaveLength(1);
    expect(r.out).toMatch(/结果: 有问题（不是数据库或无法读取）/);
    const check = startupCheck(c.file);
    expect(check).toMatchObject({ problem: 'unreadable', latestGoodBackup: { file: expect.any(String) } });
  });

  it('a sound file held by another program: cannot open (locked), not corrupt, no restore offered', async () => {
    const c = await counterWithBackup();
    c.db.close();
    const holder = new Database(c.file);
    holder.pragma('journal_mode = DELETE');
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const check = startupCheck(c.file);
      expect(check).toMatchObject({ problem: 'cannot_open', latestGoodBackup: null });
      expect(check !== 'ok' && check.message).toMatch(/锁定/);
      const r = await runCli(['db', 'check', '--data-dir', c.dir]);
      expect(r.code).toBe(3);
      expect(oneLine(r)).toHaveLength(1);
      expect(r.out).toMatch(/不要用备份替换/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(startupCheck(c.file)).toBe('ok');
  }, 30_000);

  it('a read-only disk: db check and serve each answer in one line; the start-up check offers no restore', async (ctx) => {
    const m = mountTmpfs('64m');
    if ('skip' in m) return ctx.skip(m.skip);
    const dataDir = path.join(m.dir, 'data');
    fs.mkdirSync(dataDir);
    const c = await counterWithBackup(dataDir);
    c.db.close();
    execFileSync('mount', ['-o', 'remount,ro', m.dir]);

    const check = await runCli(['db', 'check', '--data-dir', dataDir]);
    expect(check.code).toBe(3);
    expect(oneLine(check)).toHaveLength(1);
    const serve = await runCli(['serve', '--data-dir', dataDir, '--port', '0']);
    expect(serve.code).not.toBe(0);
    expect(oneLine(serve)).toHaveLength(1);
    expect(serve.err).toMatch(/EROFS|只读/);
    expect(startupCheck(path.join(dataDir, 'counter.sqlite'))).toMatchObject({ problem: 'cannot_open', latestGoodBackup: null });
  }, 30_000);

  it('a full disk: the start-up check never calls the sound database unreadable nor offers a restore', async (ctx) => {
    const m = mountTmpfs('8m');
    if ('skip' in m) return ctx.skip(m.skip);
    const c = await counterWithBackup(m.dir);
    c.db.close();
    // Fill every last byte.
    const filler = path.join(m.dir, 'filler');
    const fd = fs.openSync(filler, 'w');
    try {
      const chunk = Buffer.alloc(64 * 1024);
      for (;;) fs.writeSync(fd, chunk);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    } finally {
      fs.closeSync(fd);
    }
    const check = startupCheck(c.file);
    if (check !== 'ok') expect(check).toMatchObject({ problem: 'cannot_open', latestGoodBackup: null });
    const r = await runCli(['db', 'check', '--data-dir', c.dir]);
    oneLine(r);
  }, 30_000);
});
