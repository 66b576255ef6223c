// The sync ingest worker (issue 18): parses, validates and applies big pages of the payers and
// payments streams on its own connection to the counter database, off the services thread.
// One page at a time, in the order they come; each page and its cursor in one transaction
// (electron/sync/apply.ts), so a crash anywhere resumes at the last committed page.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../platform/db/database';
import { PageApplier } from './apply';
import { decodePage } from './client';
import { serializeError, type IngestReply, type IngestRequest, type IngestWorkerData } from './ingest';
import type { PayersPage, PaymentsPage } from './protocol';

const port = parentPort;
if (!port) throw new Error('ingest.worker.ts runs as a worker thread only');
const data = workerData as IngestWorkerData;

const db = openDatabase(data.file);
// The bulk of a first sync is index inserts at random places (ID numbers, names, slip numbers):
// a page cache that holds those indexes saves a read for most of them. The connection, and the
// memory, go away when the sync run ends.
db.pragma(`cache_size = -${Math.max(2048, Math.floor(data.cacheKiB))}`);
// WAL with synchronous=NORMAL: a commit is not fsynced by itself, but the database stays
// consistent through a power cut and at worst the last pages roll back, their cursor with them,
// to be pulled again. Counter payments keep synchronous=FULL on the services connection, and
// their fsync covers every earlier frame of the WAL, ingest pages included.
db.pragma('synchronous = NORMAL');
// A page of 1,000 rows dirties hundreds of index pages, many of them again in the next page: a
// longer WAL between checkpoints writes each such page back to the database once, not every few
// pages. The services connection does not checkpoint while the worker lives (puller.ts), so the
// copying is done here, after each commit, without holding the write lock.
db.pragma(`wal_autocheckpoint = ${Math.max(1000, Math.floor(data.walAutocheckpoint))}`);
const applier = new PageApplier(db);

const reply = (message: IngestReply) => port.postMessage(message);

port.on('message', (message: IngestRequest) => {
  if (message.type === 'close') {
    // What is left in the WAL is copied back here, not by the services thread's next commit.
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } finally {
      db.close();
    }
    port.close();
    return;
  }
  const { id, stream, body, after, limit, nowIso } = message;
  try {
    const page = decodePage(stream, Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'), after, limit);
    reply({ type: 'validated', id, items: page.items.length, next: page.next, more: page.more, remaining: page.remaining });
    if (stream === 'payers') applier.applyPayersPage(page as PayersPage, nowIso);
    else applier.applyPaymentsPage(page as PaymentsPage, nowIso);
    reply({ type: 'applied', id });
  } catch (error) {
    reply({ type: 'failed', id, error: serializeError(error) });
  }
});
