import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppServices } from '../../../electron/services/app';
import { fixedStartClock } from '../../../electron/platform/clock';
import { openDatabase } from '../../../electron/platform/db/database';
import { latestSchemaVersion } from '../../../electron/platform/db/migrations';
import { repoRoot, tempDir, TEST_CLOCK } from '../../helpers/serve';

process.env.PENSION_COUNTER_ROOT ??= repoRoot;
const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

describe('start-up of the app services', () => {
  it('a first start in training mode builds the county under a temporary name and writes config.json last', async () => {
    const dir = tempDir('first');
    const app = createAppServices({ dataDir: dir, demoPayers: 50, clock: fixedStartClock(new Date(TEST_CLOCK)) });
    expect(fs.existsSync(path.join(dir, 'config.json'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'counter.sqlite'))).toBe(false);
    await app.ready;
    expect(app.info()).toMatchObject({ mode: 'training', status: 'ready', schemaVersion: latestSchemaVersion, today: '2026-06-15' });
    expect(fs.existsSync(path.join(dir, 'counter.sqlite.new'))).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'))).toMatchObject({ mode: 'training', regionCode: '529901' });
    await app.close();
  });

  it('a database written by a newer program: the app reports it clearly and leaves the file untouched', async () => {
    const dir = tempDir('newer');
    const first = createAppServices({ dataDir: dir, demoPayers: 20, clock: fixedStartClock(new Date(TEST_CLOCK)) });
    await first.ready;
    await first.close();
    const file = path.join(dir, 'counter.sqlite');
    const db = openDatabase(file);
    db.pragma(`user_version = ${latestSchemaVersion + 5}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const before = sha(file);
    const app = createAppServices({ dataDir: dir, clock: fixedStartClock(new Date(TEST_CLOCK)) });
    await expect(app.ready).rejects.toThrow(/高于本程序支持的版本/);
    expect(app.info()).toMatchObject({ status: 'failed', statusMessage: expect.stringContaining('请升级程序') });
    const call = await app.dispatch('payer.get', { payerId: 1 }, { transport: 'http' });
    expect(call.ok ? null : call.error.code).toBe('STARTING');
    await app.close();
    expect(sha(file)).toBe(before);
  });

  it('a data directory with a database but no config.json is refused, never overwritten', () => {
    const dir = tempDir('noconfig');
    fs.writeFileSync(path.join(dir, 'counter.sqlite'), "somebody's data");
    expect(() => createAppServices({ dataDir: dir })).toThrow(/缺少配置文件/);
    expect(fs.readFileSync(path.join(dir, 'counter.sqlite'), 'utf8')).toBe("somebody's data");
  });
});
