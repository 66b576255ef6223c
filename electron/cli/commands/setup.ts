// `pension-counter setup`: commissions a production counter. Interactive (Chinese prompts, on a
// terminal) by default; every answer can be given as a flag for mass roll-out, and then the two
// passwords are read from standard input (supervisor's on line 1, IT's on line 2).
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import type { Command } from 'commander';
import { dataDirLayout, defaultDataDir } from '../../platform/config';
import { createLogger } from '../../platform/log';
import type { PullProgress } from '../../sync';
import { commissionCounter, holdsCounter, SetupError, unfinishedSetup, type Account, type SetupInput } from '../../services/setup/commission';
import { lockDataDir } from '../data-dir';
import { CliError } from '../errors';
import { parseIntOption } from '../options';
import { UPSTREAM_KEY_ENV } from './sync';

interface SetupOptions {
  dataDir: string;
  hallName?: string;
  taxOffice?: string;
  countyName?: string;
  regionCode?: string;
  policyRegion?: string;
  window?: number;
  timeZone?: string;
  upstream?: string;
  key?: string;
  receiptPrinter?: string;
  receiptLayout?: string;
  reader?: string;
  printer?: string;
  paperWidth?: number;
  backupDir?: string;
  supervisor?: string;
  supervisorName?: string;
  it?: string;
  itName?: string;
  firstBlock: number;
  pageSize?: number;
  yes?: boolean;
}

interface Question {
  key: keyof SetupOptions;
  flag: string;
  prompt: string;
  fallback?: (o: SetupOptions) => string | undefined;
}

const questions: Question[] = [
  { key: 'hallName', flag: '--hall-name', prompt: '办税服务厅名称（如 某某县税务局第一办税服务厅）' },
  { key: 'taxOffice', flag: '--tax-office', prompt: '税务机关全称（印在缴款书上）' },
  { key: 'countyName', flag: '--county-name', prompt: '县（区）名称' },
  { key: 'regionCode', flag: '--region-code', prompt: '县（区）行政区划代码（6 位）' },
  { key: 'policyRegion', flag: '--policy-region', prompt: '缴费政策地区（resources/policy 下的名称）', fallback: () => 'demo' },
  { key: 'window', flag: '--window', prompt: '本柜台窗口号（1–99）' },
  { key: 'timeZone', flag: '--time-zone', prompt: '时区', fallback: () => 'Asia/Shanghai' },
  { key: 'upstream', flag: '--upstream', prompt: '上游征收系统地址（如 https://10.0.0.5:8790）' },
  { key: 'key', flag: '--key', prompt: `柜台密钥（由上游运维提供；也可用环境变量 ${UPSTREAM_KEY_ENV}）` },
  { key: 'receiptPrinter', flag: '--receipt-printer', prompt: '缴款书打印机（CUPS 队列名，空 = 暂不配置）', fallback: () => '' },
  { key: 'receiptLayout', flag: '--receipt-layout', prompt: '缴款书版式 a4 / overlay', fallback: () => 'a4' },
  { key: 'reader', flag: '--reader', prompt: '身份证读卡器端口（auto = 自动查找，空 = 无）', fallback: () => 'auto' },
  { key: 'printer', flag: '--printer', prompt: '小票打印机（/dev/usb/lp0、串口、主机:9100；auto = 自动查找；空 = 无）', fallback: () => 'auto' },
  { key: 'backupDir', flag: '--backup-dir', prompt: '备份文件夹（最好在另一块磁盘上）', fallback: (o) => path.join(path.resolve(o.dataDir), 'backups') },
  { key: 'supervisor', flag: '--supervisor', prompt: '值班主任登录名' },
  { key: 'supervisorName', flag: '--supervisor-name', prompt: '值班主任姓名' },
  { key: 'it', flag: '--it', prompt: '系统管理员（IT）登录名' },
  { key: 'itName', flag: '--it-name', prompt: '系统管理员姓名' },
];

const interactive = (): boolean => Boolean(process.stdin.isTTY && process.stderr.isTTY);

/** Reads a password from the terminal without echoing it. */
async function askHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  let value = '';
  try {
    return await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            stdin.off('data', onData);
            process.stderr.write('\n');
            return resolve(value);
          }
          if (ch === '\u0003') {
            stdin.off('data', onData);
            return reject(new CliError('已取消', 130));
          }
          if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
          else value += ch;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
  }
}

