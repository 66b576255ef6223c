// In-memory devices for training mode (and for the browser host, where no pty exists): the
// app side talks to the simulators through the same drivers it uses for real hardware.
import { createDuplexPair } from './duplex-pair';
import { PrinterSimulator, type PrinterSimState } from './printer-sim';
import { ReaderSimulator } from './reader-sim';
import type { ReaderConnection } from '../idcard/reader-loop';
import { DuplexTransport, type PrinterTransport } from '../printer/transport';

export const SIMULATED_READER_PATH = 'sim:reader';

/**
 * A simulated reader and a `connect` for CardReaderLoop. Each connect makes a fresh line (so the
 * loop's reconnect logic runs as with hardware) and moves the simulator onto it; the card on
 * the reader stays.
 */
export function simulatedReader(): { sim: ReaderSimulator; connect: () => Promise<ReaderConnection> } {
  let [host, device] = createDuplexPair();
  const sim = new ReaderSimulator(device);
  let first = true;
  return {
    sim,
    connect: async () => {
      if (!first) {
        [host, device] = createDuplexPair();
        sim.attach(device);
      }
      first = false;
      const port = host;
      return { port, path: SIMULATED_READER_PATH, close: async () => void port.destroy() };
    },
  };
}

/** A simulated printer and the transport to print to it; `sim.lastSlip()` feeds the preview. */
export function simulatedPrinter(state: Partial<PrinterSimState> = {}): { sim: PrinterSimulator; transport: PrinterTransport } {
  const [host, device] = createDuplexPair();
  return { sim: new PrinterSimulator(device, state), transport: new DuplexTransport(host, '模拟打印机') };
}
