// The services' one way to run SQL (platform/db/sql.ts): one compiled statement per query text and
// connection, a list as one json_each parameter whatever its length, and a clear error when a row
// that must exist does not.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, prepareCached, type Db } from '../../../electron/platform/db/database';
import * as sql from '../../../electron/platform/db/sql';
import { tempDir } from '../../helpers/serve';

let db: Db;
afterEach(() => db.close());

function table(): Db {
  db = openDatabase(path.join(tempDir('sql'), 'counter.sqlite'), { create: true });
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT');
  for (const [id, name] of [
    [1, '甲'],
    [2, '乙'],
    [3, '丙'],
    [4, '丁'],
  ] as const)
    sql.run(db, 'INSERT INTO t (id, name) VALUES (?, ?)', id, name);
  return db;
}

describe('sql helper', () => {
  it('reads lists of any length, numbers or text, through one statement', () => {
    const d = table();
    const byIds = 'SELECT id, name FROM t WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id';
    expect(sql.all<{ id: number; name: string }>(d, byIds, sql.list([3, 1]))).toEqual([
      { id: 1, name: '甲' },
      { id: 3, name: '丙' },
    ]);
    expect(sql.all(d, byIds, sql.list([]))).toEqual([]);
    expect(sql.all(d, byIds, sql.list([1, 2, 3, 4, 5]))).toHaveLength(4);
    const byNames = 'SELECT id FROM t WHERE name IN (SELECT value FROM json_each(?)) ORDER BY id';
    expect(sql.all<{ id: number }>(d, byNames, sql.list(['丁', '乙'])).map((r) => r.id)).toEqual([2, 4]);
    // The same text is the same compiled statement on this connection, whatever the list.
    expect(prepareCached(d, byIds)).toBe(prepareCached(d, byIds));
  });

  it('get is undefined for no row; one names the query whose row is missing; run reports changes', () => {
    const d = table();
    expect(sql.get<{ name: string }>(d, 'SELECT name FROM t WHERE id = ?', 2)).toEqual({ name: '乙' });
    expect(sql.get(d, 'SELECT name FROM t WHERE id = ?', 9)).toBeUndefined();
    expect(sql.one<{ n: number }>(d, 'SELECT count(*) AS n FROM t').n).toBe(4);
    expect(() => sql.one(d, 'SELECT name FROM t WHERE id = ?', 9)).toThrow(/expected a row from: SELECT name FROM t WHERE id = \?/);
    expect(sql.run(d, 'DELETE FROM t WHERE id > ?', 2).changes).toBe(2);
    expect([...sql.iterate<{ id: number }>(d, 'SELECT id FROM t ORDER BY id')].map((r) => r.id)).toEqual([1, 2]);
  });
});
