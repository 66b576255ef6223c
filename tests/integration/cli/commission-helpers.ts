// Shared set-up for the commissioning tests: the built CLI run asynchronously (the reference
// upstream runs in the test process and must keep answering while the CLI talks to it), and the
// flags IT staff would give `pension-counter setup` for a mass roll-out.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cliBin, repoRoot } from '../../helpers/serve';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function requireBuilt(): void {
  if (!fs.existsSync(path.join(repoRoot, 'out', 'main', 'cli.js'))) {
    throw new Error('out/main/cli.js is missing: run `npm run build` first (npm test does this).');
  }
}

/** Runs the built `pension-counter` with `input` on standard input; never blocks the event loop. */
export function runCli(args: string[], input = '', env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBin, ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

export const SUPERVISOR_PASSWORD = 'Zhuren-2026!';
export const IT_PASSWORD = 'Xitong-2026!';

/** Every answer of `setup` as flags (the county of the reference upstream: 529901). */
export function setupArgs(dataDir: string, upstream: string, key: string, extra: string[] = []): string[] {
  return [
    'setup',
    '--data-dir',
    dataDir,
    '--hall-name',
    '示范县税务局第二办税服务厅',
    '--tax-office',
    '国家税务总局示范县税务局',
    '--county-name',
    '示范县',
    '--region-code',
    '529901',
    '--policy-region',
    'demo',
    '--window',
    '3',
    '--time-zone',
    'Asia/Shanghai',
    '--upstream',
    upstream,
    '--key',
    key,
    '--receipt-printer',
    '',
    '--receipt-layout',
    'a4',
    '--reader',
    '',
    '--printer',
    '',
    '--backup-dir',
    path.join(dataDir, '..', 'backups'),
    '--supervisor',
    'wangzr',
    '--supervisor-name',
    '王主任',
    '--it',
    'itadmin',
    '--it-name',
    '李工',
    '--first-block',
    '50',
    ...extra,
  ];
}

export const passwords = `${SUPERVISOR_PASSWORD}\n${IT_PASSWORD}\n`;
