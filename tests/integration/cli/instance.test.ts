import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../../electron/services/app';
import { fixedStartClock } from '../../../electron/platform/clock';
import { repoRoot, startServe, tempDir, TEST_CLOCK, waitReady, type RunningHost } from '../../helpers/serve';
import { requireBuilt, runCli } from './commission-helpers';

let host: RunningHost | null = null;
let services: AppServices | null = null;
beforeAll(requireBuilt);
afterEach(async () => {
  await host?.stop();
  await services?.close();
  host = null;
  services = null;
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

describe('one program per data directory', () => {
  it('a second host, sync or operator change on a running counter is refused and names the running one (pid, address)', async () => {
    host = await startServe({ demoPayers: 300 });
    await waitReady(host.url);
    const lock = JSON.parse(fs.readFileSync(path.join(host.dataDir, 'counter.lock'), 'utf8')) as { pid: number; address: string };
    expect(lock).toMatchObject({ pid: host.process.pid, address: host.url });

    const second = await runCli(['serve', '--data-dir', host.dataDir, '--port', '0']);
    expect(second.status).toBe(5);
    expect(second.stderr).toContain(`进程号 ${host.process.pid}`);
    expect(second.stderr).toContain(`地址 ${host.url}`);
    expect(second.stderr).not.toContain('端口');

    const sync = await runCli(['sync', '--data-dir', host.dataDir, '--upstream', 'http://127.0.0.1:9', '--key', 'some-key-123']);
    expect(sync.status).toBe(5);
    expect(sync.stderr).toContain(`进程号 ${host.process.pid}`);
    const add = await runCli(['operator', 'add', '--data-dir', host.dataDir, '--username', 'zhang.li', '--name', '张丽', '--role', 'clerk'], 'pass-word-1\n');
    expect(add.status).toBe(5);

    // Once it stops, the directory is free again.
    const dataDir = host.dataDir;
    expect(await host.stop()).toBe(0);
    host = null;
    expect(fs.existsSync(path.join(dataDir, 'counter.lock'))).toBe(false);
    const addNow = await runCli(['operator', 'add', '--data-dir', dataDir, '--username', 'zhang.li', '--name', '张丽', '--role', 'clerk'], 'pass-word-1\n');
    expect(addNow.status).toBe(0);
  }, 90_000);

  it('a lock left by a killed host is taken over at the next start', async () => {
    host = await startServe({ demoPayers: 300 });
    await waitReady(host.url);
    const dataDir = host.dataDir;
    const exited = new Promise((r) => host!.process.once('exit', r));
    host.process.kill('SIGKILL');
    await exited;
    host = null;
    expect(fs.existsSync(path.join(dataDir, 'counter.lock'))).toBe(true);
    host = await startServe({ dataDir });
    await waitReady(host.url);
    const lock = JSON.parse(fs.readFileSync(path.join(dataDir, 'counter.lock'), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(host.process.pid);
  }, 90_000);

  it('npm start stops its server on SIGTERM: no process left, port and lock released', async () => {
    const dataDir = path.join(tempDir('npmstart'), 'data');
    expect((await runCli(['demo-data', '--data-dir', dataDir, '--payers', '200', '--clock', TEST_CLOCK])).status).toBe(0);
    // `npm start` is `npm run build && exec npm run start:built --`: the same script minus the build.
    const child = spawn('npm', ['run', '-s', 'start:built', '--', '--data-dir', dataDir, '--port', '0'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not start:\n${out}`)), 30_000);
      child.stdout.on('data', () => {
        const m = /(http:\/\/127\.0\.0\.1:\d+)\/#token=/.exec(out);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    const lock = JSON.parse(fs.readFileSync(path.join(dataDir, 'counter.lock'), 'utf8')) as { pid: number };
    expect(lock.pid).not.toBe(child.pid);
    expect(alive(lock.pid)).toBe(true);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    await exited;
    // The server (not just npm) is gone, and with it the port and the lock.
    for (let i = 0; i < 100 && alive(lock.pid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(lock.pid)).toBe(false);
    expect(await portOpen(Number(new URL(url).port))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'counter.lock'))).toBe(false);
  }, 90_000);
});

describe('training and production never mix', () => {
  it('a training directory switched to production in place is refused with the reason and the setup command; nothing changes', async () => {
    const dir = tempDir('switch');
    services = createAppServices({ dataDir: dir, clock: fixedStartClock(new Date(TEST_CLOCK)), demoPayers: 200 });
    await services.ready;
    await services.close();
    services = null;
    const configFile = path.join(dir, 'config.json');
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(configFile, JSON.stringify({ ...config, mode: 'production' }));
    const before = fs.readFileSync(path.join(dir, 'counter.sqlite'));

    services = createAppServices({ dataDir: dir, clock: fixedStartClock(new Date(TEST_CLOCK)) });
    await expect(services.ready).rejects.toThrow(/培训模式建立的.*不能就地改为正式柜台.*pension-counter setup --data-dir/);
    expect(services.info()).toMatchObject({ status: 'failed', mode: 'production', demoAccounts: [] });
    // The training accounts do not work in a production-configured directory.
    const signIn = await services.dispatch('session.signIn', { username: 'clerk', password: '1234', counterNo: 1 }, { transport: 'ipc' });
    expect(signIn.ok).toBe(false);
    await services.close();
    services = null;
    // Nothing in the database was touched (no mode marker rewritten, no stock added).
    expect(fs.readFileSync(path.join(dir, 'counter.sqlite')).equals(before)).toBe(true);

    // The browser host says the same on its start-up screen.
    host = await startServe({ dataDir: dir });
    const info = (await (
      await fetch(`${host.url}/api/app.info`, {
        method: 'POST',
        headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as {
      ok: boolean;
      value?: { status: string; statusMessage: string };
    };
    expect(info.value?.status).toBe('failed');
    expect(info.value?.statusMessage).toContain('pension-counter setup');
  }, 90_000);
});
