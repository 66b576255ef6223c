import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppServices } from '../../../electron/services/app';
import { fixedStartClock } from '../../../electron/platform/clock';
import { openDatabase } from '../../../electron/platform/db/database';
import { backupDatabase, defaultBackupDir } from '../../../electron/services/trust/backup';
import type { Envelope } from '../../../shared/api/errors';
import { repoRoot, tempDir, TEST_CLOCK } from '../../helpers/serve';

process.env.PENSION_COUNTER_ROOT ??= repoRoot;

describe('the audit trail is written by the services, in the same transaction as the change', () => {
  it('sign-in, a failed sign-in, a payment, a receipt, its void with approval and a reprint each leave a chained row', async () => {
    const app = createAppServices({ dataDir: tempDir('audit'), demoPayers: 200, clock: fixedStartClock(new Date(TEST_CLOCK)) });
    await app.ready;
    const call = async <T>(method: string, input: unknown = {}) => {
      const r = (await app.dispatch(method, input, { transport: 'direct' })) as Envelope<T>;
      if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
      return r.value;
    };
    await app.dispatch('session.signIn', { username: 'clerk', password: 'wrong', counterNo: 1 }, { transport: 'direct' });
    await call('session.signIn', { username: 'clerk', password: '1234', counterNo: 1 });
    const db = new Database(path.join(app.layout.dir, 'counter.sqlite'), { readonly: true });
    const payerId = (
      db
        .prepare(
          `SELECT id FROM payers p WHERE status = 'active' AND registration_date < '2026-06-01' AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.payer_id = p.id AND x.year = 2026) ORDER BY id LIMIT 1 OFFSET 9`,
        )
        .get() as { id: number }
    ).id;
    const paid = await call<{ transactionId: number }>('payment.record', {
      transactionUid: '00000000-0000-4000-8000-0000000000a1',
      payerId,
      lines: [{ year: 2026, tierFen: 20000 }],
      method: 'cash',
      tenderedFen: null,
    });
    const issued = await call<{ receipts: { number: string }[] }>('receipt.issue', { transactionId: paid.transactionId });
    const number = issued.receipts[0]!.number;
    await call('receipt.print', { number });
    await call('receipt.print', { number });
    await call('receipt.voidAndReissue', { number, reason: '卡纸污损', approval: { username: 'super', password: '5678' } });

    const actions = (db.prepare('SELECT action FROM audit_log ORDER BY seq').all() as { action: string }[]).map((r) => r.action);
    for (const a of ['session.signInFailed', 'session.signIn', 'payment.record', 'receipt.issue', 'receipt.reprint', 'approval.grant', 'receipt.void']) {
      expect(actions, a).toContain(a);
    }
    const payment = db.prepare("SELECT operator_username, counter_no, entity_id, after FROM audit_log WHERE action = 'payment.record'").get() as {
      operator_username: string;
      counter_no: number;
      entity_id: string;
      after: string;
    };
    expect(payment).toMatchObject({ operator_username: 'clerk', counter_no: 1, entity_id: String(paid.transactionId) });
    expect(JSON.parse(payment.after)).toMatchObject({ totalFen: 20000, method: 'cash' });
    // No full ID number anywhere in the trail.
    // (The hash columns are hex and may hold long digit runs; the content columns may not.)
    const trail = JSON.stringify(db.prepare('SELECT seq, at, operator_username, counter_no, action, entity, entity_id, before, after FROM audit_log').all());
    expect(trail.match(/\d{17}[\dX]/)?.[0] ?? null).toBeNull();
    db.close();

    await call('session.signOut');
    await call('session.signIn', { username: 'super', password: '5678', counterNo: 1 });
    const page = await call<{ total: number; chain: { ok: boolean } }>('audit.query', { username: 'clerk' });
    expect(page.chain.ok).toBe(true);
    expect(page.total).toBeGreaterThanOrEqual(5);
    await app.close();
  });
});

describe('a corrupt database leads to recovery, never to re-creation', () => {
  it('reports the problem and offers the latest good backup with the exact restore command', async () => {
    const dir = tempDir('recover');
    const first = createAppServices({ dataDir: dir, demoPayers: 50, clock: fixedStartClock(new Date(TEST_CLOCK)) });
    await first.ready;
    await first.close();
    const file = path.join(dir, 'counter.sqlite');
    const db = openDatabase(file);
    const backup = await backupDatabase(db, defaultBackupDir(dir), { keep: 3 });
    db.close();
    // Damage the middle of the file, as a failing disk would.
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(8192, 0xab), 0, 8192, 8192);
    fs.closeSync(fd);
    const size = fs.statSync(file).size;

    const app = createAppServices({ dataDir: dir, clock: fixedStartClock(new Date(TEST_CLOCK)) });
    await expect(app.ready).rejects.toThrow();
    const info = app.info();
    expect(info.status).toBe('failed');
    expect(info.recovery).toMatchObject({ problem: 'corrupt', latestGoodBackup: { file: backup.file } });
    expect(info.recovery?.restoreCommand).toContain(`db restore --data-dir "${dir}" --from "${backup.file}"`);
    await app.close();
    expect(fs.statSync(file).size).toBe(size);
  });
});
