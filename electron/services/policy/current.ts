import path from 'node:path';
import type { PolicyTable } from '../../../shared/policy';
import { resourcesDir } from '../../platform/paths';
import { effectiveFrom, listPolicyFiles, policyConflicts } from './files';

/**
 * The table in force for a region in a year: that year's table, or else the latest earlier one
 * (provinces publish a new table only when something changes). Invalid files are skipped here;
 * `pension-counter policy check` reports them.
 */
export async function policyInForce(regionCode: string, year: number, dir = path.join(resourcesDir(), 'policy')): Promise<PolicyTable> {
  const entries = await listPolicyFiles(dir);
  const tables = entries
    .flatMap((e) => (e.result.ok ? [e.result.table] : []))
    .filter((t) => t.region.code === regionCode && t.year <= year)
    .sort((a, b) => b.year - a.year || (effectiveFrom(a) < effectiveFrom(b) ? 1 : -1));
  const table = tables[0];
  if (!table) throw new Error(`没有地区 ${regionCode} 在 ${year} 年适用的政策表（${dir}）`);
  const conflict = policyConflicts(entries).find((c) => c.regionCode === regionCode && c.year === table.year);
  if (conflict) throw new Error(conflict.message);
  return table;
}

/** The tiers anyone may choose (not those reserved for special groups), in fen. */
export function openTiersFen(table: PolicyTable): number[] {
  return table.tiers.filter((t) => !t.reservedFor).map((t) => t.amountFen);
}
