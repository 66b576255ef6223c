import fs from 'node:fs';
import { version as appVersion } from '../../package.json';
import { AppError } from '../../shared/api/errors';
import type { AppInfo, OperatorView } from '../../shared/api/views';
import { maskIdNumber } from '../../shared/domain/id-number';
import { createDispatcher, type Dispatch } from './api/dispatcher';
import { SessionService } from './auth/session';
import { civilDate, systemClock, type Clock } from '../platform/clock';
import {
  DEFAULT_PRINTER_SERIAL,
  DEFAULT_READER_SERIAL,
  dataDirLayout,
  readConfig,
  trainingConfig,
  writeConfig,
  type CounterConfig,
  type DataDirLayout,
} from '../platform/config';
import { cardForPayer, DeviceService, type DeviceTimings } from './counter/devices';
import { PaymentService, type CounterContext } from './counter/payments';
import { ReceiptDesk } from './counter/receipt-desk';
import { PageSpool, spoolerFor, type SpoolOptions } from '../printing';
import { ReceiptService } from './receipts';
import { DayCloseService } from './dayclose';
import { migrate, openDatabase, removeDatabaseFiles, schemaVersion, type Db } from '../platform/db/database';
import { latestSchemaVersion } from '../platform/db/migrations';
import { demoCardPayers, type DemoCountyOptions } from './demo/county';
import { COUNTY_FILLED_SETTING, COUNTY_SETTING, demoAccounts, seedDemoOperatorsAsync } from './demo/seed';
import { runCountyFill, type CountyFillRun, type CountyFillTuning } from './demo/county-fill';
import { EventBus } from '../platform/events';
import { createLogger, type Logger } from '../platform/log';
import { PayerService } from './payers/payers';
import { openTiersFen, policyInForce } from './policy/current';
import { PolicyRegistry } from './policy/registry';
import { BackupScheduler, backupDatabase, defaultBackupDir, startupCheck } from './trust/backup';
import { appendAudit } from './trust/audit';
import { pendingCount, SyncEngine, UpstreamClient } from '../sync';
import { onOutboxChange } from '../sync/outbox';
import { createHandlers, type AppContext, type Running } from './handlers';
import { SETTING } from './setup/commission';
import { PayerDisplayService } from './payer-display/service';

export interface AppServicesOptions {
  dataDir: string;
  clock?: Clock;
  /** Payers in a new training county (default from the training configuration: 120,000). */
  demoPayers?: number;
  logToStderr?: boolean;
  logLevel?: string;
  /** Page print jobs: how often the spooler is asked, how long a print call waits (tests shorten them). */
  spool?: SpoolOptions;
  /** The slip printer's watch: how often it is looked at, the reopen back-off (tests shorten them). */
  devices?: DeviceTimings;
  /** The county-fill worker's tuning (electron/services/demo/county-fill.ts; tests shorten the busy wait). */
  countyFill?: CountyFillTuning;
}

export interface AppServices {
  readonly dispatch: Dispatch;
  readonly events: EventBus;
  readonly log: Logger;
  readonly layout: DataDirLayout;
  /** Resolves when migrations and first-start seeding are done (or rejects with the reason). */
  readonly ready: Promise<void>;
  /**
   * Training: resolves when the whole county is written (after `ready`, the rest is written in the
   * background); at once for a complete county or a production counter.
   */
  countyComplete(): Promise<void>;
  isReady(): boolean;
  info(): AppInfo;
  close(): Promise<void>;
}

/**
 * Training mode: paper stock for every counter operator, so receipts can be issued at once. The
 * series says 培训 so a training number can never be mistaken for real stock.
 */
function seedTrainingStock(db: Db, receipts: ReceiptService, year: number): void {
  if (receipts.blocks().length > 0) return;
  const supervisor = db.prepare("SELECT id FROM operators WHERE role = 'supervisor' ORDER BY id LIMIT 1").get() as { id: number } | undefined;
  if (!supervisor) return;
  const staff = db.prepare("SELECT id FROM operators WHERE role IN ('clerk', 'supervisor') ORDER BY id").all() as { id: number }[];
  staff.forEach((op, i) =>
    receipts.addBlock(
      { operatorId: op.id, series: `(${year})培训税现`, firstSerial: i * 1000 + 1, lastSerial: i * 1000 + 1000, serialDigits: 8 },
      supervisor.id,
    ),
  );
}

