// The one print path for page documents (formal receipts, A4 day summaries, calibration frames):
// a PDF goes to the operating system's spooler by printer name and is followed until the spooler
// says it was printed, or why not. Every host (desktop, browser host, CLI) prints through here.

/** Paper as loaded in the printer, millimetres, width across the feed direction as the driver sees it. */
export interface PaperSize {
  widthMm: number;
  heightMm: number;
}

/** What a page document needs from the spooler: exact scale, this paper, turned if it must be. */
export interface PrintRequest {
  /** The PDF's bytes (one page size throughout). */
  pdf: Buffer;
  /** The job's name in the spooler's queue (no personal data: the receipt number, 日结编号 …). */
  title: string;
  /** The page size of the PDF, mm. */
  page: PaperSize;
  /** The paper loaded for this document, mm. */
  paper: PaperSize;
}

/**
 * Where a job stands, reduced from the spooler's own states:
 *  - 'queued': accepted, waiting or printing (IPP pending / processing; Windows: in the queue);
 *  - 'completed': the spooler says it printed (IPP completed; Windows: left the queue without error);
 *  - 'failed': aborted, canceled, held, stopped, rejected or lost — never counted as printed.
 */
export type SpoolOutcome = 'queued' | 'completed' | 'failed';

export interface SpoolStatus {
  outcome: SpoolOutcome;
  /** The spooler's own state word (IPP job-state, Windows JobStatus), for the log and the IT screen. */
  spoolerState: string;
  /** Why it failed or waits, in the clerk's words with the spooler's own message appended. */
  reason: string | null;
}

export interface SystemPrinter {
  name: string;
  /** The description the system shows (CUPS printer-info, Windows name). */
  info: string;
  /** Ready / idle / stopped …, in the clerk's words. */
  state: string;
  acceptingJobs: boolean;
  isDefault: boolean;
}

/** One operating system's spooler. */
export interface Spooler {
  /** 'cups' | 'windows' | 'training'. */
  readonly kind: SpoolerKind;
  printers(): Promise<SystemPrinter[]>;
  /** Hands the job to the spooler; the returned id follows it. Throws SpoolError when refused. */
  submit(printer: string, request: PrintRequest): Promise<string>;
  status(printer: string, jobId: string): Promise<SpoolStatus>;
  /** Takes a job that will not print out of the queue so it cannot come out later on the wrong stock. */
  cancel(printer: string, jobId: string): Promise<void>;
}

export type SpoolerKind = 'cups' | 'windows' | 'training';

/** The spooler refused or could not be reached; message in the clerk's words, with the spooler's reason. */
export class SpoolError extends Error {
  constructor(
    message: string,
    readonly spoolerState = 'refused',
  ) {
    super(message);
    this.name = 'SpoolError';
  }
}

export const MM_PER_INCH = 25.4;
export const A4: PaperSize = { widthMm: 210, heightMm: 297 };

export const isLandscape = (p: PaperSize) => p.widthMm > p.heightMm;

/**
 * The page goes on the paper at 100 %: turned by a quarter when its orientation differs from the
 * paper's (a landscape A4 receipt on portrait-fed A4), never scaled. Refused when it would not fit.
 */
export function placement(page: PaperSize, paper: PaperSize): { rotate: boolean } {
  const rotate = isLandscape(page) !== isLandscape(paper);
  const w = rotate ? page.heightMm : page.widthMm;
  const h = rotate ? page.widthMm : page.heightMm;
  // Half a millimetre of slack: PDF sizes are points, paper sizes millimetres.
  if (w > paper.widthMm + 0.5 || h > paper.heightMm + 0.5) {
    throw new SpoolError(`纸张 ${paper.widthMm}×${paper.heightMm} 毫米放不下 ${round(page.widthMm)}×${round(page.heightMm)} 毫米的版面，请检查打印纸设置`);
  }
  return { rotate };
}

const round = (v: number) => Math.round(v * 10) / 10;
