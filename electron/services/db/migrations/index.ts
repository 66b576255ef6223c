import { migration0001 } from './0001-initial';
import type { Migration } from './types';

/** Every schema change, in order. Append only: a shipped migration is never edited. */
export const migrations: readonly Migration[] = [migration0001];

export const latestSchemaVersion = migrations.length;
