import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCli } from '../../helpers/cli';
import { repoRoot, startServe, tempDir, waitReady } from '../../helpers/serve';

const cli = (args: string[]) => spawnCli(args);

describe('pension-counter CLI (built, under plain Node)', () => {
  it('prints help listing the operations subcommands', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['serve', 'start', 'db', 'demo-data']) expect(r.out).toContain(cmd);
  });

  it('fails clearly, non-zero, on bad arguments and missing databases', () => {
    const port = cli(['serve', '--port', 'abc']);
    expect(port.code).not.toBe(0);
    expect(port.err).toContain('--port 需要整数');
    const missing = cli(['db', 'check', '--data-dir', tempDir('empty')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('数据目录中没有数据库');
    const unknown = cli(['frobnicate']);
    expect(unknown.code).not.toBe(0);
  });

  it('serve answers /healthz within 10 s, serves the UI, and stops on SIGTERM with a sound database', async () => {
    const started = Date.now();
    const host = await startServe({ demoPayers: 2_000 });
    const health = await fetch(`${host.url}/healthz`);
    expect(health.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(10_000);
    const page = await fetch(`${host.url}/`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<div id="root">');
    await waitReady(host.url);
    expect(await host.stop()).toBe(0);
    expect(host.output()).toContain('已停止');

    const check = cli(['db', 'check', '--data-dir', host.dataDir, '--json']);
    expect(check.code).toBe(0);
    const result = JSON.parse(check.out) as { ok: boolean; integrity: string[] };
    expect(result).toMatchObject({ ok: true, integrity: ['ok'] });
    expect(fs.statSync(path.join(host.dataDir, 'counter.sqlite')).mode & 0o777).toBe(0o600);
    // Nothing identifying in the log: every ID number there is masked.
    const log = fs.readFileSync(path.join(host.dataDir, 'logs', 'app.log'), 'utf8');
    expect(log).not.toMatch(/\d{17}[\dX]/);
  }, 60_000);

  it('demo-data builds a training data directory and refuses to touch an existing one', () => {
    const dir = path.join(tempDir('demo'), 'data');
    const first = cli(['demo-data', '--data-dir', dir, '--payers', '200', '--clock', '2026-06-15T09:00:00+08:00']);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toContain('200 名参保人');
    const count = execFileSync(
      process.execPath,
      [
        '-e',
        `const D=require('better-sqlite3');const d=new D(process.argv[1],{readonly:true});console.log(d.prepare('select count(*) n from payers').get().n)`,
        path.join(dir, 'counter.sqlite'),
      ],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(Number(count)).toBe(200);
    const again = cli(['demo-data', '--data-dir', dir]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('不会覆盖');
    const migrate = cli(['db', 'migrate', '--data-dir', dir]);
    expect(migrate.out).toContain('已是最新版本');
  });
});
