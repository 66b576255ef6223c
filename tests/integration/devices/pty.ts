// A pty pair from socat, for talking to the simulators through the real serialport binding.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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