/** Settings key: the program version that last started on this database. */
const LAST_VERSION_KEY = 'app_version';
/** Payers of a new training county written before sign-in: the demo cards and a few thousand more. */
const FIRST_START_PAYERS = 5_000;

/**
 * A new program's first start on an older database: before any migration runs, a backup is taken
 * and verified (backupDatabase checks the copy before naming it); if it cannot be made, nothing
 * is migrated. Returns which version ran before (null when this is not an upgrade).
 */
async function beforeUpgrade(db: Db, backupDir: string, log: Logger, say: (m: string) => void): Promise<AppInfo['upgradedFrom']> {
  const before = schemaVersion(db);
  const recorded = (db.prepare('SELECT value FROM settings WHERE key = ?').get(LAST_VERSION_KEY) as { value: string } | undefined)?.value ?? null;
  const migrating = before < latestSchemaVersion;
  if (!migrating && (recorded === null || recorded === appVersion)) return null;
  const previous = recorded ?? '（未记录，0.1.0 或更早）';
  let backup: string | null = null;
  if (migrating) {
    say(`正在升级：先备份数据库（上次运行的版本 ${previous}）`);
    try {
      backup = (await backupDatabase(db, backupDir, { keep: 1000 })).file;
    } catch (error) {
      throw new Error(`升级前的备份失败，数据库未升级（仍可用版本 ${previous} 打开）：${(error as Error).message}`);
    }
  }
  log.info({ previousVersion: previous, version: appVersion, fromSchema: before, toSchema: latestSchemaVersion, backup }, 'upgrade: previous version recorded');
  return { version: previous, schemaVersion: before, backup };
}

/**
 * Training and production never mix: a database keeps the mode it was created in (settings
 * 'counter_mode'; a training county also has 'demo_county'). A training directory whose
 * config.json was switched to production (or the reverse) is refused with the reason and the
 * command that makes a new production counter; nothing in the database is changed.
 */
