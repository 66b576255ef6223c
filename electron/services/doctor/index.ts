// `pension-counter doctor` and the IT page's health panel: one report with a verdict per line.
// Every check is read-only; a line that needs IT's action says what to do. The device probes are
// passed in, because the CLI opens the ports itself while the running app asks its own devices.
import fs from 'node:fs';
import path from 'node:path';
import { version as appVersion } from '../../../package.json';
import { civilDate, type Clock } from '../../platform/clock';
import type { CounterConfig, DataDirLayout } from '../../platform/config';
import { checkDatabase, type Db } from '../../platform/db/database';
import { pendingCount, UpstreamClient } from '../../sync';
import { policyInForce } from '../policy/current';
import { checkDatabaseFile, defaultBackupDir, listBackups } from '../trust/backup';
import * as sql from '../../platform/db/sql';

export type Verdict = 'ok' | 'warn' | 'fail' | 'skip';

export interface DoctorLine {
  id: 'database' | 'setup' | 'disk' | 'backup' | 'upstream' | 'clock' | 'outbox' | 'reader' | 'printer' | 'stock' | 'policy';
  title: string;
  verdict: Verdict;
  detail: string;
  /** What IT should do, when the verdict is warn or fail. */
  action: string | null;
}

export interface DoctorReport {
  at: string;
  version: string;
  /** False when any line failed: the CLI exits non-zero. */
  ok: boolean;
  lines: DoctorLine[];
}

export interface ReaderProbe {
  ok: boolean;
  samId?: string;
  port?: string;
  message: string;
}
export interface PrinterProbe {
  ok: boolean;
  state: string;
  message: string;
}

export interface DoctorOptions {
  layout: DataDirLayout;
  config: CounterConfig;
  /** The counter database (read-only is enough). */
  db: Db;
  clock: Clock;
  probeReader?: () => Promise<ReaderProbe>;
  probePrinter?: () => Promise<PrinterProbe>;
  /** Free bytes on the data disk (tests); defaults to statfs. */
  freeBytes?: () => number;
  upstreamTimeoutMs?: number;
}

export const DOCTOR_DEFAULTS = { minFreeMb: 2048, maxBackupAgeHours: 26, maxClockSkewSeconds: 120 } as const;
const STOCK_LOW = 20;
const MB = 1024 * 1024;

const line = (id: DoctorLine['id'], title: string, verdict: Verdict, detail: string, action: string | null = null): DoctorLine => ({
  id,
  title,
  verdict,
  detail,
  action: verdict === 'ok' || verdict === 'skip' ? null : action,
});

function hours(ms: number): string {
  const h = ms / 3_600_000;
  return h < 48 ? `${h.toFixed(1)} 小时` : `${(h / 24).toFixed(1)} 天`;
}

function dirBytes(dir: string): number {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    try {
      total += e.isDirectory() ? dirBytes(p) : fs.statSync(p).size;
    } catch {
      // Vanished while counting.
    }
  }
  return total;
}

function databaseLine(db: Db): DoctorLine {
  const r = checkDatabase(db);
  const integrity = r.integrity.length === 1 && r.integrity[0] === 'ok';
  if (!integrity)
    return line('database', '数据库', 'fail', `完整性检查发现问题：${r.integrity.slice(0, 3).join('; ')}`, '停止程序，按恢复向导从最近的备份恢复');
  if (r.foreignKeyViolations) return line('database', '数据库', 'fail', `外键错误 ${r.foreignKeyViolations} 处`, '联系开发支持，保留数据目录不要改动');
  if (r.schemaVersion !== r.latestSchemaVersion) {
    return line(
      'database',
      '数据库',
      r.schemaVersion > r.latestSchemaVersion ? 'fail' : 'warn',
      `数据库版本 ${r.schemaVersion}，本程序 ${r.latestSchemaVersion}`,
      '启动一次程序（先自动备份再升级）或升级程序',
    );
  }
  return line('database', '数据库', 'ok', `完整，版本 ${r.schemaVersion}`);
}

