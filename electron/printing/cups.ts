// CUPS (Linux, UOS, Kylin) over IPP: submit with Print-Job, follow with Get-Job-Attributes,
// list queues with CUPS-Get-Printers. IPP rather than `lp` + `lpstat` because IPP answers with
// the job's state (completed / aborted / canceled / held) and its reasons as data, where lpstat
// only prints text for people. The server is the one every CUPS client uses: $CUPS_SERVER
// (host:port), else localhost:631.
import ipp, { type IppGroup, type IppMessage, type IppResponse } from '@sealsystems/ipp';
import { spoolReason } from '../../shared/api/print-words';
import { placement, SpoolError, type PrintRequest, type SpoolStatus, type Spooler, type SystemPrinter } from './types';

export interface CupsOptions {
  /** host:port of cupsd; default $CUPS_SERVER or localhost:631. */
  server?: string;
  /** The job's requesting-user-name (the spooler's "owner" column). */
  user?: string;
}

/** The IPP job attributes that put the page on the paper at 100 %, turned only when it must be. */
export function cupsJobAttributes(request: PrintRequest): IppGroup {
  const { rotate } = placement(request.page, request.paper);
  return {
    // The paper by its size (hundredths of a millimetre): A4, or the pre-printed form's own size.
    'media-col': { 'media-size': { 'x-dimension': Math.round(request.paper.widthMm * 100), 'y-dimension': Math.round(request.paper.heightMm * 100) } },
    // No fit-to-page, no shrink: a 套打 overlay must land where the form's boxes are.
    'print-scaling': 'none',
    // Asked for explicitly, so CUPS does not guess (its auto-rotation turned landscape receipts).
    'orientation-requested': rotate ? 'landscape' : 'portrait',
    copies: 1,
  };
}

const STATE_WORDS: Record<string, string> = { idle: '就绪', processing: '正在打印', stopped: '已暂停' };

function first(v: unknown): IppGroup {
  return (Array.isArray(v) ? v[0] : v) as IppGroup;
}

