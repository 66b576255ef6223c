// `pension-counter receipt render`: a receipt issued in a data directory, written as a PDF whose
// text holds every field; clear one-line errors for an unknown number.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { dataDirLayout, trainingConfig, writeConfig } from '../../../electron/platform/config';
import { tempDir } from '../../helpers/serve';
import { runCli } from '../../helpers/cli';
import { payableYears } from '../sync/helpers';
import { clerkContext, counterPayment, receiptCounter, receiptService, SERIES } from './helpers';

const dir = tempDir('receipt-cli');
let idNumber = '';
let checkCode = '';
let years: number[] = [];

/** `pension-counter receipt ...args`; a failure fails the test with what the CLI printed. */
async function cli(...args: string[]): Promise<string> {
  const r = await runCli(['receipt', ...args]);
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.err}`);
  return r.out;
}

beforeAll(async () => {
  const c = await receiptCounter({ dir });
  writeConfig(dataDirLayout(dir), trainingConfig(40));
  const payer = c.db.prepare("SELECT id_number FROM payers WHERE name LIKE '%𠮷%' LIMIT 1").get() as { id_number: string };
  idNumber = payer.id_number;
  const service = receiptService(c.db);
  service.addBlock({ operatorId: c.ops.clerk, series: SERIES, firstSerial: 101, lastSerial: 200, serialDigits: 8 }, c.ops.supervisor);
  // This year and one earlier year the payer has not paid.
  years = payableYears(c, idNumber).slice(0, 2);
  expect(years).toHaveLength(2);
  const tx = counterPayment(c, idNumber, years, 30_000);
  const [r] = service.issueForTransaction(tx, clerkContext(c.db)).receipts;
  checkCode = service.printDocument(r!.number).checkCode;
  c.db.close();
});

it('renders an issued receipt with every field', async () => {
  const out = path.join(dir, 'r.pdf');
  await cli('render', '--data-dir', dir, '--number', '(2026)示税现00000101', '--out', out);
  const t = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
  for (const s of [
    '(2026)示税现00000101',
    '2026年06月15日',
    '国家税务总局示范县税务局',
    idNumber,
    '陈𠮷祥',
    `${years[0]}年度`,
    `${years[1]}年度`,
    '300.00',
    '¥600.00',
    '陆佰元整',
    '演示柜员',
    '第1次打印',
    `校验码 ${checkCode}`,
    '样张',
    '培训',
  ]) {
    expect(t, s).toContain(s);
  }
  expect(t.match(/城乡居民基本养老保险费/g)).toHaveLength(2);
});

it('renders the overlay by serial alone, and refuses an unknown number with one clear line', async () => {
  const out = path.join(dir, 'o.pdf');
  await cli('render', '--data-dir', dir, '--number', '101', '--out', out, '--layout', 'overlay', '--offset-x', '1.5');
  expect(execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' })).toContain('票号 (2026)示税现00000101');
  const r = await runCli(['receipt', 'render', '--data-dir', dir, '--number', '999', '--out', out]);
  expect(r.code).not.toBe(0);
  expect(r.err).toBe('pension-counter: 没有票号为 999 的缴款书\n');
});

it('prints the stock balance', async () => {
  const printed = JSON.parse(await cli('stock', '--data-dir', dir, '--json')) as unknown[];
  expect(printed).toEqual([expect.objectContaining({ operatorUsername: 'clerk', received: 100, issued: 1, left: 99, nextNumber: '(2026)示税现00000102' })]);
});
