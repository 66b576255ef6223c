// `pension-counter policy …`: lets IT staff validate a new regional table and compare the
// engine's answer with the examples a province publishes, before the table is deployed.
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { IsoDate } from '../../../shared/domain/payer';
import { assessPayer, quote, validatePolicyPayer, type QuoteLineRequest, type ValidationIssue } from '../../../shared/policy';
import { readPolicyFile } from '../../services/policy';
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

function parseLine(value: string, previous: QuoteLineRequest[] = []): QuoteLineRequest[] {
  const m = /^(\d{4}):(\d+)$/.exec(value);
  if (m === null) throw new InvalidArgumentError(`--line 需要 年度:档次金额（分），如 2026:30000，收到 "${value}"`);
  return [...previous, { year: Number(m[1]), tierFen: Number(m[2]) }];
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
    .description('校验政策表文件；有错误时逐项列出（按 JSON 路径）并以非零状态退出')
    .argument('<file>', '政策表 JSON 文件')
    .action(async (file: string) => {
      const r = await readPolicyFile(file);
      if (!r.ok) throw new CliError(issuesText(`政策表 ${file} `, r.issues), 2);
      const t = r.table;
      io.out(`政策表正确：${t.region.name}（${t.region.code}）${t.year}年度，` + `${t.tiers.length}个档次，${t.specialGroups.length}类特殊群体\n`);
    });

  policy
    .command('quote')
    .description('按政策表试算某缴费人在某日可缴的年度、档次与金额（JSON，金额单位：分）')
    .requiredOption('--policy <file>', '政策表 JSON 文件')
    .requiredOption('--payer <file>', '缴费人 JSON 文件')
    .requiredOption('--date <date>', '缴费日期 YYYY-MM-DD（办税服务厅所在时区）', parseDate)
    .option('--line <year:tierFen>', '试算报价的一行（可重复），如 --line 2026:30000', parseLine)
    .action(async (opts: { policy: string; payer: string; date: string; line?: QuoteLineRequest[] }) => {
      const r = await readPolicyFile(opts.policy);
      if (!r.ok) throw new CliError(issuesText(`政策表 ${opts.policy} `, r.issues), 2);
      if (r.table.year !== Number(opts.date.slice(0, 4))) {
        throw new CliError(`政策表为${r.table.year}年度，不能用于 ${opts.date} 的试算`, 2);
      }
      const payer = await readPayer(opts.payer);
      const assessment = assessPayer(payer, r.table, opts.date);
      const output = opts.line === undefined ? { assessment } : { assessment, quote: quote(assessment, opts.line) };
      io.out(`${JSON.stringify(output, null, 2)}\n`);
      if (output.quote !== undefined && !output.quote.ok) {
        // The JSON above carries the per-line errors; the exit code lets scripts notice.
        throw new CliError(output.quote.errors.map((e) => e.message).join('；'), 3);
      }
    });
}