async function askPassword(who: string): Promise<string> {
  for (;;) {
    const first = await askHidden(`${who}的密码（至少 8 位，不显示）：`);
    const again = await askHidden('再输入一次：');
    if (first === again) return first;
    process.stderr.write('两次输入不一致，请重新输入。\n');
  }
}

/** Passwords given on standard input: the supervisor's on the first line, IT's on the second. */
async function passwordsFromStdin(): Promise<[string, string]> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const lines = Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
  const [a, b] = [lines[0] ?? '', lines[1] ?? ''];
  if (!a || !b) throw new CliError('请从标准输入提供两个密码：第一行值班主任，第二行系统管理员（不会使用默认密码）', 2);
  return [a, b];
}

/** `auto` for the slip printer: the first USB line printer present, else none for now. */
function resolvePrinter(value: string, say: (s: string) => void): string {
  if (value !== 'auto') return value;
  for (let i = 0; i < 4; i++) {
    const p = `/dev/usb/lp${i}`;
    if (fs.existsSync(p)) {
      say(`小票打印机：找到 ${p}`);
      return p;
    }
  }
  say('小票打印机：没有找到 USB 打印机，暂不配置（之后可在 config.json 的 devices.printer 中设置）');
  return '';
}

/** A progress bar on a terminal, one line a second otherwise. */
function progressReporter(err: NodeJS.WriteStream): { update: (p: PullProgress) => void; done: () => void } {
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      const total = p.applied + p.remaining;
      const share = total ? p.applied / total : 1;
      const what = p.stream === 'payers' ? '参保人' : '缴费记录';
      if (err.isTTY) {
        const width = 30;
        const filled = Math.round(share * width);
        err.write(`\r  ${what} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(share * 100)}%  ${p.applied}/${total}   `);
        drawn = true;
      } else if (Date.now() - last >= 1000 || p.remaining === 0) {
        last = Date.now();
        err.write(`  ${what}：${Math.floor(share * 100)}%（已接收 ${p.applied}，尚余 ${p.remaining}）\n`);
      }
    },
    done() {
      if (drawn) err.write('\n');
    },
  };
}

async function collect(opts: SetupOptions): Promise<SetupInput> {
  const missing: Question[] = [];
  const values: Partial<Record<keyof SetupOptions, string>> = {};
  for (const q of questions) {
    const given = opts[q.key];
    // An empty value is an answer too ('' = no reader / printer).
    if (given !== undefined) values[q.key] = String(given);
    else if (q.key === 'key' && process.env[UPSTREAM_KEY_ENV]) values.key = process.env[UPSTREAM_KEY_ENV];
    else if (q.fallback && !interactive()) {
      const f = q.fallback(opts);
      if (f === undefined) missing.push(q);
      else values[q.key] = f;
    } else missing.push(q);
  }
  if (missing.length && !interactive()) {
    throw new CliError(`缺少安装参数：${missing.map((q) => q.flag).join(' ')}（非交互运行时须全部用参数给出）`, 2);
  }
  if (missing.length) {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
    try {
      process.stderr.write('建立正式柜台。请回答以下问题（方括号中为默认值，直接回车即采用）。\n');
      for (const q of missing) {
        const def = q.fallback?.(opts);
        for (;;) {
          const answer = (await rl.question(`${q.prompt}${def !== undefined ? ` [${def}]` : ''}：`)).trim();
          const value = answer || def;
          if (value !== undefined && (value !== '' || def === '')) {
            values[q.key] = value;
            break;
          }
          process.stderr.write('  此项必填。\n');
        }
      }
    } finally {
      rl.close();
    }
  }
  const empty = questions.filter((q) => !q.fallback && !values[q.key]?.trim());
  if (empty.length) throw new CliError(`安装参数不能为空：${empty.map((q) => q.flag).join(' ')}`, 2);
  let passwords: [string, string];
  if (interactive()) {
    passwords = [await askPassword(`值班主任 ${values.supervisor}`), await askPassword(`系统管理员 ${values.it}`)];
  } else {
    passwords = await passwordsFromStdin();
  }
  const window = Number(values.window);
  if (!Number.isInteger(window) || window < 1 || window > 99) throw new CliError(`--window 应为 1–99，收到 "${values.window}"`, 2);
  const layout = values.receiptLayout;
  if (layout !== 'a4' && layout !== 'overlay') throw new CliError(`--receipt-layout 应为 a4 或 overlay，收到 "${layout}"`, 2);
  const say = (s: string) => process.stderr.write(`${s}\n`);
  const account = (username: string, displayName: string, password: string): Account => ({ username, displayName, password });
  return {
    hallName: values.hallName!,
    taxOffice: values.taxOffice!,
    countyName: values.countyName!,
    regionCode: values.regionCode!,
    policyRegion: values.policyRegion!,
    counterNo: window,
    timeZone: values.timeZone!,
    upstreamUrl: values.upstream!,
    upstreamKey: values.key!,
    receiptPrinter: values.receiptPrinter ?? '',
    receiptLayout: layout,
    reader: values.reader ?? '',
    printer: resolvePrinter(values.printer ?? '', say),
    paperWidth: opts.paperWidth === 58 ? 58 : 80,
    backupDir: path.resolve(values.backupDir!),
    supervisor: account(values.supervisor!, values.supervisorName!, passwords[0]),
    it: account(values.it!, values.itName!, passwords[1]),
    firstBlockSize: opts.firstBlock,
  };
}

