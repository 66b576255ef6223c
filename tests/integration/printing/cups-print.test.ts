// The page print path against a real CUPS (issue 22): a private cupsd with a cups-pdf queue, the
// app configured on the IT screen to print to it, receipts and the A4 day summary printed through
// the API as the counter does, and what CUPS wrote compared with the app's own PDF: page size and
// orientation as configured, and no scaling (the two rasters' ink in the same places; cups-pdf
// turns text into outlines, so only pixels can be compared). A stopped queue (cupsdisable) and a
// queue refusing jobs (cupsreject) give 打印失败 with the reason, and the receipt stays issued and
// unconfirmed; the stopped job is taken out of the queue so it never prints later. The CLI's
// `printers list / frame` runs against the same queue.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerPrintersCommands } from '../../../electron/cli/commands/printers';
import { CliError } from '../../../electron/cli/errors';
import { createAppServices, type AppServices } from '../../../electron/services/app';
import { fixedStartClock } from '../../../electron/platform/clock';
import { openDatabase } from '../../../electron/platform/db/database';
import type { SpoolJobView } from '../../../shared/api/views';
import { repoRoot, tempDir } from '../../helpers/serve';
import { START, unpaidPayers } from '../sync/helpers';
import { cupsOutput, inkMatch, pageSize, rasterize, rotateClockwise, shifted, testCups, type Cups } from './cups';

const cups = testCups();
const skip = 'skip' in cups ? cups.skip : null;
if (skip && process.env.CI) throw new Error(`CI must run the CUPS print tests: ${skip}`);
if (skip) console.warn(`CUPS print tests skipped: ${skip}`);

const artifacts = path.join(repoRoot, 'tests', 'artifacts', 'printing');
const DPI = 50;

