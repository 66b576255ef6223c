// `pension-counter day-close report|list`: the A4 PDF 《税务机关入库城乡居民养老保险费日汇总单》 of a
// closed operator-day (reprint of the record) and of the whole hall (draft), checked with pdftotext;
// the pages are also rendered to PNG with pdftoppm (tests/artifacts/day-summary-*.png) to look at.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { fixedStartClock } from '../../../electron/platform/clock';
import { dataDirLayout, trainingConfig, writeConfig } from '../../../electron/platform/config';
import { DayCloseService, type DayCloseRecord } from '../../../electron/services/dayclose';
import { formatYuan } from '../../../shared/domain/money';
import { amountInCapitals } from '../../../shared/domain/capitals';
import { tempDir } from '../../helpers/serve';
import { runCli } from '../../helpers/cli';
import { quietLog } from '../sync/helpers';
import { AS_OF, dayCloseCounter, generateReceipts, generateTransactions, prng } from './helpers';

const dir = tempDir('day-close-cli');
const artifacts = path.resolve('tests/artifacts');
let record: DayCloseRecord;
let hallFen = 0;

/** `pension-counter day-close ...args`; a failure fails the test with what the CLI printed. */
async function cli(...args: string[]): Promise<string> {
  const r = await runCli(['day-close', ...args]);
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.err}`);
  return r.out;
}

beforeAll(async () => {
  const c = await dayCloseCounter({ dir, payers: 40 });
  writeConfig(dataDirLayout(dir), trainingConfig(40));
  const rand = prng(615);
  const txs = generateTransactions(c.db, rand, 400, { dates: [AS_OF], operators: [c.ops.clerk, c.ops.clerk2], counters: [1, 3] });
  await generateReceipts(c.db, rand, txs, c.ops, { issue: 120, voids: 45, reissues: 4, exchanges: 8 });
  hallFen = txs.reduce((a, t) => a + t.totalFen, 0);
  const service = new DayCloseService(c.db, fixedStartClock(new Date('2026-06-15T09:00:00Z')), quietLog(), { timeZone: 'Asia/Shanghai' });
  const cash = txs.filter((t) => t.operatorId === c.ops.clerk && t.method === 'cash').reduce((a, t) => a + t.totalFen, 0);
  record = service.close({ businessDate: AS_OF, operatorId: c.ops.clerk, counterNo: 1, cashCountedFen: cash + 2_000, closedBy: c.ops.clerk });
  c.db.close();
});

function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

function toPng(file: string, name: string): string[] {
  fs.mkdirSync(artifacts, { recursive: true });
  const prefix = path.join(artifacts, name);
  execFileSync('pdftoppm', ['-png', '-r', '60', file, prefix]);
  return fs.readdirSync(artifacts).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png'));
}

it('writes the closed operator-day as a reprint of the record', async () => {
  const out = path.join(dir, 'clerk.pdf');
  await cli('report', '--data-dir', dir, '--date', AS_OF, '--operator', 'clerk', '--out', out);
  const t = pdfText(out);
  fs.mkdirSync(artifacts, { recursive: true });
  fs.copyFileSync(out, path.join(artifacts, 'day-summary-clerk.pdf'));
  const s = record.summary;
  for (const want of [
    '税务机关入库城乡居民养老保险费日汇总单',
    '日结编号 RJ000001（重打）',
    '国家税务总局示范县税务局',
    '2026年06月15日',
    '1号窗口',
    '演示柜员（clerk）',
    '按缴费年度',
    '补缴',
    '当年',
    `¥${formatYuan(s.payments.amountFen)}`,
    amountInCapitals(s.payments.amountFen),
    formatYuan(s.payments.backPayment.amountFen),
    formatYuan(s.cash.expectedFen),
    formatYuan(record.cash.countedFen),
    '长款 20.00',
    s.receipts.ranges[0]!.firstNumber,
    s.receipts.ranges[0]!.lastNumber,
    s.receipts.voidedList[0]!.number,
    s.receipts.voidedList[0]!.reason,
    '经办人（签字）',
    '复核人（签字）',
    '税务机关（盖章）',
    '样张',
    '培训模式样张',
  ]) {
    expect(t, want).toContain(want);
  }
  for (const m of s.payments.byMethod) expect(t).toContain(formatYuan(m.amountFen));
  for (const y of s.payments.byYear) expect(t).toContain(`${y.year}年度`);
  // 45 voids do not fit on one page: the tables continue with the page numbers.
  // pdftotext may drop the spaces of the footer.
  const pages = Number(/第\s*1\s*页\s*共\s*(\d+)\s*页/.exec(t)?.[1]);
  expect(pages).toBeGreaterThanOrEqual(2);
  expect(t).toMatch(new RegExp(`第\\s*${pages}\\s*页\\s*共\\s*${pages}\\s*页`));
  expect(t).toContain('（续）');
  expect(toPng(out, 'day-summary-clerk')).toHaveLength(pages);
});

it('writes the whole hall as a draft while not every operator has closed', async () => {
  const out = path.join(dir, 'hall.pdf');
  await cli('report', '--data-dir', dir, '--date', AS_OF, '--out', out);
  const t = pdfText(out);
  expect(t).toContain('未日结 · 草稿');
  expect(t).toContain('全厅（全部经办人）');
  expect(t).toContain('1、3号窗口');
  expect(t).toContain('RJ000001 演示柜员');
  expect(t).toContain(`¥${formatYuan(hallFen)}`);
  expect(t).toContain('第二柜员（clerk2）');
  expect(toPng(out, 'day-summary-hall').length).toBeGreaterThanOrEqual(1);
});

it('says so when every operator of the hall has closed', async () => {
  const { openDatabase } = await import('../../../electron/platform/db/database');
  const db = openDatabase(dataDirLayout(dir).databaseFile);
  const clerk2 = (db.prepare("SELECT id FROM operators WHERE username = 'clerk2'").get() as { id: number }).id;
  new DayCloseService(db, fixedStartClock(new Date('2026-06-15T09:30:00Z')), quietLog(), { timeZone: 'Asia/Shanghai' }).close({
    businessDate: AS_OF,
    operatorId: clerk2,
    counterNo: 3,
    cashCountedFen: 0,
    closedBy: clerk2,
  });
  db.close();
  const out = path.join(dir, 'hall-closed.pdf');
  await cli('report', '--data-dir', dir, '--date', AS_OF, '--out', out);
  const t = pdfText(out);
  expect(t).toContain('各经办人均已日结');
  expect(t).toContain('RJ000002 第二柜员');
});

it('reprints by close number and lists closes', async () => {
  const out = path.join(dir, 'rj1.pdf');
  await cli('report', '--data-dir', dir, '--close', 'RJ000001', '--out', out);
  expect(pdfText(out)).toContain('日结编号 RJ000001（重打）');
  const printed = await cli('list', '--data-dir', dir);
  expect(printed).toContain(`RJ000001 ${AS_OF} 1号窗口 演示柜员（clerk）`);
  expect(printed).toContain('差额 20.00');
});

it('answers bad input with a one-line error and a non-zero exit', async () => {
  const x = path.join(dir, 'x.pdf');
  for (const [args, says] of [
    [['--close', '77'], /^pension-counter: .*77/],
    [[], /--date/],
    [['--date', AS_OF, '--operator', 'nobody'], /nobody/],
  ] as const) {
    const r = await runCli(['day-close', 'report', '--data-dir', dir, ...args, '--out', x]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(says);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).not.toMatch(/\bat \S+:\d+|Error:/);
  }
  expect(fs.existsSync(x)).toBe(false);
});
