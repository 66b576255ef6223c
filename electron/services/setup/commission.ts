// Commissioning a production counter (`pension-counter setup`, the desktop first-run screen):
// from an empty data directory to a counter that knows its upstream, its installation id, its
// first supervisor and IT accounts, the county's registry and its first receipt block.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { version as appVersion } from '../../../package.json';
import { dataDirLayout, readConfig, writeConfig, type CounterConfig, type DataDirLayout } from '../../platform/config';
import { systemClock, civilDate, type Clock } from '../../platform/clock';
import { migrate, openDatabase, removeDatabaseFiles, type Db } from '../../platform/db/database';
import type { Logger } from '../../platform/log';
import { SyncEngine, UpstreamClient, type PullProgress, type SyncOutcome } from '../../sync';
import { hashPassword } from '../auth/passwords';
import { policyInForce } from '../policy/current';
import { ReceiptService } from '../receipts';
import { appendAudit } from '../trust/audit';
import { backupDatabase, defaultBackupDir } from '../trust/backup';
import { demoAccounts } from '../demo/seed';

/** Settings keys (table `settings`) a commissioned counter keeps in its database. */
export const SETTING = {
  /** 'training' | 'production': what the database was created as; never changes. */
  mode: 'counter_mode',
  installationId: 'installation_id',
  /** 'first_sync' until the first sync and receipt block are done, then 'done'. */
  setupState: 'setup_state',
  /** Idempotency key of the first receipt block request (a resumed setup gets the same block). */
  setupBlockKey: 'setup_block_key',
} as const;

export class SetupError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'SetupError';
  }
}

export interface Account {
  username: string;
  displayName: string;
  password: string;
}

export interface SetupInput {
  hallName: string;
  taxOffice: string;
  countyName: string;
  regionCode: string;
  policyRegion: string;
  counterNo: number;
  timeZone: string;
  upstreamUrl: string;
  upstreamKey: string;
  receiptPrinter: string;
  receiptLayout: 'a4' | 'overlay';
  reader: string;
  printer: string;
  paperWidth: 58 | 80;
  backupDir: string;
  supervisor: Account;
  it: Account;
  /** Receipt numbers asked for in the first block (for the supervisor). */
  firstBlockSize: number;
}

export interface SetupHooks {
  log: Logger;
  clock?: Clock;
  say?: (line: string) => void;
  onProgress?: (p: PullProgress) => void;
  pageSize?: number;
}

export interface SetupResult {
  installationId: string;
  station: string;
  sync: SyncOutcome;
  firstBlock: { operatorUsername: string; first: string; last: string } | null;
  resumed: boolean;
}

const weakPasswords = new Set<string>(demoAccounts.map((a) => a.password));

/** What makes a password acceptable for a production account. */
export function passwordProblem(account: Account): string | null {
  if (account.password.length < 8) return `${account.username} 的密码至少 8 位`;
  if (weakPasswords.has(account.password) || account.password.toLowerCase().includes(account.username.toLowerCase())) {
    return `${account.username} 的密码太容易猜到（不能是培训口令，不能包含登录名）`;
  }
  return null;
}

const USERNAME = /^[A-Za-z0-9_.-]{2,32}$/;
const trainingUsernames = new Set<string>(demoAccounts.map((a) => a.username));

/** Does this directory hold a counter (configuration or database)? */
export function holdsCounter(layout: DataDirLayout): boolean {
  return fs.existsSync(layout.configFile) || fs.existsSync(layout.databaseFile);
}

