// `pension-counter audit …`: checks the hash chain of the audit trail (issue 10).
import fs from 'node:fs';
import type { Command } from 'commander';
import { dataDirLayout, defaultDataDir } from '../../platform/config';
import { openDatabase, schemaVersion, type Db } from '../../platform/db/database';
import { readConfig } from '../../platform/config';
import {
  auditActions,
  hasAuditLog,
  queryAudit,
  verifyAgainstUpstreamHead,
  verifyAuditChain,
  type AuditAction,
  type UpstreamAuditCheck,
} from '../../services/trust/audit';
import { UpstreamClient } from '../../sync/client';
import { CliError } from '../errors';
import { parseIntOption } from '../options';

const kindLabels = { altered: '被修改', inserted: '被插入', deleted: '被删除' } as const;

function openReadOnly(dataDir: string) {
  const layout = dataDirLayout(dataDir);
  if (!fs.existsSync(layout.databaseFile)) throw new CliError(`数据目录中没有数据库：${layout.databaseFile}`);
  let db;
  try {
    db = openDatabase(layout.databaseFile, { readonly: true });
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  if (!hasAuditLog(db)) {
    const v = schemaVersion(db);
    db.close();
    throw new CliError(`数据库（版本 ${v}）中还没有审计日志：请先运行 db migrate`, 3);
  }
  return db;
}

/**
 * Adds `audit verify` and `audit list`. Independent of the other groups: may be registered in
 * any order.
 */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('审计日志：校验与查询');

  audit
    .command('verify')
    .description('校验审计日志的哈希链；发现被修改、插入或删除的记录时报告第一条并以非零状态退出')
    .option('--data-dir <dir>', '数据目录', defaultDataDir())
    .option('--upstream <url>', '上游地址（缺省：config.json 的 upstream.url）')
    .option('--key <key>', '柜台密钥（缺省：环境变量 PENSION_COUNTER_UPSTREAM_KEY，再缺省：config.json 的 upstream.key）')
    .option('--offline', '只做本地校验，不与上游记录的链头核对')
    .option('--json', '以 JSON 输出')
    .action(async (opts: { dataDir: string; upstream?: string; key?: string; offline?: boolean; json?: boolean }) => {
      const db = openReadOnly(opts.dataDir);
      let result;
      let upstream: UpstreamAuditCheck;
      try {
        result = verifyAuditChain(db);
        upstream = await upstreamCheck(db, opts);
      } finally {
        db.close();
      }
      if (opts.json) {
        process.stdout.write(JSON.stringify({ ...result, upstream }, null, 2) + '\n');
      } else {
        if (result.ok) process.stdout.write(`审计日志完整：${result.rows} 条记录，链头第 ${result.head?.seq ?? 0} 条\n`);
        else if (result.firstProblem) {
          const p = result.firstProblem;
          process.stdout.write(`审计日志异常：第 ${p.seq} 条记录${kindLabels[p.kind]}（${p.kind}）：${p.detail}\n`);
        }
        if (!upstream.checked)
          process.stdout.write(`未能与上游记录的链头核对（${upstream.reason}）：只做了本地校验，删除最新记录、重算全部校验值或补写记录在本地校验中发现不了\n`);
        else if (!upstream.ok && upstream.problem) process.stdout.write(`与上游链头核对不符：${upstream.problem.detail}\n`);
        else if (upstream.upstreamHead) {
          process.stdout.write(
            `与上游链头一致：第 ${upstream.upstreamHead.seq} 条（上游收到于 ${upstream.upstreamHead.at}）${upstream.unvouched ? `；其后 ${upstream.unvouched} 条尚未上传，下次同步后可核对` : ''}\n`,
          );
        } else process.stdout.write('上游尚无本柜台的审计链头（还没有上传过业务）\n');
      }
      if (!result.ok || (upstream.checked && !upstream.ok)) process.exitCode = 3;
    });

  audit
    .command('list')
    .description('按时间倒序列出审计记录（JSON 行）')
    .option('--data-dir <dir>', '数据目录', defaultDataDir())
    .option('--from <iso>', '起始时刻（含），ISO 格式')
    .option('--to <iso>', '结束时刻（不含），ISO 格式')
    .option('--action <action>', `操作类型：${auditActions.join(', ')}`)
    .option('--user <username>', '操作员用户名')
    .option('--limit <n>', '最多条数', (v) => parseIntOption(v, '--limit', 1, 200), 50)
    .action((opts: { dataDir: string; from?: string; to?: string; action?: string; user?: string; limit: number }) => {
      if (opts.action !== undefined && !(auditActions as readonly string[]).includes(opts.action)) {
        throw new CliError(`未知的操作类型 "${opts.action}"；可用：${auditActions.join(', ')}`, 2);
      }
      const db = openReadOnly(opts.dataDir);
      try {
        const page = queryAudit(db, {
          from: opts.from,
          to: opts.to,
          action: opts.action as AuditAction | undefined,
          username: opts.user,
          pageSize: opts.limit,
        });
        for (const row of page.rows) process.stdout.write(JSON.stringify(row) + '\n');
        process.stderr.write(`共 ${page.total} 条，显示 ${page.rows.length} 条\n`);
      } catch (error) {
        throw new CliError(error instanceof Error ? error.message : String(error), 2);
      } finally {
        db.close();
      }
    });
}

/** The upstream half of `audit verify`: the last head the upstream holds for this installation. */
async function upstreamCheck(db: Db, opts: { dataDir: string; upstream?: string; key?: string; offline?: boolean }): Promise<UpstreamAuditCheck> {
  if (opts.offline) return { checked: false, reason: '按要求离线' };
  let config;
  try {
    config = readConfig(dataDirLayout(opts.dataDir));
  } catch (error) {
    return { checked: false, reason: `配置文件无法读取：${(error as Error).message}` };
  }
  const baseUrl = opts.upstream ?? config?.upstream?.url;
  const key = opts.key ?? process.env.PENSION_COUNTER_UPSTREAM_KEY ?? config?.upstream?.key;
  if (!baseUrl || !key) return { checked: false, reason: '没有配置上游地址或柜台密钥' };
  if (!config?.installationId) return { checked: false, reason: '没有安装标识（未完成开通）' };
  try {
    const client = new UpstreamClient({ baseUrl, key, installationId: config.installationId, timeoutMs: 10_000 });
    const high = (db.prepare('SELECT coalesce(max(seq), 0) AS n FROM outbox').get() as { n: number }).n;
    const page = await client.history(high, 1);
    return verifyAgainstUpstreamHead(db, page.auditHead);
  } catch (error) {
    return { checked: false, reason: `无法连接上游：${error instanceof Error ? error.message : String(error)}` };
  }
}
