// Set-up shared by the trust tests: a migrated counter database (with the audit log of migration
// 5), and a digest of every table to prove that refused calls changed nothing.
import crypto from 'node:crypto';
import path from 'node:path';
import { migrate, openDatabase, type Db } from '../../../electron/platform/db/database';
import { hasAuditLog } from '../../../electron/services/trust/audit';
import { tempDir } from '../../helpers/serve';

export function auditedDb(dir = tempDir('trust')): { db: Db; dir: string; file: string } {
  const file = path.join(dir, 'counter.sqlite');
  const db = openDatabase(file, { create: true });
  migrate(db);
  if (!hasAuditLog(db)) throw new Error('migration 5 (audit log) is not registered');
  return { db, dir, file };
}

/**
 * SHA-256 over the rows of every table (sorted), plus user_version. `ignore` leaves out whole
 * tables ('*') or some of their columns.
 */
export function databaseDigest(db: Db, options: { ignore?: Record<string, string[] | '*'> } = {}): string {
  const h = crypto.createHash('sha256');
  h.update(String(db.pragma('user_version', { simple: true })));
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
  for (const { name } of tables) {
    const ignored = options.ignore?.[name];
    if (ignored === '*') continue;
    h.update(`\u0000${name}\u0000`);
    const cols = (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(name) as { name: string }[]).map((c) => c.name).filter((c) => !ignored?.includes(c));
    const rows = db
      .prepare(`SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM "${name}"`)
      .raw()
      .all() as unknown[][];
    const lines = rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('hex') : v)));
    lines.sort();
    for (const line of lines) h.update(line + '\n');
  }
  return h.digest('hex');
}

/** Drops the append-only triggers, as someone editing the file with the sqlite3 shell would. */
export function dropAuditTriggers(db: Db): void {
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('audit_log', 'audit_head')").all() as { name: string }[];
  for (const { name } of names) db.exec(`DROP TRIGGER "${name}"`);
}
