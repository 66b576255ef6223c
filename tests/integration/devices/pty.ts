// A pty pair from socat, for talking to the simulators through the real serialport binding.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SerialPort } from 'serialport';
import { afterEach, beforeEach } from 'vitest';
import { closeSerial, openSerial } from '../../../electron/devices/serial';

export const socatMissing: string | false =
  spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0 ? false : 'socat is not installed: pty tests need it (apt-get install socat)';

export interface PtyPair {
  /** Terminal side (the app opens this). */
  a: string;
  /** Device side (the simulator opens this). */
  b: string;
  /** Kills socat: both ends vanish, like pulling the USB cable. */
  unplug(): Promise<void>;
  /** Starts socat again with the same link names (new pty devices behind them). */
  replug(): Promise<void>;
  /** Unplugs and removes the directory. */
  dispose(): Promise<void>;
}

export async function startPtyPair(): Promise<PtyPair> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-pty-'));
  const a = path.join(dir, 'a');
  const b = path.join(dir, 'b');
  let child: ChildProcess | null = null;

  const start = async (): Promise<void> => {
    const c = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
    child = c;
    const deadline = Date.now() + 5000;
    while (!(fs.existsSync(a) && fs.existsSync(b))) {
      if (c.exitCode !== null || Date.now() > deadline) throw new Error('socat did not create the pty pair');
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const stop = async (): Promise<void> => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
    // socat removes its links on exit; make sure, so that replug waits for fresh ones.
    for (const p of [a, b]) fs.rmSync(p, { force: true });
  };

  await start();
  return {
    a,
    b,
    unplug: stop,
    replug: start,
    dispose: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh pty pair for every test of the calling `describe`, and serial ports opened on it that
 * are closed after the test: `pty` is the current pair, `open` opens one of its ends.
 */
export function ptyPairPerTest(): { readonly pty: PtyPair; open(path: string, baud: number): Promise<SerialPort>; closeAll(): Promise<void> } {
  let pair: PtyPair | null = null;
  let opened: SerialPort[] = [];
  beforeEach(async () => {
    pair = await startPtyPair();
  });
  afterEach(async () => {
    for (const p of opened) await closeSerial(p).catch(() => undefined);
    opened = [];
    await pair?.dispose();
  });
  return {
    get pty(): PtyPair {
      if (!pair) throw new Error('no pty pair outside a test');
      return pair;
    },
    async open(file: string, baud: number): Promise<SerialPort> {
      const p = await openSerial(file, baud);
      opened.push(p);
      return p;
    },
    /** Closes every port opened so far (a test that goes on without them). */
    async closeAll(): Promise<void> {
      const ports = opened;
      opened = [];
      for (const p of ports) await closeSerial(p);
    },
  };
}
