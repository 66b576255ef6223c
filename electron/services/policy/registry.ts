import path from 'node:path';
import type { PolicyTable } from '../../../shared/policy';
import type { Logger } from '../../platform/log';
import { resourcesDir } from '../../platform/paths';
import { listPolicyFiles } from './files';

/**
 * The policy tables the counter uses, loaded and validated once at start-up so that every
 * assessment afterwards is a synchronous, sub-millisecond call. An invalid file is logged and
 * left out; a payer whose year has no valid table gets a clear message, never a guessed amount.
 */
export class PolicyRegistry {
  private constructor(private readonly tables: readonly PolicyTable[]) {}

  static async load(log: Logger, dir = path.join(resourcesDir(), 'policy')): Promise<PolicyRegistry> {
    const entries = await listPolicyFiles(dir);
    const tables: PolicyTable[] = [];
    for (const e of entries) {
      if (e.result.ok) tables.push(e.result.table);
      else log.error({ file: e.file, issues: e.result.issues.slice(0, 10) }, 'invalid policy table left out');
    }
    log.info({ tables: tables.map((t) => `${t.region.code}-${t.year}`) }, 'policy tables loaded');
    return new PolicyRegistry(tables);
  }

  /** The table for exactly this region and year (the engine refuses a table of another year). */
  table(regionCode: string, year: number): PolicyTable | undefined {
    return this.tables.find((t) => t.region.code === regionCode && t.year === year);
  }
}
