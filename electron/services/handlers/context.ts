// What every API handler module is given: the running services and the few decisions that cut
// across areas (who is signed in at which counter, training or production, today's hall date).
// The handler modules stay thin: they read the call's context here and hand the work to a service.
import type { MethodName } from '../../../shared/api/contract';
import type { AppInfo, SerialLineView } from '../../../shared/api/views';
import type { IdCard } from '../../../shared/domain/id-card';
import type { Clock } from '../../platform/clock';
import type { CounterConfig, DataDirLayout } from '../../platform/config';
import type { Db } from '../../platform/db/database';
import type { EventBus } from '../../platform/events';
import type { Logger } from '../../platform/log';
import type { SyncEngine, UpstreamClient } from '../../sync';
import type { SessionService } from '../auth/session';
import type { DeviceService } from '../counter/devices';
import type { CounterContext, PaymentService } from '../counter/payments';
import type { ReceiptDesk } from '../counter/receipt-desk';
import type { DayCloseService } from '../dayclose';
import type { DemoCardCase } from '../demo/county';
import type { PayerService } from '../payers/payers';
import type { PayerDisplayService } from '../payer-display/service';
import type { ReceiptContext } from '../receipts';
import type { BackupReason } from '../trust/backup';
import type { Handlers } from '../api/dispatcher';

/** The services of a started counter (after migrations and first-start seeding). */
export interface Running {
  db: Db;
  session: SessionService;
  payers: PayerService;
  payments: PaymentService;
  devices: DeviceService;
  sync: SyncEngine | null;
  receipts: ReceiptDesk;
  dayClose: DayCloseService;
  demoCards: { case: DemoCardCase; card: IdCard }[];
  /** The payer's screen (客显) and its 好差评 rating. */
  payerDisplay: PayerDisplayService;
}

export interface AppContext {
  /** Training: how far the county's background fill has got, or null when it is complete. */
  trainingFill(): { filled: number; total: number } | null;
  readonly cfg: CounterConfig;
  readonly layout: DataDirLayout;
  readonly clock: Clock;
  readonly log: Logger;
  readonly events: EventBus;
  readonly training: boolean;
  /** The one client of the upstream (null: no upstream configured). */
  readonly upstream: UpstreamClient | null;
  info(): AppInfo;
  /** Today's civil date in the hall's time zone. */
  today(): string;
  /** The started services, or null while start-up work runs. */
  running(): Running | null;
  /** The started services, or STARTING while start-up work runs. */
  live(): Running;
  /** live(), refused with NOT_TRAINING outside training mode. */
  trainingOnly(): Running;
  /** The signed-in operator at their counter, or NOT_SIGNED_IN. */
  counter(): CounterContext;
  receiptContext(): ReceiptContext;
  /** A supervisor's own credentials at the clerk's screen; their operator id when accepted. */
  approverId(approval: { username: string; password: string }): number;
  /** Device settings as configured (reader, slip printer, paper width). */
  deviceConfig(): {
    reader: string;
    printer: string;
    paperWidth: 58 | 80;
    readerSerial: SerialLineView;
    printerSerial: SerialLineView;
    printerType: 'epson' | 'star';
    printerFont: 'gbk' | 'gb18030';
  };
  /** Stops the device service and starts one on the current configuration. */
  restartDevices(): Promise<void>;
  /** Starts an online backup now (after a day close) without waiting for it. */
  backupSoon(reason: BackupReason): void;
}

/** The handlers of one API namespace ('receipt' → every 'receipt.*' method of the contract). */
export type NamespaceHandlers<NS extends string> = {
  [M in MethodName as M extends `${NS}.${string}` ? M : never]: Handlers[M];
};
