// `pension-counter day-close …`: the day summary 《税务机关入库城乡居民养老保险费日汇总单》 as a PDF
// and the list of past closes, straight from a data directory (read-only).
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { AppError } from '../../../shared/api/errors';
import { renderDaySummaryPdf, type DaySummaryDocument } from '../../documents/day-summary-pdf';
import { systemClock } from '../../platform/clock';
import { defaultDataDir } from '../../platform/config';
import type { Db } from '../../platform/db/database';
import { buildDaySummaryModel, computeDaySummary, dayCloseModel, DayCloseService, isBusinessDate, type DaySummary } from '../../services/dayclose';
import { createLogger } from '../../platform/log';
import { openDataDirForReport } from '../data-dir';
import { CliError } from '../errors';

function parseDate(value: string): string {
  if (!isBusinessDate(value)) throw new InvalidArgumentError(`日期需要 YYYY-MM-DD，收到 "${value}"`);
  return value;
}

function parseNo(value: string): number {
  const n = Number(value.replace(/^RJ/i, ''));
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`日结编号无效："${value}"`);
  return n;
}

function hasCloses(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'day_closes'").get() !== undefined;
}

function open(dataDir: string) {
  const { db, config } = openDataDirForReport(dataDir);
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'receipts'").get() === undefined) {
    db.close();
    throw new CliError('数据库版本过旧，没有缴款书数据。请先运行 pension-counter db migrate。');
  }
  const service = hasCloses(db) ? new DayCloseService(db, systemClock, createLogger(null), { timeZone: config.timeZone }) : null;
  return { db, config, service };
}

function operatorByUsername(db: Db, username: string): { id: number; username: string; name: string } {
  const row = db.prepare('SELECT id, username, display_name AS name FROM operators WHERE username = ?').get(username) as
    { id: number; username: string; name: string } | undefined;
  if (!row) throw new CliError(`没有操作员 ${username}`);
  return row;
}

function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

export function registerDayCloseCommands(program: Command): void {
  const dc = program.command('day-close').description('日结与日汇总单');

  dc.command('report')
    .description('输出《税务机关入库城乡居民养老保险费日汇总单》PDF：已日结的按日结记录（重打），未日结的按当前数据（草稿）')
    .option('--data-dir <dir>', '数据目录', defaultDataDir())
    .option('--date <date>', '业务日期 YYYY-MM-DD', parseDate)
    .option('--operator <username>', '只汇总该操作员（缺省：全厅）')
    .option('--close <no>', '按日结编号重打（如 RJ000012 或 12）', parseNo)
    .requiredOption('--out <file>', '输出的 PDF 文件')
    .action(async (opts: { dataDir: string; date?: string; operator?: string; close?: number; out: string }) => {
      const { db, config, service } = open(opts.dataDir);
      try {
        const header = { taxOffice: config.taxOffice, hallName: config.hallName, training: config.mode === 'training' };
        const when = { printedAt: new Date(), timeZone: config.timeZone };
        const counterList = (s: DaySummary) => {
          const counters = [...new Set(s.byCounter.map((c) => c.counterNo))].sort((a, b) => a - b);
          return counters.length ? `${counters.join('、')}号窗口` : '—';
        };
        let doc: DaySummaryDocument;
        if (opts.close !== undefined) {
          if (!service) throw new CliError('数据库中没有日结记录（请先运行 pension-counter db migrate）');
          const record = service.get(opts.close);
          if (opts.date && opts.date !== record.businessDate)
            throw new CliError(`日结 ${record.number} 的业务日期是 ${record.businessDate}，不是 ${opts.date}`);
          doc = { model: dayCloseModel(record, header), ...when, reprint: true };
        } else if (!opts.date) {
          throw new CliError('请给出 --date 或 --close');
        } else if (opts.operator) {
          const op = operatorByUsername(db, opts.operator);
          const record = service?.forDay(opts.date, op.id) ?? null;
          if (record) doc = { model: dayCloseModel(record, header), ...when, reprint: true };
          else {
            const summary = computeDaySummary(db, { businessDate: opts.date, operatorId: op.id });
            doc = {
              model: buildDaySummaryModel(summary, { ...header, operator: `${op.name}（${op.username}）`, counter: counterList(summary) }, null),
              ...when,
            };
          }
        } else {
          const summary = computeDaySummary(db, { businessDate: opts.date });
          const closes = service?.list({ from: opts.date, to: opts.date }) ?? [];
          doc = {
            model: buildDaySummaryModel(summary, { ...header, operator: '全厅（全部经办人）', counter: counterList(summary) }, null),
            ...when,
            closeNumbers: closes.map((c) => `${c.number} ${c.operator.name}`),
            hallClosed: closes.length > 0 && summary.byCounter.every((r) => closes.some((c) => c.operator.id === r.operatorId)),
          };
        }
        const pdf = await renderDaySummaryPdf(doc);
        const out = path.resolve(opts.out);
        fs.writeFileSync(out, pdf);
        const m = doc.model;
        const f = m.figures;
        process.stdout.write(
          `已输出日汇总单 ${m.businessDate}${m.closeNumber ? ` ${m.closeNumber}` : '（未日结草稿）'} 到 ${out}：收款 ${f.transactions} 笔、缴费 ${f.lines} 年次 ${yuan(f.amountFen)} 元，票证 ${f.receiptsUsed} 份（作废 ${f.receiptsVoided} 份）\n`,
        );
      } catch (error) {
        throw error instanceof AppError ? new CliError(error.message) : error;
      } finally {
        db.close();
      }
    });

  dc.command('list')
    .description('列出日结记录（新的在前）')
    .option('--data-dir <dir>', '数据目录', defaultDataDir())
    .option('--from <date>', '起始业务日期', parseDate)
    .option('--to <date>', '终止业务日期', parseDate)
    .option('--operator <username>', '只列该操作员')
    .option('--json', '以 JSON 输出（含完整汇总）')
    .action((opts: { dataDir: string; from?: string; to?: string; operator?: string; json?: boolean }) => {
      const { db, service } = open(opts.dataDir);
      try {
        const operatorId = opts.operator ? operatorByUsername(db, opts.operator).id : undefined;
        const list = service ? service.list({ from: opts.from, to: opts.to, operatorId }) : [];
        if (opts.json) {
          process.stdout.write(JSON.stringify(list, null, 2) + '\n');
          return;
        }
        if (list.length === 0) process.stdout.write('没有日结记录\n');
        for (const r of list) {
          process.stdout.write(
            `${r.number} ${r.businessDate} ${r.counterNo}号窗口 ${r.operator.name}（${r.operator.username}） 缴费 ${r.summary.payments.count} 笔 ${yuan(r.summary.payments.amountFen)} 元 应交现金 ${yuan(r.cash.expectedFen)} 实点 ${yuan(r.cash.countedFen)} 差额 ${yuan(r.cash.differenceFen)}\n`,
          );
        }
      } finally {
        db.close();
      }
    });
}
