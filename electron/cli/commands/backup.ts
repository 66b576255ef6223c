// `pension-counter db backup | restore | backups`: added to the `db` group that
// registerDbCommands() creates, so registerBackupCommands() must be called AFTER it.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { dataDirLayout, defaultDataDir } from '../../platform/config';
import { openDatabase } from '../../platform/db/database';
import { backupDatabase, defaultBackupDir, DEFAULT_KEEP, listBackups, restoreBackup } from '../../services/trust/backup';
import { lockDataDir } from '../data-dir';
import { CliError } from '../errors';
import { parseIntOption } from '../options';

function dbGroup(program: Command): Command {
  const db = program.commands.find((c) => c.name() === 'db');
  if (!db) throw new Error('registerBackupCommands() must run after registerDbCommands(): the `db` command group is missing');
  return db;
}

/** Adds `db backup`, `db restore` and `db backups`. Call after registerDbCommands(program). */
export function registerBackupCommands(program: Command): void {
  const db = dbGroup(program);

  db.command('backup')
    .description('在线备份数据库（SQLite 备份接口，程序运行时也可执行），按保留份数轮换')
    .option('--data-dir <dir>', '数据目录', defaultDataDir())
    .option('--to <folder>', '备份文件夹（如第二块硬盘）；默认为数据目录下的 backups')
    .option('--keep <n>', '保留的备份份数', (v) => parseIntOption(v, '--keep', 1, 10_000), DEFAULT_KEEP)
    .action(async (opts: { dataDir: string; to?: string; keep: number }) => {
      const layout = dataDirLayout(opts.dataDir);
      if (!fs.existsSync(layout.databaseFile)) throw new CliError(`数据目录中没有数据库：${layout.databaseFile}`);
      let conn;
      try {
        conn = openDatabase(layout.databaseFile);
      } catch (error) {
        throw new CliError(error instanceof Error ? error.message : String(error), 3);
      }
      try {
        const r = await backupDatabase(conn, path.resolve(opts.to ?? defaultBackupDir(layout.dir)), { keep: opts.keep });
        process.stdout.write(`已备份：${r.file}（${r.bytes} 字节）\n`);
        for (const f of r.removed) process.stdout.write(`已轮换删除旧备份：${f}\n`);
      } catch (error) {
        throw new CliError(`备份失败：${error instanceof Error ? error.message : String(error)}`, 3);
      } finally {
        conn.close();
      }
    });

  db.command('restore')
    .description('用备份替换数据目录中的数据库（请先退出程序）；先检查备份完整性，被替换的数据库移到 replaced 文件夹，不会删除')
    .option('--data-dir <dir>', '数据目录', defaultDataDir())
    .requiredOption('--from <file>', '备份文件')
    .action((opts: { dataDir: string; from: string }) => {
      if (!fs.existsSync(opts.from)) throw new CliError(`备份文件不存在：${opts.from}`);
      // Refused while the counter (or another command) runs on this directory: payments confirmed
      // by a running counter after the swap would vanish (issue 15).
      const lock = lockDataDir(opts.dataDir, 'db restore');
      let r;
      try {
        r = restoreBackup(opts.from, opts.dataDir, { actor: 'cli' });
      } catch (error) {
        throw new CliError(error instanceof Error ? error.message : String(error), 3);
      } finally {
        lock.release();
      }
      process.stdout.write(`已恢复：${r.databaseFile}（数据库版本 ${r.schemaVersion}）\n`);
      if (r.replacedAside) process.stdout.write(`原数据库已移至：${r.replacedAside}\n`);
      if (r.recoveryPending)
        process.stdout.write('柜台处于恢复状态：与上游核对（pension-counter sync --reconcile，或启动程序自动核对）之前不能收款或开具缴款书\n');
    });

  db.command('backups')
    .description('列出备份文件（最新在前）')
    .option('--data-dir <dir>', '数据目录', defaultDataDir())
    .option('--to <folder>', '备份文件夹；默认为数据目录下的 backups')
    .action((opts: { dataDir: string; to?: string }) => {
      const dir = path.resolve(opts.to ?? defaultBackupDir(opts.dataDir));
      const list = listBackups(dir);
      if (list.length === 0) process.stdout.write(`没有备份：${dir}\n`);
      for (const b of list) process.stdout.write(`${b.at}  ${b.bytes}  ${b.file}\n`);
    });
}