function setupLine(db: Db, config: CounterConfig): DoctorLine | null {
  if (config.mode !== 'production') return null;
  const state = sql.get<{ value: string }>(db, "SELECT value FROM settings WHERE key = 'setup_state'")?.value;
  if (state === 'first_sync')
    return line('setup', '安装', 'fail', '安装未完成：首次同步或首个票证号码段尚未完成', '再次运行同一条 pension-counter setup 命令，从中断处继续');
  if (!config.installationId)
    return line('setup', '安装', 'warn', '配置中没有安装标识（不是用 setup 建立的柜台）', '用 pension-counter setup 在新目录中重新建立柜台');
  return line('setup', '安装', 'ok', `正式柜台，安装标识 ${config.installationId}，${config.counterNo ?? '?'} 号窗口`);
}

function diskLine(o: DoctorOptions, db: Db): DoctorLine {
  const minFreeMb = o.config.doctor?.minFreeMb ?? DOCTOR_DEFAULTS.minFreeMb;
  let free: number;
  try {
    free = o.freeBytes
      ? o.freeBytes()
      : (() => {
          const s = fs.statfsSync(o.layout.dir);
          return s.bavail * s.bsize;
        })();
  } catch (error) {
    return line('disk', '磁盘空间', 'warn', `无法读取剩余空间：${(error as Error).message}`, '检查数据目录所在磁盘');
  }
  const backupDir = o.config.backup?.dir ?? defaultBackupDir(o.layout.dir);
  const used = dirBytes(o.layout.dir) + (backupDir.startsWith(o.layout.dir + path.sep) ? 0 : dirBytes(backupDir));
  const since = sql.one<{ at: string | null }>(db, 'SELECT min(created_at) AS at FROM operators').at;
  const days = since ? Math.max(1, (o.clock.now().getTime() - Date.parse(since)) / 86_400_000) : 1;
  const perDay = used / days;
  const left = perDay > 0 ? free / perDay : Infinity;
  const detail = `剩余 ${(free / MB).toFixed(0)} MB（下限 ${minFreeMb} MB）；数据与备份共 ${(used / MB).toFixed(1)} MB，平均每天增长约 ${(perDay / MB).toFixed(1)} MB${Number.isFinite(left) ? `，约可用 ${Math.floor(left)} 天` : ''}`;
  if (free < minFreeMb * MB) return line('disk', '磁盘空间', 'fail', detail, '清理磁盘或更换更大的磁盘；备份文件夹可移到另一块磁盘（config.json backup.dir）');
  if (left < 30) return line('disk', '磁盘空间', 'warn', detail, '一个月内将用完：安排扩容或清理');
  return line('disk', '磁盘空间', 'ok', detail);
}

function backupLine(o: DoctorOptions): DoctorLine {
  const dir = o.config.backup?.dir ?? defaultBackupDir(o.layout.dir);
  const maxAge = (o.config.doctor?.maxBackupAgeHours ?? DOCTOR_DEFAULTS.maxBackupAgeHours) * 3_600_000;
  const newest = listBackups(dir)[0];
  if (!newest) return line('backup', '备份', 'fail', `备份文件夹 ${dir} 中没有备份`, '启动程序（每小时自动备份）或运行 pension-counter db backup');
  const age = o.clock.now().getTime() - Date.parse(newest.at);
  const check = checkDatabaseFile(newest.file, { quick: true });
  const detail = `最近一次 ${newest.at}（${hours(Math.max(0, age))}前），${(newest.bytes / MB).toFixed(1)} MB，${check.ok ? '可以恢复' : `不能使用：${check.message}`}`;
  if (!check.ok) return line('backup', '备份', 'fail', detail, '立即运行 pension-counter db backup，并检查备份磁盘');
  if (age > maxAge)
    return line(
      'backup',
      '备份',
      'fail',
      detail,
      `备份已超过 ${maxAge / 3_600_000} 小时：检查程序是否在运行、备份磁盘是否可写，或运行 pension-counter db backup`,
    );
  return line('backup', '备份', 'ok', detail);
}

