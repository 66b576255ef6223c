// Reads policy tables from disk. Everything that can be wrong with a file (unreadable, not JSON,
// fails the schema) comes back as issues by JSON path so `policy check` and the app's startup can
// tell IT staff exactly which field to fix.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { validatePolicyTable, type PolicyTable, type ValidationIssue } from '../../../shared/policy';

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

export function parsePolicyJson(text: string): PolicyFileResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(message);
    const where = pos?.[1] === undefined ? '' : `（${lineColumn(text, Number(pos[1]))}）`;
    return { ok: false, issues: [{ path: '$', message: `不是有效的 JSON${where}：${message}` }] };
  }
  const result = validatePolicyTable(data);
  return result.ok ? { ok: true, table: result.value } : result;
}

export async function readPolicyFile(file: string): Promise<PolicyFileResult> {
  let text: string;
  try {
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

/**
 * The valid table for a region and year. Two valid files for the same region and year are an
 * error rather than a silent pick: which one is right is not for the program to guess.
 */
export async function findPolicyTable(dir: string, regionCode: string, year: number): Promise<PolicyTable | undefined> {
  const matches = (await listPolicyFiles(dir)).filter(
    (e): e is PolicyFileEntry & { result: { ok: true; table: PolicyTable } } =>
      e.result.ok && e.result.table.region.code === regionCode && e.result.table.year === year,
  );
  if (matches.length > 1) {
    throw new Error(`${regionCode} ${year}年度有多个政策表：${matches.map((m) => m.file).join('、')}`);
  }
  return matches[0]?.result.table;
}
