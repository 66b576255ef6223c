// The training printer: each page document is kept as a PDF in <data dir>/printed for a trainer to
// open, and the "job" completes at once. Nothing here can reach a real printer.
import fs from 'node:fs';
import path from 'node:path';
import { placement, type PrintRequest, type SpoolStatus, type Spooler, type SystemPrinter } from './types';

export const TRAINING_PRINTER = 'simulated';

export class TrainingSpooler implements Spooler {
  readonly kind = 'training' as const;

  constructor(private readonly dir: string) {}

  async printers(): Promise<SystemPrinter[]> {
    return [{ name: TRAINING_PRINTER, info: `培训打印机（${this.dir}）`, state: '就绪', acceptingJobs: true, isDefault: true }];
  }

  async submit(_printer: string, request: PrintRequest): Promise<string> {
    placement(request.page, request.paper);
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = path.join(this.dir, `${request.title.replace(/[^\p{L}\p{N}_-]+/gu, '_')}.pdf`);
    fs.writeFileSync(file, request.pdf, { mode: 0o600 });
    return file;
  }

  async status(): Promise<SpoolStatus> {
    return { outcome: 'completed', spoolerState: 'saved', reason: null };
  }

  async cancel(): Promise<void> {}
}
