// Two connected in-memory Duplex ends: what one writes the other reads. Stands in for a serial
// cable where no pty exists (training mode on Windows, the browser host, fast unit tests).
// Node 20 has no stream.duplexPair (it arrived in Node 22.6).
import { Duplex } from 'node:stream';

class End extends Duplex {
  peer!: End;

  override _read(): void {
    // Data is pushed by the peer's writes.
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    const peer = this.peer;
    // Deliver asynchronously, like a real line, so neither side sees re-entrant callbacks.
    setImmediate(() => {
      if (!peer.destroyed) peer.push(Buffer.from(chunk));
      cb();
    });
  }

  override _final(cb: (err?: Error | null) => void): void {
    setImmediate(() => {
      if (!this.peer.destroyed) this.peer.push(null);
      cb();
    });
  }
}

export function createDuplexPair(): [Duplex, Duplex] {
  const a = new End();
  const b = new End();
  a.peer = b;
  b.peer = a;
  return [a, b];
}
