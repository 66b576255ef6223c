// `pension-counter receipt …`: IT staff render a receipt already issued (to check a printer's
// output or answer a query) and read the receipt stock balance, straight from a data directory.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { AppError } from '../../../shared/api/errors';
import { FORM_LINES, renderReceiptPdf, type ReceiptLayout } from '../../documents/receipt-pdf';
import { systemClock } from '../../platform/clock';
import { defaultDataDir } from '../../platform/config';
import { schemaVersion } from '../../platform/db/database';
import { createLogger } from '../../platform/log';
import { ReceiptService } from '../../services/receipts';
import { openDataDirForReport } from '../data-dir';
import { CliError } from '../errors';

function parseMm(value: string): number {
  const n = Number(value);
  if (!/^-?\d+(\.\d+)?$/.test(value) || Math.abs(n) > 30) throw new InvalidArgumentError(`偏移需要 -30 到 30 之间的毫米数，收到 "${value}"`);
  return n;
}

function parseLayout(value: string): ReceiptLayout {
  if (value !== 'a4' && value !== 'overlay') throw new InvalidArgumentError(`--layout 只能是 a4 或 overlay，收到 "${value}"`);
  return value;
}

/** Opens the data directory read-only with the receipt service on it. */
function openReceipts(dataDir: string) {
  const { db, config } = openDataDirForReport(dataDir);
  if (schemaVersion(db) < 4) {
    db.close();
    throw new CliError('数据库版本过旧，没有缴款书数据。请先运行 pension-counter db migrate。');
  }
  const service = new ReceiptService(db, systemClock, createLogger(null), {
    training: config.mode === 'training',
    taxOffice: config.taxOffice,
    timeZone: config.timeZone,
    formLineLimit: FORM_LINES,
  });
  return { db, service };
}

function cliErrorOf(error: unknown): unknown {
  return error instanceof AppError ? new CliError(error.message) : error;
}

export function registerReceiptCommands(program: Command): void {
  const receipt = program.command('receipt').description('税收缴款书（票证）');

  receipt
    .command('render')
    .description('把已开具的缴款书输出为 PDF（不计打印次数）')
    .option('--data-dir <dir>', '数据目录', defaultDataDir())
    .requiredOption('--number <n>', '票号（完整票号，或号码不重复时只输入号码）')
    .requiredOption('--out <file>', '输出的 PDF 文件')
    .option('--layout <layout>', 'a4（白纸，含表格）或 overlay（套打预印票面）', parseLayout, 'a4' as ReceiptLayout)
    .option('--printer <name>', '套打时使用该打印机保存的校准偏移')
    .option('--offset-x <mm>', '套打水平偏移（毫米，向右为正）', parseMm)
    .option('--offset-y <mm>', '套打垂直偏移（毫米，向下为正）', parseMm)
    .action(async (opts: { dataDir: string; number: string; out: string; layout: ReceiptLayout; printer?: string; offsetX?: number; offsetY?: number }) => {
      const { db, service } = openReceipts(opts.dataDir);
      try {
        const doc = service.document(opts.number);
        const saved = opts.printer ? service.calibration(opts.printer) : { xMm: 0, yMm: 0 };
        const calibration = { xMm: opts.offsetX ?? saved.xMm, yMm: opts.offsetY ?? saved.yMm };
        const pdf = await renderReceiptPdf(doc, { layout: opts.layout, calibration });
        const out = path.resolve(opts.out);
        fs.writeFileSync(out, pdf);
        process.stdout.write(`已输出缴款书 ${doc.number} 到 ${out}\n`);
      } catch (error) {
        throw cliErrorOf(error);
      } finally {
        db.close();
      }
    });

  receipt
    .command('stock')
    .description('票证结存：按操作员和票种列出领用、已开、作废、结存、交回')
    .option('--data-dir <dir>', '数据目录', defaultDataDir())
    .option('--json', '以 JSON 输出')
    .action((opts: { dataDir: string; json?: boolean }) => {
      const { db, service } = openReceipts(opts.dataDir);
      try {
        const rows = service.stockBalance();
        if (opts.json) {
          process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
          return;
        }
        if (rows.length === 0) process.stdout.write('没有领用的票证\n');
        for (const r of rows) {
          process.stdout.write(
            `${r.operatorName}（${r.operatorUsername}） 领用 ${r.received} 已开 ${r.issued} 作废 ${r.voided} 结存 ${r.left} 交回 ${r.handedBack} 下一号 ${r.nextNumber ?? '无'}\n`,
          );
        }
      } finally {
        db.close();
      }
    });
}
