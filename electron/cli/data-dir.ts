import fs from 'node:fs';
import { dataDirLayout, readConfig, type CounterConfig } from '../platform/config';
import { openDatabase, type Db } from '../platform/db/database';
import { CliError } from './errors';

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
