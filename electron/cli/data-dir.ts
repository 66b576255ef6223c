import fs from 'node:fs';
import { dataDirLayout, readConfig, type CounterConfig } from '../platform/config';
import { openDatabase, type Db } from '../platform/db/database';
import { acquireInstanceLock, InstanceLockedError, type InstanceLock } from '../platform/instance-lock';
import { CliError } from './errors';

/**
 * The instance lock for a CLI command that writes to a data directory: refused, in one line that
 * names the running program (pid, address), while the app or another command holds it.
 */
export function lockDataDir(dataDir: string, command: string, address = ''): InstanceLock {
  try {
    return acquireInstanceLock(dataDirLayout(dataDir).dir, command, address);
  } catch (error) {
    if (error instanceof InstanceLockedError) throw new CliError(error.message, 5);
    throw new CliError(`无法锁定数据目录 ${dataDir}：${(error as Error).message}`);
  }
}

/**
 * A counter's data directory opened read-only for a report (receipts, day closes): its
 * configuration and its database, each missing or unreadable one named in a clear error.
 */
export function openDataDirForReport(dataDir: string): { db: Db; config: CounterConfig } {
  const layout = dataDirLayout(dataDir);
  let config;
  try {
    config = readConfig(layout);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  if (!config) throw new CliError(`数据目录中没有配置文件：${layout.configFile}`);
  if (!fs.existsSync(layout.databaseFile)) throw new CliError(`数据目录中没有数据库：${layout.databaseFile}`);
  try {
    return { db: openDatabase(layout.databaseFile, { readonly: true }), config };
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}
