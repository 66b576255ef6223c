import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { AppError } from '../../../shared/api/errors';
import { fixedStartClock, systemClock } from '../../platform/clock';
import { dataDirLayout, defaultDataDir, readConfig } from '../../platform/config';
import { lockDataDir } from '../data-dir';
import { migrate, openDatabase } from '../../platform/db/database';
import { createLogger } from '../../platform/log';
import { reconcile, SyncEngine, TRAINING_COUNTER_KEY, UpstreamClient, type ReconcileReport, type SyncOutcome } from '../../sync';
import { parseFaults, type FaultConfig } from '../../tools/upstream-sim/faults';
import { DEFAULT_SIM_PORT, DEFAULT_SIM_SEED, startUpstreamSim } from '../../tools/upstream-sim/server';
import { appendAudit, hasAuditLog } from '../../services/trust/audit';
import { CliError } from '../errors';
import { parseClock, parseIntOption } from '../options';

export interface SyncCommandOptions {
  dataDir: string;
  /** Overrides config.json's upstream.url. */
  upstream?: string;
  key?: string;
  pageSize?: number;
  timeoutMs?: number;
  json?: boolean;
  /** Only compare with the upstream and read this counter's own work back (issue 15). */
  reconcile?: boolean;
}

/** Env var for the counter key, so it need not appear in the process list or shell history. */
export const UPSTREAM_KEY_ENV = 'PENSION_COUNTER_UPSTREAM_KEY';

/**
 * `pension-counter sync`: one run of the same engine the app runs (push the outbox, pull payers
 * and payments). Exits non-zero when the run did not complete; the store keeps every page
 * applied before the failure.
 */
