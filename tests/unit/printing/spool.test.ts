// Page print jobs as recorded and followed (electron/printing/spool.ts) with a scripted spooler:
// what the spooler answers becomes 已送打印 / 打印完成 / 打印失败, and every way a job can go
// missing ends as 打印失败, never as printed. Also the IPP attributes sent to CUPS for each paper.
import { describe, expect, it } from 'vitest';
import { cupsJobAttributes } from '../../../electron/printing/cups';
import { PageSpool } from '../../../electron/printing/spool';
import { A4, SpoolError, type PrintRequest, type SpoolStatus, type Spooler } from '../../../electron/printing/types';
import { migrate, openDatabase } from '../../../electron/platform/db/database';
import type { Clock } from '../../../electron/platform/clock';
import { quietLog } from '../../integration/sync/helpers';
import { tempDir } from '../../helpers/serve';
import path from 'node:path';

const request: PrintRequest = { pdf: Buffer.from('%PDF'), title: 't', page: { widthMm: 297, heightMm: 210 }, paper: A4 };

class ScriptedSpooler implements Spooler {
  readonly kind = 'cups' as const;
  answers: SpoolStatus[] = [];
  canceled: string[] = [];
  refuse: SpoolError | null = null;
  next = 1;
  async printers() {
    return [];
  }
  async submit() {
    if (this.refuse) throw this.refuse;
    return String(this.next++);
  }
  async status(): Promise<SpoolStatus> {
    return this.answers.shift() ?? { outcome: 'queued', spoolerState: 'processing', reason: null };
  }
  async cancel(_printer: string, jobId: string) {
    this.canceled.push(jobId);
  }
}

function setup(clock: Clock = { now: () => new Date() }) {
  const db = openDatabase(path.join(tempDir('spool'), 'c.sqlite'), { create: true });
  migrate(db);
  const spooler = new ScriptedSpooler();
  const spool = new PageSpool(db, spooler, clock, quietLog(), { pollMs: 10, waitMs: 200, timeoutMs: 60_000 });
  return { db, spooler, spool };
}

describe('page print jobs', () => {
  it('sent → completed: the label follows the spooler', async () => {
    const { spooler, spool } = setup();
    spooler.answers = [
      { outcome: 'queued', spoolerState: 'processing', reason: null },
      { outcome: 'completed', spoolerState: 'completed', reason: null },
    ];
    const job = await spool.print('receipt', 'R1', 'q', request, 1);
    expect(job).toMatchObject({ state: 'completed', label: '打印完成', reason: null });
    expect(spool.latest('receipt', 'R1')?.id).toBe(job.id);
    await spool.stop();
  });

  it('a refused job fails at once with the reason; nothing is canceled since nothing was queued', async () => {
    const { spooler, spool } = setup();
    spooler.refuse = new SpoolError('打印机拒收新任务（打印服务：维护中）', 'client-error-not-accepting-jobs');
    const job = await spool.print('receipt', 'R2', 'q', request, 1);
    expect(job).toMatchObject({ state: 'failed', label: '打印失败', reason: '打印机拒收新任务（打印服务：维护中）' });
    expect(spooler.canceled).toEqual([]);
    await spool.stop();
  });

  it('a failed job is taken out of the queue', async () => {
    const { spooler, spool } = setup();
    spooler.answers = [{ outcome: 'failed', spoolerState: 'pending-printer-stopped', reason: '打印机已暂停（停用），任务未打印' }];
    const job = await spool.print('day_summary', '1', 'q', request);
    expect(job.state).toBe('failed');
    expect(spooler.canceled).toEqual(['1']);
    await spool.stop();
  });

  it('a job still queued after the time limit is canceled and failed (never counted as printed)', async () => {
    let now = Date.parse('2026-06-15T01:00:00Z');
    const { spooler, spool } = setup({ now: () => new Date(now) });
    const job = await spool.print('receipt', 'R3', 'q', request, 1);
    expect(job.state).toBe('sent');
    now += 61_000;
    await spool.pollOnce();
    expect(spool.job(job.id)).toMatchObject({ state: 'failed', reason: expect.stringContaining('已取消') as string });
    expect(spooler.canceled).toEqual([String(job.id)]);
    await spool.stop();
  });

  it('after a restart, a job recorded but never handed over is failed as lost; open ones are followed again', async () => {
    const { db, spooler, spool } = setup();
    db.prepare("INSERT INTO spool_jobs (document, ref, spooler, printer, state, submitted_at) VALUES ('receipt', 'R4', 'cups', 'q', 'sent', ?)").run(
      new Date().toISOString(),
    );
    db.prepare(
      "INSERT INTO spool_jobs (document, ref, spooler, printer, job_id, state, submitted_at) VALUES ('receipt', 'R5', 'cups', 'q', '9', 'sent', ?)",
    ).run(new Date().toISOString());
    spooler.answers = [{ outcome: 'completed', spoolerState: 'completed', reason: null }];
    spool.resume();
    expect(spool.latest('receipt', 'R4')).toMatchObject({ state: 'failed', reason: expect.stringContaining('找不到该任务') as string });
    await new Promise((r) => setTimeout(r, 100));
    expect(spool.latest('receipt', 'R5')).toMatchObject({ state: 'completed' });
    await spool.stop();
  });
});

describe('what CUPS is asked for', () => {
  it('landscape A4 on portrait-fed A4: A4 media, turned, no scaling', () => {
    expect(cupsJobAttributes(request)).toEqual({
      'media-col': { 'media-size': { 'x-dimension': 21000, 'y-dimension': 29700 } },
      'print-scaling': 'none',
      'orientation-requested': 'landscape',
      copies: 1,
    });
  });

  it('the pre-printed form on its own size: that media, not turned; the A4 summary portrait', () => {
    const form = { widthMm: 241, heightMm: 140 };
    expect(cupsJobAttributes({ ...request, page: form, paper: form })).toMatchObject({
      'media-col': { 'media-size': { 'x-dimension': 24100, 'y-dimension': 14000 } },
      'orientation-requested': 'portrait',
    });
    expect(cupsJobAttributes({ ...request, page: A4, paper: A4 })['orientation-requested']).toBe('portrait');
  });

  it('refuses a page larger than the paper rather than letting CUPS shrink it', () => {
    expect(() => cupsJobAttributes({ ...request, paper: { widthMm: 241, heightMm: 140 } })).toThrow(/放不下/);
  });
});
