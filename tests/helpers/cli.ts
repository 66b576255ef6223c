// One way for tests to run `pension-counter`: in process through the CLI's own main(), so every
// command is registered and errors are reported exactly as IT staff see them (one line on stderr,
// the exit code), or as the built binary when a test needs a real process (stdin, signals).
import { spawnSync } from 'node:child_process';
import { vi } from 'vitest';
import { main } from '../../electron/cli';
import { cliBin, repoRoot } from './serve';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs `pension-counter ...args` in this process and returns its exit code and what it printed. */
export async function runCli(args: string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'pension-counter', ...args]);
    return { code, out, err };
  } finally {
    so.mockRestore();
    se.mockRestore();
    process.exitCode = undefined;
  }
}

/** Runs the built CLI as its own process (for stdin input such as passwords). */
export function spawnCli(args: string[], input = ''): CliResult {
  const r = spawnSync(process.execPath, [cliBin, ...args], { cwd: repoRoot, encoding: 'utf8', input });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}
