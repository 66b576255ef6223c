// The first run of a production build: with no configuration, the app does not turn itself into
// a training counter but asks IT staff — commission a production counter (the same steps as
// `pension-counter setup`) or, one click away, start training. Until the choice is made only
// app.info and the two setup calls are served; afterwards every call goes to the real services.
import fs from 'node:fs';
import { version as appVersion } from '../../package.json';
import { contract } from '../../shared/api/contract';
import { AppError, type Envelope } from '../../shared/api/errors';
import type { AppInfo, SetupForm } from '../../shared/api/views';
import { systemClock, civilDate } from '../platform/clock';
import { dataDirLayout } from '../platform/config';
import { EventBus } from '../platform/events';
import { createLogger } from '../platform/log';
import { createAppServices, type AppServices, type AppServicesOptions } from './app';
import { commissionCounter, SetupError, unfinishedSetup } from './setup/commission';

export interface FirstRunOptions extends AppServicesOptions {
  /** Production builds ask on first run; development and the training quick start do not. */
  askFirstRun: boolean;
}

const fail = (error: AppError): Envelope<unknown> => ({ ok: false, error: error.toApiError() });

export function createServicesWithFirstRun(options: FirstRunOptions): AppServices {
  const layout = dataDirLayout(options.dataDir);
  const configured = fs.existsSync(layout.configFile) || fs.existsSync(layout.databaseFile);
  if (!options.askFirstRun || configured) return createAppServices(options);

  const events = new EventBus();
  const log = createLogger(layout.logDir, { stderr: options.logToStderr ?? false, level: options.logLevel });
  const clock = options.clock ?? systemClock;
  let inner: AppServices | null = null;
  let busy: string | null = null;
  let settle: { resolve: () => void; reject: (e: unknown) => void } | null = null;
  const ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  ready.catch(() => {});

  const start = (): AppServices => {
    const services = createAppServices(options);
    services.events.subscribe((name, payload) => events.emit(name, payload as never));
    services.ready.then(
      () => settle?.resolve(),
      (e: unknown) => settle?.reject(e),
    );
    inner = services;
    return services;
  };

  const firstRunInfo = (): AppInfo => ({
    version: appVersion,
    mode: 'production',
    hallName: '新安装的柜台',
    taxOffice: '',
    countyName: '',
    timeZone: 'Asia/Shanghai',
    today: civilDate(clock.now(), 'Asia/Shanghai'),
    status: 'starting',
    statusMessage: busy ?? '首次启动：请信息技术人员建立正式柜台，或进入培训模式',
    schemaVersion: 0,
    recovery: null,
    idleLockMinutes: 5,
    demoAccounts: [],
    firstRun: true,
  });

  const commission = async (form: SetupForm): Promise<Envelope<unknown>> => {
    busy = '正在建立正式柜台';
    events.emit('app.status', { state: 'starting', message: busy, progress: 0 });
    try {
      const result = await commissionCounter(layout.dir, unfinishedSetup(layout) ? null : { ...form, firstBlockSize: 100 }, {
        log,
        clock,
        say: (m) => events.emit('app.status', { state: 'starting', message: m, progress: null }),
        onProgress: (p) =>
          events.emit('app.status', {
            state: 'starting',
            message: `首次同步：${p.stream === 'payers' ? '参保人' : '缴费记录'}已接收 ${p.applied}，尚余 ${p.remaining}`,
            progress: p.applied + p.remaining ? p.applied / (p.applied + p.remaining) : 1,
          }),
      });
      start();
      return {
        ok: true,
        value: {
          installationId: result.installationId,
          station: result.station,
          firstBlock: result.firstBlock ? `${result.firstBlock.first} – ${result.firstBlock.last}` : null,
          payers: result.sync.pulledPayers,
        },
      };
    } catch (error) {
      busy = null;
      // A refused setup writes nothing (or stops at a resumable first sync); the screen says why.
      log.warn({ err: error }, 'first-run commissioning failed');
      events.emit('app.status', { state: 'starting', message: '首次启动：请信息技术人员建立正式柜台，或进入培训模式', progress: null });
      const message = error instanceof SetupError ? error.message : `建立失败：${(error as Error).message}`;
      return fail(new AppError('VALIDATION', message));
    }
  };

  const dispatch: AppServices['dispatch'] = async (method, input, ctx) => {
    if (inner) return inner.dispatch(method, input, ctx);
    if (method === 'app.info') return { ok: true, value: firstRunInfo() };
    if (busy) return fail(new AppError('STARTING', busy));
    if (method === 'setup.training') {
      log.info('first run: training chosen');
      const services = start();
      return { ok: true, value: services.info() };
    }
    if (method === 'setup.commission') {
      const parsed = contract['setup.commission'].input.safeParse(input);
      if (!parsed.success) {
        return fail(
          new AppError(
            'VALIDATION',
            parsed.error.issues[0]?.message,
            parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
          ),
        );
      }
      return commission(parsed.data);
    }
    if (method === 'session.current') return { ok: true, value: { operator: null, shift: null, locked: false } };
    return fail(new AppError('STARTING', '首次启动：请先选择建立正式柜台或进入培训模式'));
  };

  return {
    dispatch,
    events,
    log,
    layout,
    ready,
    isReady: () => inner?.isReady() ?? false,
    countyComplete: async () => {
      await ready;
      await inner?.countyComplete();
    },
    info: () => (inner ? inner.info() : firstRunInfo()),
    async close() {
      if (inner) await inner.close();
      log.flush();
    },
  };
}
