import type { Migration } from './types';

// Issue 15: the recovery state. While settings holds 'recovery.pending' (written by `db restore`,
// by a push the upstream refused as a reused sequence, or by a start-up reconcile that found the
// upstream ahead), the database itself refuses new payments, receipts and exchanges: whatever
// path a write takes, no receipt number can be issued twice before the counter has read its own
// work back from the upstream. The reconcile writes 'recovery.applying' inside its own
// transaction to put the upstream's records back, and removes both before it commits.
const gate = (table: string) => `
  CREATE TRIGGER ${table}_recovery_gate BEFORE INSERT ON ${table}
  WHEN EXISTS (SELECT 1 FROM settings WHERE key = 'recovery.pending')
   AND NOT EXISTS (SELECT 1 FROM settings WHERE key = 'recovery.applying')
  BEGIN SELECT RAISE(ABORT, 'RECOVERY_PENDING: the counter must reconcile with the upstream first'); END;
`;

export const migration0012: Migration = {
  version: 12,
  name: 'recovery state gates payments, receipts and exchanges',
  up(db) {
    db.exec(gate('counter_transactions') + gate('receipts') + gate('exchanges'));
  },
};
