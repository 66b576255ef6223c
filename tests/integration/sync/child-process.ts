// Runs the counter's sync in a child process for the kill -9 tests: the built CLI,
// `pension-counter sync …`, exactly as IT staff run it (npm test builds before testing).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cliBin, repoRoot } from '../../helpers/serve';

export async function buildSyncChild(): Promise<string> {
  if (!fs.existsSync(path.join(repoRoot, 'out', 'main', 'cli.js'))) {
    throw new Error('out/main/cli.js is missing: run `npm run build` first (npm test does this).');
  }
  return cliBin;
}

export interface Child {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export function runSyncChild(bundle: string, args: string[]): Child {
  const child = spawn(process.execPath, [bundle, 'sync', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, output: () => out, exited };
}
