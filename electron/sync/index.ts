// The sync engine's public surface for the app, the CLI and the tests.
export { UpstreamClient, UpstreamError, type ClaimOutcome, type ServerTime, type UpstreamClientOptions } from './client';
export { SyncEngine, backoffDelay, type SyncEngineOptions, type SyncOutcome, type SyncStatus } from './engine';
export { Puller, readCursor, type IngestOptions, type PullProgress } from './puller';
export { Pusher, listRejectedEvents, pendingCount, type RejectedEvent } from './pusher';
export { reconcile, recoveryPending, enterRecovery, type ReconcileReport, type RecoveryMark } from './recovery';
export { listConflicts, type ConflictPayment, type PaymentConflict } from './conflicts';
export { PROTOCOL_VERSION, type PaymentRecordedPayload, type ReceiptBlock, type ExchangeChannel } from './protocol';

/** The key the reference upstream accepts out of the box: for rehearsals and tests only. */
export const TRAINING_COUNTER_KEY = 'training-counter-key';
