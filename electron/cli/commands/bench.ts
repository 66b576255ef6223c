import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { runBench } from '../../tools/bench/run';
import { formatReport } from '../../tools/bench/report';
import { rowIds, type RowId } from '../../tools/bench/table';
import { parseIntOption } from '../options';

interface BenchCommandOptions {
  payers: number;
  out?: string;
  only?: RowId[];
  keep?: boolean;
  chromium?: string;
}

function parseRows(value: string): RowId[] {
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = ids.filter((id) => !(rowIds as readonly string[]).includes(id));
  if (unknown.length || ids.length === 0) throw new InvalidArgumentError(`未知的测试项 ${unknown.join(', ')}；可选：${rowIds.join(', ')}`);
  return ids as RowId[];
}

/**
 * The checkout's CLI (electron/cli/bin.cjs) once built: the upstream and the browser host run as
 * child processes of it. Null in an installed app without the checkout: those rows are skipped.
 */
function builtCli(): string | null {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const bin = path.join(dir, 'electron', 'cli', 'bin.cjs');
    if (fs.existsSync(bin) && fs.existsSync(path.join(dir, 'out', 'main', 'cli.js'))) return bin;
    dir = path.dirname(dir);
  }
  return null;
}

/** `pension-counter bench`: the performance benchmark of issue 9 (not part of npm test). */
export function registerBenchCommands(program: Command): void {
  program
    .command('bench')
    .description('性能基准：在临时目录生成参保人与缴费记录，测量查询、同步、收费、打印与界面，输出一张表')
    .option('--payers <n>', '参保人数（缴费记录约为其 3 倍）', (v) => parseIntOption(v, '--payers', 50, 2_000_000), 1_000_000)
    .option('--out <file.md>', '同时把结果表写入 Markdown 文件')
    .option('--only <rows>', `只测这些项（逗号分隔）：${rowIds.join(',')}`, parseRows)
    .option('--keep', '保留临时目录（用于分析）')
    .option('--chromium <path>', 'Chromium 可执行文件', process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')
    .action(async (opts: BenchCommandOptions) => {
      const report = await runBench({
        payers: opts.payers,
        only: opts.only,
        keep: opts.keep,
        chromium: opts.chromium,
        cliBin: builtCli(),
        log: (line) => process.stderr.write(`${line}\n`),
      });
      const text = formatReport(report);
      process.stdout.write(`${text}\n`);
      if (opts.out) fs.writeFileSync(opts.out, `${text}\n`);
      process.exitCode = report.rows.some((r) => r.status === 'failed') ? 1 : 0;
    });
}
