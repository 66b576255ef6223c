import { migration0001 } from './0001-initial';
import { migration0002 } from './0002-counter-ledger-outbox';
import { migration0003 } from './0003-sync';
import { migration0004 } from './0004-receipts';
import { migration0005 } from './0005-audit';
import { migration0006 } from './0006-ledger-indexes';
import { migration0007 } from './0007-day-close';
import { migration0008 } from './0008-clerk-day';
import { migration0009 } from './0009-policy-ledger';
import { migration0010 } from './0010-spool-jobs';
import { migration0011 } from './0011-service-evaluations';
import { migration0012 } from './0012-recovery';
import { migration0013 } from './0013-print-once';
import type { Migration } from './types';

/** Every schema change, in order. Append only: a shipped migration is never edited. */
export const migrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
  migration0013,
];

export const latestSchemaVersion = migrations.length;
