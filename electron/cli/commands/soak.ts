// `pension-counter soak`: a hidden test command. Runs the app's services on a data directory and
// performs N random counter operations through the same dispatcher the hosts use, one output line
// per completed call, so that a test can kill the process (SIGKILL) at any point and check what
// survived. Not for operators: it writes real ledger rows into whatever data directory it is given.
import { mulberry32 } from '../../services/demo/rng';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Command } from 'commander';
import type { Envelope } from '../../../shared/api/errors';
import type { PayerView, ReceiptView } from '../../../shared/api/views';
import { createAppServices, type AppServices } from '../../services/app';
import { fixedStartClock } from '../../platform/clock';
import { dataDirLayout } from '../../platform/config';
import { CliError } from '../errors';
import { parseClock, parseIntOption } from '../options';

export interface SoakOptions {
  dataDir: string;
  ops: number;
  seed: number;
  clock?: Date;
  upstream?: string;
  key?: string;
}

/** Seeded, so a run can be repeated: it chooses the operations. */
const rng = mulberry32;

const APPROVAL = { username: 'super', password: '5678' };

export async function runSoak(opts: SoakOptions, out: NodeJS.WritableStream = process.stdout): Promise<{ ok: number; refused: number }> {
  const layout = dataDirLayout(path.resolve(opts.dataDir));
  if (!fs.existsSync(layout.configFile) || !fs.existsSync(layout.databaseFile)) {
    throw new CliError(`数据目录中没有配置或数据库：${layout.dir}（请先运行 demo-data）`);
  }
  if (opts.upstream) {
    if (!opts.key) throw new CliError('--upstream 需要同时给出 --key');
    const config = JSON.parse(fs.readFileSync(layout.configFile, 'utf8')) as Record<string, unknown>;
    const upstream = { url: opts.upstream, key: opts.key };
    if (JSON.stringify(config.upstream) !== JSON.stringify(upstream)) {
      // Written to a temporary file and renamed: a kill here never leaves a half config.
      const tmp = `${layout.configFile}.soak`;
      fs.writeFileSync(tmp, JSON.stringify({ ...config, upstream }, null, 2), { mode: 0o600 });
      fs.renameSync(tmp, layout.configFile);
    }
  }
  const services: AppServices = createAppServices({ dataDir: layout.dir, clock: opts.clock ? fixedStartClock(opts.clock) : undefined });
  // A read-only side connection to pick targets (payers, unreceipted transactions, bank payments).
  let reader: Database.Database | null = null;
  let n = 0;
  const tally = { ok: 0, refused: 0 };
  try {
    await services.ready;
    reader = new Database(layout.databaseFile, { readonly: true, fileMustExist: true });
    const random = rng(opts.seed);
    const pick = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(random() * xs.length)];

    const call = async <T>(method: string, input: unknown): Promise<Envelope<T>> => {
      const r = (await services.dispatch(method, input, { transport: 'direct' })) as Envelope<T>;
      n += 1;
      if (r.ok) tally.ok += 1;
      else tally.refused += 1;
      out.write(`op ${n} ${method} ${r.ok ? 'ok' : `refused ${r.error.code}`}\n`);
      return r;
    };
    const all = <T>(sql: string, ...params: unknown[]) => reader!.prepare(sql).all(...params) as T[];

    const signedIn = await call('session.signIn', { username: 'clerk', password: '1234', counterNo: 1 });
    if (!signedIn.ok) throw new CliError(`登录失败：${signedIn.error.message}`);

    const payment = async () => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const [row] = all<{ id: number }>("SELECT id FROM payers WHERE status = 'active' ORDER BY random() LIMIT 1");
        if (!row) return;
        const got = await call<PayerView>('payer.get', { payerId: row.id });
        if (!got.ok || !got.value.assessment) continue;
        const years = got.value.assessment.years.filter((y) => y.payable && y.tiers.some((t) => !t.reserved));
        if (years.length === 0) continue;
        // Usually the current year alone; sometimes back years too.
        const chosen = random() < 0.8 ? years.slice(0, 1) : years.slice(0, 1 + Math.floor(random() * Math.min(3, years.length)));
        const lines = chosen.map((y) => ({ year: y.year, tierFen: pick(y.tiers.filter((t) => !t.reserved))!.tierFen }));
        const method = pick(['cash', 'bank_card', 'qr'] as const)!;
        // A bank card payment carries the POS slip's reference number (参考号).
        const posRef = method === 'bank_card' ? { posRef: String(100_000_000_000 + n) } : {};
        const input = { transactionUid: crypto.randomUUID(), payerId: row.id, lines, method, tenderedFen: null, ...posRef };
        const recorded = await call('payment.record', input);
        // A retried call (double Enter, a lost answer) must find the same transaction.
        if (recorded.ok && random() < 0.2) await call('payment.record', input);
        return;
      }
    };
    const receipt = async () => {
      const [tx] = all<{ id: number }>(
        'SELECT t.id FROM counter_transactions t WHERE NOT EXISTS (SELECT 1 FROM receipts r WHERE r.transaction_id = t.id) ORDER BY random() LIMIT 1',
      );
      if (!tx) return;
      const issued = await call<{ receipts: ReceiptView[] }>('receipt.issue', { transactionId: tx.id });
      if (!issued.ok) return;
      for (const r of issued.value.receipts) {
        const printed = await call('receipt.print', { number: r.number });
        if (printed.ok && random() < 0.9) await call('receipt.confirmPrinted', { number: r.number });
      }
    };
    const voidAndReissue = async () => {
      const [r] = all<{ number: string }>("SELECT number FROM receipts WHERE state = 'issued' AND kind <> 'reissue' ORDER BY random() LIMIT 1");
      if (!r) return;
      const next = await call<ReceiptView>('receipt.voidAndReissue', { number: r.number, reason: '打印错位，作废重开', approval: APPROVAL });
      if (next.ok) await call('receipt.print', { number: next.value.number });
    };
    const exchange = async () => {
      const [p] = all<{ channel_ref: string }>(
        `SELECT p.channel_ref FROM payments p WHERE p.channel IN ('bank_pos', 'bank_counter', 'mobile_app') AND p.channel_ref IS NOT NULL
           AND length(p.channel_ref) >= 4 AND NOT EXISTS (SELECT 1 FROM exchanges e WHERE e.payment_id = p.id) ORDER BY random() LIMIT 1`,
      );
      if (!p) return;
      const found = await call<{ paymentId: number; payerId: number; status: string }[]>('exchange.find', { channelRef: p.channel_ref });
      if (!found.ok) return;
      const open = found.value.filter((c) => c.status === 'exchangeable');
      const first = open[0];
      if (!first) return;
      const ids = open
        .filter((c) => c.payerId === first.payerId)
        .slice(0, 5)
        .map((c) => c.paymentId);
      const issued = await call<{ receipts: ReceiptView[] }>('exchange.issue', { paymentIds: ids });
      if (issued.ok && random() < 0.5) {
        // Asking again for the same payments must not exchange them twice.
        await call('exchange.issue', { paymentIds: ids });
      }
    };
    const dayClose = async () => {
      await call('dayclose.close', { cashCountedFen: Math.floor(random() * 100) * 100 });
    };

    for (let i = 0; i < opts.ops; i++) {
      const x = random();
      if (x < 0.45) await payment();
      else if (x < 0.7) await receipt();
      else if (x < 0.8) await voidAndReissue();
      else if (x < 0.995) await exchange();
      else await dayClose();
    }
    out.write(`soak done ok=${tally.ok} refused=${tally.refused}\n`);
    return tally;
  } finally {
    reader?.close();
    await services.close();
  }
}

export function registerSoakCommands(program: Command): void {
  program
    .command('soak', { hidden: true })
    .description('（测试用）在数据目录上执行随机柜台业务，每完成一次调用输出一行')
    .requiredOption('--data-dir <dir>', '数据目录（培训数据）')
    .option('--ops <n>', '操作次数', (v) => parseIntOption(v, '--ops', 0, 10_000_000), 100)
    .option('--seed <s>', '随机种子', (v) => parseIntOption(v, '--seed', 0, 2 ** 32 - 1), 1)
    .option('--clock <iso>', '以指定时刻为“现在”', parseClock)
    .option('--upstream <url>', '上游系统地址（写入 config.json，后台同步）')
    .option('--key <key>', '柜台密钥')
    .action(async (opts: SoakOptions) => {
      await runSoak(opts);
    });
}
