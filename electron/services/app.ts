import fs from 'node:fs';
import { version as appVersion } from '../../package.json';
import { AppError } from '../../shared/api/errors';
import type { AppInfo } from '../../shared/api/views';
import { SessionService } from './auth/session';
import { civilDate, systemClock, type Clock } from './clock';
import { dataDirLayout, readConfig, trainingConfig, writeConfig, type CounterConfig, type DataDirLayout } from './config';
import { createDispatcher, type Dispatch, type Handlers } from './api/dispatcher';
import { migrate, openDatabase, removeDatabaseFiles, schemaVersion, type Db } from './db/database';
import { demoAccounts, seedDemoCounty, seedDemoOperators } from './demo/seed';
import { EventBus } from './events';
import { createLogger, type Logger } from './log';
import { PayerService } from './payers/payers';
import { openTiersFen, policyInForce } from './policy/current';

export interface AppServicesOptions {
  dataDir: string;
  clock?: Clock;
  /** Payers in a new training county (default from the training configuration: 120,000). */
  demoPayers?: number;
  logToStderr?: boolean;
  logLevel?: string;
}

export interface AppServices {
  readonly dispatch: Dispatch;
  readonly events: EventBus;
  readonly log: Logger;
  readonly layout: DataDirLayout;
  /** Resolves when migrations and first-start seeding are done (or rejects with the reason). */
  readonly ready: Promise<void>;
  isReady(): boolean;
  info(): AppInfo;
  close(): void;
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

  // A new training database is built under a temporary name and renamed into place only when it
  // is complete, so an interrupted first start never leaves a half-seeded county behind. A data
  // directory that has a database but lost its config.json is refused, never overwritten.
  const buildingFile = `${layout.databaseFile}.new`;
  if (firstStart && fs.existsSync(layout.databaseFile)) {
    throw new Error(`数据目录 ${layout.dir} 中有数据库但缺少配置文件 config.json：请恢复配置文件，程序不会覆盖已有数据库。`);
  }
  if (firstStart) removeDatabaseFiles(buildingFile);
  let db: Db = openDatabase(firstStart ? buildingFile : layout.databaseFile, { create: firstStart });
  let status: AppInfo['status'] = 'starting';
  let statusMessage = '正在启动';
  const setStatus = (s: AppInfo['status'], message: string, progress: number | null = null) => {
    status = s;
    statusMessage = message;
    events.emit('app.status', { state: s, message, progress });
  };

  const today = () => civilDate(clock.now(), cfg.timeZone);
  let services: { session: SessionService; payers: PayerService } | null = null;
  const ready_ = () => {
    if (!services) throw new AppError('STARTING');
    return services;
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
    schemaVersion: schemaVersion(db),
    demoAccounts: cfg.mode === 'training' ? demoAccounts.map(({ username, password, role }) => ({ username, password, role })) : [],
  });

  const handlers: Handlers = {
    'app.info': () => info(),
    'session.current': () => services?.session.view() ?? { operator: null, shift: null },
    'session.signIn': ({ username, password, counterNo }) => ready_().session.signIn(username, password, counterNo),
    'session.signOut': () => ready_().session.signOut(),
    'payer.lookup': ({ idNumber }) => ready_().payers.lookup(idNumber, today()),
    'payer.get': ({ payerId }) => ready_().payers.get(payerId, today()),
  };

  const dispatch = createDispatcher({
    handlers,
    log,
    operator: () => services?.session.operator() ?? null,
    ready: () => status === 'ready',
    validateOutput: true,
  });

  const ready = (async () => {
    const result = migrate(db);
    if (result.applied.length) log.info({ from: result.from, to: result.to }, 'database migrated');
    const operatorCount = (db.prepare('SELECT count(*) AS n FROM operators').get() as { n: number }).n;
    if (cfg.mode === 'training' && operatorCount === 0) {
      const nowIso = clock.now().toISOString();
      seedDemoOperators(db, nowIso);
      const demo = cfg.demo ?? { seed: 20260101, payers: 120_000 };
      setStatus('starting', '正在生成培训数据', 0);
      const policy = await policyInForce(cfg.policyRegion, Number(today().slice(0, 4)));
      const seeded = await seedDemoCounty(
        db,
        { seed: demo.seed, payers: demo.payers, asOf: today(), regionCode: cfg.regionCode, countyName: cfg.countyName, tiersFen: openTiersFen(policy) },
        nowIso,
        (done, total) => setStatus('starting', `正在生成培训数据（${done}/${total}）`, total ? done / total : 1),
      );
      log.info(seeded, 'training county seeded');
    }
    if (firstStart) {
      db.close();
      fs.renameSync(buildingFile, layout.databaseFile);
      db = openDatabase(layout.databaseFile);
      // The configuration is written last: until it exists, the next start begins afresh.
      writeConfig(layout, cfg);
    }
    services = { session: new SessionService(db, clock, log), payers: new PayerService(db) };
    setStatus('ready', '就绪');
  })().catch((error: unknown) => {
    log.error({ err: error }, 'start-up failed');
    setStatus('failed', error instanceof Error ? error.message : String(error));
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
    info,
    close() {
      services?.session.signOut();
      if (db.open) db.close();
      log.flush?.();
    },
  };
}
