import { InvalidArgumentError } from 'commander';

export function parseIntOption(value: string, name: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} 需要整数，收到 "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new InvalidArgumentError(`${name} 应在 ${min}–${max} 之间`);
  return n;
}

export function parseClock(value: string): Date {
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(d.getTime())) {
    throw new InvalidArgumentError(`--clock 需要 ISO 时刻，如 2026-06-15T09:00:00+08:00，收到 "${value}"`);
  }
  return d;
}
