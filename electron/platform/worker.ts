// Worker threads for heavy work (issue 18): county generation and the first sync's ingest run
// beside the services thread, with their own SQLite connections, so the window, the card reader
// loop and the printer queue never wait behind them.
//
// A worker's entry is a `<name>.worker.ts` file next to the feature it serves. The build emits
// each as out/main/workers/<name>.js (electron.vite.config.ts); from the TypeScript sources (tests,
// tools run through jiti) the entry is compiled on the fly by jiti, which the toolchain already has.
// In the packaged app the entries stay inside app.asar: Electron reads asar in worker threads since
// 18 (electron/electron#33216), and better-sqlite3's native module is already unpacked.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/** Every worker the app starts, by name → its entry under electron/ (relative). */
export const workerEntries = {
  'county-fill': 'services/demo/county-fill.worker.ts',
  'sync-ingest': 'sync/ingest.worker.ts',
  pdf: 'documents/pdf.worker.ts',
} as const;
export type WorkerName = keyof typeof workerEntries;

/** Where the built entry or the source entry of `name` is, and which of the two it is. */
export function locateWorker(name: WorkerName, here = __dirname): { file: string; compiled: boolean } {
  // Built: the platform code sits in out/main/ or a chunk under out/main/chunks/.
  for (const dir of [here, path.dirname(here)]) {
    const built = path.join(dir, 'workers', `${name}.js`);
    if (fs.existsSync(built)) return { file: built, compiled: true };
  }
  // Sources: here is electron/platform.
  const source = path.resolve(here, '..', workerEntries[name]);
  if (fs.existsSync(source)) return { file: source, compiled: false };
  throw new Error(`worker ${name} not found (looked for workers/${name}.js beside ${here} and ${source})`);
}

/**
 * Starts worker `name` with `workerData`. The worker's own errors arrive as the Worker's 'error'
 * event; callers own its messages and its end.
 */
export function startWorker(name: WorkerName, workerData: unknown, here = __dirname): Worker {
  const { file, compiled } = locateWorker(name, here);
  if (compiled) return new Worker(file, { workerData });
  // Source mode: a CommonJS bootstrap that compiles the TypeScript entry with jiti.
  const bootstrap = `const { createJiti } = require('jiti'); const file = process.argv[2]; createJiti(file)(file);`;
  return new Worker(bootstrap, { eval: true, workerData, argv: [file] });
}
