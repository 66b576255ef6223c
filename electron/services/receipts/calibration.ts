// Per-printer offsets of the overlay print on the pre-printed forms (settings rows).
import { refuse } from './errors';
import type { ReceiptCore } from './core';
import * as sql from '../../platform/db/sql';

export interface Calibration {
  /** Positive moves the print right. */
  xMm: number;
  /** Positive moves the print down. */
  yMm: number;
}

export class ReceiptCalibration {
  constructor(private readonly core: ReceiptCore) {}

  /** Offsets of the overlay print on a printer's pre-printed forms, in millimetres (0, 0 when never set). */
  calibration(printer: string): Calibration {
    const row = sql.get<{ value: string }>(this.core.db, 'SELECT value FROM settings WHERE key = ?', `receipt.calibration.${printer}`);
    if (!row) return { xMm: 0, yMm: 0 };
    const v = JSON.parse(row.value) as Calibration;
    return { xMm: v.xMm, yMm: v.yMm };
  }

  setCalibration(printer: string, offsets: Calibration): Calibration {
    if (!printer.trim()) throw refuse('VALIDATION', '请指定打印机');
    for (const v of [offsets.xMm, offsets.yMm]) {
      if (!Number.isFinite(v) || Math.abs(v) > 30) throw refuse('VALIDATION', '校准偏移应在 -30 到 30 毫米之间');
    }
    const value = { xMm: Math.round(offsets.xMm * 10) / 10, yMm: Math.round(offsets.yMm * 10) / 10 };
    sql.run(
      this.core.db,
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      `receipt.calibration.${printer}`,
      JSON.stringify(value),
    );
    return value;
  }
}