function assertModeMatches(db: Db, mode: CounterConfig['mode']): void {
  const setting = (key: string) => (db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null;
  const recorded = setting(SETTING.mode) ?? (setting('demo_county') !== null ? 'training' : null);
  if (recorded === null) {
    // A database from before the mode was recorded and without a training county.
    if (mode === 'production') db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(SETTING.mode, 'production');
    return;
  }
  if (recorded === mode) return;
  if (recorded === 'training') {
    throw new AppError(
      'MODE_MISMATCH',
      `这个数据目录是培训模式建立的（培训账户、培训票证、演示参保人都在其中），不能就地改为正式柜台。` +
        `请把数据目录中 config.json 的 "mode" 改回 "training"；正式柜台请在新的空目录中建立：pension-counter setup --data-dir <新目录>`,
    );
  }
  throw new AppError(
    'MODE_MISMATCH',
    `这个数据目录是正式柜台，不能改为培训模式（会混入培训账户与培训票证）。请把数据目录中 config.json 的 "mode" 改回 "production"；培训请使用另一个数据目录。`,
  );
}

/**
 * Builds every service on one data directory and binds them to the API contract. Both hosts
 * (Electron main, `pension-counter serve`) and the tests call this; nothing here knows which
 * transport will carry the calls.
 */
export function createAppServices(options: AppServicesOptions): AppServices {
  const layout = dataDirLayout(options.dataDir);
  const clock = options.clock ?? systemClock;
  const log = createLogger(layout.logDir, { stderr: options.logToStderr ?? false, level: options.logLevel });
  const events = new EventBus();

  let config: CounterConfig | null = readConfig(layout);
  const firstStart = config === null;
  if (!config) {
    config = trainingConfig(options.demoPayers);
    log.info({ dir: layout.dir }, 'no configuration: first start in training mode');
  }
  const cfg = config;
  const training = cfg.mode === 'training';

  // A new training database is built under a temporary name and renamed into place only when it
  // is complete, so an interrupted first start never leaves a half-seeded county behind. A data
  // directory that has a database but lost its config.json is refused, never overwritten.
  const buildingFile = `${layout.databaseFile}.new`;
  if (firstStart && fs.existsSync(layout.databaseFile)) {
    throw new Error(`数据目录 ${layout.dir} 中有数据库但缺少配置文件 config.json：请恢复配置文件，程序不会覆盖已有数据库。`);
  }
  if (firstStart) removeDatabaseFiles(buildingFile);
  const backupDir = cfg.backup?.dir ?? defaultBackupDir(layout.dir);
  // Before anything touches an existing database: is it readable, sound and not too new? If not,
  // the app starts in recovery (a screen that says what to do), never re-creates or repairs it.
  let recovery: AppInfo['recovery'] = null;
  if (!firstStart) {
    const check = startupCheck(layout.databaseFile, { backupDirs: [backupDir], quick: true });
    if (check !== 'ok') {
      const good = check.latestGoodBackup;
      recovery = {
        problem: check.problem,
        message: check.message,
        latestGoodBackup: good ? { file: good.file, at: good.at } : null,
        restoreCommand: good ? `pension-counter db restore --data-dir "${layout.dir}" --from "${good.file}"` : null,
      };
      log.error({ problem: check.problem, message: check.message }, 'database unusable: recovery needed');
    }
  }
  let db: Db | null = recovery ? null : openDatabase(firstStart ? buildingFile : layout.databaseFile, { create: firstStart });
  const database = (): Db => {
    if (!db) throw new AppError(recovery?.problem === 'cannot_open' ? 'STORAGE_UNAVAILABLE' : 'DB_CORRUPT', recovery?.message);
    return db;
  };

  let upgradedFrom: AppInfo['upgradedFrom'] = null;
  let status: AppInfo['status'] = 'starting';
  let statusMessage = '正在启动';
  const setStatus = (s: AppInfo['status'], message: string, progress: number | null = null) => {
    status = s;
    statusMessage = message;
    events.emit('app.status', { state: s, message, progress });
  };
  const today = () => civilDate(clock.now(), cfg.timeZone);
  const setDb = (next: Db) => {
    db = next;
  };

  let running: Running | null = null;
  // The rest of a training county, written in small steps between counter calls (issue 18: the
  // counter is usable seconds after a first start; lookups say when a payer may not be there yet).
  let closing = false;
  let countyFill: { progress(): { filled: number; total: number } | null; finished: Promise<void>; stop(): Promise<void> } | null = null;
  /** The head of a new county, written by a worker before sign-in (stopped by a close meanwhile). */
  let headFill: CountyFillRun | null = null;
  const upstreamClient = cfg.upstream ? new UpstreamClient({ baseUrl: cfg.upstream.url, key: cfg.upstream.key, installationId: cfg.installationId }) : null;
  const live = (): Running => {
    if (!running) throw new AppError('STARTING');
    return running;
  };
  const trainingOnly = (): Running => {
    if (!training) throw new AppError('NOT_TRAINING');
    return live();
  };
  const counterContext = (): CounterContext => {
    const r = live();
    const s = r.session.view();
    if (!s.operator || !s.shift) throw new AppError('NOT_SIGNED_IN');
    return {
      operatorId: s.operator.id,
      operatorUsername: s.operator.username,
      operatorName: s.operator.displayName,
      shiftId: s.shift.id,
      counterNo: s.shift.counterNo,
    };
  };

  const info = (): AppInfo => ({
    version: appVersion,
    mode: cfg.mode,
    hallName: cfg.hallName,
    taxOffice: cfg.taxOffice,
    countyName: cfg.countyName,
    timeZone: cfg.timeZone,
    today: today(),
    status,
    statusMessage,
    schemaVersion: db ? schemaVersion(db) : 0,
    recovery,
    idleLockMinutes: cfg.idleLockMinutes ?? 5,
    demoAccounts: training ? demoAccounts.map(({ username, password, role }) => ({ username, password, role })) : [],
    upgradedFrom,
    trainingFill: countyFill?.progress() ?? null,
  });

  const deviceConfig = () => {
    const d = cfg.devices;
    return {
      reader: d?.reader ?? '',
      printer: d?.printer ?? '',
      paperWidth: d?.paperWidth ?? 80,
      readerSerial: d?.readerSerial ?? DEFAULT_READER_SERIAL,
      printerSerial: d?.printerSerial ?? DEFAULT_PRINTER_SERIAL,
      printerType: d?.printerType ?? 'epson',
      printerFont: d?.printerFont ?? 'gbk',
    };
  };
  const makeDevices = (database: Db, payers: PayerService) =>
    new DeviceService(
      database,
      events,
      log,
      deviceConfig(),
      { hallName: cfg.hallName, timeZone: cfg.timeZone, training },
      (card) => {
        const payerId = payers.findIdByIdNumber(card.idNumber.toUpperCase());
        events.emit('card.read', { card: { name: card.name, idNumberMasked: maskIdNumber(card.idNumber), kind: card.kind }, payerId });
      },
      options.devices,
    );

  let backups: BackupScheduler | null = null;
  const context: AppContext = {
    cfg,
    layout,
    clock,
    log,
    events,
    training,
    upstream: upstreamClient,
    info,
    today,
    running: () => running,
    live,
    trainingOnly,
    counter: counterContext,
    receiptContext: () => {
      const c = counterContext();
      return { operatorId: c.operatorId, operatorUsername: c.operatorUsername, operatorName: c.operatorName, counterNo: c.counterNo };
    },
    approverId: (approval) => live().session.verifyApprover(approval.username, approval.password).id,
    deviceConfig,
    trainingFill: () => countyFill?.progress() ?? null,
    restartDevices: async () => {
      const r = live();
      await r.devices.stop();
      r.devices = makeDevices(r.db, r.payers);
      await r.devices.start();
    },
    backupSoon: (reason) => void backups?.runNow(reason)?.catch(() => {}),
  };

  const operator = (): OperatorView | null => running?.session.operator() ?? null;
  const dispatch = createDispatcher({
    handlers: createHandlers(context),
    log,
    operator,
    locked: () => running?.session.isLocked() ?? false,
    ready: () => status === 'ready',
  });

  // The rest of a training county, written by a worker thread with its own connection (issue 18:
  // the services thread never writes the county itself). Its progress is an event of its own (not
  // app.status, whose every change makes the screen reload its state).
  const startCountyFill = (fillDb: Db, county: DemoCountyOptions) => {
    const filledRow = fillDb.prepare('SELECT value FROM settings WHERE key = ?').get(COUNTY_FILLED_SETTING) as { value: string } | undefined;
    // A county from before the setting existed was written whole.
    const from = filledRow ? Number(filledRow.value) : county.payers;
    // While the worker writes, it alone checkpoints the WAL: a counter write on this thread never
    // copies the worker's pages into the database (the default would let whichever commit crosses
    // 1,000 pages do it). Restored when the fill ends, however it ends.
    const autoCheckpoint = fillDb.pragma('wal_autocheckpoint', { simple: true }) as number;
    if (from < county.payers) fillDb.pragma('wal_autocheckpoint = 0');
    let lastEvent = 0;
    const fill = runCountyFill({
      file: fillDb.name,
      county,
      nowIso: clock.now().toISOString(),
      from,
      ...options.countyFill,
      onProgress: (filled, total) => {
        if (Date.now() - lastEvent < 1_000) return;
        lastEvent = Date.now();
        events.emit('training.fill', { filled, total, done: false });
      },
    });
    let state: 'filling' | 'done' | 'failed' | 'stopped' = from >= county.payers ? 'done' : 'filling';
    const restoreCheckpoints = () => {
      if (fillDb.open) fillDb.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
    };
    const finished = fill.finished.finally(restoreCheckpoints).then(
      () => {
        // A county complete before this start says nothing.
        if (state !== 'filling') return;
        state = 'done';
        log.info({ payers: fill.filled() }, 'training county complete');
        events.emit('training.fill', { filled: fill.filled(), total: county.payers, done: true });
      },
      (error: Error) => {
        if (state !== 'stopped') {
          state = 'failed';
          log.error({ err: error, filled: fill.filled() }, 'training county: background fill stopped');
          events.emit('training.fill', { filled: fill.filled(), total: county.payers, done: true });
        }
        // Whoever waits for the whole county (demo-data) is told why it is not there.
        throw new Error(`培训数据未生成完：已生成 ${fill.filled()}/${county.payers} 人（${state === 'stopped' ? '程序已停止' : error.message}）`);
      },
    );
    // Handled here too: nobody may be waiting for it.
    finished.catch(() => {});
    return {
      // Null once complete, and once failed: lookups then answer plainly (the log has the reason).
      progress: () => (state === 'filling' ? { filled: fill.filled(), total: county.payers } : null),
      finished,
      stop: async () => {
        if (state === 'filling') state = 'stopped';
        await fill.stop();
      },
    };
  };

  const ready = (async () => {
    if (recovery?.problem === 'cannot_open') throw new AppError('STORAGE_UNAVAILABLE', recovery.message);
    if (recovery) throw new AppError('DB_CORRUPT', `${recovery.message}${recovery.restoreCommand ? '' : '（没有可用的备份）'}`);
    let db = database();
    // Checked before anything is written: a refused directory is left exactly as it was.
    if (!firstStart) assertModeMatches(db, cfg.mode);
    if (!firstStart) upgradedFrom = await beforeUpgrade(db, backupDir, log, (m) => setStatus('starting', m));
    const result = migrate(db);
    if (result.applied.length) log.info({ from: result.from, to: result.to }, 'database migrated');
    // Written only when it changes: an unchanged start writes nothing, so a read-only database
    // still opens and its first write (sign-in) answers STORAGE_UNAVAILABLE with nothing recorded.
    const lastVersion = db.prepare('SELECT value FROM settings WHERE key = ?').get(LAST_VERSION_KEY) as { value: string } | undefined;
    if (lastVersion?.value !== appVersion) {
      try {
        db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(LAST_VERSION_KEY, appVersion);
      } catch (error) {
        log.warn({ err: error }, 'could not record the running version (storage)');
      }
    }
    const policies = await PolicyRegistry.load(log);
    if (training && firstStart) {
      const nowIso = clock.now().toISOString();
      await seedDemoOperatorsAsync(db, nowIso);
      const demo = cfg.demo ?? { seed: 20260101, payers: 120_000 };
      setStatus('starting', '正在生成培训数据', 0);
      const policy = await policyInForce(cfg.policyRegion, Number(today().slice(0, 4)));
      const county: DemoCountyOptions = {
        seed: demo.seed,
        payers: demo.payers,
        asOf: today(),
        regionCode: cfg.regionCode,
        countyName: cfg.countyName,
        tiersFen: openTiersFen(policy),
      };
      // Sign-in comes after the first few thousand payers (the demo cards head the stream); the rest
      // of the county follows in the background (startCountyFill below).
      const first = Math.min(county.payers, FIRST_START_PAYERS);
      let lastStatus = 0;
      headFill = runCountyFill({
        file: buildingFile,
        county,
        nowIso,
        from: 0,
        until: first,
        ...options.countyFill,
        // Every app.status makes the screen reload its state: a few a second are enough.
        onProgress: (filled) => {
          if (filled < first && Date.now() - lastStatus < 200) return;
          lastStatus = Date.now();
          setStatus('starting', `正在生成培训数据（${filled}/${county.payers}）`, first ? filled / first : 1);
        },
      });
      try {
        await headFill.finished;
      } finally {
        headFill = null;
      }
      // The options are kept so the demo cards can be rebuilt on every start.
      db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(COUNTY_SETTING, JSON.stringify(county));
      db.prepare("INSERT INTO settings (key, value) VALUES (?, 'training')").run(SETTING.mode);
      log.info({ payers: first, of: county.payers }, 'training county: first part seeded');
    }
    if (firstStart) {
      db.close();
      fs.renameSync(buildingFile, layout.databaseFile);
      db = openDatabase(layout.databaseFile);
      setDb(db);
      // The configuration is written last: until it exists, the next start begins afresh.
      writeConfig(layout, cfg);
    }
    const countyRow = db.prepare('SELECT value FROM settings WHERE key = ?').get(COUNTY_SETTING) as { value: string } | undefined;
    const demoCards =
      training && countyRow
        ? demoCardPayers(JSON.parse(countyRow.value) as DemoCountyOptions).map((c) => ({
            case: c.case,
            card: cardForPayer(c.payer, `${cfg.countyName}公安局`),
          }))
        : [];
    const payments = new PaymentService(db, policies, cfg.policyRegion, cfg.timeZone, clock, log);
    const payers = new PayerService(db);
    const devices = makeDevices(db, payers);
    const sync = upstreamClient
      ? new SyncEngine({
          db,
          log,
          clock,
          client: upstreamClient,
          auditRecovery: (after, at) => appendAudit(db, { action: 'sync.apply', entity: 'recovery', after, at }),
          onStatus: (s) => events.emit('sync.status', s),
          // A first sync of a county takes minutes: the header shows how far it has got.
          onProgress: (p) =>
            events.emit('sync.status', {
              ...(running?.sync?.status() ?? { state: 'syncing', lastSuccessAt: null, pending: 0 }),
              state: 'syncing',
              message: `正在同步${p.stream === 'payers' ? '参保人' : '缴费记录'}：已接收 ${p.applied}，尚余 ${p.remaining}`,
            }),
        })
      : null;
    // Every event written to the outbox (payments, receipts, exchanges, day closes) wakes the push.
    // The wake-up runs on the next tick: by then the app may have been closed.
    if (sync) onOutboxChange(db, () => void (db.open && sync.outboxChanged()));
    else {
      events.emit('sync.status', {
        state: 'disabled',
        lastSuccessAt: null,
        pending: pendingCount(db),
        message: '未配置上游系统：缴费记录保存在本机，待配置后上传',
      });
    }
    const receiptService = new ReceiptService(db, clock, log, { training, taxOffice: cfg.taxOffice, timeZone: cfg.timeZone, formLineLimit: 5 });
    if (training) seedTrainingStock(db, receiptService, Number(today().slice(0, 4)));
    const client = upstreamClient;
    const receiptPrinter = cfg.devices?.receiptPrinter ?? '';
    // One page print path for receipts, A4 day summaries and calibration frames (electron/printing).
    const pages = new PageSpool(db, spoolerFor(receiptPrinter, layout.dir, process.platform, cfg.devices?.receiptPaperName), clock, log, options.spool);
    pages.resume();
    const receipts = new ReceiptDesk(
      receiptService,
      { printer: receiptPrinter, layout: cfg.devices?.receiptLayout ?? 'a4', paper: cfg.devices?.receiptPaper },
      pages,
      log,
      client ? (channel, channelRef, counterId) => client.claimExchange(channel, channelRef, counterId) : null,
    );
    const dayClose = new DayCloseService(db, clock, log, { timeZone: cfg.timeZone });
    // The payer's screen (客显) and the 好差评 rating: amounts from the same policy engine as the counter.
    const payerDisplay = new PayerDisplayService({
      db,
      clock,
      events,
      log,
      training,
      hallName: cfg.hallName,
      quote: (payerId, lines) => payments.quote(payerId, lines),
      period: () => {
        const t = today();
        const c = policies.table(cfg.policyRegion, Number(t.slice(0, 4)), t)?.collection;
        return c ? { year: Number(t.slice(0, 4)), from: c.from, to: c.to, ended: t > c.to } : null;
      },
      evaluationSeconds: () => cfg.payerDisplay?.evaluationSeconds ?? 30,
    });
    running = { db, session: new SessionService(db, clock, log), payers, payments, devices, sync, receipts, dayClose, demoCards, payerDisplay };
    const opened = db;
    backups = new BackupScheduler({
      db: () => (opened.open ? opened : null),
      dir: backupDir,
      keep: cfg.backup?.keep ?? 14,
      intervalMs: (cfg.backup?.intervalMinutes ?? 60) * 60_000,
      log,
    });
    backups.start();
    await devices.start();
    sync?.start();
    setStatus('ready', '就绪');
    // A close() during start-up has already run: nothing more is started on the closed database.
    if (training && countyRow && !closing) countyFill = startCountyFill(db, JSON.parse(countyRow.value) as DemoCountyOptions);
  })().catch((error: unknown) => {
    log.error({ err: error }, 'start-up failed');
    // A refusal the services worded (AppError) is shown as is; anything else is for the log only.
    setStatus('failed', error instanceof AppError ? error.message : '启动失败，请联系信息技术人员（详情见日志）');
    throw error;
  });
  // Callers that only use dispatch() see the failure through app.info; avoid an unhandled rejection.
  ready.catch(() => {});

  return {
    dispatch,
    events,
    log,
    layout,
    ready,
    isReady: () => status === 'ready',
    countyComplete: async () => {
      await ready;
      await countyFill?.finished;
    },
    info,
    async close() {
      closing = true;
      await headFill?.stop();
      await countyFill?.stop();
      await backups?.stop();
      if (running) {
        running.payerDisplay.close();
        await running.sync?.stop();
        await running.devices.stop();
        await running.receipts.pages.stop();
        running.session.signOut();
      }
      if (db?.open) db.close();
      log.flush();
    },
  };
}