export async function runSyncCommand(
  opts: SyncCommandOptions,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<SyncOutcome> {
  const layout = dataDirLayout(path.resolve(opts.dataDir));
  if (!fs.existsSync(layout.databaseFile)) {
    throw new CliError(`数据目录中没有数据库：${layout.databaseFile}（请先启动程序或运行 demo-data）`);
  }
  // The upstream and key come from config.json; flags (and the key's environment variable)
  // override them. There is no built-in key: a counter without one cannot sync.
  let config;
  try {
    config = readConfig(layout);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const baseUrl = opts.upstream ?? config?.upstream?.url;
  const key = opts.key ?? process.env[UPSTREAM_KEY_ENV] ?? config?.upstream?.key;
  if (!baseUrl) throw new CliError(`没有上游地址：config.json 中没有 upstream.url，也没有给出 --upstream（${layout.configFile}）`, 2);
  if (!key) throw new CliError(`没有柜台密钥：config.json 中没有 upstream.key，也没有给出 --key 或环境变量 ${UPSTREAM_KEY_ENV}`, 2);
  const lock = lockDataDir(layout.dir, 'sync');
  let client: UpstreamClient;
  try {
    client = new UpstreamClient({ baseUrl, key, timeoutMs: opts.timeoutMs, installationId: config?.installationId });
  } catch (error) {
    lock.release();
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  let db;
  try {
    db = openDatabase(layout.databaseFile);
    migrate(db);
  } catch (error) {
    lock.release();
    if (error instanceof AppError) throw new CliError(error.message, 3);
    throw error;
  }
  const log = createLogger(layout.logDir);
  if (opts.reconcile) {
    try {
      if (!client.installationId) throw new CliError('config.json 中没有安装标识（installationId）：未完成开通的柜台不能与上游核对', 2);
      let report: ReconcileReport;
      try {
        const conn = db;
        report = await reconcile({
          db,
          client,
          log,
          now: () => new Date().toISOString(),
          pageSize: opts.pageSize,
          audit: (after, at) =>
            hasAuditLog(conn) ? void appendAudit(conn, { action: 'sync.apply', entity: 'recovery', actor: { username: 'cli' }, after, at }) : undefined,
        });
      } catch (error) {
        throw new CliError(`核对未完成，柜台保持原状态：${error instanceof Error ? error.message : String(error)}`, 4);
      }
      if (opts.json) out.write(JSON.stringify(report) + '\n');
      else out.write(describeReconcile(report));
      return {
        ok: true,
        progressed: report.eventsRecovered > 0,
        pushed: 0,
        rejected: 0,
        pulledPayers: 0,
        pulledPayments: report.paymentsPulled,
        pending: 0,
        error: null,
      };
    } finally {
      db.close();
      log.flush?.();
      lock.release();
    }
  }
  try {
    let lastLine = 0;
    const conn = db;
    const engine = new SyncEngine({
      db,
      client,
      log,
      auditRecovery: (after, at) =>
        hasAuditLog(conn) ? void appendAudit(conn, { action: 'sync.apply', entity: 'recovery', actor: { username: 'cli' }, after, at }) : undefined,
      pageSize: opts.pageSize,
      onProgress: (p) => {
        // One progress line a second is enough for a terminal; the final count is printed below.
        if (opts.json || Date.now() - lastLine < 1000) return;
        lastLine = Date.now();
        err.write(`  ${p.stream === 'payers' ? '参保人' : '缴费记录'}：已接收 ${p.applied}，尚余 ${p.remaining}\n`);
      },
    });
    const outcome = await engine.syncOnce();
    if (opts.json) out.write(JSON.stringify(outcome) + '\n');
    else {
      out.write(`上传柜台业务 ${outcome.pushed} 条${outcome.rejected ? `，被上游拒绝 ${outcome.rejected} 条` : ''}，待上传 ${outcome.pending} 条\n`);
      out.write(`接收参保人 ${outcome.pulledPayers} 条，缴费记录 ${outcome.pulledPayments} 条\n`);
    }
    if (!outcome.ok) throw new CliError(`同步未完成：${outcome.error ?? '未知原因'}`, 4);
    if (!opts.json) out.write('同步完成\n');
    return outcome;
  } finally {
    db.close();
    log.flush?.();
    lock.release();
  }
}

/** The reconcile report in an IT person's words, one fact a line. */
export function describeReconcile(r: ReconcileReport): string {
  const lines = [`本机记录的最高业务序号 ${r.localHighSeq}，上游记录的本机最高序号 ${r.upstreamHighSeq}`];
  if (r.outcome === 'in_step') lines.push('与上游一致：没有需要取回的业务');
  else {
    lines.push(
      `已从上游取回本机业务 ${r.eventsRecovered} 条；缴费明细在账 ${r.paymentLinesPresent} 笔${r.paymentLinesMissing.length ? `，缺失 ${r.paymentLinesMissing.length} 笔` : ''}`,
    );
    for (const g of r.receiptsRestored) lines.push(`已恢复已用缴款书号码：${g.first}–${g.last}（${g.count} 张）`);
    if (r.voidsRestored) lines.push(`已恢复作废 ${r.voidsRestored} 张`);
    if (r.exchangesRestored) lines.push(`已恢复换开 ${r.exchangesRestored} 笔`);
    if (r.blocksRestored) lines.push(`已恢复票号段 ${r.blocksRestored} 个`);
    if (r.eventsRenumbered) lines.push(`未上传的业务 ${r.eventsRenumbered} 条已排在上游记录之后`);
    lines.push('恢复状态已解除，可以继续收款');
  }
  for (const g of r.lostNumbers) lines.push(`号码已用但本机与上游均无记录（丢失的业务，请核对纸质票证）：${g.first}–${g.last}（${g.count} 张）`);
  for (const n of r.notRestored) lines.push(`未能恢复：序号 ${n.counterSeq} ${n.kind}：${n.reason}`);
  if (r.outcome === 'recovered') lines.push('上游记录之后本机若还有未上传即丢失的业务，无法从上游取回：请以纸质票证核对下一个号码之后是否已有用过的票');
  return lines.join('\n') + '\n';
}

export interface UpstreamSimCommandOptions {
  port: number;
  host: string;
  payers: number;
  seed: number;
  faults?: FaultConfig;
  dataDir?: string;
  clock?: Date;
  key?: string[];
  arrivalsPerMinute: number;
}

/** Runs the reference upstream until SIGINT/SIGTERM. */
export async function runUpstreamSimCommand(opts: UpstreamSimCommandOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const keys = opts.key?.length ? Object.fromEntries(opts.key.map((k, i) => [k, `counter-${String(i + 1).padStart(2, '0')}`])) : undefined;
  out.write(`正在准备上游模拟器（${opts.payers} 名参保人）…\n`);
  let sim;
  try {
    sim = await startUpstreamSim({
      port: opts.port,
      host: opts.host,
      payers: opts.payers,
      seed: opts.seed,
      faults: opts.faults,
      dataDir: opts.dataDir ? path.resolve(opts.dataDir) : null,
      clock: opts.clock ? fixedStartClock(opts.clock) : systemClock,
      keys,
      arrivalsPerMinute: opts.arrivalsPerMinute,
      log: createLogger(null, { stderr: true, level: 'warn' }),
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new CliError(`端口 ${opts.port} 已被占用：请换一个端口（--port）`);
    throw new CliError(e.message);
  }
  const counts = sim.store.counts();
  out.write(`上游模拟器已启动：${sim.url}\n`);
  out.write(`  参保人 ${counts.payers}，缴费记录 ${counts.payments}；每分钟新到 ${opts.arrivalsPerMinute} 笔银行/APP 缴费\n`);
  out.write(keys ? `  接受的柜台密钥：${Object.keys(keys).length} 个\n` : `  柜台密钥：${TRAINING_COUNTER_KEY}（仅供演练）\n`);
  if (opts.faults && Object.keys(opts.faults).length) out.write(`  注入故障：${JSON.stringify(opts.faults)}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.close();
  out.write('已停止\n');
  return 0;
}

function parseFaultsOption(value: string): FaultConfig {
  try {
    return parseFaults(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

export function registerSyncCommands(program: Command): void {
  program
    .command('sync')
    .description('与上游征收系统同步一次：上传柜台业务，接收参保人与各渠道缴费')
    .option('--data-dir <dir>', '数据目录', defaultDataDir())
    .option('--upstream <url>', '上游地址，如 http://10.0.0.5:8790（缺省：config.json 的 upstream.url）')
    .option('--key <key>', `柜台密钥（缺省：环境变量 ${UPSTREAM_KEY_ENV}，再缺省：config.json 的 upstream.key）`)
    .option('--page-size <n>', '每页条数', (v) => parseIntOption(v, '--page-size', 1, 1000))
    .option('--timeout-ms <n>', '单次请求超时（毫秒）', (v) => parseIntOption(v, '--timeout-ms', 100, 600_000))
    .option('--json', '以 JSON 输出结果')
    .option('--reconcile', '只与上游核对：上游记录的本机业务多于数据库时（恢复备份、丢失 -wal），取回本机业务并解除恢复状态')
    .action(async (opts: SyncCommandOptions) => {
      await runSyncCommand(opts);
    });

  program
    .command('upstream-sim')
    .description('启动参考上游（模拟征收系统）：生成的示范县、陆续到达的银行/APP 缴费、可注入故障；用于测试与演练')
    .option('--port <n>', '端口', (v) => parseIntOption(v, '--port', 0, 65535), DEFAULT_SIM_PORT)
    .option('--host <addr>', '监听地址（默认仅本机）', '127.0.0.1')
    .option('--payers <n>', '参保人数', (v) => parseIntOption(v, '--payers', 0, 2_000_000), 120_000)
    .option('--seed <s>', '生成种子（与培训模式相同即得相同的县）', (v) => parseIntOption(v, '--seed', 0, Number.MAX_SAFE_INTEGER), DEFAULT_SIM_SEED)
    .option('--faults <list>', '注入故障，如 latency=50-300,5xx=0.1,timeout=0.02,cut=0.05,duplicate=0.2,reorder', parseFaultsOption)
    .option('--data-dir <dir>', '模拟器数据目录（保留账本，重启后继续）；缺省时只在内存中')
    .option('--clock <iso>', '从指定时刻开始计时（决定示范县的“今天”）', parseClock)
    .option('--key <key...>', `接受的柜台密钥（缺省：${TRAINING_COUNTER_KEY}）`)
    .option('--arrivals-per-minute <n>', '每分钟新到的银行/APP 缴费笔数', (v) => parseIntOption(v, '--arrivals-per-minute', 0, 60_000), 30)
    .action(async (opts: UpstreamSimCommandOptions) => {
      process.exitCode = await runUpstreamSimCommand(opts);
    });
}
