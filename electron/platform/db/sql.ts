// The one way services run SQL: statements are compiled once per connection (prepareCached), the
// row type is stated once at the call (`sql.all<Row>(…)` instead of `… as Row[]`), and a list is
// one parameter read with json_each (`WHERE id IN (SELECT value FROM json_each(?))` with
// `sql.list(ids)`), so the statement text never depends on how many items there are and the
// cache holds one statement per query, not one per list length.
//
// Use it as a namespace: `import * as sql from '../../platform/db/sql'`.
import type Database from 'better-sqlite3';
import { prepareCached, type Db } from './database';

/** A value SQLite can bind: the statement's positional parameters, or one object of named ones. */
export type Param = string | number | bigint | Buffer | null | Record<string, unknown>;

/** Every row of a query. */
export function all<Row>(db: Db, text: string, ...params: Param[]): Row[] {
  return prepareCached(db, text).all(...params) as Row[];
}

/** The first row of a query, or undefined when there is none. */
export function get<Row>(db: Db, text: string, ...params: Param[]): Row | undefined {
  return prepareCached(db, text).get(...params) as Row | undefined;
}

/**
 * The first row of a query that always has one (an aggregate, a row just written, a row a
 * foreign key guarantees). A missing row is a broken invariant, reported as such.
 */
export function one<Row>(db: Db, text: string, ...params: Param[]): Row {
  const row = prepareCached(db, text).get(...params) as Row | undefined;
  if (row === undefined) throw new Error(`expected a row from: ${text.replace(/\s+/g, ' ').slice(0, 120)}`);
  return row;
}

/** The rows of a query one at a time, for reads too long to hold at once (the whole audit chain). */
export function iterate<Row>(db: Db, text: string, ...params: Param[]): IterableIterator<Row> {
  return prepareCached(db, text).iterate(...params) as IterableIterator<Row>;
}

/** Runs a statement that returns no rows (INSERT, UPDATE, DELETE). */
export function run(db: Db, text: string, ...params: Param[]): Database.RunResult {
  return prepareCached(db, text).run(...params);
}

/** A list bound as one parameter, for `IN (SELECT value FROM json_each(?))`. */
export function list(values: readonly (string | number)[]): string {
  return JSON.stringify(values);
}
