import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const cliBin = path.join(repoRoot, 'electron', 'cli', 'bin.cjs');

/** A fixed instant in the collection season, so demo data and policy decisions are reproducible. */
export const TEST_CLOCK = '2026-06-15T09:00:00+08:00';

export interface RunningHost {
  process: ChildProcess;
  url: string;
  appUrl: string;
  token: string;
  dataDir: string;
  output: () => string;
  stop(): Promise<number | null>;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `pc-${prefix}-`));
}

/**
 * Starts `pension-counter serve` as IT staff would (the built CLI under plain Node) and resolves
 * once it prints its address. The built CLI is required: `npm test` builds before testing.
 */
export async function startServe(options: { dataDir?: string; demoPayers?: number; args?: string[] } = {}): Promise<RunningHost> {
  if (!fs.existsSync(path.join(repoRoot, 'out', 'main', 'cli.js'))) {
    throw new Error('out/main/cli.js is missing: run `npm run build` first (npm test does this).');
  }
  const dataDir = options.dataDir ?? tempDir('serve');
  const args = [
    cliBin,
    'serve',
    '--port',
    '0',
    '--data-dir',
    dataDir,
    '--clock',
    TEST_CLOCK,
    '--demo-payers',
    String(options.demoPayers ?? 600),
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const appUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within 20 s:\n${out}`)), 20_000);
    const onData = () => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}`));
    });
  });
  const url = appUrl.slice(0, appUrl.indexOf('/#'));
  return {
    process: child,
    url,
    appUrl,
    token: appUrl.slice(appUrl.indexOf('#token=') + 7),
    dataDir,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

/** Polls /healthz until the host reports ready (training data seeded). */
export async function waitReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${url}/healthz`);
      const body = (await res.json()) as { status: string };
      if (body.status === 'ready') return;
      if (body.status === 'failed') throw new Error('host failed to start');
    } catch (error) {
      if (error instanceof Error && error.message === 'host failed to start') throw error;
    }
    if (Date.now() > deadline) throw new Error(`host not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits until the training county is wholly written (app.info says no fill in progress). */
export async function waitCountyComplete(host: RunningHost, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${host.url}/api/app.info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
      body: '{}',
    });
    const body = (await res.json()) as { ok: boolean; value?: { trainingFill: unknown } };
    if (body.ok && body.value?.trainingFill === null) return;
    if (Date.now() > deadline) throw new Error(`training county not complete within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Privacy: everything a host logged is checked; no full ID number may be in its logs. */
export function assertNoFullIdInLogs(dataDir: string, who: string): void {
  const logDir = path.join(dataDir, 'logs');
  if (!fs.existsSync(logDir)) return;
  for (const f of fs.readdirSync(logDir)) {
    const leaked = /(?<!\d)\d{17}[\dX](?!\d)/.exec(fs.readFileSync(path.join(logDir, f), 'utf8'));
    if (leaked) throw new Error(`a full ID number reached ${f} (${who}): ${leaked[0].slice(0, 6)}…`);
  }
}

/**
 * A new data directory holding a copy of a stopped host's database and configuration (not its
 * logs: each host's logs are its own). The template host was stopped, so SQLite checkpointed its
 * WAL into the main file on close; any -wal/-shm left over are copied with it all the same.
 */
export function copyDataDir(template: string): string {
  const dataDir = tempDir('serve');
  for (const name of fs.readdirSync(template)) {
    if (name === 'logs') continue;
    fs.cpSync(path.join(template, name), path.join(dataDir, name), { recursive: true });
  }
  return dataDir;
}
