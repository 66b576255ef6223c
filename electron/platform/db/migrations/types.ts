import type Database from 'better-sqlite3';

export interface Migration {
  /** Becomes PRAGMA user_version once applied; versions are 1, 2, 3 … with no gaps. */
  version: number;
  name: string;
  up(db: Database.Database): void;
}