describe.skipIf(skip !== null)('printing through CUPS (cups-pdf queue)', () => {
  const c = cups as Cups;
  const dir = tempDir('cups-print');
  let services: AppServices;
  let payerIds: number[] = [];

  const call = async <T = unknown>(method: string, input: unknown = {}): Promise<T> => {
    const r = await services.dispatch(method, input, { transport: 'ipc' });
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  const refused = async (method: string, input: unknown) => {
    const r = await services.dispatch(method, input, { transport: 'ipc' });
    if (r.ok) throw new Error(`${method} was accepted`);
    return r.error;
  };
  const signInAs = async (username: string, password: string) => {
    await services.dispatch('session.signOut', {}, { transport: 'ipc' });
    await call('session.signIn', { username, password, counterNo: 3 });
  };
  /** The spooler's job id of a spool job (the cups-pdf file name carries it). */
  const cupsJobId = (spoolId: number) => {
    const db = openDatabase(path.join(dir, 'counter.sqlite'), { readonly: true });
    try {
      return (db.prepare('SELECT job_id FROM spool_jobs WHERE id = ?').get(spoolId) as { job_id: string }).job_id;
    } finally {
      db.close();
    }
  };
  const settle = async (job: SpoolJobView): Promise<SpoolJobView> => {
    for (let i = 0; i < 60 && job.state === 'sent'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      job = await call<SpoolJobView>('printing.job', { id: job.id });
    }
    return job;
  };
  const newReceipt = async (): Promise<string> => {
    const payerId = payerIds.shift()!;
    const rec = await call<{ transactionId: number }>('payment.record', {
      transactionUid: crypto.randomUUID(),
      payerId,
      lines: [{ year: 2026, tierFen: 30_000 }],
      method: 'bank_card',
      tenderedFen: null,
      posRef: '202606150001',
    });
    const issued = await call<{ receipts: { number: string }[] }>('receipt.issue', { transactionId: rec.transactionId });
    return issued.receipts[0]!.number;
  };
  const savePdf = (name: string, base64: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, Buffer.from(base64, 'base64'));
    return file;
  };
  const keep = (name: string, file: string) => {
    fs.mkdirSync(artifacts, { recursive: true });
    fs.copyFileSync(file, path.join(artifacts, name));
  };

  beforeAll(async () => {
    services = createAppServices({ dataDir: dir, clock: fixedStartClock(START), demoPayers: 200, spool: { pollMs: 200, waitMs: 20_000 } });
    await services.ready;
    const db = openDatabase(path.join(dir, 'counter.sqlite'), { readonly: true });
    payerIds = unpaidPayers(db, 2026, 6).map((idNumber) => (db.prepare('SELECT id FROM payers WHERE id_number = ?').get(idNumber) as { id: number }).id);
    db.close();
    // The IT screen: the system's printers are listed; the test queue is chosen for receipts.
    await call('session.signIn', { username: 'admin', password: '0000', counterNo: 3 });
  }, 120_000);
  afterAll(async () => {
    await services?.close();
    c.stop();
  });

  it('the IT screen lists the CUPS queue and prints the calibration frame through it', async () => {
    const view = await call<{ spooler: string; printers: { name: string; acceptingJobs: boolean }[] }>('printing.configure', {
      receiptPrinter: c.queue,
      receiptLayout: 'a4',
    });
    expect(view.spooler).toBe('cups');
    expect(view.printers.map((p) => p.name)).toContain(c.queue);
    const frame = await settle(await call<SpoolJobView>('printing.calibrationFrame'));
    expect(frame).toMatchObject({ state: 'completed', label: '打印完成', document: 'calibration' });
    const out = cupsOutput(c.out, cupsJobId(frame.id));
    expect(out).not.toBeNull();
    // The frame is A4 landscape on portrait-fed A4: CUPS turned it onto the portrait page, at 100 %.
    expect(pageSize(out!)).toMatchObject({ w: expect.closeTo(595, 0) as number, h: expect.closeTo(842, 0) as number });
  }, 60_000);

  it('a receipt on A4 (landscape form, portrait-fed paper) comes out turned, unscaled, and completes', async () => {
    await signInAs('clerk', '1234');
    const number = await newReceipt();
    const printed = await call<{ spool: SpoolJobView; receipt: { printState: string } }>('receipt.print', { number });
    const job = await settle(printed.spool);
    expect(job).toMatchObject({ state: 'completed', label: '打印完成', reason: null });
    expect(await call<SpoolJobView>('receipt.printStatus', { number })).toMatchObject({ id: job.id, state: 'completed' });

    const out = cupsOutput(c.out, cupsJobId(job.id))!;
    expect(out).not.toBeNull();
    const app = savePdf('receipt-a4.pdf', (await call<{ base64: string }>('receipt.pdf', { number, layout: 'a4' })).base64);
    keep('receipt-a4-app.pdf', app);
    keep('receipt-a4-cups.pdf', out);
    // Portrait A4 from CUPS (the printer's paper), landscape A4 from the app.
    expect(pageSize(out)).toMatchObject({ w: expect.closeTo(595, 0) as number, h: expect.closeTo(842, 0) as number });
    expect(pageSize(app)).toMatchObject({ w: expect.closeTo(841.9, 0) as number, h: expect.closeTo(595.3, 0) as number });
    const mine = rasterize(app, DPI);
    const theirs = rotateClockwise(rasterize(out, DPI));
    expect(theirs.width).toBeCloseTo(mine.width, -1);
    const m = inkMatch(mine, theirs);
    expect(m.inkA).toBeGreaterThan(2000);
    expect(m.aInB).toBeGreaterThan(0.97);
    expect(m.bInA).toBeGreaterThan(0.97);
    // The comparison does see a misplaced print: the same output 2 mm (4 px) off matches far less.
    expect(inkMatch(mine, shifted(theirs, 4, 4)).aInB).toBeLessThan(0.8);
    // Only now may the clerk confirm "printed correctly".
    expect(await call<{ printState: string }>('receipt.confirmPrinted', { number })).toMatchObject({ printState: 'confirmed' });
  }, 60_000);

  it('a receipt on the pre-printed form size (overlay) keeps its page size and orientation, unscaled', async () => {
    await signInAs('admin', '0000');
    await call('printing.configure', { receiptPrinter: c.queue, receiptLayout: 'overlay' });
    await signInAs('clerk', '1234');
    const number = await newReceipt();
    const job = await settle((await call<{ spool: SpoolJobView }>('receipt.print', { number })).spool);
    expect(job.state).toBe('completed');
    const out = cupsOutput(c.out, cupsJobId(job.id))!;
    const app = savePdf('receipt-overlay.pdf', (await call<{ base64: string }>('receipt.pdf', { number, layout: 'overlay' })).base64);
    keep('receipt-overlay-cups.pdf', out);
    // 241 × 140 mm = 683.1 × 396.9 pt, landscape in both.
    expect(Math.abs(pageSize(out).w - 683.15)).toBeLessThan(1);
    expect(Math.abs(pageSize(out).h - 396.85)).toBeLessThan(1);
    const m = inkMatch(rasterize(app, DPI), rasterize(out, DPI));
    expect(m.inkA).toBeGreaterThan(500);
    expect(m.aInB).toBeGreaterThan(0.97);
    expect(m.bInA).toBeGreaterThan(0.97);
    await signInAs('admin', '0000');
    await call('printing.configure', { receiptPrinter: c.queue, receiptLayout: 'a4' });
  }, 60_000);

  it('the A4 day summary prints portrait A4 on A4, as the app drew it', async () => {
    await signInAs('clerk', '1234');
    await newReceipt();
    // Receipts of the earlier tests were printed but not confirmed: the supervisor approves closing with them.
    const close = await call<{ no: number }>('dayclose.close', { cashCountedFen: 0, approval: { username: 'super', password: '5678' } });
    const job = await settle(await call<SpoolJobView>('dayclose.printA4', { no: close.no }));
    expect(job).toMatchObject({ state: 'completed', document: 'day_summary' });
    const out = cupsOutput(c.out, cupsJobId(job.id))!;
    const app = savePdf('day.pdf', (await call<{ base64: string }>('dayclose.pdf', { no: close.no })).base64);
    keep('day-summary-cups.pdf', out);
    expect(pageSize(out)).toMatchObject({ w: expect.closeTo(595, 0) as number, h: expect.closeTo(842, 0) as number });
    const m = inkMatch(rasterize(app, DPI), rasterize(out, DPI));
    expect(m.inkA).toBeGreaterThan(2000);
    // The summary carries its print time: allow for a minute turning over between the two.
    expect(m.aInB).toBeGreaterThan(0.95);
    expect(m.bInA).toBeGreaterThan(0.95);
  }, 60_000);

  it('a stopped queue (cupsdisable) gives 打印失败 with the reason; the receipt stays issued and unconfirmed; the job never prints', async () => {
    // The clerk's day is closed: the supervisor, whose day is open, takes this payment.
    await signInAs('super', '5678');
    const number = await newReceipt();
    c.admin('cupsdisable', '-r', '卡纸待处理');
    try {
      const printed = await call<{ spool: SpoolJobView }>('receipt.print', { number: number });
      const job = await settle(printed.spool);
      expect(job.state).toBe('failed');
      expect(job.label).toBe('打印失败');
      expect(job.reason).toContain('打印机已暂停');
      expect(job.reason).toContain('卡纸待处理');
      const err = await refused('receipt.confirmPrinted', { number: number });
      expect(err.message).toContain('打印失败');
      const db = openDatabase(path.join(dir, 'counter.sqlite'), { readonly: true });
      const row = db.prepare('SELECT state, print_state FROM receipts WHERE number = ?').get(number) as { state: string; print_state: string };
      db.close();
      expect(row).toEqual({ state: 'issued', print_state: 'pending' });
      const jobId = cupsJobId(job.id);
      c.admin('cupsenable');
      await new Promise((r) => setTimeout(r, 3000));
      // Taken out of the queue: re-enabling the printer does not print it on whatever is loaded.
      expect(cupsOutput(c.out, jobId)).toBeNull();
    } finally {
      c.admin('cupsenable');
    }
  }, 60_000);

  it('a queue that rejects jobs (cupsreject) gives 打印失败 at once with the reason', async () => {
    const number = await newReceipt();
    c.admin('cupsreject', '-r', '维护中');
    try {
      const printed = await call<{ spool: SpoolJobView }>('receipt.print', { number });
      expect(printed.spool).toMatchObject({ state: 'failed', label: '打印失败' });
      expect(printed.spool.reason).toContain('拒收');
      expect((await refused('receipt.confirmPrinted', { number })).message).toContain('打印失败');
      // A reprint once the queue accepts again completes, and then the clerk may confirm.
      c.admin('cupsaccept');
      const again = await settle((await call<{ spool: SpoolJobView }>('receipt.print', { number })).spool);
      expect(again.state).toBe('completed');
      expect(await call<{ printState: string; printCount: number }>('receipt.confirmPrinted', { number })).toMatchObject({
        printState: 'confirmed',
        printCount: 2,
      });
    } finally {
      c.admin('cupsaccept');
    }
  }, 60_000);

  // The CLI (same queue, so in this file: test files run in parallel and these stop the queue).
  let out = '';
  const cli = async (...args: string[]) => {
    out = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
    try {
      const program = new Command('pension-counter').exitOverride();
      registerPrintersCommands(program);
      await program.parseAsync(['node', 'pension-counter', 'printers', ...args, '--data-dir', dir]);
    } finally {
      write.mockRestore();
    }
    return out;
  };

  it('CLI: printers list shows the CUPS queue', async () => {
    expect(await cli('list')).toContain(c.queue);
  });

  it('CLI: printers frame prints on the form size and waits for 打印完成', async () => {
    const before = new Set(fs.readdirSync(c.out));
    const text = await cli('frame', '--printer', c.queue, '--layout', 'overlay');
    expect(text).toContain('已送打印');
    expect(text).toContain('打印完成');
    const made = fs.readdirSync(c.out).filter((f) => !before.has(f));
    expect(made).toHaveLength(1);
    const size = pageSize(path.join(c.out, made[0]!));
    expect(Math.abs(size.w - 683.15)).toBeLessThan(1);
    expect(Math.abs(size.h - 396.85)).toBeLessThan(1);
  }, 60_000);

  it('CLI: printers frame on a stopped queue fails with the queue’s reason', async () => {
    c.admin('cupsdisable', '-r', '更换色带');
    try {
      const error = await cli('frame', '--printer', c.queue).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CliError);
      expect((error as Error).message).toContain('打印失败');
      expect((error as Error).message).toContain('更换色带');
    } finally {
      c.admin('cupsenable');
    }
  }, 60_000);
});
