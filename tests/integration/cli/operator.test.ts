import { describe, expect, it } from 'vitest';
import { createAppServices } from '../../../electron/services/app';
import { fixedStartClock } from '../../../electron/platform/clock';
import { spawnCli } from '../../helpers/cli';
import { repoRoot, tempDir, TEST_CLOCK } from '../../helpers/serve';

process.env.PENSION_COUNTER_ROOT ??= repoRoot;
const cli = spawnCli;

describe('pension-counter operator (accounts for a production counter)', () => {
  it('adds a clerk whose password comes from stdin; the clerk can sign in; a duplicate and a bad role are refused', async () => {
    const dir = tempDir('operators');
    const app0 = createAppServices({ dataDir: dir, demoPayers: 10, clock: fixedStartClock(new Date(TEST_CLOCK)) });
    await app0.ready;
    await app0.close();

    const add = cli(['operator', 'add', '--data-dir', dir, '--username', 'zhang.li', '--name', '张丽', '--role', 'clerk'], 's3cret-pw\n');
    expect(add.err).toBe('');
    expect(add.out).toContain('已新增操作员 zhang.li');
    expect(cli(['operator', 'add', '--data-dir', dir, '--username', 'zhang.li', '--name', '张丽', '--role', 'clerk'], 'another-pw\n').err).toContain('已存在');
    expect(cli(['operator', 'add', '--data-dir', dir, '--username', 'x1', '--name', 'X', '--role', 'boss'], 'another-pw\n').code).toBe(2);
    expect(cli(['operator', 'add', '--data-dir', dir, '--username', 'x2', '--name', 'X', '--role', 'clerk'], '123\n').err).toContain('至少 6 位');
    expect(cli(['operator', 'list', '--data-dir', dir]).out).toMatch(/zhang\.li\t张丽\tclerk\t启用/);

    const app = createAppServices({ dataDir: dir, clock: fixedStartClock(new Date(TEST_CLOCK)) });
    await app.ready;
    const ok = await app.dispatch('session.signIn', { username: 'zhang.li', password: 's3cret-pw', counterNo: 5 }, { transport: 'direct' });
    expect(ok.ok).toBe(true);
    await app.close();

    cli(['operator', 'disable', '--data-dir', dir, '--username', 'zhang.li']);
    const again = createAppServices({ dataDir: dir, clock: fixedStartClock(new Date(TEST_CLOCK)) });
    await again.ready;
    const refused = await again.dispatch('session.signIn', { username: 'zhang.li', password: 's3cret-pw', counterNo: 5 }, { transport: 'direct' });
    expect(refused.ok ? null : refused.error.code).toBe('ACCOUNT_DISABLED');
    await again.close();
    // Six CLI processes and three starts of the services: generous for a loaded machine.
  }, 120_000);
});
