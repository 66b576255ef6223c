import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { maskIdNumber } from '../../shared/domain/id-number';

export type Logger = pino.Logger;

// 18-character resident ID numbers (and residence permits), wherever they appear in a message,
// also glued to letters ("ID5201…"), and also as typed with single spaces or dashes between the
// digits ("520123 19810314 0435", "520123-1981-0314-043X"); a longer run of digits (a slip number)
// is not one. Full-width digits are what an IME types into a field: they count as digits too.
const D = '[0-9０-９]';
const ID = `(?<!${D}[ \\-]?)${D}(?:[ \\-]?${D}){16}[ \\-]?[0-9０-９XxＸｘ](?![ \\-]?${D})`;
// A UUID (the keys of receipts, transactions, outbox and audit rows) is matched first and kept
// whole: its dash-separated hex groups can hold 18 decimal digits in a row (…-ab12-1234-1234-
// 12345678ab12), which would otherwise read as a dashed ID number and be masked, breaking the key.
// Not followed by a digit (after a space or dash at most): then the digits may be an ID number
// glued to it, and the text is scanned as usual (masking too much rather than too little).
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9a-fA-F]|[ \\-]?[0-9０-９])';
const ID_PATTERN = new RegExp(`(?<![0-9a-fA-F])(${UUID})|${ID}`, 'g');

const FULL_WIDTH = /[０-９Ｘｘ]/g;

/** Replaces every full ID number in a string with its masked form (separators dropped). */
export function scrubIdNumbers(text: string): string {
  return text.replace(ID_PATTERN, (m, uuid: string | undefined) =>
    uuid !== undefined ? m : maskIdNumber(m.replace(/[ -]/g, '').replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))),
  );
}

function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubIdNumbers(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { type: value.name, message: scrubIdNumbers(value.message), stack: value.stack && scrubIdNumbers(value.stack) };
  }
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubValue(v, depth + 1)]));
}

/**
 * The log file, written synchronously (a crash loses no line), that never takes the process down:
 * when a write fails (disk full, file system gone read-only, file removed) the line goes to stderr
 * instead, with one notice, and the file is tried again a while later — work at the counter goes
 * on and the log resumes when space returns.
 */
export class ResilientFileStream {
  private fd: number | null = null;
  private failedAt = 0;
  private lastError: string | null = null;

  constructor(
    private readonly file: string,
    private readonly retryMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True while lines go to stderr because the file cannot be written. */
  get degraded(): boolean {
    return this.lastError !== null;
  }

  write(line: string): boolean {
    if (this.lastError !== null && this.now() - this.failedAt < this.retryMs) {
      process.stderr.write(line);
      return true;
    }
    try {
      this.fd ??= fs.openSync(this.file, 'a', 0o600);
      fs.writeSync(this.fd, line);
      if (this.lastError !== null) {
        process.stderr.write(`pension-counter: 日志文件恢复写入（${this.file}）\n`);
        this.lastError = null;
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
      if (this.fd !== null) {
        try {
          fs.closeSync(this.fd);
        } catch {
          // Already unusable; the next attempt opens the file afresh.
        }
        this.fd = null;
      }
      if (this.lastError === null) process.stderr.write(`pension-counter: 日志文件无法写入（${code}），暂时写到标准错误输出\n`);
      this.lastError = code;
      this.failedAt = this.now();
      process.stderr.write(line);
    }
    return true;
  }
}

/**
 * JSON-lines log in <data dir>/logs/app.log (owner-only). Every message and field passes
 * through the ID scrubber, so a full ID number cannot reach the log even by mistake.
 */
export function createLogger(logDir: string | null, options: { level?: string; stderr?: boolean } = {}): Logger {
  const streams: pino.StreamEntry[] = [];
  if (logDir) {
    try {
      fs.mkdirSync(logDir, { recursive: true, mode: 0o700 });
    } catch {
      // A full or read-only disk: the stream below falls back to stderr and says so.
    }
    const file = path.join(logDir, 'app.log');
    streams.push({ stream: new ResilientFileStream(file) });
  }
  if (options.stderr) streams.push({ stream: pino.destination(2) });
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (obj) => scrubValue(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => scrubValue(a)) as Parameters<typeof method>);
        },
      },
    },
    streams.length ? pino.multistream(streams) : pino.destination('/dev/null'),
  );
}
