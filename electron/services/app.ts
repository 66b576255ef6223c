import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { version as appVersion } from '../../package.json';
import { AppError } from '../../shared/api/errors';
import type { AppInfo, OperatorView, TrainingCardView } from '../../shared/api/views';
import type { IdCard } from '../../shared/domain/id-card';
import { maskIdNumber } from '../../shared/domain/id-number';
import { createDispatcher, type Dispatch, type Handlers } from './api/dispatcher';
import { SessionService } from './auth/session';
import { civilDate, startOfCivilDate, systemClock, type Clock } from '../platform/clock';
import { dataDirLayout, readConfig, trainingConfig, writeConfig, type CounterConfig, type DataDirLayout } from '../platform/config';
import { cardForPayer, DeviceService } from './counter/devices';
import { PaymentService, type CounterContext } from './counter/payments';
import { ReceiptDesk, toApiCandidate, toApiReceipt, toApiStock } from './counter/receipt-desk';
import { ReceiptService, type ReceiptContext } from './receipts';
import { DayCloseService, openBusinessDate, slipDataOfClose } from './dayclose';
import { toCloseView, toSummaryView } from './counter/day-desk';
import { progressCsv, progressXlsx } from './counter/progress';
import { dayCloseDocument, renderDaySummaryPdf } from '../documents/day-summary-pdf';
import { migrate, openDatabase, removeDatabaseFiles, schemaVersion, type Db } from '../platform/db/database';
import { demoCardPayers, type DemoCardCase, type DemoCountyOptions } from './demo/county';
import { demoAccounts, seedDemoCounty, seedDemoOperators } from './demo/seed';
import { EventBus } from '../platform/events';
import { createLogger, type Logger } from '../platform/log';
import { PayerService } from './payers/payers';
import { openTiersFen, policyInForce } from './policy/current';
import { PolicyRegistry } from './policy/registry';
import { BackupScheduler, defaultBackupDir, startupCheck } from './trust/backup';
import { appendAudit, auditActions, queryAudit, verifyAuditChain, type AuditAction } from './trust/audit';
import { listConflicts, listRejectedEvents, pendingCount, SyncEngine, UpstreamClient } from '../sync';
import { listSerialPaths } from '../devices/serial';

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
  close(): Promise<void>;
}

const demoCardLabels: Record<DemoCardCase, string> = {
  normal: '本年未缴（常规）',
  new_registration: '新参保未满7天',
  turning_60: '本年满60周岁',
  back_pay: '往年有欠缴（补缴）',
  paid_this_year: '本年已在银行缴费',
  dibao: '低保对象（政府代缴）',
  rare_name: '姓名含生僻字',
  receiving: '已领取待遇',
  employee_scheme: '已参加职工养老保险',
};

