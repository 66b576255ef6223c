import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../../shared/api/errors';
import { dataDirLayout, defaultDataDir } from '../../platform/config';
import { checkDatabase, migrate, openDatabase } from '../../platform/db/database';
import { createAppServices } from '../../services/app';
import { checkDatabaseFile } from '../../services/trust/backup';
import { fixedStartClock } from '../../platform/clock';
import { lockDataDir } from '../data-dir';
import { CliError } from '../errors';
import { parseClock, parseIntOption } from '../options';

function openExisting(dataDir: string) {
  const layout = dataDirLayout(dataDir);
  if (!fs.existsSync(layout.databaseFile)) throw new CliError(`数据目录中没有数据库：${layout.databaseFile}`);
  try {
    return openDatabase(layout.databaseFile);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}

const problemLabels = {
  missing: '文件不存在',
  cannot_open: '无法打开，文件本身可能完好，不要用备份替换',
  unreadable: '不是数据库或无法读取',
  corrupt: '已损坏',
  too_new: '版本过新',
} as const;

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('数据库维护');

  db.command('migrate')
    .description('把数据库升级到本程序的版本（每个迁移一个事务）')
    .option('--data-dir <dir>', '数据目录', defaultDataDir())
    .action((opts: { dataDir: string }) => {
      const conn = openExisting(opts.dataDir);
      const lock = lockDataDir(opts.dataDir, 'db migrate');
      try {
        const r = migrate(conn);
        if (r.applied.length === 0) process.stdout.write(`数据库已是最新版本 ${r.to}\n`);
        for (const m of r.applied) process.stdout.write(`已应用迁移 ${m.version}: ${m.name}\n`);
      } catch (error) {
        if (error instanceof AppError) throw new CliError(error.message, 3);
        throw error;
      } finally {
        conn.close();
        lock.release();
      }
    });

  db.command('check')
    .description('检查数据库完整性与版本；有问题时以非零状态退出')
    .option('--data-dir <dir>', '数据目录', defaultDataDir())
    .option('--json', '以 JSON 输出')
    .action((opts: { dataDir: string; json?: boolean }) => {
      const layout = dataDirLayout(opts.dataDir);
      // The file is looked at before it is opened for use: a damaged or locked file gets its
      // diagnosis in one line instead of an exception from the first query (issue 15).
      const file = checkDatabaseFile(layout.databaseFile);
      if (!file.ok && file.problem !== 'too_new' && file.problem !== 'missing') {
        if (opts.json) process.stdout.write(JSON.stringify({ ok: false, problem: file.problem, message: file.message }, null, 2) + '\n');
        else process.stdout.write(`结果: 有问题（${problemLabels[file.problem ?? 'corrupt']}）：${file.message}\n`);
        process.exitCode = 3;
        return;
      }
      const conn = openExisting(opts.dataDir);
      let result;
      try {
        result = checkDatabase(conn);
      } finally {
        conn.close();
      }
      if (opts.json) {
        process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      } else {
        process.stdout.write(`完整性: ${result.integrity.join('; ')}\n`);
        process.stdout.write(`外键错误: ${result.foreignKeyViolations}\n`);
        process.stdout.write(`数据库版本: ${result.schemaVersion}（本程序: ${result.latestSchemaVersion}）\n`);
        process.stdout.write(result.ok ? '结果: 正常\n' : '结果: 有问题\n');
      }
      if (!result.ok) process.exitCode = 3;
    });
}

export function registerDemoCommands(program: Command): void {
  program
    .command('demo-data')
    .description('在新的数据目录中生成培训模式数据（合成的示范县，非真实人员）；不会改动已有数据目录')
    .requiredOption('--data-dir <dir>', '新的数据目录')
    .option('--payers <n>', '参保人数', (v) => parseIntOption(v, '--payers', 0, 2_000_000), 120_000)
    .option('--clock <iso>', '以指定时刻为“今天”生成历史', parseClock)
    .action(async (opts: { dataDir: string; payers: number; clock?: Date }) => {
      const layout = dataDirLayout(path.resolve(opts.dataDir));
      if (fs.existsSync(layout.configFile) || fs.existsSync(layout.databaseFile)) {
        throw new CliError(`数据目录已有数据，不会覆盖：${layout.dir}`);
      }
      const lock = lockDataDir(layout.dir, 'demo-data');
      const services = createAppServices({
        dataDir: layout.dir,
        demoPayers: opts.payers,
        clock: opts.clock ? fixedStartClock(opts.clock) : undefined,
      });
      const started = Date.now();
      try {
        await services.ready;
        // Sign-in is possible after the first part; demo-data delivers the whole county.
        await services.countyComplete();
      } catch (error) {
        throw new CliError(`生成失败：${error instanceof Error ? error.message : String(error)}`);
      } finally {
        await services.close();
        lock.release();
      }
      process.stdout.write(`已生成培训数据：${opts.payers} 名参保人，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒\n数据目录: ${layout.dir}\n`);
    });
}
