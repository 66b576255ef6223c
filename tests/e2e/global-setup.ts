// One training county per e2e run (issue 18). Building the county takes seconds; each spec file then
// gets its own browser host on a copy of it (tests/e2e/fixtures.ts), so a spec that closes the day
// or changes settings never changes what another spec sees.
import fs from 'node:fs';
import { assertNoFullIdInLogs, startServe, tempDir, waitCountyComplete, waitReady } from '../helpers/serve';

/** The template's data directory, for the workers (they inherit the runner's environment). */
export const TEMPLATE_ENV = 'PENSION_E2E_TEMPLATE';
/** The county every spec file's host starts from. */
export const E2E_DEMO_PAYERS = 600;

export default async function globalSetup(): Promise<() => void> {
  const dataDir = tempDir('template');
  const host = await startServe({ dataDir, demoPayers: E2E_DEMO_PAYERS });
  let ready: unknown = null;
  try {
    await waitReady(host.url);
    await waitCountyComplete(host);
  } catch (error) {
    ready = error;
  }
  // Stopped before it is copied: closing the database checkpoints the WAL into counter.sqlite.
  const code = await host.stop();
  if (ready) throw ready;
  if (code !== 0) throw new Error(`template host exited with ${code} on SIGTERM:\n${host.output()}`);
  assertNoFullIdInLogs(dataDir, 'template host');
  process.env[TEMPLATE_ENV] = dataDir;
  return () => fs.rmSync(dataDir, { recursive: true, force: true });
}
