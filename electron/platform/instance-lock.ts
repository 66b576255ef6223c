import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * One running program per data directory: the desktop app, the browser host and every CLI
 * command that writes take this lock, so two of them never open the same database and serial
 * ports. The lock is a small JSON file created with O_EXCL that names its holder (pid, address);
 * a lock left by a process that is gone (crash, power cut) is taken over. Written by hand rather
 * than with proper-lockfile because the holder's pid and address must be readable by the next
 * program to start, and a dead holder is detected by its pid, not by an mtime heartbeat.
 */
export const LOCK_FILE = 'counter.lock';

export interface LockHolder {
  pid: number;
  hostname: string;
  /** What holds it: 'desktop', 'serve', or a CLI command name. */
  program: string;
  /** Where the running one can be reached (http://127.0.0.1:4780), or '' for a CLI command. */
  address: string;
  startedAt: string;
}

export class InstanceLockedError extends Error {
  constructor(
    readonly holder: LockHolder,
    readonly lockFile: string,
  ) {
    super(
      `该数据目录已有程序在运行（${describeHolder(holder)}）。` + `同一数据目录只能运行一个程序；请使用已在运行的那个，或先停止它（进程号 ${holder.pid}）。`,
    );
    this.name = 'InstanceLockedError';
  }
}

export function describeHolder(h: LockHolder): string {
  const what = h.program === 'desktop' ? '桌面程序' : h.program === 'serve' ? '浏览器主机' : `命令 ${h.program}`;
  return `${what}，进程号 ${h.pid}${h.address ? `，地址 ${h.address}` : ''}，启动于 ${h.startedAt}`;
}

export interface InstanceLock {
  readonly file: string;
  /** Records the address once the host listens (the second start prints it). */
  setAddress(address: string): void;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The current holder, or null when the directory is free (no lock, or a dead holder's). */
export function readLockHolder(dir: string): LockHolder | null {
  const file = path.join(dir, LOCK_FILE);
  let holder: LockHolder;
  try {
    holder = JSON.parse(fs.readFileSync(file, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
  if (typeof holder.pid !== 'number') return null;
  if (holder.hostname === os.hostname() && !alive(holder.pid)) return null;
  return holder;
}

export function acquireInstanceLock(dir: string, program: string, address = ''): InstanceLock {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, LOCK_FILE);
  let holder: LockHolder = { pid: process.pid, hostname: os.hostname(), program, address, startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      fs.writeSync(fd, JSON.stringify(holder));
      fs.closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const current = readLockHolder(dir);
      if (current) throw new InstanceLockedError(current, file);
      if (attempt >= 3) throw error;
      // A dead holder's lock (or an unreadable half-written one): take it over.
      fs.rmSync(file, { force: true });
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    try {
      const now = JSON.parse(fs.readFileSync(file, 'utf8')) as LockHolder;
      if (now.pid === process.pid) fs.rmSync(file, { force: true });
    } catch {
      // Already gone.
    }
  };
  process.on('exit', release);
  return {
    file,
    setAddress(next: string) {
      holder = { ...holder, address: next };
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(holder), { mode: 0o600 });
      fs.renameSync(tmp, file);
    },
    release,
  };
}
