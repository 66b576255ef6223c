// Privacy: a realistic counter session that handles full ID numbers everywhere it can (sign-in
// typos, lookups, failed lookups, searches, card reads, payments, malformed calls, over dispatch
// and HTTP) leaves no full ID number in any log, and every file of the data directory is
// owner-only.
import Database from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../../electron/services/app';
import { fixedStartClock } from '../../../electron/platform/clock';
import { startHttpHost, type HttpHost } from '../../../electron/services/host/http-host';
import { scrubIdNumbers } from '../../../electron/platform/log';
import { backupDatabase } from '../../../electron/services/trust/backup';
import { idCheckChar } from '../../../shared/domain/id-number';
import { repoRoot, tempDir, TEST_CLOCK } from '../../helpers/serve';

let services: AppServices;
let host: HttpHost;
let dataDir: string;
/** Every full ID number the session handled. */
const used = new Set<string>();

const call = async (method: string, input: unknown) => services.dispatch(method, input, { transport: 'ipc' });
const post = async (method: string, body: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`${host.url}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return (await res.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
};

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? [p, ...walk(p)] : [p];
  });
}

beforeAll(async () => {
  process.env.PENSION_COUNTER_ROOT ??= repoRoot;
  // A directory the app creates itself, so its mode is the app's doing.
  dataDir = path.join(tempDir('privacy'), 'counter-data');
  services = createAppServices({ dataDir, demoPayers: 200, clock: fixedStartClock(new Date(TEST_CLOCK)) });
  await services.ready;
  const rendererDir = tempDir('privacy-renderer');
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  host = await startHttpHost({ services, port: 0, rendererDir });

  const db = new Database(services.layout.databaseFile, { readonly: true });
  const payers = db.prepare('SELECT id, id_number FROM payers ORDER BY id LIMIT 6').all() as { id: number; id_number: string }[];
  db.close();
  for (const p of payers) used.add(p.id_number);
  const first17 = '52990119800101123';
  const unknown = first17 + idCheckChar(first17);
  const badCheck = first17 + (idCheckChar(first17) === '0' ? '1' : '0');
  used.add(unknown);
  used.add(badCheck);

  // Sign-in typos: an ID number in the user name field, before and after a real sign-in.
  await call('session.signIn', { username: payers[0]!.id_number, password: 'x', counterNo: 1 });
  await post('session.signIn', { username: `身份证${payers[1]!.id_number}`, password: payers[1]!.id_number, counterNo: 1 });
  // Calls before sign-in with full ID numbers.
  await post('payer.lookup', { idNumber: payers[2]!.id_number });
  expect((await post('session.signIn', { username: 'clerk', password: '1234', counterNo: 3 })).ok).toBe(true);

  // Lookups by full ID number, upper and lower case, over both transports.
  for (const p of payers) {
    expect((await call('payer.lookup', { idNumber: p.id_number })).ok).toBe(true);
    expect((await post('payer.lookup', { idNumber: p.id_number.toLowerCase() })).ok).toBe(true);
  }
  // Failed lookups: unknown, wrong check character, wrong shapes, ID numbers where they do not belong.
  expect(await call('payer.lookup', { idNumber: unknown })).toMatchObject({ ok: false });
  expect(await post('payer.lookup', { idNumber: badCheck })).toMatchObject({ ok: false });
  await post('payer.lookup', { idNumber: `${unknown} ` });
  await post('payer.lookup', { idNumber: unknown, extra: unknown });
  await post('payer.lookup', { id: unknown });
  await call('payer.search', { query: unknown });
  await post('payer.search', { query: payers[3]!.id_number, village: unknown });
  await post('payer.get', { payerId: unknown });
  await call(`payer.lookup/${unknown}`, { idNumber: unknown });
  await post(`payer.${unknown}`, { idNumber: unknown });
  await post('payer.lookup', `{"idNumber":"${unknown}"`); // not JSON

  // A card on the simulated reader, and a payment for its holder.
  const cards = (await call('training.cards', {})) as { ok: true; value: { index: number }[] };
  const read = new Promise<void>((resolve) => {
    const off = services.events.subscribe((name) => {
      if (name === 'card.read') {
        off();
        resolve();
      }
    });
  });
  expect((await call('training.placeCard', { index: cards.value[0]!.index })).ok).toBe(true);
  await read;
  const payer = (await call('payer.lookup', { idNumber: payers[4]!.id_number })) as {
    ok: true;
    value: { id: number; years: { year: number; status: string }[] };
  };
  const quote = await call('payment.quote', { payerId: payer.value.id, lines: [{ year: 2026, tierFen: 20000 }] });
  if (quote.ok) {
    await call('payment.record', {
      transactionUid: crypto.randomUUID(),
      payerId: payer.value.id,
      lines: [{ year: 2026, tierFen: 20000 }],
      method: 'bank_card',
      tenderedFen: null,
      posRef: '202606150002',
    });
  }
  await call('session.signOut', {});
  // A backup taken at the end of the session lands in the data directory too.
  const db2 = new Database(services.layout.databaseFile);
  await backupDatabase(db2, path.join(dataDir, 'backups'));
  db2.close();
  services.log.flush();
}, 60_000);

afterAll(async () => {
  await host?.close();
  await services?.close();
});

describe('privacy', () => {
  it('no log file under the data directory holds a full ID number', () => {
    const logs = walk(dataDir).filter((f) => f.endsWith('.log'));
    expect(logs.length).toBeGreaterThan(0);
    const text = logs.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    // The session really was logged: refusals, the card read, the sign-in typos.
    expect(text).toContain('API call refused');
    expect(text).toContain('card read');
    expect(text).toContain('sign-in failed');
    expect(text).toMatch(/\d{6}\*{8}\d{3}[\dX]/);
    // Any run of 17 digits and a check character, even glued to other text.
    expect(text.match(/(?<!\d)\d{17}[\dXx](?!\d)/g) ?? []).toEqual([]);
    const lower = text.toLowerCase();
    for (const id of used) expect(lower.includes(id.toLowerCase()), `log contains ${id.slice(0, 6)}…`).toBe(false);
  });

  it('every file of the data directory is owner-only (0600) and every folder 0700', () => {
    const entries = [dataDir, ...walk(dataDir)];
    expect(entries.some((e) => e.endsWith('counter.sqlite'))).toBe(true);
    expect(entries.some((e) => e.endsWith('config.json'))).toBe(true);
    expect(entries.some((e) => e.includes(`${path.sep}backups${path.sep}`))).toBe(true);
    const wrong = entries
      .map((e) => ({ e: path.relative(dataDir, e) || '.', dir: fs.statSync(e).isDirectory(), mode: fs.statSync(e).mode & 0o777 }))
      .filter(({ dir, mode }) => mode !== (dir ? 0o700 : 0o600))
      .map(({ e, mode }) => `${e} ${mode.toString(8)}`);
    expect(wrong).toEqual([]);
  });

  // A scanner prefix or a typo in the user-name field glues letters to the number.
  it('an ID number glued to letters is masked by the log scrubber', () => {
    expect(scrubIdNumbers('ID520123197001010014')).not.toContain('520123197001010014');
  });
});
