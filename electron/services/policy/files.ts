// Reads policy tables from disk. Everything that can be wrong with a file (unreadable, not JSON,
// fails the schema) comes back as issues by JSON path so `policy check` and the app's startup can
// tell IT staff exactly which field to fix.
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { visit } from 'jsonc-parser';
import { formatJsonPath, validatePolicyTable, type PolicyTable, type ValidationIssue } from '../../../shared/policy';

/** A policy table is a few kilobytes; anything over 1 MB is not one (and is not read into memory). */
export const MAX_POLICY_FILE_BYTES = 1024 * 1024;

export type PolicyFileResult = { ok: true; table: PolicyTable } | { ok: false; issues: ValidationIssue[] };

export class PolicyFileError extends Error {
  constructor(
    readonly file: string,
    readonly issues: ValidationIssue[],
  ) {
    super(`政策表 ${file} 有误：\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'PolicyFileError';
  }
}

/** Line and column of a character offset, for JSON syntax errors. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `第${line}行第${offset - before.lastIndexOf('\n')}列`;
}

/**
 * Keys that occur twice in one object. JSON.parse keeps the last one silently, so a table edited
 * by hand could carry two different amounts for one field; jsonc-parser's visitor sees both.
 */
export function duplicateKeys(text: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const open: Set<string>[] = [];
  visit(
    text,
    {
      onObjectBegin: () => {
        open.push(new Set());
      },
      onObjectEnd: () => {
        open.pop();
      },
      onObjectProperty: (property, offset, _length, _line, _column, pathSupplier) => {
        const keys = open[open.length - 1];
        if (keys === undefined) return;
        if (keys.has(property)) {
          issues.push({
            path: formatJsonPath([...pathSupplier(), property]),
            message: `字段重复（${lineColumn(text, offset)}）：同一对象中不能出现两次，请删去其中一个`,
          });
        }
        keys.add(property);
      },
    },
    { disallowComments: true },
  );
  return issues;
}

export function parsePolicyJson(text: string): PolicyFileResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_FILE_BYTES) {
    return { ok: false, issues: [{ path: '$', message: '文件超过1 MB，不是政策表' }] };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(message);
    const where = pos?.[1] === undefined ? '' : `（${lineColumn(text, Number(pos[1]))}）`;
    return { ok: false, issues: [{ path: '$', message: `不是有效的 JSON${where}：${message}` }] };
  }
  const duplicates = duplicateKeys(text);
  if (duplicates.length > 0) return { ok: false, issues: duplicates };
  const result = validatePolicyTable(data);
  return result.ok ? { ok: true, table: result.value } : result;
}

export async function readPolicyFile(file: string): Promise<PolicyFileResult> {
  let text: string;
  try {
    if ((await stat(file)).size > MAX_POLICY_FILE_BYTES) return { ok: false, issues: [{ path: '$', message: '文件超过1 MB，不是政策表' }] };
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, issues: [{ path: '$', message: code === 'ENOENT' ? '文件不存在' : `无法读取文件（${code ?? String(e)}）` }] };
  }
  // A BOM is what Windows editors add; it is not a content error.
  return parsePolicyJson(text.replace(/^\uFEFF/, ''));
}

/** The validated table in `file`; throws PolicyFileError listing every problem. */
export async function loadPolicyFile(file: string): Promise<PolicyTable> {
  const result = await readPolicyFile(file);
  if (!result.ok) throw new PolicyFileError(file, result.issues);
  return result.table;
}

export interface PolicyFileEntry {
  file: string;
  result: PolicyFileResult;
}

/** Every *.json file in `dir` with its verdict, sorted by file name. */
export async function listPolicyFiles(dir: string): Promise<PolicyFileEntry[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  return Promise.all(names.map(async (n) => ({ file: join(dir, n), result: await readPolicyFile(join(dir, n)) })));
}

/** The first day a table applies: effectiveFrom, else 1 January of its year. */
export function effectiveFrom(t: PolicyTable): string {
  return t.effectiveFrom ?? `${t.year}-01-01`;
}

export interface PolicyConflict {
  regionCode: string;
  year: number;
  effectiveFrom: string;
  files: string[];
  message: string;
}

/**
 * Valid tables that claim the same region, year and first day. Which one is right is not for the
 * program to guess (file-name order is no rule), so each conflict is an error wherever tables are
 * read: at every start and in `policy check DIR`.
 */
export function policyConflicts(entries: readonly PolicyFileEntry[]): PolicyConflict[] {
  const groups = new Map<string, PolicyFileEntry[]>();
  for (const e of entries) {
    if (!e.result.ok) continue;
    const t = e.result.table;
    const key = `${t.region.code}|${t.year}|${effectiveFrom(t)}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const conflicts: PolicyConflict[] = [];
  for (const [key, list] of groups) {
    if (list.length < 2) continue;
    const [regionCode = '', year = '', from = ''] = key.split('|');
    const files = list.map((e) => e.file);
    conflicts.push({
      regionCode,
      year: Number(year),
      effectiveFrom: from,
      files,
      message: `${regionCode} ${year}年度（自${from}起）有多个政策表（${files.length}份）：${files.join('、')}。请只保留一个`,
    });
  }
  return conflicts;
}

/**
 * The valid table for a region and year (the one in force on `date` when the year has mid-year
 * changes). Two valid files for the same region, year and first day are an error rather than a
 * silent pick.
 */
export async function findPolicyTable(dir: string, regionCode: string, year: number, date?: string): Promise<PolicyTable | undefined> {
  const entries = await listPolicyFiles(dir);
  const conflict = policyConflicts(entries).find((c) => c.regionCode === regionCode && c.year === year);
  if (conflict) throw new Error(conflict.message);
  return tableInForce(
    entries.flatMap((e) => (e.result.ok ? [e.result.table] : [])),
    regionCode,
    year,
    date,
  );
}

/** Of a region's tables for `year`, the one in force on `date` (default: the year's last one). */
export function tableInForce(tables: readonly PolicyTable[], regionCode: string, year: number, date?: string): PolicyTable | undefined {
  return tables
    .filter((t) => t.region.code === regionCode && t.year === year && (date === undefined || effectiveFrom(t) <= date))
    .sort((a, b) => (effectiveFrom(a) < effectiveFrom(b) ? 1 : -1))[0];
}
