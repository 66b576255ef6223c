// The Windows spooler by printer name, through pdf-to-printer (MIT), which drives the SumatraPDF
// it bundles (GPLv3, shipped unmodified as a separate program; README "Printing"). SumatraPDF
// renders the PDF into a Windows print job at 100 % ("noscale") on the named paper, turned by the
// orientation we ask for. It returns once the job is in the spooler; the job is then followed
// with PowerShell's Get-PrintJob by its document name until it leaves the queue or shows an error.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { print as pdfToPrinter, getPrinters, type PrintOptions } from 'pdf-to-printer';
import { spoolReason } from '../../shared/api/print-words';
import { isLandscape, placement, SpoolError, type PaperSize, type PrintRequest, type SpoolStatus, type Spooler, type SystemPrinter } from './types';

export interface WindowsOptions {
  /** Folder for the PDF handed to SumatraPDF (deleted once the job has left the queue). */
  tempDir?: string;
  /** The Windows form name of the paper (e.g. A4, or the form defined for the pre-printed stock). */
  paperName?: (paper: PaperSize) => string | undefined;
  /** SumatraPDF's path when not the bundled one (tests, or an installed copy). */
  sumatraPdfPath?: string;
  /** For tests: the PowerShell runner. */
  powershell?: (script: string) => Promise<string>;
}

/** pdf-to-printer's options for a page document: exact scale, the paper by its Windows form name, orientation asked for. */
export function windowsPrintOptions(printer: string, request: PrintRequest, paperName?: string, sumatraPdfPath?: string): PrintOptions {
  placement(request.page, request.paper); // refuses a page the paper cannot hold
  return {
    printer,
    silent: true,
    scale: 'noscale',
    // The page's own orientation: the driver turns a landscape page onto portrait-fed paper.
    orientation: isLandscape(request.page) ? 'landscape' : 'portrait',
    monochrome: true,
    copies: 1,
    ...(paperName ? { paperSize: paperName } : {}),
    ...(sumatraPdfPath ? { sumatraPdfPath } : {}),
  };
}

/** PowerShell that lists the queue's jobs for one document as JSON (UTF-8). */
export function printJobQuery(printer: string, documentName: string): string {
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  return [
    '[Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false)',
    `@(Get-PrintJob -PrinterName ${q(printer)} | Where-Object { $_.DocumentName -like ${q(`*${documentName}*`)} } | ForEach-Object { [string]$_.JobStatus }) | ConvertTo-Json -Compress`,
  ].join('; ');
}

/** Get-PrintJob's JobStatus flags → outcome. An empty answer means the job has left the queue: printed. */
export function windowsJobStatus(json: string): SpoolStatus {
  const text = json.trim();
  const states: string[] = text ? ([] as string[]).concat(JSON.parse(text) as string | string[]) : [];
  if (states.length === 0) return { outcome: 'completed', spoolerState: 'left-queue', reason: null };
  const flags = states[0]!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const failure = ['Error', 'Offline', 'PaperOut', 'Deleted', 'Deleting', 'Blocked', 'UserIntervention', 'Paused'].find((f) => flags.includes(f));
  if (failure) {
    const keyword = {
      Error: 'error',
      Offline: 'offline',
      PaperOut: 'paper-out',
      Deleted: 'job-canceled-by-user',
      Deleting: 'job-canceled-by-user',
      Blocked: 'error',
      UserIntervention: 'error',
      Paused: 'paused',
    }[failure]!;
    return { outcome: 'failed', spoolerState: flags.join(','), reason: spoolReason(keyword) };
  }
  return { outcome: 'queued', spoolerState: flags.join(',') || 'queued', reason: null };
}

function runPowershell(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script], { windowsHide: true }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}

export class WindowsSpooler implements Spooler {
  readonly kind = 'windows' as const;
  private readonly files = new Map<string, { file: string; document: string }>();

  constructor(private readonly options: WindowsOptions = {}) {}

  async printers(): Promise<SystemPrinter[]> {
    const found = await getPrinters();
    return found.map((p) => ({ name: p.name, info: p.name, state: '就绪', acceptingJobs: true, isDefault: false }));
  }

  async submit(printer: string, request: PrintRequest): Promise<string> {
    const dir = this.options.tempDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pension-print-'));
    fs.mkdirSync(dir, { recursive: true });
    // The document name Windows shows is the file name: the title, safe for a file name, plus a unique tail.
    const document = `${request.title.replace(/[^\p{L}\p{N}_-]+/gu, '_')}-${Date.now().toString(36)}`;
    const file = path.join(dir, `${document}.pdf`);
    fs.writeFileSync(file, request.pdf);
    try {
      await pdfToPrinter(file, windowsPrintOptions(printer, request, this.options.paperName?.(request.paper), this.options.sumatraPdfPath));
    } catch (error) {
      fs.rmSync(file, { force: true });
      throw new SpoolError(`打印机 ${printer} 未接受任务（${error instanceof Error ? error.message : String(error)}）`);
    }
    this.files.set(document, { file, document });
    return document;
  }

  async status(printer: string, jobId: string): Promise<SpoolStatus> {
    const run = this.options.powershell ?? runPowershell;
    const status = windowsJobStatus(await run(printJobQuery(printer, jobId)));
    if (status.outcome !== 'queued') {
      const f = this.files.get(jobId);
      if (f) fs.rmSync(f.file, { force: true });
      this.files.delete(jobId);
    }
    return status;
  }

  async cancel(printer: string, jobId: string): Promise<void> {
    const run = this.options.powershell ?? runPowershell;
    const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
    await run(`Get-PrintJob -PrinterName ${q(printer)} | Where-Object { $_.DocumentName -like ${q(`*${jobId}*`)} } | Remove-PrintJob`);
  }
}