export async function runSetup(opts: SetupOptions): Promise<number> {
  const layout = dataDirLayout(path.resolve(opts.dataDir));
  const say = (s: string) => process.stderr.write(`${s}\n`);
  // Refuse early, before asking anything, when the directory already holds a finished counter.
  const resuming = unfinishedSetup(layout);
  if (!resuming && holdsCounter(layout)) {
    throw new CliError(`数据目录 ${layout.dir} 中已经有柜台。setup 只在空目录中建立新柜台，不会覆盖已有数据；请换一个目录（--data-dir）。`, 2);
  }
  const lock = lockDataDir(layout.dir, 'setup');
  const progress = progressReporter(process.stderr);
  try {
    const input = resuming ? null : await collect(opts);
    if (resuming) say('发现未完成的安装：继续首次同步与申领票证。');
    const log = createLogger(layout.logDir);
    const result = await commissionCounter(layout.dir, input, { log, say, onProgress: progress.update, pageSize: opts.pageSize });
    progress.done();
    const out = process.stdout;
    out.write(`柜台已建立：${layout.dir}\n`);
    out.write(`  安装标识：${result.installationId}\n`);
    out.write(`  上游站点：${result.station}\n`);
    out.write(`  首次同步：参保人 ${result.sync.pulledPayers} 条，缴费记录 ${result.sync.pulledPayments} 条\n`);
    if (result.firstBlock) {
      out.write(`  首个票证号码段（${result.firstBlock.operatorUsername}）：${result.firstBlock.first} – ${result.firstBlock.last}\n`);
    }
    out.write(
      `下一步：pension-counter operator add --data-dir "${layout.dir}" … 添加柜员；pension-counter doctor --data-dir "${layout.dir}" 检查；然后启动程序。\n`,
    );
    return 0;
  } catch (error) {
    progress.done();
    if (error instanceof SetupError) throw new CliError(error.message, error.exitCode);
    throw error;
  } finally {
    lock.release();
  }
}

export function registerSetupCommands(program: Command): void {
  const cmd = program
    .command('setup')
    .description('建立正式柜台（在空数据目录中）：交互式提问，或全部用参数给出；密码从终端或标准输入读取（第一行值班主任，第二行系统管理员）')
    .option('--data-dir <dir>', '数据目录（须为空）', defaultDataDir());
  for (const q of questions) {
    if (q.key === 'window') cmd.option('--window <n>', q.prompt, (v) => parseIntOption(v, '--window', 1, 99));
    else cmd.option(`${q.flag} <value>`, q.prompt);
  }
  cmd
    .option('--paper-width <mm>', '小票纸宽 58 / 80', (v) => parseIntOption(v, '--paper-width', 58, 80), 80)
    .option('--first-block <n>', '首个票证号码段的张数（值班主任）', (v) => parseIntOption(v, '--first-block', 1, 5000), 100)
    .option('--page-size <n>', '首次同步每页条数', (v) => parseIntOption(v, '--page-size', 1, 1000))
    .action(async (opts: SetupOptions) => {
      process.exitCode = await runSetup(opts);
    });
}
