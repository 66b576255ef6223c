import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedStartClock } from '../../../electron/platform/clock';
import { dataDirLayout, writeConfig, trainingConfig } from '../../../electron/platform/config';
import { migrate, openDatabase, schemaVersion } from '../../../electron/platform/db/database';
import { latestSchemaVersion, migrations } from '../../../electron/platform/db/migrations';
import { createAppServices, type AppServices } from '../../../electron/services/app';
import { checkDatabaseFile, listBackups } from '../../../electron/services/trust/backup';
import { version } from '../../../package.json';
import { tempDir, TEST_CLOCK } from '../../helpers/serve';

let services: AppServices | null = null;
afterEach(async () => {
  await services?.close();
  services = null;
});

describe('upgrades: a verified backup before the migrations, and the version that ran before', () => {
  it('a new version starting on an older database backs it up first (at the old schema), then migrates and says what ran before', async () => {
    const dir = tempDir('upgrade');
    const layout = dataDirLayout(dir);
    const old = openDatabase(layout.databaseFile, { create: true });
    migrate(old, migrations.slice(0, 5));
    old.prepare("INSERT INTO settings (key, value) VALUES ('app_version', '0.0.9')").run();
    old.close();
    const { demo: _demo, ...training } = trainingConfig();
    writeConfig(layout, { ...training, mode: 'production', devices: undefined, backup: { dir: path.join(dir, 'bk'), keep: 14, intervalMinutes: 0 } });

    services = createAppServices({ dataDir: dir, clock: fixedStartClock(new Date(TEST_CLOCK)) });
    await services.ready;
    const up = services.info().upgradedFrom;
    expect(up).toMatchObject({ version: '0.0.9', schemaVersion: 5 });
    expect(services.info().schemaVersion).toBe(latestSchemaVersion);
    // The backup holds the database as it was before the upgrade, and it opens cleanly.
    const backups = listBackups(path.join(dir, 'bk'));
    expect(backups.map((b) => b.file)).toContain(up!.backup);
    expect(checkDatabaseFile(up!.backup!)).toMatchObject({ ok: true, schemaVersion: 5 });
    await services.close();
    services = null;

    // The next start of the same version is not an upgrade; the version is recorded.
    services = createAppServices({ dataDir: dir, clock: fixedStartClock(new Date(TEST_CLOCK)) });
    await services.ready;
    expect(services.info().upgradedFrom).toBeNull();
    await services.close();
    services = null;
    const db = openDatabase(layout.databaseFile, { readonly: true });
    expect(db.prepare("SELECT value FROM settings WHERE key = 'app_version'").get()).toEqual({ value: version });
    expect(schemaVersion(db)).toBe(latestSchemaVersion);
    db.close();
  });
});
