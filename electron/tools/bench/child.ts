// Child processes of the benchmark (the reference upstream, the browser host): started from the
// built CLI exactly as IT staff would start them, and waited for by the address they print.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  /** The first match of the address pattern in the output. */
  readonly address: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startChild(cliBin: string, args: string[], addressPattern: RegExp, timeoutMs = 120_000): Promise<Child> {
  const child = spawn(process.execPath, [cliBin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  try {
    const address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${args[0]} did not print its address within ${timeoutMs} ms:\n${out}`)), timeoutMs);
      const onData = () => {
        const m = addressPattern.exec(out);
        if (m) {
          clearTimeout(timer);
          child.stdout.off('data', onData);
          resolve(m[1] ?? m[0]);
        }
      };
      child.stdout.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${args[0]} exited with ${code}:\n${out}`));
      });
    });
    return { process: child, pid: child.pid!, address, output: () => out, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resident and peak resident memory of a process, in bytes (Linux /proc). */
export async function processMemory(pid: number): Promise<{ rss: number; peak: number } | null> {
  const fs = await import('node:fs/promises');
  try {
    const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return null;
  }
}
