// Real-time status (DLE EOT n). Each answer is one byte with bit 1 and bit 4 always set and
// bits 0 and 7 always clear; the rest:
//   n=1 printer:      bit 3 offline
//   n=2 offline cause: bit 2 cover open, bit 3 paper being fed by the button,
//                      bit 5 printing stopped because the paper ran out, bit 6 error
//   n=3 error cause:   bit 3 auto-cutter error, bit 5 unrecoverable, bit 6 auto-recoverable
//   n=4 paper sensor:  bits 2+3 paper near end, bits 5+6 paper end

export type PrinterState = 'ready' | 'offline' | 'cover_open' | 'paper_out' | 'error' | 'unknown';

export interface PrinterStatus {
  state: PrinterState;
  online: boolean;
  coverOpen: boolean;
  paperOut: boolean;
  paperNearEnd: boolean;
  error: boolean;
  /** For the clerk. */
  message: string;
}

export const dleEot = (n: 1 | 2 | 3 | 4): Buffer => Buffer.from([0x10, 0x04, n]);

export const printerStateMessages: Record<PrinterState, string> = {
  ready: '打印机就绪',
  offline: '打印机离线，请检查电源和连接线',
  cover_open: '打印机上盖打开，请合上上盖',
  paper_out: '打印机缺纸，请装入打印纸',
  error: '打印机故障（切刀卡住或过热），请检查打印机',
  unknown: '无法获取打印机状态',
};

/** Whether a byte has the fixed bits of a status answer. */
export function isStatusByte(b: number): boolean {
  return (b & 0x93) === 0x12;
}

export function unknownStatus(message = printerStateMessages.unknown): PrinterStatus {
  return { state: 'unknown', online: false, coverOpen: false, paperOut: false, paperNearEnd: false, error: false, message };
}

/** Combines the answers to DLE EOT 1, 2 and 4. */
export function parseStatus(printer: number, offlineCause: number, paper: number): PrinterStatus {
  if (![printer, offlineCause, paper].every(isStatusByte)) {
    return unknownStatus('打印机返回的状态无法识别');
  }
  const offline = (printer & 0x08) !== 0;
  const coverOpen = (offlineCause & 0x04) !== 0;
  const error = (offlineCause & 0x40) !== 0;
  const paperOut = (paper & 0x60) !== 0 || (offlineCause & 0x20) !== 0;
  const paperNearEnd = (paper & 0x0c) !== 0;
  const state: PrinterState = coverOpen ? 'cover_open' : paperOut ? 'paper_out' : error ? 'error' : offline ? 'offline' : 'ready';
  const message = state === 'ready' && paperNearEnd ? '打印机就绪（纸将用尽，请准备换纸）' : printerStateMessages[state];
  return { state, online: !offline, coverOpen, paperOut, paperNearEnd, error, message };
}