async function upstreamLines(o: DoctorOptions): Promise<DoctorLine[]> {
  const up = o.config.upstream;
  if (!up) {
    const verdict: Verdict = o.config.mode === 'production' ? 'fail' : 'skip';
    return [line('upstream', '上游系统', verdict, '未配置上游（config.json 中没有 upstream）', '用 pension-counter setup 建立的柜台才有上游配置')];
  }
  const client = new UpstreamClient({ baseUrl: up.url, key: up.key, installationId: o.config.installationId, timeoutMs: o.upstreamTimeoutMs ?? 5000 });
  let answer: { station: string; offsetMs: number; roundTripMs: number };
  try {
    answer = o.config.installationId
      ? await client.hello({
          installationId: o.config.installationId,
          appVersion,
          hallName: o.config.hallName.slice(0, 100),
          regionCode: o.config.regionCode,
          counterNo: o.config.counterNo ?? 1,
        })
      : await client.serverTime();
  } catch (error) {
    const e = error as Error & { kind?: string };
    const clockLine = line('clock', '时钟', 'skip', '未能与上游比对');
    if (e.kind === 'auth')
      return [
        line('upstream', '上游系统', 'fail', `可以连接 ${up.url}，但柜台密钥被拒绝`, '向上游运维核对柜台密钥，改正 config.json 的 upstream.key'),
        clockLine,
      ];
    return [line('upstream', '上游系统', 'fail', `无法连接 ${up.url}：${e.message}`, '检查网络与上游地址；柜台可以离线收费，恢复后自动上传'), clockLine];
  }
  const maxSkew = o.config.doctor?.maxClockSkewSeconds ?? DOCTOR_DEFAULTS.maxClockSkewSeconds;
  const skew = Math.round(answer.offsetMs / 1000);
  const skewDetail = `本机比上游${skew > 0 ? '慢' : '快'} ${Math.abs(skew)} 秒（允许 ${maxSkew} 秒）`;
  return [
    line('upstream', '上游系统', 'ok', `${up.url} 可以连接，密钥有效，站点 ${answer.station}，往返 ${answer.roundTripMs} 毫秒`),
    Math.abs(skew) > maxSkew
      ? line('clock', '时钟', 'fail', skewDetail, '校准本机时间（启用 NTP 时间同步）：票据与日结按本机时间记录')
      : line('clock', '时钟', 'ok', skewDetail),
  ];
}

function outboxLine(o: DoctorOptions): DoctorLine {
  const pending = pendingCount(o.db);
  if (pending === 0) return line('outbox', '待上传业务', 'ok', '没有待上传的业务');
  const oldest = sql.one<{ at: string | null }>(o.db, 'SELECT min(created_at) AS at FROM outbox WHERE confirmed_at IS NULL').at;
  const age = oldest ? o.clock.now().getTime() - Date.parse(oldest) : 0;
  const detail = `待上传 ${pending} 条，最早一条 ${oldest ?? '?'}（${hours(Math.max(0, age))}前）`;
  if (age > 24 * 3_600_000) return line('outbox', '待上传业务', 'fail', detail, '超过一天未上传：检查上游连接，运行 pension-counter sync 查看原因');
  if (age > 3_600_000) return line('outbox', '待上传业务', 'warn', detail, '检查上游连接；程序会自动重试');
  return line('outbox', '待上传业务', 'ok', detail);
}

/**
 * What a device line says before any probe: not configured (a warning in production, where the
 * counter needs it), the training simulator, or no probe given. Null: probe the device.
 */
function deviceBeforeProbe<P>(
  o: DoctorOptions,
  id: 'reader' | 'printer',
  title: string,
  configured: string,
  probe: (() => Promise<P>) | undefined,
  words: { missing: string; where: string; simulated: string },
): { line: DoctorLine } | { probe: () => Promise<P> } {
  if (!configured) return { line: line(id, title, o.config.mode === 'production' ? 'warn' : 'skip', words.missing, words.where) };
  if (configured === 'simulated') return { line: line(id, title, 'ok', words.simulated) };
  if (!probe) return { line: line(id, title, 'skip', '未检测') };
  return { probe };
}

async function readerLine(o: DoctorOptions): Promise<DoctorLine> {
  const configured = o.config.devices?.reader ?? '';
  const before = deviceBeforeProbe(o, 'reader', '身份证读卡器', configured, o.probeReader, {
    missing: '未配置读卡器',
    where: '在系统设置的设备设置中选择端口或“自动”（config.json 的 devices.reader）',
    simulated: '模拟读卡器（培训模式）',
  });
  if ('line' in before) return before.line;
  const r = await before.probe();
  if (!r.ok) return line('reader', '身份证读卡器', 'fail', r.message, '检查读卡器的连接与电源；用 pension-counter devices list 查找端口');
  return line('reader', '身份证读卡器', 'ok', `${r.port ?? configured} 应答正常，SAM 编号 ${r.samId ?? '?'}`);
}