interface Running {
  db: Db;
  session: SessionService;
  payers: PayerService;
  payments: PaymentService;
  devices: DeviceService;
  sync: SyncEngine | null;
  receipts: ReceiptDesk;
  dayClose: DayCloseService;
  demoCards: { case: DemoCardCase; card: IdCard }[];
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
    if (!db) throw new AppError('DB_CORRUPT', recovery?.message);
    return db;
  };

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
  const upstreamClient = cfg.upstream ? new UpstreamClient({ baseUrl: cfg.upstream.url, key: cfg.upstream.key }) : null;
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
  });

  const deviceConfig = () => {
    const d = cfg.devices ?? { reader: '', printer: '', paperWidth: 80 as const, receiptPrinter: '', receiptLayout: 'a4' as const };
    return { reader: d.reader, printer: d.printer, paperWidth: d.paperWidth };
  };
  const receiptContext = (): ReceiptContext => {
    const c = counterContext();
    return { operatorId: c.operatorId, operatorUsername: c.operatorUsername, operatorName: c.operatorName, counterNo: c.counterNo };
  };
  const approverId = (approval: { username: string; password: string }) => live().session.verifyApprover(approval.username, approval.password).id;
  const issued = (r: { receipts: Parameters<typeof toApiReceipt>[0][]; duplicate: boolean }) => ({
    receipts: r.receipts.map(toApiReceipt),
    duplicate: r.duplicate,
  });
  const makeDevices = (database: Db, payers: PayerService) =>
    new DeviceService(database, events, log, deviceConfig(), { hallName: cfg.hallName, timeZone: cfg.timeZone, training }, (card) => {
      const payerId = payers.findIdByIdNumber(card.idNumber.toUpperCase());
      events.emit('card.read', { card: { name: card.name, idNumberMasked: maskIdNumber(card.idNumber), kind: card.kind }, payerId });
    });

  const payerView = (r: Running, view: ReturnType<PayerService['get']>) => ({ ...view, ...r.payments.assess(view.id) });

  const handlers: Handlers = {
    'app.info': () => info(),
    'session.current': () => running?.session.view() ?? { operator: null, shift: null, locked: false },
    'session.signIn': ({ username, password, counterNo }) => live().session.signIn(username, password, counterNo),
    'session.signOut': () => live().session.signOut(),
    'session.lock': () => live().session.lock(),
    'session.unlock': ({ password }) => live().session.unlock(password),
    'payer.search': ({ query, village, limit }) => live().payers.search(query, village, limit),
    'payer.villages': () => live().payers.villages(),
    'payer.lookup': ({ idNumber }) => {
      const r = live();
      return payerView(r, r.payers.lookup(idNumber, today()));
    },
    'payer.get': ({ payerId }) => {
      const r = live();
      return payerView(r, r.payers.get(payerId, today()));
    },
    'payment.quote': ({ payerId, lines }) => live().payments.quote(payerId, lines),
    'payment.record': (input) => {
      const r = live();
      const recorded = r.payments.record(input, counterContext());
      if (!recorded.duplicate) {
        r.devices.kick();
        r.sync?.outboxChanged();
      }
      return recorded;
    },
    'receipt.issue': ({ transactionId }) => {
      const r = live();
      const result = issued(r.receipts.service.issueForTransaction(transactionId, receiptContext()));
      r.sync?.outboxChanged();
      return result;
    },
    'receipt.forPayer': ({ payerId }) => live().receipts.service.receiptsForPayer(payerId).map(toApiReceipt),
    'receipt.print': async ({ number }) => {
      const { receipt, sentTo } = await live().receipts.print(number);
      return { receipt: toApiReceipt(receipt), sentTo };
    },
    'receipt.pdf': async ({ number, layout }) => {
      const r = live();
      const receipt = r.receipts.service.get(number);
      return { filename: `税收缴款书-${receipt.number}.pdf`, base64: (await r.receipts.pdf(number, layout)).toString('base64') };
    },
    'receipt.confirmPrinted': ({ number }) => toApiReceipt(live().receipts.service.confirmPrinted(number)),
    'receipt.voidAndReissue': ({ number, reason, approval }) => {
      const r = live();
      const next = r.receipts.service.voidAndReissue(number, reason, approverId(approval), receiptContext());
      r.sync?.outboxChanged();
      return toApiReceipt(next);
    },
    'receipt.reissue': ({ number, reason, approval }) => {
      const r = live();
      const copy = r.receipts.service.reissue(number, reason, approverId(approval), receiptContext());
      r.sync?.outboxChanged();
      return toApiReceipt(copy);
    },
    'exchange.find': ({ channelRef }) => live().receipts.service.findExchangeable(channelRef).map(toApiCandidate),
    'exchange.forPayer': ({ payerId }) => live().receipts.service.exchangeableForPayer(payerId).map(toApiCandidate),
    'exchange.issue': async ({ paymentIds }) => {
      const r = live();
      const result = issued(await r.receipts.exchange(paymentIds, receiptContext()));
      r.sync?.outboxChanged();
      return result;
    },
    'receipt.stock': () => toApiStock(live().receipts.service.stockBalance()),
    'receipt.addBlock': ({ operatorUsername, series, firstSerial, lastSerial, serialDigits }) => {
      const r = live();
      const holder = r.db.prepare('SELECT id FROM operators WHERE username = ?').get(operatorUsername) as { id: number } | undefined;
      if (!holder) throw new AppError('NOT_FOUND', `没有操作员 ${operatorUsername}`);
      r.receipts.service.addBlock({ operatorId: holder.id, series, firstSerial, lastSerial, serialDigits }, counterContext().operatorId);
      return toApiStock(r.receipts.service.stockBalance());
    },
    'receipt.requestBlock': async ({ operatorUsername, count }) => {
      const r = live();
      if (!upstreamClient) throw new AppError('UPSTREAM_UNAVAILABLE', '未配置上游系统，不能申领票证；请值班主任录入纸质票证号码段');
      let block;
      try {
        block = await upstreamClient.allocateReceiptBlock({ operatorUsername, count, idempotencyKey: randomUUID() });
      } catch (error) {
        log.warn({ err: error, operatorUsername }, 'receipt block allocation failed');
        throw new AppError('UPSTREAM_UNAVAILABLE', '暂时无法从上游系统申领票证，请稍后再试或录入纸质票证号码段');
      }
      r.receipts.service.addUpstreamBlock(block);
      return toApiStock(r.receipts.service.stockBalance());
    },
    'print.get': ({ jobId }) => live().devices.jobView(jobId),
    'print.retry': ({ jobId }) => live().devices.retry(jobId),
    'print.reprint': ({ jobId }) => live().devices.reprint(jobId, clock.now().toISOString(), live().session.actor()),
    'supervisor.cases': () => {
      const r = live();
      return {
        conflicts: listConflicts(r.db).map((c) => ({
          payerId: c.payerId,
          name: c.name,
          idNumberMasked: c.idNumberMasked,
          year: c.year,
          payments: c.payments.map(({ paymentId, channel, channelRef, tierFen, amountFen, paidAt }) => ({
            paymentId,
            channel,
            channelRef,
            tierFen,
            amountFen,
            paidAt,
          })),
        })),
        rejectedEvents: listRejectedEvents(r.db).map(({ seq, kind, code, message, confirmedAt }) => ({ seq, kind, code, message, confirmedAt })),
      };
    },
    'dayclose.preview': () => {
      const r = live();
      const c = counterContext();
      return toSummaryView(r.dayClose.summary(openBusinessDate(r.db, today(), c.operatorId), c.operatorId));
    },
    'dayclose.close': ({ cashCountedFen }) => {
      const r = live();
      const c = counterContext();
      // The audit row commits with the close (the close's own transaction nests as a savepoint).
      const record = r.db
        .transaction(() => {
          const closed = r.dayClose.close({
            businessDate: openBusinessDate(r.db, today(), c.operatorId),
            operatorId: c.operatorId,
            counterNo: c.counterNo,
            cashCountedFen,
            closedBy: c.operatorId,
          });
          appendAudit(r.db, {
            action: 'dayclose.close',
            entity: 'day_close',
            entityId: closed.number,
            actor: r.session.actor(),
            after: { businessDate: closed.businessDate, cash: closed.cash },
            at: clock.now(),
          });
          return closed;
        })
        .immediate();
      r.sync?.outboxChanged();
      // The close is in the backup taken right after it.
      void backups?.runNow('day_close');
      return toCloseView(record);
    },
    'dayclose.list': ({ limit }) => {
      const r = live();
      const c = counterContext();
      const mine = r.session.operator()?.role === 'supervisor' ? {} : { operatorId: c.operatorId };
      return r.dayClose.list({ ...mine, limit }).map(toCloseView);
    },
    'dayclose.pdf': async ({ no }) => {
      const r = live();
      const record = r.dayClose.get(no);
      const doc = dayCloseDocument(record, { taxOffice: cfg.taxOffice, hallName: cfg.hallName, printedAt: clock.now(), timeZone: cfg.timeZone, training });
      return { filename: `日汇总单-${record.businessDate}-${record.number}.pdf`, base64: (await renderDaySummaryPdf(doc)).toString('base64') };
    },
    'dayclose.printSlip': ({ no }) => {
      const r = live();
      const record = r.dayClose.get(no);
      return r.devices.printDaySummary(
        record.no,
        slipDataOfClose(record, { hallName: cfg.hallName, timeZone: cfg.timeZone, printedAt: clock.now().toISOString() }),
        clock.now().toISOString(),
      );
    },
    'dayclose.reconcile': async ({ no }) => {
      const r = live();
      if (!upstreamClient) throw new AppError('UPSTREAM_UNAVAILABLE', '未配置上游系统，无法与上游日汇总核对');
      const record = r.dayClose.get(no);
      // The upstream has this close's payments only once they were pushed: push first.
      await r.sync?.syncOnce();
      let totals;
      try {
        totals = await upstreamClient.dayTotals(record.businessDate, record.operator.username);
      } catch (error) {
        log.warn({ err: error, closeNo: no }, 'upstream day totals unavailable');
        throw new AppError('UPSTREAM_UNAVAILABLE', '暂时无法从上游系统取得日汇总数据，请稍后再核对');
      }
      const rec = r.dayClose.reconcile(no, totals);
      return {
        matched: rec.matched,
        comparedAt: rec.comparedAt,
        mismatches: rec.mismatches.map(({ label, local, upstream, countDiff, amountDiffFen }) => ({ label, local, upstream, countDiff, amountDiffFen })),
      };
    },
    'progress.get': () => live().payments.progress(),
    'progress.export': async ({ format }) => {
      const p = live().payments.progress();
      const bytes = format === 'csv' ? progressCsv(p) : await progressXlsx(p);
      return { filename: `${p.year}年缴费进度-${p.asOf}.${format}`, base64: bytes.toString('base64') };
    },
    'audit.query': ({ fromDate, toDate, username, action, page }) => {
      const r = live();
      // Hall-local dates become UTC instants: from the start of fromDate to the start of the day after toDate.
      const instant = (date: string) => startOfCivilDate(date, cfg.timeZone).toISOString();
      const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      if (action && !(auditActions as readonly string[]).includes(action)) throw new AppError('VALIDATION', `没有这种操作类型：${action}`);
      const result = queryAudit(r.db, {
        ...(fromDate ? { from: instant(fromDate) } : {}),
        ...(toDate ? { to: instant(nextDay(toDate)) } : {}),
        ...(username ? { username } : {}),
        ...(action ? { action: action as AuditAction } : {}),
        page,
        pageSize: 50,
      });
      const chain = verifyAuditChain(r.db);
      return {
        rows: result.rows.map(({ seq, at, operatorUsername, counterNo, action: a, entity, entityId, before, after }) => ({
          seq,
          at,
          operatorUsername,
          counterNo,
          action: a,
          entity,
          entityId,
          before,
          after,
        })),
        total: result.total,
        chain: {
          ok: chain.ok,
          rows: chain.rows,
          problem: chain.firstProblem ? `第 ${chain.firstProblem.seq} 条：${chain.firstProblem.kind}（${chain.firstProblem.detail}）` : null,
        },
      };
    },
    'devices.get': async () => ({ ...deviceConfig(), ports: await listSerialPaths() }),
    'devices.configure': async (devices) => {
      const r = live();
      const before = deviceConfig();
      cfg.devices = { ...devices, receiptPrinter: cfg.devices?.receiptPrinter ?? '', receiptLayout: cfg.devices?.receiptLayout ?? 'a4' };
      writeConfig(layout, cfg);
      appendAudit(r.db, { action: 'device.change', entity: 'devices', actor: r.session.actor(), before, after: devices, at: clock.now() });
      log.info({ devices }, 'device settings changed');
      await r.devices.stop();
      r.devices = makeDevices(r.db, r.payers);
      await r.devices.start();
      return { ...deviceConfig(), ports: await listSerialPaths() };
    },
    'devices.testPrint': () => live().devices.testPrint(clock.now().toISOString()),
    'training.cards': (): TrainingCardView[] =>
      trainingOnly().demoCards.map((c, index) => ({ index, label: demoCardLabels[c.case], name: c.card.name, idNumberMasked: maskIdNumber(c.card.idNumber) })),
    'training.placeCard': async ({ index }) => {
      const r = trainingOnly();
      const c = r.demoCards[index];
      if (!c) throw new AppError('NOT_FOUND', '没有这张演示身份证');
      await r.devices.placeCard(c.card, index + 1);
      return {};
    },
    'training.removeCard': () => {
      trainingOnly().devices.removeCard();
      return {};
    },
    'training.lastSlip': () => {
      const slip = trainingOnly().devices.lastPrintedSlip();
      if (!slip) return null;
      const lines = slip.items.flatMap((i) => (i.type === 'line' ? [{ text: i.text, align: i.align, bold: i.bold, widthMul: i.widthMul }] : []));
      return { lines, qr: slip.qr, cuts: slip.cuts };
    },
    'training.printerFault': ({ paperOut, coverOpen, online }) => {
      const sim = trainingOnly().devices.printerSim;
      if (sim) Object.assign(sim.state, { paperOut, coverOpen, online });
      return {};
    },
  };

  const operator = (): OperatorView | null => running?.session.operator() ?? null;
  const dispatch = createDispatcher({
    handlers,
    log,
    operator,
    locked: () => running?.session.isLocked() ?? false,
    ready: () => status === 'ready',
    validateOutput: true,
  });

  let backups: BackupScheduler | null = null;
  const ready = (async () => {
    if (recovery) throw new AppError('DB_CORRUPT', `${recovery.message}${recovery.restoreCommand ? '' : '（没有可用的备份）'}`);
    let db = database();
    const result = migrate(db);
    if (result.applied.length) log.info({ from: result.from, to: result.to }, 'database migrated');
    const policies = await PolicyRegistry.load(log);
    if (training && firstStart) {
      const nowIso = clock.now().toISOString();
      seedDemoOperators(db, nowIso);
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
      const seeded = await seedDemoCounty(db, county, nowIso, (done, total) =>
        setStatus('starting', `正在生成培训数据（${done}/${total}）`, total ? done / total : 1),
      );
      // The options are kept so the demo cards can be rebuilt on every start.
      db.prepare("INSERT INTO settings (key, value) VALUES ('demo_county', ?)").run(JSON.stringify(county));
      log.info(seeded, 'training county seeded');
    }
    if (firstStart) {
      db.close();
      fs.renameSync(buildingFile, layout.databaseFile);
      db = openDatabase(layout.databaseFile);
      setDb(db);
      // The configuration is written last: until it exists, the next start begins afresh.
      writeConfig(layout, cfg);
    }
    const countyRow = db.prepare("SELECT value FROM settings WHERE key = 'demo_county'").get() as { value: string } | undefined;
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
    const sync = cfg.upstream
      ? new SyncEngine({
          db,
          log,
          clock,
          client: new UpstreamClient({ baseUrl: cfg.upstream.url, key: cfg.upstream.key }),
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
    if (!sync) {
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
    const receipts = new ReceiptDesk(
      receiptService,
      { printer: cfg.devices?.receiptPrinter ?? '', layout: cfg.devices?.receiptLayout ?? 'a4' },
      layout.dir,
      log,
      client ? (channel, channelRef, counterId) => client.claimExchange(channel, channelRef, counterId) : null,
    );
    const dayClose = new DayCloseService(db, clock, log, { timeZone: cfg.timeZone });
    running = { db, session: new SessionService(db, clock, log), payers, payments, devices, sync, receipts, dayClose, demoCards };
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
    async close() {
      await backups?.stop();
      if (running) {
        await running.sync?.stop();
        await running.devices.stop();
        running.session.signOut();
      }
      if (db?.open) db.close();
      log.flush();
    },
  };
}
