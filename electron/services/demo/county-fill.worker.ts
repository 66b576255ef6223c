// The training county's writer (issue 18), in a worker thread with its own SQLite connection: the
// services thread keeps answering the counter, the reader loop and the printer queue while
// 120,000 payers and their history go in. Protocol and host side: ./county-fill.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../platform/db/database';
import { CountyFiller } from './seed';
import { FILL_STOP, type CountyFillData, type CountyFillMessage } from './county-fill';

const data = workerData as CountyFillData;
const post = (m: CountyFillMessage) => parentPort!.postMessage(m);
const stop = new Int32Array(data.stop);

const filler = new CountyFiller(data.county, data.nowIso, data.from);
let db: ReturnType<typeof openDatabase> | null = null;
try {
  db = openDatabase(data.file);
  // The county is regenerated from its seed and resumed from the last committed step after a
  // crash or power loss, so its commits need not wait for the disk (WAL keeps them atomic).
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${data.busyTimeoutMs}`);
  const until = Math.min(data.until, data.county.payers);
  while (filler.filled < until && Atomics.load(stop, 0) !== FILL_STOP) {
    const skipping = filler.skipping;
    filler.step(db, Math.min(data.maxRows, until - filler.filled), data.sliceMs);
    if (skipping) continue;
    post({ type: 'progress', filled: filler.filled, payments: filler.payments });
    // The write lock is free for a moment after every transaction: a write of the services
    // thread waiting in its busy handler gets it then, not after the whole county. Waiting on
    // the stop word also wakes at once when the host asks the worker to stop.
    if (data.pauseMs > 0) Atomics.wait(stop, 0, 0, data.pauseMs);
  }
  db.close();
  db = null;
  post({ type: filler.filled >= until ? 'done' : 'stopped', filled: filler.filled, payments: filler.payments });
} catch (error) {
  if (db?.open) db.close();
  post({ type: 'failed', filled: filler.filled, payments: filler.payments, message: error instanceof Error ? error.message : String(error) });
}