async function printerLine(o: DoctorOptions): Promise<DoctorLine> {
  const configured = o.config.devices?.printer ?? '';
  const width = o.config.devices?.paperWidth ?? 80;
  const before = deviceBeforeProbe(o, 'printer', '小票打印机', configured, o.probePrinter, {
    missing: '未配置小票打印机',
    where: '在系统设置的设备设置中选择打印机（config.json 的 devices.printer）',
    simulated: `模拟打印机（培训模式），纸宽 ${width} mm`,
  });
  if ('line' in before) return before.line;
  const r = await before.probe();
  const detail = `${configured}：${r.message}；纸宽 ${width} mm`;
  if (!r.ok) return line('printer', '小票打印机', 'fail', detail, r.state === 'paper_out' ? '装入热敏纸卷' : '检查打印机电源、连接、纸仓盖');
  return line('printer', '小票打印机', 'ok', detail);
}

function stockLine(db: Db): DoctorLine {
  const rows = sql.all<{ username: string; name: string; left: number }>(
    db,
    `SELECT o.username, o.display_name AS name,
              coalesce(sum(CASE WHEN b.handed_back_from IS NULL AND b.next_serial <= b.last_serial THEN b.last_serial - b.next_serial + 1 ELSE 0 END), 0) AS left
         FROM operators o LEFT JOIN receipt_blocks b ON b.operator_id = o.id
        WHERE o.active = 1 AND o.role IN ('clerk', 'supervisor')
        GROUP BY o.id ORDER BY o.username`,
  );
  if (rows.length === 0) return line('stock', '票证库存', 'warn', '没有启用的柜员或值班主任', '用 pension-counter operator add 添加柜员');
  const detail = rows.map((r) => `${r.username} 剩 ${r.left} 张`).join('，');
  if (rows.every((r) => r.left === 0)) return line('stock', '票证库存', 'fail', detail, '值班主任在程序中申领票证或录入纸质票证号码段');
  const low = rows.filter((r) => r.left < STOCK_LOW);
  if (low.length) return line('stock', '票证库存', 'warn', detail, `${low.map((r) => r.username).join('、')} 的缴款书不足 ${STOCK_LOW} 张：请申领`);
  return line('stock', '票证库存', 'ok', detail);
}

async function policyLine(o: DoctorOptions): Promise<DoctorLine> {
  const year = Number(civilDate(o.clock.now(), o.config.timeZone).slice(0, 4));
  try {
    await policyInForce(o.config.policyRegion, year);
    return line('policy', '缴费政策表', 'ok', `${o.config.policyRegion} 地区 ${year} 年政策表已安装`);
  } catch (error) {
    return line(
      'policy',
      '缴费政策表',
      'fail',
      `${o.config.policyRegion} 地区 ${year} 年政策表缺失或无效：${(error as Error).message}`,
      '用 pension-counter policy import 安装本年度政策表',
    );
  }
}

/** Runs every check; the report's `ok` is false when any line failed. */
export async function runDoctor(o: DoctorOptions): Promise<DoctorReport> {
  const lines: DoctorLine[] = [databaseLine(o.db)];
  const setup = setupLine(o.db, o.config);
  if (setup) lines.push(setup);
  lines.push(diskLine(o, o.db), backupLine(o));
  lines.push(...(await upstreamLines(o)));
  lines.push(outboxLine(o), await readerLine(o), await printerLine(o), stockLine(o.db), await policyLine(o));
  return { at: o.clock.now().toISOString(), version: appVersion, ok: lines.every((l) => l.verdict !== 'fail'), lines };
}

export function formatReport(r: DoctorReport): string {
  const mark: Record<Verdict, string> = { ok: '正常', warn: '注意', fail: '需处理', skip: '未检' };
  const out = [`pension-counter ${r.version} 健康检查 ${r.at}`];
  for (const l of r.lines) {
    out.push(`[${mark[l.verdict]}] ${l.title}：${l.detail}`);
    if (l.action) out.push(`        处理：${l.action}`);
  }
  out.push(r.ok ? '结论：正常' : `结论：有 ${r.lines.filter((l) => l.verdict === 'fail').length} 项需要处理`);
  return out.join('\n') + '\n';
}
