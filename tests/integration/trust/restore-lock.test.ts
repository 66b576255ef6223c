// Issue 15: `db restore` takes the instance lock (refused while the counter runs, nothing
// changed), verifies the backup, and leaves the restored counter in the recovery state: the API
// refuses payments with RECOVERY_PENDING in the clerk's words until it has reconciled.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errorMessages } from '../../../shared/api/errors';
import { fixedStartClock } from '../../../electron/platform/clock';
import { dataDirLayout, readConfig, writeConfig } from '../../../electron/platform/config';
import { openDatabase } from '../../../electron/platform/db/database';
import { acquireInstanceLock } from '../../../electron/platform/instance-lock';
import { createAppServices, type AppServices } from '../../../electron/services/app';
import { backupDatabase } from '../../../electron/services/trust/backup';
import { recoveryPending } from '../../../electron/sync';
import { runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/serve';
import { START, unpaidPayers } from '../sync/helpers';

let services: AppServices | null = null;
afterEach(async () => {
  await services?.close();
  services = null;
});

const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

describe('db restore', () => {
  it('is refused while the counter runs; afterwards it restores and the counter takes no payment until reconciled', async () => {
    const dir = tempDir('restorelock');
    services = createAppServices({ dataDir: dir, clock: fixedStartClock(START), demoPayers: 60 });
    await services.ready;
    const file = path.join(dir, 'counter.sqlite');
    const side = openDatabase(file);
    const backup = await backupDatabase(side, path.join(dir, 'backups'));
    const payerId = (side.prepare('SELECT id FROM payers WHERE id_number = ?').get(unpaidPayers(side, 2026, 1)[0]) as { id: number }).id;
    side.close();

    // The running counter holds the lock (as the desktop app and `serve` do).
    const lock = acquireInstanceLock(dir, 'desktop', 'http://127.0.0.1:4780');
    const before = sha(file);
    const refused = await runCli(['db', 'restore', '--data-dir', dir, '--from', backup.file]);
    expect(refused.code).toBe(5);
    expect(refused.err).toMatch(/该数据目录已有程序在运行（桌面程序，进程号 \d+/);
    expect(refused.err.trim().split('\n')).toHaveLength(1);
    expect(sha(file)).toBe(before);
    expect(fs.existsSync(path.join(dir, 'replaced'))).toBe(false);
    lock.release();
    await services.close();
    services = null;
    // A counter with an upstream (here one that does not answer): the upstream is its second copy.
    const layout = dataDirLayout(dir);
    writeConfig(layout, { ...readConfig(layout)!, installationId: crypto.randomUUID(), upstream: { url: 'http://127.0.0.1:9', key: 'counter-key-1' } });

    // A damaged backup is refused before anything is touched.
    const junk = path.join(dir, 'backups', 'junk.sqlite');
    fs.writeFileSync(junk, crypto.randomBytes(8192));
    const bad = await runCli(['db', 'restore', '--data-dir', dir, '--from', junk]);
    expect(bad.code).toBe(3);
    expect(bad.err).toMatch(/备份文件不可用，未做任何改动/);

    const restored = await runCli(['db', 'restore', '--data-dir', dir, '--from', backup.file]);
    expect(restored.code, restored.err).toBe(0);
    expect(restored.out).toMatch(/恢复状态/);
    const check = openDatabase(file);
    expect(recoveryPending(check)).toMatchObject({ reason: 'restore' });
    check.close();

    // The counter starts, cannot reach its upstream to reconcile, and refuses payments.
    services = createAppServices({ dataDir: dir, clock: fixedStartClock(START) });
    await services.ready;
    const signIn = await services.dispatch('session.signIn', { username: 'clerk', password: '1234', counterNo: 1 }, { transport: 'ipc' });
    expect(signIn.ok).toBe(true);
    const r = await services.dispatch(
      'payment.record',
      { transactionUid: crypto.randomUUID(), payerId, lines: [{ year: 2026, tierFen: 20000 }], method: 'cash', tenderedFen: 20000 },
      { transport: 'ipc' },
    );
    expect(r).toEqual({ ok: false, error: { code: 'RECOVERY_PENDING', message: errorMessages.RECOVERY_PENDING } });
  }, 60_000);
});
