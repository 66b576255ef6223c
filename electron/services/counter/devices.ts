import fs from 'node:fs';
import path from 'node:path';
import type { EventPayload } from '../../../shared/api/events';
import { AppError } from '../../../shared/api/errors';
import type { PaymentMethod, PrintJobView } from '../../../shared/api/views';
import { paymentMethodLabels } from '../../../shared/api/views';
import type { IdCard } from '../../../shared/domain/id-card';
import { maskIdNumber } from '../../../shared/domain/id-number';
import { hallDate } from '../../../shared/domain/time';
import { deviceWords } from '../../../shared/vocab';
import { CardReaderLoop, type ReaderLoopEvent } from '../../devices/idcard/reader-loop';
import { openReaderPort } from '../../devices/idcard/detect';
import { closeSerial, type SerialSettings } from '../../devices/serial';
import type { PrinterFont, PrinterType } from '../../devices/printer/escpos';
import { daySummary, paymentSlip, testPage, type DaySummaryData, type SlipOptions } from '../../devices/printer/slips';
import { openPrinter, printJob, type PrinterTransport } from '../../devices/printer/transport';
import type { PrinterState, PrinterStatus } from '../../devices/printer/status';
import type { DecodedSlip } from '../../devices/printer/decoder';
import type { PrinterSimulator } from '../../devices/sim/printer-sim';
import type { ReaderSimulator } from '../../devices/sim/reader-sim';
import { fakePhoto } from '../../devices/sim/cards';
import { simulatedPrinter, simulatedReader } from '../../devices/sim/training';
import type { PaperWidth } from '../../devices/printer/layout';
import type { Db } from '../../platform/db/database';
import type { EventBus } from '../../platform/events';
import type { Logger } from '../../platform/log';
import { appendAudit } from '../trust/audit';

export interface DevicesConfig {
  /** Serial path of the ID-card reader, 'auto' to find it, or 'simulated'. */
  reader: string;
  /** 'simulated', a serial path, /dev/usb/lpN, or host:9100. */
  printer: string;
  paperWidth: PaperWidth;
  /** Serial lines (config.devices.readerSerial / printerSerial); defaults 115200 and 9600. */
  readerSerial?: SerialSettings;
  printerSerial?: SerialSettings;
  /** The slip printer's command set and font (config devices.printerType / printerFont). */
  printerType?: PrinterType;
  printerFont?: PrinterFont;
}

export interface SlipContext {
  hallName: string;
  timeZone: string;
  training: boolean;
}

type PrinterUiState = EventPayload<'printer.status'>['state'];

/** Tuning of the printer watch (tests shorten it). */
export interface DeviceTimings {
  /** How often the printer is looked at while absent, broken or in a fault (ms). */
  watchMs?: number;
  /** Wait before the n-th reopen after n failed ones (ms). */
  backoffMs?: (failures: number) => number;
}

/** 1 s, 2 s, 4 s … up to 30 s between attempts to open a printer that is not there. */
export const defaultBackoffMs = (failures: number): number => Math.min(30_000, 1000 * 2 ** Math.max(0, failures - 1));

/** The 流水号 on a payment slip: the hall's date of the payment, then the transaction id. */
export function slipSerial(createdAt: string, transactionId: number, timeZone: string): string {
  return `${hallDate(createdAt, timeZone).replaceAll('-', '')}-${String(transactionId).padStart(6, '0')}`;
}

const FAULTS: ReadonlySet<PrinterUiState> = new Set(['offline', 'cover_open', 'paper_out']);

function uiState(state: PrinterState | 'printing' | 'not_configured' | 'absent'): PrinterUiState {
  // The driver's 'error' (cutter, mechanism) and 'unknown' (a link that cannot answer) read as
  // offline at the counter: either way the clerk must look at the printer.
  if (state === 'error' || state === 'unknown') return 'offline';
  return state;
}

type Actor = { operatorId: number; username: string; counterNo: number };

