// Crash safety (issue 10), storage faults: a full disk and a database that became read-only. The
// clerk gets a clear zh-CN error (STORAGE_UNAVAILABLE), never INTERNAL, and no partial record is
// left: the transaction, its payment lines, outbox row and audit row are all absent. Both cases
// need a small file system of their own (tmpfs), which needs root; without it they are skipped
// with the reason.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../../electron/services/app';
import { fixedStartClock } from '../../../electron/platform/clock';
import { errorMessages, type Envelope } from '../../../shared/api/errors';
import type { PayerView } from '../../../shared/api/views';
import { tempDir } from '../../helpers/serve';
import { START } from '../sync/helpers';
import { localProblems } from './crash-helpers';

/** Mounts a tmpfs of `size` on a new directory, or says why it cannot. */
function mountTmpfs(size: string): { dir: string } | { skip: string } {
  const dir = tempDir('storage');
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return { skip: 'needs Linux and root to mount a small tmpfs' };
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
    return { dir };
  } catch (error) {
    return { skip: `mount -t tmpfs failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

const mounts: string[] = [];
let app: AppServices | null = null;
afterEach(async () => {
  await app?.close().catch(() => {});
  app = null;
  for (const m of mounts.splice(0)) {
    try {
      execFileSync('umount', ['-l', m], { stdio: 'pipe' });
    } catch {
      // already gone
    }
  }
});

async function startCounter(dataDir: string): Promise<AppServices> {
  const a = createAppServices({ dataDir, clock: fixedStartClock(START), demoPayers: 200 });
  await a.ready;
  const r = await a.dispatch('session.signIn', { username: 'clerk', password: '1234', counterNo: 1 }, { transport: 'direct' });
  expect(r.ok).toBe(true);
  return a;
}

/** Payers with the current year payable, and the first allowed tier. */
async function payable(a: AppServices, dataDir: string, n: number): Promise<{ payerId: number; year: number; tierFen: number }[]> {
  const db = new Database(path.join(dataDir, 'counter.sqlite'), { readonly: true });
  const ids = (db.prepare("SELECT id FROM payers WHERE status = 'active' ORDER BY id").all() as { id: number }[]).map((r) => r.id);
  db.close();
  const out: { payerId: number; year: number; tierFen: number }[] = [];
  for (const payerId of ids) {
    const r = (await a.dispatch('payer.get', { payerId }, { transport: 'direct' })) as Envelope<PayerView>;
    const y = r.ok ? r.value.assessment?.years.find((x) => x.payable && x.tiers.some((t) => !t.reserved)) : undefined;
    if (y) out.push({ payerId, year: y.year, tierFen: y.tiers.find((t) => !t.reserved)!.tierFen });
    if (out.length >= n) break;
  }
  return out;
}

const record = (a: AppServices, uid: string, p: { payerId: number; year: number; tierFen: number }) =>
  a.dispatch(
    'payment.record',
    { transactionUid: uid, payerId: p.payerId, lines: [{ year: p.year, tierFen: p.tierFen }], method: 'cash', tenderedFen: null },
    { transport: 'direct' },
  );

function nothingRecorded(dataDir: string, uid: string): void {
  const db = new Database(path.join(dataDir, 'counter.sqlite'), { readonly: true });
  try {
    const n = (sql: string) => (db.prepare(sql).get(uid) as { n: number }).n;
    expect(n('SELECT count(*) AS n FROM counter_transactions WHERE uid = ?')).toBe(0);
    expect(n("SELECT count(*) AS n FROM payments WHERE local_uid LIKE ? || '-%'")).toBe(0);
    expect(n('SELECT count(*) AS n FROM outbox WHERE idempotency_key = ?')).toBe(0);
    expect(localProblems(db)).toEqual([]);
  } finally {
    db.close();
  }
}

describe('storage faults give a clear error and leave no partial record', () => {
  it('full disk: payment.record answers STORAGE_UNAVAILABLE; after space is freed the same uid records once', async (ctx) => {
    const m = mountTmpfs('48m');
    if ('skip' in m) return ctx.skip(m.skip);
    mounts.push(m.dir);
    const dataDir = path.join(m.dir, 'data');
    app = await startCounter(dataDir);
    const payers = await payable(app, dataDir, 120);
    // Fill the file system to the last block.
    const filler = path.join(m.dir, 'filler');
    const fd = fs.openSync(filler, 'w');
    for (const size of [1 << 20, 4096, 512, 1]) {
      const chunk = Buffer.alloc(size);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    }
    fs.closeSync(fd);
    // SQLite may still have room in WAL pages it wrote before: pay until a write needs new space.
    let failed: { uid: string; p: (typeof payers)[number]; error: { code: string; message: string } } | null = null;
    for (const p of payers) {
      const uid = crypto.randomUUID();
      const r = await record(app, uid, p);
      if (!r.ok) {
        failed = { uid, p, error: r.error };
        break;
      }
    }
    expect(failed, 'a full disk must stop a payment').not.toBeNull();
    expect(failed!.error).toEqual({ code: 'STORAGE_UNAVAILABLE', message: errorMessages.STORAGE_UNAVAILABLE });
    // Free the space: the app carries on, and the same payment (same uid) is recorded once.
    fs.rmSync(filler);
    nothingRecorded(dataDir, failed!.uid);
    const again = await record(app, failed!.uid, failed!.p);
    expect(again.ok, JSON.stringify(again)).toBe(true);
    await app.close();
    app = null;
    const db = new Database(path.join(dataDir, 'counter.sqlite'), { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM counter_transactions WHERE uid = ?').get(failed!.uid)).toEqual({ n: 1 });
    expect(localProblems(db)).toEqual([]);
    db.close();
  }, 60_000);

  it('read-only database file: the first write (sign-in) answers STORAGE_UNAVAILABLE, nothing is recorded', async (ctx) => {
    const m = mountTmpfs('48m');
    if ('skip' in m) return ctx.skip(m.skip);
    mounts.push(m.dir);
    const dataDir = path.join(m.dir, 'data');
    app = await startCounter(dataDir);
    const [p] = await payable(app, dataDir, 1);
    await app.close();
    app = null;
    const file = path.join(dataDir, 'counter.sqlite');
    // A clean close leaves no -wal / -shm; the file alone becomes read-only. We run as root, for whom
    // chmod 0444 changes nothing, so the file is bind-mounted read-only onto itself. (Turning the
    // volume read-only under the running app is refused by the kernel while the file is open for
    // writing: EBUSY.)
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('counter.sqlite-'))).toEqual([]);
    execFileSync('mount', ['--bind', file, file], { stdio: 'pipe' });
    mounts.unshift(file);
    execFileSync('mount', ['-o', 'remount,bind,ro', file], { stdio: 'pipe' });
    const before = counts(dataDir);

    app = createAppServices({ dataDir, clock: fixedStartClock(START) });
    await app.ready;
    const storage = { ok: false, error: { code: 'STORAGE_UNAVAILABLE', message: errorMessages.STORAGE_UNAVAILABLE } };
    expect(await app.dispatch('session.signIn', { username: 'clerk', password: '1234', counterNo: 1 }, { transport: 'direct' })).toEqual(storage);
    const uid = crypto.randomUUID();
    const r = await record(app, uid, p!);
    expect(r.ok).toBe(false);
    expect(r.ok ? null : r.error.code).not.toBe('INTERNAL');
    nothingRecorded(dataDir, uid);
    expect(counts(dataDir)).toEqual(before);
  }, 60_000);
});

function counts(dataDir: string) {
  const db = new Database(path.join(dataDir, 'counter.sqlite'), { readonly: true });
  try {
    const c = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    return { shifts: c('shifts'), transactions: c('counter_transactions'), outbox: c('outbox'), audit: c('audit_log') };
  } finally {
    db.close();
  }
}
