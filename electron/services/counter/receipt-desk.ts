import { AppError } from '../../../shared/api/errors';
import type { SpoolJobView } from '../../../shared/api/views';
import { renderReceiptPdfOffThread } from '../../documents/pdf-worker';
import { receiptPage, receiptPaper, TRAINING_PRINTER, type PageSpool, type PaperSize } from '../../printing';
import type { ClaimExchange, ReceiptContext, ReceiptService, ReceiptView } from '../receipts';
import type { Logger } from '../../platform/log';

export interface ReceiptPrinterConfig {
  /** 'simulated' (training: PDFs into <data dir>/printed), the system printer's name, or '' for none. */
  printer: string;
  layout: 'a4' | 'overlay';
  /** The paper loaded, mm, when not the layout's default. */
  paper?: PaperSize;
}

/**
 * The counter side of the formal receipt: issuing through the receipt service and getting the
 * document onto paper through the one page print path (electron/printing): the system spooler by
 * printer name, followed until it says printed or why not. The clerk confirms "printed
 * correctly" only after the spooler reported the job completed.
 */
export class ReceiptDesk {
  constructor(
    readonly service: ReceiptService,
    private printer: ReceiptPrinterConfig,
    private spool: PageSpool,
    private readonly log: Logger,
    private readonly claim: ClaimExchange | null,
  ) {}

  /** The page print path (receipts, A4 day summaries, calibration frames). */
  get pages(): PageSpool {
    return this.spool;
  }

  get printerConfig(): ReceiptPrinterConfig {
    return this.printer;
  }

  /** Another printer chosen on the IT screen: new jobs go to it; the old path's open jobs stop being followed. */
  async reconfigure(printer: ReceiptPrinterConfig, pages: PageSpool): Promise<void> {
    const old = this.spool;
    this.printer = printer;
    this.spool = pages;
    pages.resume();
    await old.stop();
  }

  async exchange(paymentIds: number[], ctx: ReceiptContext) {
    return this.service.exchange(
      paymentIds.map((paymentId) => ({ paymentId })),
      ctx,
      this.claim,
    );
  }

  async pdf(number: string, layout: 'a4' | 'overlay'): Promise<Buffer> {
    return renderReceiptPdfOffThread(this.service.document(number), { layout, calibration: this.service.calibration(this.printer.printer) });
  }

  async print(number: string): Promise<{ receipt: ReceiptView; sentTo: string; spool: SpoolJobView }> {
    if (!this.printer.printer) throw new AppError('VALIDATION', '未配置缴款书打印机：请信息技术人员在设备设置中配置，或下载 PDF 打印');
    const doc = this.service.printDocument(number);
    const bytes = await renderReceiptPdfOffThread(doc, { layout: this.printer.layout, calibration: this.service.calibration(this.printer.printer) });
    const receipt = this.service.get(number);
    const spool = await this.pages.print(
      'receipt',
      receipt.number,
      this.printer.printer,
      {
        pdf: bytes,
        title: `缴款书 ${receipt.number} 第${receipt.printCount}次`,
        page: receiptPage(this.printer.layout),
        paper: receiptPaper(this.printer.layout, this.printer.paper),
      },
      receipt.printCount,
    );
    this.log.info({ number, printCount: receipt.printCount, printer: this.printer.printer, spool: spool.state }, 'receipt sent to the printer');
    const sentTo = this.printer.printer === TRAINING_PRINTER ? '培训打印机' : this.printer.printer;
    return { receipt, sentTo, spool };
  }

  /** The receipt's last print job as the spooler last reported it (null: never sent). */
  printStatus(number: string): SpoolJobView | null {
    return this.pages.latest('receipt', this.service.get(number).number);
  }

  /** "Printed correctly": only after the spooler reported the last print job completed. */
  confirmPrinted(number: string): ReceiptView {
    const receipt = this.service.get(number);
    if (receipt.printState !== 'confirmed') {
      const job = this.pages.latest('receipt', receipt.number);
      if (!job) throw new AppError('RECEIPT_STATE', `缴款书 ${receipt.number} 还没有送打印`);
      if (job.state === 'sent') throw new AppError('RECEIPT_STATE', `缴款书 ${receipt.number} 已送打印，打印机尚未报告打印完成，请稍候`);
      if (job.state === 'failed') throw new AppError('RECEIPT_STATE', `缴款书 ${receipt.number} 打印失败：${job.reason ?? ''}。请检查打印机后重新打印`);
    }
    return this.service.confirmPrinted(receipt.number);
  }
}