export function readSetting(db: Db, key: string): string | null {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function writeSetting(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

/**
 * A setup interrupted during its first sync (power cut, Ctrl-C, network) left a configuration
 * and a database in state 'first_sync': running setup again resumes there. Anything else in the
 * directory is a counter and is refused.
 */
export function unfinishedSetup(layout: DataDirLayout): CounterConfig | null {
  if (!fs.existsSync(layout.configFile) || !fs.existsSync(layout.databaseFile)) return null;
  const config = readConfig(layout);
  if (config?.mode !== 'production') return null;
  const db = openDatabase(layout.databaseFile, { readonly: true });
  try {
    return readSetting(db, SETTING.setupState) === 'first_sync' ? config : null;
  } catch {
    return null;
  } finally {
    db.close();
  }
}

function validate(input: SetupInput): void {
  const problems: string[] = [];
  if (!/^\d{6}$/.test(input.regionCode)) problems.push('行政区划代码应为 6 位数字');
  if (!Number.isInteger(input.counterNo) || input.counterNo < 1 || input.counterNo > 99) problems.push('窗口号应为 1–99');
  try {
    new Intl.DateTimeFormat('zh-CN', { timeZone: input.timeZone });
  } catch {
    problems.push(`时区无效：${input.timeZone}`);
  }
  for (const [what, value] of [
    ['读卡器', input.reader],
    ['小票打印机', input.printer],
    ['票据打印机', input.receiptPrinter],
  ] as const) {
    if (value === 'simulated') problems.push(`${what}不能是模拟设备（模拟设备只用于培训模式）`);
  }
  for (const a of [input.supervisor, input.it]) {
    if (!USERNAME.test(a.username)) problems.push(`登录名 ${a.username} 应为 2–32 位字母、数字、点、下划线或连字符`);
    if (trainingUsernames.has(a.username)) problems.push(`登录名 ${a.username} 是培训账户名，正式柜台不能使用`);
    if (!a.displayName.trim()) problems.push(`${a.username} 缺少姓名`);
    const p = passwordProblem(a);
    if (p) problems.push(p);
  }
  if (input.supervisor.username === input.it.username) problems.push('值班主任与系统管理员须是两个不同的账户');
  if (!input.backupDir) problems.push('缺少备份文件夹');
  if (problems.length) throw new SetupError(`安装参数有误：${problems.join('；')}`);
}

function productionConfig(input: SetupInput, installationId: string): CounterConfig {
  return {
    mode: 'production',
    hallName: input.hallName,
    taxOffice: input.taxOffice,
    countyName: input.countyName,
    regionCode: input.regionCode,
    policyRegion: input.policyRegion,
    timeZone: input.timeZone,
    installationId,
    counterNo: input.counterNo,
    backup: { dir: input.backupDir, keep: 14, intervalMinutes: 60 },
    upstream: { url: input.upstreamUrl, key: input.upstreamKey },
    devices: {
      reader: input.reader,
      printer: input.printer,
      paperWidth: input.paperWidth,
      // Most halls' slip printers: ESC/POS with a GBK font; changed on the IT device screen.
      printerType: 'epson',
      printerFont: 'gbk',
      receiptPrinter: input.receiptPrinter,
      receiptLayout: input.receiptLayout,
    },
  };
}

/**
 * Checks the upstream and the key: the upstream answers the station it maps the key to. Throws a
 * SetupError with the reason (unreachable, key refused) so nothing is written on failure.
 */
export async function handshake(
  config: Pick<CounterConfig, 'hallName' | 'regionCode'> & { url: string; key: string; installationId: string; counterNo: number },
): Promise<{ station: string; offsetMs: number; registration: 'new' | 'known' }> {
  let client: UpstreamClient;
  try {
    client = new UpstreamClient({ baseUrl: config.url, key: config.key, installationId: config.installationId, timeoutMs: 15_000 });
  } catch (error) {
    throw new SetupError((error as Error).message);
  }
  try {
    return await client.hello({
      installationId: config.installationId,
      appVersion,
      hallName: config.hallName.slice(0, 100),
      regionCode: config.regionCode,
      counterNo: config.counterNo,
    });
  } catch (error) {
    const e = error as Error & { kind?: string };
    if (e.kind === 'auth') throw new SetupError(`上游不接受这个柜台密钥（${config.url}）：请向上游运维核对密钥`, 3);
    throw new SetupError(`无法与上游握手：${e.message}`, 3);
  }
}

function createAccounts(db: Db, accounts: { account: Account; role: 'supervisor' | 'admin' }[], nowIso: string): void {
  const insert = db.prepare('INSERT INTO operators (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)');
  for (const { account, role } of accounts) {
    const id = Number(insert.run(account.username, account.displayName, role, hashPassword(account.password), nowIso).lastInsertRowid);
    appendAudit(db, {
      action: 'operator.change',
      entity: 'operator',
      entityId: id,
      actor: null,
      after: { username: account.username, name: account.displayName, role, by: 'setup' },
    });
  }
}

/** First sync and first receipt block; shared by a fresh setup and a resumed one. */
async function finish(layout: DataDirLayout, config: CounterConfig, hooks: SetupHooks, resumed: boolean, station: string): Promise<SetupResult> {
  const clock = hooks.clock ?? systemClock;
  const say = hooks.say ?? (() => {});
  const upstream = config.upstream!;
  const client = new UpstreamClient({ baseUrl: upstream.url, key: upstream.key, installationId: config.installationId });
  const db = openDatabase(layout.databaseFile);
  try {
    migrate(db);
    say(resumed ? '继续首次同步（从中断处接着接收）…' : '首次同步：接收本县参保人与缴费记录…');
    const engine = new SyncEngine({ db, client, log: hooks.log, clock, pageSize: hooks.pageSize, onProgress: hooks.onProgress });
    const sync = await engine.syncOnce();
    if (!sync.ok) {
      throw new SetupError(`首次同步未完成：${sync.error ?? '未知原因'}。已接收的部分已保存；再次运行同一条 setup 命令即从中断处继续。`, 4);
    }
    // The supervisor's first block of receipt numbers. The idempotency key is stored before the
    // request, so a setup resumed after a lost answer gets the same block, not a second one.
    const supervisor = db.prepare("SELECT username FROM operators WHERE role = 'supervisor' AND active = 1 ORDER BY id LIMIT 1").get() as
      { username: string } | undefined;
    let firstBlock: SetupResult['firstBlock'] = null;
    if (supervisor) {
      let key = readSetting(db, SETTING.setupBlockKey);
      if (!key) {
        key = `setup-block-${randomUUID()}`;
        writeSetting(db, SETTING.setupBlockKey, key);
      }
      const size = Number(readSetting(db, 'setup_block_size') ?? 100);
      let block;
      try {
        block = await client.allocateReceiptBlock({ operatorUsername: supervisor.username, count: size, idempotencyKey: key });
      } catch (error) {
        throw new SetupError(`申领首个票证号码段失败：${(error as Error).message}。再次运行同一条 setup 命令即可继续。`, 4);
      }
      const receipts = new ReceiptService(db, clock, hooks.log, { training: false, taxOffice: config.taxOffice, timeZone: config.timeZone, formLineLimit: 5 });
      const view = receipts.addUpstreamBlock(block);
      const pad = (n: number) => String(n).padStart(block.serialDigits, '0');
      firstBlock = {
        operatorUsername: supervisor.username,
        first: `${block.series}${pad(block.firstSerial)}`,
        last: `${block.series}${pad(block.lastSerial)}`,
      };
      hooks.log.info({ blockId: view.id }, 'setup: first receipt block');
    }
    writeSetting(db, SETTING.setupState, 'done');
    // The first backup, so the counter starts with a known-good copy in its backup folder.
    const backup = await backupDatabase(db, config.backup?.dir ?? defaultBackupDir(layout.dir));
    say(`首个备份：${backup.file}`);
    return { installationId: config.installationId!, station, sync, firstBlock, resumed };
  } finally {
    db.close();
  }
}

/**
 * Commissions a production counter in an empty data directory (or resumes one whose first sync
 * was interrupted). Order: validate → policy table → handshake → database with accounts (built
 * under a temporary name) → config.json → first sync → first receipt block.
 */
export async function commissionCounter(dataDir: string, input: SetupInput | null, hooks: SetupHooks): Promise<SetupResult> {
  const layout = dataDirLayout(dataDir);
  const say = hooks.say ?? (() => {});
  const clock = hooks.clock ?? systemClock;

  const resume = unfinishedSetup(layout);
  if (resume) {
    const installationId = resume.installationId;
    if (!installationId || !resume.upstream) throw new SetupError('未完成的安装缺少安装标识或上游配置，无法继续');
    const hello = await handshake({ ...resume, url: resume.upstream.url, key: resume.upstream.key, installationId, counterNo: resume.counterNo ?? 1 });
    say(`上游已确认：站点 ${hello.station}`);
    return finish(layout, resume, hooks, true, hello.station);
  }
  if (holdsCounter(layout)) {
    throw new SetupError(
      `数据目录 ${layout.dir} 中已经有柜台（${fs.existsSync(layout.configFile) ? 'config.json' : 'counter.sqlite'}）。setup 只在空目录中建立新柜台，不会覆盖已有数据；请换一个目录（--data-dir）。`,
    );
  }
  if (!input) throw new SetupError('缺少安装参数');
  validate(input);

  const year = Number(civilDate(clock.now(), input.timeZone).slice(0, 4));
  try {
    await policyInForce(input.policyRegion, year);
  } catch (error) {
    throw new SetupError(`没有 ${input.policyRegion} 地区 ${year} 年的缴费政策表：${(error as Error).message}`);
  }

  const installationId = randomUUID();
  const hello = await handshake({ ...input, url: input.upstreamUrl, key: input.upstreamKey, installationId });
  say(`上游已确认柜台密钥：站点 ${hello.station}；时钟相差 ${Math.round(hello.offsetMs / 1000)} 秒`);

  const config = productionConfig(input, installationId);
  const building = `${layout.databaseFile}.new`;
  fs.mkdirSync(layout.dir, { recursive: true, mode: 0o700 });
  removeDatabaseFiles(building);
  const db = openDatabase(building, { create: true });
  try {
    migrate(db);
    db.transaction(() => {
      writeSetting(db, SETTING.mode, 'production');
      writeSetting(db, SETTING.installationId, installationId);
      writeSetting(db, SETTING.setupState, 'first_sync');
      writeSetting(db, 'setup_block_size', String(input.firstBlockSize));
      createAccounts(
        db,
        [
          { account: input.supervisor, role: 'supervisor' },
          { account: input.it, role: 'admin' },
        ],
        clock.now().toISOString(),
      );
    })();
  } finally {
    db.close();
  }
  fs.renameSync(building, layout.databaseFile);
  writeConfig(layout, config);
  fs.mkdirSync(input.backupDir, { recursive: true, mode: 0o700 });
  say(`已建立柜台：安装标识 ${installationId}，值班主任 ${input.supervisor.username}，系统管理员 ${input.it.username}`);
  return finish(layout, config, hooks, false, hello.station);
}
