import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { maskIdNumber } from '../../shared/domain/id-number';

export type Logger = pino.Logger;

// 18-character resident ID numbers (and residence permits), wherever they appear in a message,
// also glued to letters ("ID5201…"); a longer run of digits (a slip number) is not one.
const ID_PATTERN = /(?<!\d)\d{17}[\dXx](?!\d)/g;

/** Replaces every full ID number in a string with its masked form. */
export function scrubIdNumbers(text: string): string {
  return text.replace(ID_PATTERN, (m) => maskIdNumber(m));
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
 * JSON-lines log in <data dir>/logs/app.log (owner-only). Every message and field passes
 * through the ID scrubber, so a full ID number cannot reach the log even by mistake.
 */
export function createLogger(logDir: string | null, options: { level?: string; stderr?: boolean } = {}): Logger {
  const streams: pino.StreamEntry[] = [];
  if (logDir) {
    fs.mkdirSync(logDir, { recursive: true, mode: 0o700 });
    const file = path.join(logDir, 'app.log');
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    streams.push({ stream: pino.destination({ dest: file, sync: true }) });
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
