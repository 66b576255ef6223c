// `pension-counter audit …`: checks the hash chain of the audit trail (issue 10).
import fs from 'node:fs';
import type { Command } from 'commander';
import { dataDirLayout, defaultDataDir } from '../../platform/config';
import { openDatabase, schemaVersion } from '../../platform/db/database';
import { auditActions, hasAuditLog, queryAudit, verifyAuditChain, type AuditAction } from '../../services/trust/audit';
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
    .option('--json', '以 JSON 输出')
    .action((opts: { dataDir: string; json?: boolean }) => {
      const db = openReadOnly(opts.dataDir);
      let result;
      try {
        result = verifyAuditChain(db);
      } finally {
        db.close();
      }
      if (opts.json) {
        process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      } else if (result.ok) {
        process.stdout.write(`审计日志完整：${result.rows} 条记录，链头第 ${result.head?.seq ?? 0} 条\n`);
      } else if (result.firstProblem) {
        const p = result.firstProblem;
        process.stdout.write(`审计日志异常：第 ${p.seq} 条记录${kindLabels[p.kind]}（${p.kind}）：${p.detail}\n`);
      }
      if (!result.ok) process.exitCode = 3;
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