function list(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

/** The spooler's words for a reason list: known keywords in Chinese, plus the printer's own message if it has one. */
function describe(reasons: string[], message: unknown): string {
  const known = reasons.map((r) => r.replace(/-(report|warning|error)$/, '')).filter((r) => r !== 'none' && r !== 'processing-to-stop-point');
  const text = known.length ? spoolReason(known[0]!) : spoolReason('');
  const msg = typeof message === 'string' ? message.trim() : '';
  return msg ? `${text}（打印服务：${msg}）` : text;
}

export class CupsSpooler implements Spooler {
  readonly kind = 'cups' as const;
  private readonly server: string;
  private readonly user: string;

  constructor(options: CupsOptions = {}) {
    this.server = options.server ?? process.env.CUPS_SERVER ?? 'localhost:631';
    this.user = options.user ?? 'pension-counter';
    if (this.server.startsWith('/')) throw new SpoolError('打印服务地址应为 主机:端口（本程序通过 IPP 连接 CUPS）');
  }

  private url(path: string): string {
    return `http://${this.server}${path}`;
  }

  private call(path: string, operation: string, message: IppMessage): Promise<IppResponse> {
    return new Promise((resolve, reject) => {
      ipp.Printer(this.url(path)).execute(operation, message, (error, response) => {
        if (error) reject(new SpoolError(`${spoolReason('unreachable')}（${this.server}）`, 'unreachable'));
        else resolve(response);
      });
    });
  }

  private operation(extra: IppGroup = {}): IppGroup {
    return { 'requesting-user-name': this.user, ...extra };
  }

  async printers(): Promise<SystemPrinter[]> {
    const res = await this.call('/', 'CUPS-Get-Printers', {
      'operation-attributes-tag': this.operation({
        'requested-attributes': ['printer-name', 'printer-info', 'printer-state', 'printer-state-message', 'printer-is-accepting-jobs'],
      }),
    });
    let defaultName = '';
    try {
      const d = await this.call('/', 'CUPS-Get-Default', { 'operation-attributes-tag': this.operation({ 'requested-attributes': ['printer-name'] }) });
      if (d.statusCode.startsWith('successful')) defaultName = String(first(d['printer-attributes-tag'])?.['printer-name'] ?? '');
    } catch {
      // No default printer is a normal state.
    }
    if (res.statusCode === 'client-error-not-found') return [];
    const rows = res['printer-attributes-tag'];
    return (Array.isArray(rows) ? rows : rows ? [rows] : []).map((p) => {
      const state = String(p['printer-state'] ?? '');
      return {
        name: String(p['printer-name']),
        info: String(p['printer-info'] ?? p['printer-name']),
        state: STATE_WORDS[state] ?? state,
        acceptingJobs: p['printer-is-accepting-jobs'] !== false,
        isDefault: p['printer-name'] === defaultName,
      };
    });
  }

  async submit(printer: string, request: PrintRequest): Promise<string> {
    const res = await this.call(`/printers/${encodeURIComponent(printer)}`, 'Print-Job', {
      'operation-attributes-tag': this.operation({ 'job-name': request.title, 'document-format': 'application/pdf' }),
      'job-attributes-tag': cupsJobAttributes(request),
      data: request.pdf,
    });
    if (!res.statusCode.startsWith('successful')) {
      const keyword = res.statusCode.replace(/^client-error-|^server-error-/, '');
      throw new SpoolError(describe([keyword], first(res['operation-attributes-tag'])?.['status-message']), res.statusCode);
    }
    const job = first(res['job-attributes-tag']);
    return String(job['job-id']);
  }

  async status(printer: string, jobId: string): Promise<SpoolStatus> {
    const res = await this.call(`/printers/${encodeURIComponent(printer)}`, 'Get-Job-Attributes', {
      'operation-attributes-tag': this.operation({
        'job-id': Number(jobId),
        'requested-attributes': ['job-state', 'job-state-reasons', 'job-state-message', 'job-printer-state-message', 'job-printer-state-reasons'],
      }),
    });
    if (res.statusCode === 'client-error-not-found') return { outcome: 'failed', spoolerState: 'not-found', reason: spoolReason('job-lost') };
    if (!res.statusCode.startsWith('successful')) return { outcome: 'queued', spoolerState: res.statusCode, reason: null };
    const job = first(res['job-attributes-tag']);
    const state = String(job['job-state']);
    const reasons = list(job['job-state-reasons']);
    const message = job['job-printer-state-message'] || job['job-state-message'];
    switch (state) {
      case 'completed':
        return { outcome: 'completed', spoolerState: state, reason: null };
      case 'aborted':
      case 'canceled':
        return {
          outcome: 'failed',
          spoolerState: state,
          reason: describe(reasons.length ? reasons : [state === 'aborted' ? 'aborted-by-system' : 'job-canceled-by-user'], message),
        };
      case 'pending-held':
        return {
          outcome: 'failed',
          spoolerState: state,
          reason: describe(reasons.includes('job-hold-until-specified') ? reasons : ['job-held', ...reasons], message),
        };
      case 'processing-stopped':
        return { outcome: 'failed', spoolerState: state, reason: describe([...reasons.filter((r) => r !== 'none'), 'printer-stopped'], message) };
      default: {
        // Waiting behind a stopped queue (cupsdisable, or stopped by CUPS after a device error):
        // it would print whenever someone re-enables the queue, perhaps on other stock. The job is
        // reported failed and taken out of the queue by the caller.
        const p = await this.printerState(printer);
        if (p.state === 'stopped') {
          return {
            outcome: 'failed',
            spoolerState: `${state}-printer-stopped`,
            reason: describe(p.reasons.includes('paused') ? ['printer-stopped'] : [...p.reasons, 'printer-stopped'], p.message),
          };
        }
        return { outcome: 'queued', spoolerState: state, reason: null };
      }
    }
  }

  private async printerState(printer: string): Promise<{ state: string; reasons: string[]; message: string }> {
    const res = await this.call(`/printers/${encodeURIComponent(printer)}`, 'Get-Printer-Attributes', {
      'operation-attributes-tag': this.operation({ 'requested-attributes': ['printer-state', 'printer-state-reasons', 'printer-state-message'] }),
    });
    const p = first(res['printer-attributes-tag']) ?? {};
    return { state: String(p['printer-state'] ?? ''), reasons: list(p['printer-state-reasons']), message: String(p['printer-state-message'] ?? '') };
  }

  async cancel(printer: string, jobId: string): Promise<void> {
    await this.call(`/printers/${encodeURIComponent(printer)}`, 'Cancel-Job', {
      'operation-attributes-tag': this.operation({ 'job-id': Number(jobId) }),
    });
  }
}
