// Migration 0013 rebuilds print_jobs for the 'sending' and 'uncertain' states: an existing queue,
// reprints pointing at their originals included, comes through unchanged, foreign keys intact.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDatabase, migrate, openDatabase, schemaVersion } from '../../../electron/platform/db/database';
import { migrations } from '../../../electron/platform/db/migrations';
import { tempDir } from '../../helpers/serve';

describe('migration 0013: print-once states', () => {
  it('keeps every job of a version-12 queue and then accepts the new states only', () => {
    const db = openDatabase(path.join(tempDir('m13'), 'counter.sqlite'), { create: true });
    migrate(db, migrations.slice(0, 12));
    expect(schemaVersion(db)).toBe(12);
    const insert = db.prepare(
      'INSERT INTO print_jobs (id, kind, ref_id, payload, state, attempts, reprint_of, last_error, created_at, printed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const rows = [
      [1, 'payment_slip', 7, '{}', 'printed', 1, null, null, '2026-06-15T01:00:00.000Z', '2026-06-15T01:00:02.000Z'],
      [2, 'payment_slip', 7, '{}', 'failed', 2, 1, '打印机缺纸，请装入打印纸', '2026-06-15T01:05:00.000Z', null],
      [3, 'day_summary', 1, '{"model":{}}', 'pending', 0, null, null, '2026-06-15T09:00:00.000Z', null],
    ] as const;
    for (const r of rows) insert.run(...r);

    migrate(db);
    expect(schemaVersion(db)).toBe(13);
    expect(checkDatabase(db).ok).toBe(true);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const after = db
      .prepare('SELECT id, kind, ref_id, payload, state, attempts, reprint_of, last_error, created_at, printed_at FROM print_jobs ORDER BY id')
      .raw()
      .all();
    expect(after).toEqual(rows.map((r) => [...r]));

    db.prepare("UPDATE print_jobs SET state = 'sending', sent_at = '2026-06-15T09:00:01.000Z' WHERE id = 3").run();
    db.prepare("UPDATE print_jobs SET state = 'uncertain' WHERE id = 3").run();
    expect(() => db.prepare("UPDATE print_jobs SET state = 'lost' WHERE id = 3").run()).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE print_jobs SET resolution = 'maybe' WHERE id = 3").run()).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE print_jobs SET reprint_of = 99 WHERE id = 2').run()).toThrow(/FOREIGN KEY/);
    db.close();
  });
});
