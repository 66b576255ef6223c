// `pension-counter policy …`: lets IT staff validate a new regional table and compare the
// engine's answer with the examples a province publishes, before the table is deployed.
import { readFile, stat } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { amountInCapitals } from '../../../shared/domain/capitals';
import { IsoDate } from '../../../shared/domain/payer';
import {
  assessPayer,
  quote,
  validatePolicyPayer,
  type PolicyTable,
  type Quote,
  type QuoteLineRequest,
  type SplitShare,
  type ValidationIssue,
} from '../../../shared/policy';
import { effectiveFrom, listPolicyFiles, policyConflicts, readPolicyFile, tableInForce } from '../../services/policy';
import { CliError } from '../errors';

export interface PolicyCommandIo {
  out: (text: string) => void;
}

const defaultIo: PolicyCommandIo = { out: (text) => process.stdout.write(text) };

function issuesText(what: string, issues: ValidationIssue[]): string {
  return `${what}有误：\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`;
}

function parseDate(value: string): string {
  const r = IsoDate.safeParse(value);
  if (!r.success) throw new InvalidArgumentError(`--date 需要 YYYY-MM-DD 格式的有效日期，收到 "${value}"`);
  return r.data;
}

/** `2026:30000` (a year at a tier), `lump:30000` (一次性补缴 of every missing year), `lump:30000:6` (6 years). */
function parseLine(value: string, previous: QuoteLineRequest[] = []): QuoteLineRequest[] {
  const m = /^(\d{4}):(\d+)$/.exec(value);
  if (m !== null) return [...previous, { year: Number(m[1]), tierFen: Number(m[2]) }];
  const lump = /^lump:(\d+)(?::(\d+))?$/.exec(value);
  if (lump !== null) {
    // The year is filled in with the --date year once options are read.
    return [...previous, { year: 0, tierFen: Number(lump[1]), lumpSum: true, ...(lump[2] === undefined ? {} : { years: Number(lump[2]) }) }];
  }
  throw new InvalidArgumentError(`--line 需要 年度:档次金额（分）如 2026:30000，或 lump:档次金额[:年数] 如 lump:30000:6，收到 "${value}"`);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Every total of a quote in capitals (大写), as a receipt would print it. */
export function totalsInCapitals(q: Extract<Quote, { ok: true }>): Record<string, unknown> {
  const levels = (shares: SplitShare[]) => shares.map((s) => ({ level: s.level, capitals: amountInCapitals(s.amountFen) }));
  return {
    payerFen: amountInCapitals(q.totals.payerFen),
    subsidyFen: amountInCapitals(q.totals.subsidyFen),
    governmentPaidFen: amountInCapitals(q.totals.governmentPaidFen),
    accountFen: amountInCapitals(q.totals.accountFen),
    governmentPaidByLevel: levels(q.totals.governmentPaidByLevel),
    subsidyByLevel: levels(q.totals.subsidyByLevel),
  };
}

/** Valid tables from files and directories; any invalid file or duplicate is an error. */
async function readTables(paths: string[]): Promise<PolicyTable[]> {
  const tables: PolicyTable[] = [];
  const entries = [];
  for (const p of paths) {
    const isDir = await stat(p).then(
      (st) => st.isDirectory(),
      () => false,
    );
    if (isDir) entries.push(...(await listPolicyFiles(p)));
    else entries.push({ file: p, result: await readPolicyFile(p) });
  }
  for (const e of entries) {
    if (!e.result.ok) throw new CliError(issuesText(`政策表 ${e.file} `, e.result.issues), 2);
    tables.push(e.result.table);
  }
  const conflicts = policyConflicts(entries);
  if (conflicts.length > 0) throw new CliError(conflicts.map((c) => c.message).join('\n'), 2);
  return tables;
}

async function readPayer(file: string) {
  let data: unknown;
  try {
    data = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new CliError(`无法读取缴费人文件 ${file}：${e instanceof Error ? e.message : String(e)}`, 2);
  }
  const r = validatePolicyPayer(data);
  if (!r.ok) throw new CliError(issuesText(`缴费人文件 ${file} `, r.issues), 2);
  return r.value;
}

export function registerPolicyCommands(program: Command, io: PolicyCommandIo = defaultIo): void {
  const policy = program.command('policy').description('缴费政策表：校验与试算');

  policy
    .command('check')
    .description('校验政策表文件或目录；有错误时逐项列出（按 JSON 路径），同一地区同一年度有两份表也是错误，并以非零状态退出')
    .argument('<path>', '政策表 JSON 文件，或存放政策表的目录')
    .action(async (target: string) => {
      const isDir = await stat(target).then(
        (st) => st.isDirectory(),
        () => false,
      );
      const entries = isDir ? await listPolicyFiles(target) : [{ file: target, result: await readPolicyFile(target) }];
      const problems: string[] = [];
      for (const e of entries) {
        if (!e.result.ok) {
          problems.push(issuesText(`政策表 ${e.file} `, e.result.issues));
          continue;
        }
        const t = e.result.table;
        io.out(
          `政策表正确：${e.file}：${t.region.name}（${t.region.code}）${t.year}年度` +
            `${t.effectiveFrom ? `（自${t.effectiveFrom}起）` : ''}，${t.tiers.length}个档次，${t.specialGroups.length}类特殊群体\n`,
        );
      }
      for (const c of policyConflicts(entries)) problems.push(c.message);
      if (isDir && entries.length === 0) problems.push(`目录 ${target} 中没有政策表（*.json）`);
      if (problems.length > 0) throw new CliError(problems.join('\n'), 2);
    });

  policy
    .command('quote')
    .description('按政策表试算某缴费人在某日可缴的年度、档次与金额（JSON，金额单位：分；合计另附大写）')
    .requiredOption('--policy <path>', '政策表 JSON 文件或目录（可重复：当年的表，以及补缴按所属年度档次时各年度的表）', collect)
    .requiredOption('--payer <file>', '缴费人 JSON 文件')
    .requiredOption('--date <date>', '缴费日期 YYYY-MM-DD（办税服务厅所在时区）', parseDate)
    .option('--line <year:tierFen>', '试算报价的一行（可重复），如 --line 2026:30000；一次性补缴 --line lump:30000[:年数]', parseLine)
    .action(async (opts: { policy: string[]; payer: string; date: string; line?: QuoteLineRequest[] }) => {
      const tables = await readTables(opts.policy);
      const year = Number(opts.date.slice(0, 4));
      const current = tables.filter((t) => t.year === year && effectiveFrom(t) <= opts.date).sort((a, b) => (effectiveFrom(a) < effectiveFrom(b) ? 1 : -1))[0];
      if (current === undefined) {
        const years = [...new Set(tables.map((t) => t.year))].sort().join('、');
        throw new CliError(`没有 ${opts.date} 适用的政策表（已读入：${years}年度），不能试算`, 2);
      }
      const payer = await readPayer(opts.payer);
      const assessment = assessPayer(payer, current, opts.date, {
        tableForYear: (y) => tableInForce(tables, current.region.code, y),
      });
      const lines = opts.line?.map((l) => (l.lumpSum === true ? { ...l, year } : l));
      const q = lines === undefined ? undefined : quote(assessment, lines);
      const output = q === undefined ? { assessment } : { assessment, quote: q.ok ? { ...q, totals: { ...q.totals, capitals: totalsInCapitals(q) } } : q };
      io.out(`${JSON.stringify(output, null, 2)}\n`);
      if (q !== undefined && !q.ok) {
        // The JSON above carries the per-line errors; the exit code lets scripts notice.
        throw new CliError(q.errors.map((e) => e.message).join('；'), 3);
      }
    });
}
