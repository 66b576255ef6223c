import path from 'node:path';
import type { PolicyTable } from '../../../shared/policy';
import type { Logger } from '../../platform/log';
import { resourcesDir } from '../../platform/paths';
import { listPolicyFiles, policyConflicts, tableInForce, type PolicyConflict } from './files';

/**
 * The policy tables the counter uses, loaded and validated once at start-up so that every
 * assessment afterwards is a synchronous, sub-millisecond call. An invalid file is logged and
 * left out; a payer whose year has no valid table gets a clear message, never a guessed amount.
 * Two tables for the same region, year and first day are an error logged at every start, and
 * neither is used: the counter says so instead of picking one by file name.
 */
export class PolicyRegistry {
  private constructor(
    private readonly tables: readonly PolicyTable[],
    private readonly conflicts: readonly PolicyConflict[],
  ) {}

  static async load(log: Logger, dir = path.join(resourcesDir(), 'policy')): Promise<PolicyRegistry> {
    const entries = await listPolicyFiles(dir);
    const tables: PolicyTable[] = [];
    for (const e of entries) {
      if (e.result.ok) tables.push(e.result.table);
      else log.error({ file: e.file, issues: e.result.issues.slice(0, 10) }, 'invalid policy table left out');
    }
    const conflicts = policyConflicts(entries);
    for (const c of conflicts) {
      log.error(
        { region: c.regionCode, year: c.year, effectiveFrom: c.effectiveFrom, files: c.files },
        'two policy tables for one region and year: neither is used',
      );
    }
    const usable = tables.filter((t) => !conflicts.some((c) => c.regionCode === t.region.code && c.year === t.year));
    log.info({ tables: usable.map((t) => `${t.region.code}-${t.year}${t.effectiveFrom ? `@${t.effectiveFrom}` : ''}`) }, 'policy tables loaded');
    return new PolicyRegistry(usable, conflicts);
  }

  /**
   * The table for exactly this region and year (the engine refuses a table of another year): the
   * one in force on `date` when the year has mid-year changes, else the year's last one.
   */
  table(regionCode: string, year: number, date?: string): PolicyTable | undefined {
    return tableInForce(this.tables, regionCode, year, date);
  }

  /** Why a region's year has no usable table because of duplicates, or null. */
  conflict(regionCode: string, year: number): PolicyConflict | null {
    return this.conflicts.find((c) => c.regionCode === regionCode && c.year === year) ?? null;
  }
}
