import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/api/errors';
import { renderReceiptPdf } from '../../documents/receipt-pdf';
import type { ClaimExchange, ReceiptContext, ReceiptService, ReceiptView } from '../receipts';
import type { Logger } from '../../platform/log';

export interface ReceiptPrinterConfig {
  /** 'simulated' (training: PDFs into <data dir>/printed), a CUPS queue name for `lp`, or '' for none. */
  printer: string;
  layout: 'a4' | 'overlay';
}

/**
 * The counter side of the formal receipt: issuing through the receipt service and getting the
 * document onto paper. On Linux outside Electron a named CUPS queue is printed with `lp`; the
 * training printer keeps each printed PDF in the data directory so a trainer can open it.
 */
export class ReceiptDesk {
  constructor(
    readonly service: ReceiptService,
    private readonly printer: ReceiptPrinterConfig,
    private readonly dataDir: string,
    private readonly log: Logger,
    private readonly claim: ClaimExchange | null,
  ) {}

  async exchange(paymentIds: number[], ctx: ReceiptContext) {
    return this.service.exchange(
      paymentIds.map((paymentId) => ({ paymentId })),
      ctx,
      this.claim,
    );
  }

  async pdf(number: string, layout: 'a4' | 'overlay'): Promise<Buffer> {
    return renderReceiptPdf(this.service.document(number), { layout, calibration: this.service.calibration(this.printer.printer) });
  }

  async print(number: string): Promise<{ receipt: ReceiptView; sentTo: string }> {
    if (!this.printer.printer) throw new AppError('VALIDATION', '未配置缴款书打印机：请信息技术人员在设备设置中配置，或下载 PDF 打印');
    const doc = this.service.printDocument(number);
    const bytes = await renderReceiptPdf(doc, { layout: this.printer.layout, calibration: this.service.calibration(this.printer.printer) });
    const receipt = this.service.get(number);
    const safeName = `${receipt.serial}-${receipt.printCount}.pdf`;
    if (this.printer.printer === 'simulated') {
      const dir = path.join(this.dataDir, 'printed');
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const file = path.join(dir, safeName);
      fs.writeFileSync(file, bytes, { mode: 0o600 });
      this.log.info({ number, printCount: receipt.printCount }, 'receipt printed on the training printer');
      // The clerk reads where it went; the file's place is for the log and the trainer.
      this.log.info({ number, file: path.basename(file) }, 'training printer file written');
      return { receipt, sentTo: '培训打印机' };
    }
    await this.lp(bytes);
    this.log.info({ number, printCount: receipt.printCount, printer: this.printer.printer }, 'receipt sent to the printer');
    return { receipt, sentTo: this.printer.printer };
  }

  private lp(pdf: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn('lp', ['-d', this.printer.printer, '-o', 'media=A4', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', (e) => {
        this.log.warn({ err: e, printer: this.printer.printer }, 'lp could not be started');
        reject(new AppError('VALIDATION', '无法把缴款书送到打印机，请联系信息技术人员检查打印服务'));
      });
      child.on('exit', (code) => {
        if (code === 0) return resolve();
        this.log.warn({ code, stderr: err.trim().slice(0, 300), printer: this.printer.printer }, 'lp refused the job');
        reject(new AppError('VALIDATION', `打印机 ${this.printer.printer} 未接受打印任务，请检查打印机后重试`));
      });
      child.stdin.end(pdf);
    });
  }
}