interface SlipRow {
  id: number;
  uid: string;
  counter_no: number;
  method: PaymentMethod;
  total_fen: number;
  tendered_fen: number | null;
  change_fen: number | null;
  created_at: string;
  payer_name: string;
  id_number: string;
  operator_name: string;
}

/**
 * The counter's reader and printer, real or simulated, and the persistent print queue. A print
 * job is committed with the payment it belongs to; printing happens afterwards and its failure
 * only changes the job's state, never the payment.
 */
export class DeviceService {
  private readerLoop: CardReaderLoop | null = null;
  private transport: PrinterTransport | null = null;
  readonly readerSim: ReaderSimulator | null = null;
  readonly printerSim: PrinterSimulator | null = null;
  private lastSlip: DecodedSlip | null = null;
  /** The reader loop has read a card that it has not yet seen taken away. */
  private cardPresent = false;
  private draining: Promise<void> = Promise.resolve();
  /** Failed attempts to open the configured printer since it was last open; the back-off grows with it. */
  private printerFailures = 0;
  private nextOpenAt = 0;
  private watchTimer: NodeJS.Timeout | null = null;
  private watchQueued = false;
  private stopped = false;
  private lastPrinter: EventPayload<'printer.status'> | null = null;
  private readonly timings: Required<DeviceTimings>;

  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly log: Logger,
    private readonly config: DevicesConfig,
    private readonly slip: SlipContext,
    private readonly onCard: (card: IdCard) => void,
    timings: DeviceTimings = {},
  ) {
    this.timings = { watchMs: timings.watchMs ?? 1000, backoffMs: timings.backoffMs ?? defaultBackoffMs };
    if (config.reader === 'simulated') {
      const { sim, connect } = simulatedReader();
      this.readerSim = sim;
      this.readerLoop = new CardReaderLoop({ connect, pollMs: 50 });
      // The simulator says when a card is put on it: the loop reads it at once, not at its next poll.
      sim.onPlace(() => this.readerLoop?.pollNow());
    } else if (config.reader) {
      const readerPath = config.reader === 'auto' ? undefined : config.reader;
      // 100 ms: a find-card exchange is ~20 bytes (2 ms at 115200 baud), and the clerk should not
      // wait for the next poll after placing the card.
      this.readerLoop = new CardReaderLoop({
        pollMs: 100,
        onConnectError: (err) => this.log.warn({ err, reader: config.reader }, 'reader not available'),
        connect: async () => {
          const { port, path: found } = await openReaderPort({
            path: readerPath,
            includeListed: readerPath === undefined,
            ...(config.readerSerial ? { serial: config.readerSerial } : {}),
          });
          return { port, path: found, close: () => closeSerial(port) };
        },
      });
    }
    if (config.printer === 'simulated') {
      const { sim, transport } = simulatedPrinter();
      sim.commandSet = config.printerType ?? 'epson';
      this.printerSim = sim;
      this.transport = transport;
      sim.on('slip', (decoded) => (this.lastSlip = decoded));
    }
  }

  async start(): Promise<void> {
    if (!this.readerLoop) this.events.emit('reader.status', { state: 'not_configured', port: null, message: '未配置读卡器' });
    if (this.readerLoop) {
      this.readerLoop.on('event', (e) => this.onReaderEvent(e));
      this.readerLoop.start();
    }
    // A job found 'sending' was cut off by a crash or a power cut after its first byte: it may
    // have printed. It is never sent again by itself; the clerk is asked.
    // Asked first and written only when there is one: a start that finds none writes nothing, so a
    // read-only database still opens (its first write answers STORAGE_UNAVAILABLE).
    const cut = this.db.prepare("SELECT id FROM print_jobs WHERE state = 'sending'").all() as { id: number }[];
    if (cut.length > 0) {
      try {
        this.db.prepare("UPDATE print_jobs SET state = 'uncertain', last_error = ? WHERE state = 'sending'").run(deviceWords.printIncomplete);
        for (const { id } of cut) this.log.warn({ jobId: id }, 'print job was sending when the app stopped: may have printed');
      } catch (error) {
        // Still 'sending', so never re-sent; the next start that can write marks them.
        this.log.error({ err: error, jobs: cut.map((c) => c.id) }, 'could not mark interrupted print jobs (storage)');
      }
    }
    if (!this.config.printer) {
      this.emitPrinter('not_configured', deviceWords.printerNotConfigured);
    } else {
      await this.checkPrinter(true);
    }
    this.kick();
    if (this.config.printer) {
      // The simulated printer too: a fault set from the training panel clears itself as well.
      this.watchTimer = setInterval(() => this.watch(), this.timings.watchMs);
      this.watchTimer.unref?.();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.watchTimer = null;
    await this.readerLoop?.stop();
    await this.draining;
    await this.transport?.close().catch(() => undefined);
  }

  /** The printer's last status as the counter shows it. */
  printerStatus(): EventPayload<'printer.status'> | null {
    return this.lastPrinter;
  }

  /**
   * The configured printer's link, opened when it is not (at start, after an unplug, when it was
   * absent): on demand for a job (`force`), and by the watch with a growing back-off.
   */
  private async ensurePrinter(force: boolean): Promise<PrinterTransport | null> {
    if (this.transport && !this.transport.broken && !this.printerPathGone()) return this.transport;
    if (this.transport) {
      const old = this.transport;
      this.transport = null;
      // Closing a port whose device is gone may never finish: do not wait on it for long.
      await Promise.race([old.close().catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
    }
    if (!this.config.printer || this.config.printer === 'simulated' || this.stopped) return null;
    if (!force && Date.now() < this.nextOpenAt) return null;
    try {
      this.transport = await openPrinter(this.config.printer, {
        ...(this.config.printerSerial ? { baudRate: this.config.printerSerial.baudRate } : {}),
        ...(this.config.printerSerial?.flowControl ? { flowControl: this.config.printerSerial.flowControl } : {}),
      });
      if (this.printerFailures > 0) this.log.info({ printer: this.config.printer }, 'printer is back');
      this.printerFailures = 0;
      return this.transport;
    } catch (error) {
      this.printerFailures++;
      this.nextOpenAt = Date.now() + this.timings.backoffMs(this.printerFailures);
      if (this.printerFailures === 1) this.log.warn({ err: error, printer: this.config.printer }, 'printer not available');
      return null;
    }
  }

  /** A device path (/dev/ttyUSB0, /dev/usb/lp0) that udev removed: the printer was unplugged. */
  private printerPathGone(): boolean {
    const target = this.config.printer;
    return path.isAbsolute(target) && !fs.existsSync(target);
  }

  /** The watch: runs between jobs, never during one. */
  private watch(): void {
    if (this.watchQueued || this.stopped) return;
    this.watchQueued = true;
    this.draining = this.draining
      .then(() => this.checkPrinter(false))
      .catch((error: unknown) => this.log.error({ err: error }, 'printer watch failed'))
      .finally(() => (this.watchQueued = false));
  }

  /**
   * Opens the printer when it is absent or broken, and asks its status while it is in a fault,
   * so that the counter's status clears itself when the paper is in again. A printer that comes
   * back (re)starts the queue's pending jobs; failed and uncertain ones wait for the clerk.
   */
  private async checkPrinter(atStart: boolean): Promise<void> {
    if (!this.config.printer || this.stopped) return;
    const wasOpen = this.transport !== null && !this.transport.broken && !this.printerPathGone();
    const t = await this.ensurePrinter(atStart);
    if (!t) {
      this.emitPrinter('absent', deviceWords.printerAbsent);
      return;
    }
    const last = this.lastPrinter?.state;
    if (!atStart && wasOpen && last !== undefined && !FAULTS.has(last) && last !== 'absent') return;
    const status = await t.queryStatus();
    if (t.broken) {
      this.emitPrinter('absent', deviceWords.printerAbsent);
      return;
    }
    this.emitStatus(status);
    if ((!wasOpen || (last !== undefined && FAULTS.has(last))) && (status === null || status.state === 'ready')) this.kick();
  }

  private emitStatus(status: PrinterStatus | null): void {
    if (status === null) this.emitPrinter('ready', deviceWords.printerReady);
    else if (status.state === 'ready')
      this.emitPrinter('ready', status.paperNearEnd ? deviceWords.printerNearEnd : deviceWords.printerReady, status.paperNearEnd);
    else this.emitPrinter(status.state, status.message);
  }

  private onReaderEvent(e: ReaderLoopEvent): void {
    if (e.type === 'card') this.cardPresent = true;
    if (e.type === 'removed') this.cardPresent = false;
    if (e.type === 'card') {
      this.log.info({ kind: e.card.kind, idNumber: e.card.idNumber }, 'card read');
      this.onCard(e.card);
    } else if (e.type === 'status') {
      this.events.emit('reader.status', { state: e.state, port: e.port, message: e.message });
    } else if (e.type === 'error') {
      this.log.warn({ code: e.code }, `card read failed: ${e.message}`);
      this.events.emit('card.error', { message: e.message });
    }
  }

  /**
   * Training mode: place a synthetic card on the simulated reader. A card already lying there is
   * taken off first and the reader given time to notice, as when a clerk swaps cards by hand;
   * otherwise the reader would see one long placement and not read the new card.
   */
  async placeCard(card: IdCard, seed: number): Promise<void> {
    const sim = this.readerSim;
    const loop = this.readerLoop;
    if (!sim || !loop) throw new AppError('NOT_TRAINING', '没有模拟读卡器');
    if (sim.placed || this.cardPresent) {
      const removed = new Promise<void>((resolve) => {
        const timer = setTimeout(done, 3000);
        function done() {
          clearTimeout(timer);
          loop!.off('event', onEvent);
          resolve();
        }
        const onEvent = (e: ReaderLoopEvent) => {
          if (e.type === 'removed') done();
        };
        loop.on('event', onEvent);
      });
      sim.remove();
      if (this.cardPresent) await removed;
    }
    sim.place({ card, photo: fakePhoto(seed) });
  }

  removeCard(): void {
    this.readerSim?.remove();
  }

  lastPrintedSlip(): DecodedSlip | null {
    return this.lastSlip;
  }

  private emitPrinter(state: PrinterState | 'printing' | 'not_configured' | 'absent', message: string, paperNearEnd = false): void {
    const next = { state: uiState(state), message, paperNearEnd };
    const last = this.lastPrinter;
    this.lastPrinter = next;
    // The watch looks every second: only changes go out.
    if (last && last.state === next.state && last.message === next.message && last.paperNearEnd === next.paperNearEnd && state !== 'printing') return;
    this.events.emit('printer.status', next);
  }

  /** Queues a reprint of a payment slip (marked 重打); the original job stays as it was. */
  reprint(jobId: number, createdAt: string, actor: Actor | null = null): PrintJobView {
    const job = this.db.prepare('SELECT * FROM print_jobs WHERE id = ?').get(jobId) as
      { id: number; kind: PrintJobView['kind']; ref_id: number | null; payload: string } | undefined;
    if (!job) throw new AppError('NOT_FOUND', '打印任务不存在');
    const id = this.db.transaction(() => {
      const created = Number(
        this.db
          .prepare("INSERT INTO print_jobs (kind, ref_id, payload, state, reprint_of, created_at) VALUES (?, ?, ?, 'pending', ?, ?)")
          .run(job.kind, job.ref_id, job.payload, job.id, createdAt).lastInsertRowid,
      );
      appendAudit(this.db, {
        action: 'print.reprint',
        entity: 'print_job',
        entityId: created,
        actor,
        after: { kind: job.kind, reprintOf: job.id, refId: job.ref_id },
        at: createdAt,
      });
      return created;
    })();
    this.kick();
    return this.jobView(id);
  }

  /** Queues a day summary slip; the close is immutable, so its slip data travels in the job. */
  printDaySummary(closeNo: number, data: DaySummaryData, createdAt: string): PrintJobView {
    const id = Number(
      this.db
        .prepare("INSERT INTO print_jobs (kind, ref_id, payload, state, created_at) VALUES ('day_summary', ?, ?, 'pending', ?)")
        .run(closeNo, JSON.stringify(data), createdAt).lastInsertRowid,
    );
    this.kick();
    return this.jobView(id);
  }

  /** Queues the printer's test page. */
  testPrint(createdAt: string): PrintJobView {
    const id = Number(
      this.db
        .prepare("INSERT INTO print_jobs (kind, ref_id, payload, state, created_at) VALUES ('test_page', NULL, ?, 'pending', ?)")
        .run(JSON.stringify({ at: createdAt }), createdAt).lastInsertRowid,
    );
    this.kick();
    return this.jobView(id);
  }

  /**
   * Puts a failed job back in the queue: nothing of it reached the printer. A job that may have
   * printed is never sent again as it was: retrying it queues a copy marked 重打.
   */
  retry(jobId: number, createdAt = new Date().toISOString(), actor: Actor | null = null): PrintJobView {
    const state = this.jobView(jobId).state;
    if (state === 'uncertain') return this.resolve(jobId, 'resend', createdAt, actor);
    this.db.prepare("UPDATE print_jobs SET state = 'pending' WHERE id = ? AND state = 'failed'").run(jobId);
    this.kick();
    return this.jobView(jobId);
  }

  /**
   * The clerk's answer for a job that may have printed: 'printed' settles it as printed;
   * 'resend' queues a copy marked 重打 with the print count (the returned job).
   */
  resolve(jobId: number, outcome: 'printed' | 'resend', at = new Date().toISOString(), actor: Actor | null = null): PrintJobView {
    const job = this.jobView(jobId);
    if (job.state !== 'uncertain') throw new AppError('PRINT_JOB_STATE');
    if (outcome === 'printed') {
      this.db
        .prepare("UPDATE print_jobs SET state = 'printed', resolution = 'confirmed', printed_at = ?, last_error = NULL WHERE id = ? AND state = 'uncertain'")
        .run(at, jobId);
      this.events.emit('print.job', this.jobView(jobId));
      return this.jobView(jobId);
    }
    const copy = this.db.transaction(() => {
      this.db.prepare("UPDATE print_jobs SET resolution = 'resent' WHERE id = ?").run(jobId);
      return this.reprint(jobId, at, actor);
    })();
    this.events.emit('print.job', this.jobView(jobId));
    return copy;
  }

  jobView(id: number): PrintJobView {
    const j = this.db.prepare('SELECT id, kind, state, last_error, resolution FROM print_jobs WHERE id = ?').get(id) as
      { id: number; kind: PrintJobView['kind']; state: PrintJobView['state']; last_error: string | null; resolution: string | null } | undefined;
    if (!j) throw new AppError('NOT_FOUND', '打印任务不存在');
    return { id: j.id, kind: j.kind, state: j.state, lastError: j.last_error, ...(j.resolution === 'resent' ? { resent: true } : {}) };
  }

  /** Jobs that may have printed and wait for the clerk's answer, oldest first. */
  uncertainJobs(): PrintJobView[] {
    const ids = this.db.prepare("SELECT id FROM print_jobs WHERE state = 'uncertain' AND resolution IS NULL ORDER BY id").all() as { id: number }[];
    return ids.map((r) => this.jobView(r.id));
  }

  /** Starts printing whatever is pending, one job at a time, in order. */
  kick(): void {
    this.draining = this.draining.then(() => this.drain()).catch((error: unknown) => this.log.error({ err: error }, 'print queue failed'));
  }

  private async drain(): Promise<void> {
    const next = this.db.prepare("SELECT id, kind, ref_id, reprint_of, payload FROM print_jobs WHERE state = 'pending' ORDER BY id LIMIT 1");
    for (;;) {
      const job = next.get() as { id: number; kind: string; ref_id: number | null; reprint_of: number | null; payload: string } | undefined;
      if (!job) return;
      if (!this.config.printer) {
        this.fail(job.id, deviceWords.printerNotConfigured);
        continue;
      }
      let t = await this.ensurePrinter(true);
      if (!t) {
        this.fail(job.id, deviceWords.printerAbsent);
        this.emitPrinter('absent', deviceWords.printerAbsent);
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = this.render(job);
      } catch (error) {
        // The reason is for IT (the log); the clerk is told what happened and what to do.
        this.log.error({ jobId: job.id, kind: job.kind, err: error }, 'print job could not be rendered');
        this.fail(job.id, '凭证内容有误，未打印，请联系信息技术人员');
        continue;
      }
      this.emitPrinter('printing', '正在打印');
      // 'sending' is written (synchronously, to disk) before the first byte goes out.
      const onSending = (): void => void this.markSending(job.id);
      let result = await printJob(t, bytes, { onSending });
      if (!result.ok && !result.sent && t.broken) {
        // The link died since the last job (unplugged and back, maybe at the same path):
        // nothing went out, so open it again and try once more.
        const again = await this.ensurePrinter(true);
        if (again) {
          t = again;
          result = await printJob(t, bytes, { onSending });
        }
      }
      if (result.ok) {
        this.db.prepare("UPDATE print_jobs SET state = 'printed', printed_at = ?, last_error = NULL WHERE id = ?").run(new Date().toISOString(), job.id);
        if (result.after?.paperNearEnd) this.emitStatus(result.after);
        else this.emitPrinter('ready', deviceWords.printDone);
      } else if (result.sent) {
        // Bytes went out: the slip may be on paper, whole or in part. Never sent again as it was.
        this.db.prepare("UPDATE print_jobs SET state = 'uncertain', last_error = ? WHERE id = ?").run(result.message, job.id);
        this.log.warn({ jobId: job.id, state: result.state }, 'print job may have printed');
        this.emitPrinter(t.broken ? 'absent' : result.state, t.broken ? deviceWords.printerAbsent : result.message);
      } else {
        this.fail(job.id, result.message);
        this.emitPrinter(t.broken ? 'absent' : result.state, t.broken ? deviceWords.printerAbsent : result.message);
      }
      this.events.emit('print.job', this.jobView(job.id));
    }
  }

  private markSending(id: number): void {
    this.db.prepare("UPDATE print_jobs SET state = 'sending', attempts = attempts + 1, sent_at = ? WHERE id = ?").run(new Date().toISOString(), id);
  }

  private fail(id: number, message: string): void {
    this.db.prepare("UPDATE print_jobs SET state = 'failed', last_error = ? WHERE id = ?").run(message, id);
    this.log.warn({ jobId: id, message }, 'print job failed');
    this.events.emit('print.job', this.jobView(id));
  }

  /** Which copy a reprint is: 1 for the first 重打, 2 for the next … */
  private reprintCount(kind: string, refId: number | null, jobId: number): number {
    return (
      this.db.prepare('SELECT count(*) AS n FROM print_jobs WHERE ref_id IS ? AND kind = ? AND reprint_of IS NOT NULL AND id <= ?').get(refId, kind, jobId) as {
        n: number;
      }
    ).n;
  }

  private slipOptions(): SlipOptions {
    return { width: this.config.paperWidth, training: this.slip.training, printerType: this.config.printerType, printerFont: this.config.printerFont };
  }

  private render(job: { id: number; kind: string; ref_id: number | null; reprint_of: number | null; payload: string }): Buffer {
    if (job.kind === 'test_page') {
      const { at } = JSON.parse(job.payload) as { at: string };
      return testPage({ printer: this.transport?.description ?? '', at, timeZone: this.slip.timeZone }, this.slipOptions());
    }
    if (job.kind === 'day_summary') {
      const data = JSON.parse(job.payload) as DaySummaryData;
      // A copy of a summary is marked like a slip's, in the printer's own command set.
      const reprints = job.reprint_of === null ? 0 : this.reprintCount('day_summary', job.ref_id, job.id);
      return daySummary({ ...data, reprint: reprints > 0 ? reprints : undefined }, this.slipOptions());
    }
    if (job.kind !== 'payment_slip' || job.ref_id === null) throw new Error(`不支持的打印任务 ${job.kind}`);
    const tx = this.db
      .prepare(
        `SELECT t.id, t.uid, t.counter_no, t.method, t.total_fen, t.tendered_fen, t.change_fen, t.created_at,
                p.name AS payer_name, p.id_number, o.display_name AS operator_name
           FROM counter_transactions t JOIN payers p ON p.id = t.payer_id JOIN operators o ON o.id = t.operator_id
          WHERE t.id = ?`,
      )
      .get(job.ref_id) as SlipRow | undefined;
    if (!tx) throw new Error(`交易 ${job.ref_id} 不存在`);
    const lines = this.db
      .prepare(
        'SELECT year, tier_fen, amount_fen, back_payment, lump_sum_years FROM payments WHERE transaction_id = ? ORDER BY lump_sum_years IS NULL, year DESC',
      )
      .all(tx.id) as {
      year: number;
      tier_fen: number;
      amount_fen: number;
      back_payment: number;
      lump_sum_years: number | null;
    }[];
    const reprints = job.reprint_of === null ? 0 : this.reprintCount('payment_slip', tx.id, job.id);
    return paymentSlip(
      {
        hallName: this.slip.hallName,
        counter: `${tx.counter_no}号窗口`,
        slipNo: slipSerial(tx.created_at, tx.id, this.slip.timeZone),
        payerName: tx.payer_name,
        idNumber: maskIdNumber(tx.id_number),
        lines: lines.map((l) => ({
          year: l.year,
          tierFen: l.tier_fen,
          amountFen: l.amount_fen,
          backPay: l.back_payment === 1,
          ...(l.lump_sum_years !== null ? { lumpSumYears: l.lump_sum_years } : {}),
        })),
        totalFen: tx.total_fen,
        paymentMethod: paymentMethodLabels[tx.method],
        ...(tx.method === 'cash' && tx.tendered_fen !== null && tx.change_fen !== null
          ? { cash: { tenderedFen: tx.tendered_fen, changeFen: tx.change_fen } }
          : {}),
        operator: tx.operator_name,
        paidAt: tx.created_at,
        timeZone: this.slip.timeZone,
        qrPayload: `PC:${tx.uid}`,
        ...(reprints > 0 ? { reprint: reprints } : {}),
      },
      this.slipOptions(),
    );
  }
}

export const trainingDevices: DevicesConfig = { reader: 'simulated', printer: 'simulated', paperWidth: 80 };

/** Turns a registry payer into the card the simulated reader holds (training mode only). */
export function cardForPayer(p: { idNumber: string; name: string; gender: 'male' | 'female'; birthDate: string; address: string }, authority: string): IdCard {
  const validFrom = `${Math.max(Number(p.birthDate.slice(0, 4)) + 26, 2016)}-03-01`;
  return {
    kind: 'resident',
    name: p.name,
    gender: p.gender,
    nationCode: '01',
    nationLabel: '汉',
    birthDate: p.birthDate,
    address: p.address,
    idNumber: p.idNumber,
    authority,
    validFrom,
    validTo: '长期',
    hasPhoto: true,
  };
}
