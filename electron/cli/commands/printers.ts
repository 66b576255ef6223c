// `pension-counter printers`: the page print path for IT staff at a terminal — the system's
// printers as the app sees them, and the calibration frame printed through the same spooler
// path as receipts, followed until the spooler answers.
import { InvalidArgumentError, type Command } from 'commander';
import { spoolReason, spoolStateLabels } from '../../../shared/api/print-words';
import { renderCalibrationPdf } from '../../documents/calibration-pdf';
import { dataDirLayout, defaultDataDir, readConfig } from '../../platform/config';
import { receiptPage, receiptPaper, SpoolError, spoolerFor, type SpoolStatus } from '../../printing';
import { CliError } from '../errors';

function parseLayout(value: string): 'a4' | 'overlay' {
  if (value !== 'a4' && value !== 'overlay') throw new InvalidArgumentError('版式为 a4 或 overlay');
  return value;
}

function parseMm(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || Math.abs(n) > 30) throw new InvalidArgumentError('偏移为 -30 到 30 毫米');
  return n;
}

function configuredPrinter(dataDir: string): string {
  try {
    return readConfig(dataDirLayout(dataDir))?.devices?.receiptPrinter ?? '';
  } catch {
    return '';
  }
}

export function registerPrintersCommands(program: Command): void {
  const printers = program.command('printers').description('缴款书 / 日汇总单打印机（系统打印队列）');

  printers
    .command('list')
    .description('列出系统打印机（Linux 为 CUPS，通过 CUPS_SERVER 指定服务器；Windows 为系统打印队列）')
    .option('--data-dir <dir>', '数据目录（标出已配置的缴款书打印机）', defaultDataDir())
    .option('--json', '以 JSON 输出')
    .action(async (opts: { dataDir: string; json?: boolean }) => {
      const configured = configuredPrinter(opts.dataDir);
      // The system's spooler, whatever the counter is configured with (training included).
      const spooler = spoolerFor(configured === 'simulated' ? '' : configured, opts.dataDir);
      let list;
      try {
        list = await spooler.printers();
      } catch (error) {
        throw new CliError(error instanceof SpoolError ? error.message : String(error));
      }
      if (opts.json) {
        process.stdout.write(JSON.stringify(list, null, 2) + '\n');
        return;
      }
      if (list.length === 0) process.stdout.write('系统中没有打印机\n');
      for (const p of list) {
        const marks = [p.isDefault ? '默认' : '', p.name === configured ? '缴款书打印机' : '', p.acceptingJobs ? '' : '拒收任务'].filter(Boolean);
        process.stdout.write(`${p.name}  ${p.state}${marks.length ? `  [${marks.join('，')}]` : ''}  ${p.info === p.name ? '' : p.info}\n`);
      }
    });

  printers
    .command('frame')
    .description('打印校准框（边框、毫米刻度、套打原点），按 100% 打印并等待打印服务的结果')
    .requiredOption('--printer <name>', '打印机名称（simulated 为培训打印机）')
    .option('--layout <layout>', 'a4（A4 整页）或 overlay（套打票面尺寸）', parseLayout, 'a4' as const)
    .option('--offset-x <mm>', '套打水平偏移（毫米，向右为正）', parseMm, 0)
    .option('--offset-y <mm>', '套打垂直偏移（毫米，向下为正）', parseMm, 0)
    .option('--data-dir <dir>', '数据目录（培训打印机的输出位置）', defaultDataDir())
    .option('--wait <seconds>', '最多等待打印服务的秒数', (v) => Number(v), 120)
    .action(async (opts: { printer: string; layout: 'a4' | 'overlay'; offsetX: number; offsetY: number; dataDir: string; wait: number }) => {
      const spooler = spoolerFor(opts.printer, opts.dataDir);
      const page = receiptPage(opts.layout);
      const pdf = await renderCalibrationPdf({ pageMm: page, printer: opts.printer, offsets: { xMm: opts.offsetX, yMm: opts.offsetY }, caption: '命令行打印' });
      let jobId: string;
      try {
        jobId = await spooler.submit(opts.printer, { pdf, title: '校准框', page, paper: receiptPaper(opts.layout) });
      } catch (error) {
        throw new CliError(`${spoolStateLabels.failed}：${error instanceof SpoolError ? error.message : String(error)}`);
      }
      process.stdout.write(`${spoolStateLabels.sent}（任务 ${jobId}）\n`);
      const until = Date.now() + opts.wait * 1000;
      let status: SpoolStatus = { outcome: 'queued', spoolerState: 'pending', reason: null };
      while (status.outcome === 'queued' && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 500));
        status = await spooler.status(opts.printer, jobId);
      }
      if (status.outcome === 'queued') status = { outcome: 'failed', spoolerState: 'timeout', reason: spoolReason('timeout') };
      if (status.outcome === 'failed') {
        await spooler.cancel(opts.printer, jobId).catch(() => {});
        throw new CliError(`${spoolStateLabels.failed}：${status.reason ?? ''}`);
      }
      process.stdout.write(`${spoolStateLabels.completed}\n`);
    });
}
