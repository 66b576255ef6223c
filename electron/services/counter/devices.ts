import type { EventPayload } from '../../../shared/api/events';
import { AppError } from '../../../shared/api/errors';
import type { PaymentMethod, PrintJobView } from '../../../shared/api/views';
import { paymentMethodLabels } from '../../../shared/api/views';
import type { IdCard } from '../../../shared/domain/id-card';
import { maskIdNumber } from '../../../shared/domain/id-number';
import { CardReaderLoop, type ReaderLoopEvent } from '../../devices/idcard/reader-loop';
import { openReaderPort } from '../../devices/idcard/detect';
import { closeSerial } from '../../devices/serial';
import type { PrinterFont, PrinterType } from '../../devices/printer/escpos';
import { daySummary, paymentSlip, testPage, type DaySummaryData, type SlipOptions } from '../../devices/printer/slips';
import { openPrinter, printJob, type PrinterTransport } from '../../devices/printer/transport';
import type { PrinterState } from '../../devices/printer/status';
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

function uiState(state: PrinterState | 'printing' | 'not_configured'): PrinterUiState {
  // The driver's 'error' (cutter, mechanism) and 'unknown' (a link that cannot answer) read as
  // offline at the counter: either way the clerk must look at the printer.
  if (state === 'error' || state === 'unknown') return 'offline';
  return state;
}

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

  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly log: Logger,
    private readonly config: DevicesConfig,
    private readonly slip: SlipContext,
    private readonly onCard: (card: IdCard) => void,
  ) {
    if (config.reader === 'simulated') {
      const { sim, connect } = simulatedReader();
      this.readerSim = sim;
      this.readerLoop = new CardReaderLoop({ connect, pollMs: 50 });
    } else if (config.reader) {
      const path = config.reader === 'auto' ? undefined : config.reader;
      // 100 ms: a find-card exchange is ~20 bytes (2 ms at 115200 baud), and the clerk should not
      // wait for the next poll after placing the card.
      this.readerLoop = new CardReaderLoop({
        pollMs: 100,
        connect: async () => {
          const { port, path: found } = await openReaderPort({ path, includeListed: path === undefined });
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
    if (!this.transport && this.config.printer && this.config.printer !== 'simulated') {
      try {
        this.transport = await openPrinter(this.config.printer);
      } catch (error) {
        this.log.warn({ err: error, printer: this.config.printer }, 'printer not available');
      }
    }
    this.emitPrinter(this.transport ? 'ready' : 'not_configured', this.transport ? '打印机就绪' : '未配置打印机');
    this.kick();
  }

  async stop(): Promise<void> {
    await this.readerLoop?.stop();
    await this.draining;
    await this.transport?.close();
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

  private emitPrinter(state: PrinterState | 'printing' | 'not_configured', message: string): void {
    this.events.emit('printer.status', { state: uiState(state), message });
  }

  /** Queues a reprint of a payment slip (marked 重打); the original job stays as it was. */
  reprint(jobId: number, createdAt: string, actor: { operatorId: number; username: string; counterNo: number } | null = null): PrintJobView {
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

  /** Puts a failed job back in the queue. */
  retry(jobId: number): PrintJobView {
    this.db.prepare("UPDATE print_jobs SET state = 'pending' WHERE id = ? AND state = 'failed'").run(jobId);
    this.kick();
    return this.jobView(jobId);
  }

  jobView(id: number): PrintJobView {
    const j = this.db.prepare('SELECT id, kind, state, last_error FROM print_jobs WHERE id = ?').get(id) as
      { id: number; kind: PrintJobView['kind']; state: PrintJobView['state']; last_error: string | null } | undefined;
    if (!j) throw new AppError('NOT_FOUND', '打印任务不存在');
    return { id: j.id, kind: j.kind, state: j.state, lastError: j.last_error };
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
      if (!this.transport) {
        this.fail(job.id, '未配置打印机');
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
      const result = await printJob(this.transport, bytes);
      if (result.ok) {
        this.db
          .prepare("UPDATE print_jobs SET state = 'printed', attempts = attempts + 1, printed_at = ?, last_error = NULL WHERE id = ?")
          .run(new Date().toISOString(), job.id);
        this.emitPrinter('ready', '打印完成');
      } else {
        this.fail(job.id, result.message);
        this.emitPrinter(result.state, result.message);
      }
      this.events.emit('print.job', this.jobView(job.id));
    }
  }

  private fail(id: number, message: string): void {
    this.db.prepare("UPDATE print_jobs SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?").run(message, id);
    this.log.warn({ jobId: id, message }, 'print job failed');
    this.events.emit('print.job', this.jobView(id));
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
      return daySummary(JSON.parse(job.payload) as DaySummaryData, this.slipOptions());
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
    const reprints =
      job.reprint_of === null
        ? 0
        : (
            this.db
              .prepare("SELECT count(*) AS n FROM print_jobs WHERE ref_id = ? AND kind = 'payment_slip' AND reprint_of IS NOT NULL AND id <= ?")
              .get(tx.id, job.id) as { n: number }
          ).n;
    return paymentSlip(
      {
        hallName: this.slip.hallName,
        counter: `${tx.counter_no}号窗口`,
        slipNo: `${tx.created_at.slice(0, 10).replaceAll('-', '')}-${String(tx.id).padStart(6, '0')}`,
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
