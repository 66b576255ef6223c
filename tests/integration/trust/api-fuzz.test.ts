// Hostile payloads at the API boundary: every contract method, through the same dispatch the hosts
// use and over HTTP through the browser host. Every call ends in a well-formed envelope (never a
// thrown exception, never INTERNAL, never a hang), and a refused call leaves the database as it was.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import fc from 'fast-check';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, methodNames, type MethodName } from '../../../shared/api/contract';
import { errorCodes, type Envelope } from '../../../shared/api/errors';
import { createAppServices, type AppServices } from '../../../electron/services/app';
import { fixedStartClock } from '../../../electron/platform/clock';
import { startHttpHost, type HttpHost } from '../../../electron/services/host/http-host';
import { repoRoot, tempDir, TEST_CLOCK } from '../../helpers/serve';
import { databaseDigest } from './helpers';
import { hostilePayload, hostileString } from './hostile';

let services: AppServices;
let host: HttpHost;
let reader: Database.Database;

/**
 * Left out of the comparison: what a refusal may legitimately change (a wrong password counts
 * towards the lockout and may be audited) and what the printer worker updates in the background
 * (the progress of jobs queued by earlier successful calls). Everything else must be unchanged.
 */
const digest = () =>
  databaseDigest(reader, {
    ignore: {
      operators: ['failed_attempts', 'locked_until'],
      audit_log: '*',
      audit_head: '*',
      print_jobs: ['state', 'attempts', 'last_error', 'printed_at', 'sent_at'],
    },
  });

const Env = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }).strict(),
  z
    .object({
      ok: z.literal(false),
      error: z
        .object({ code: z.enum(errorCodes), message: z.string().min(1), issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() })
        .strict(),
    })
    .strict(),
]);

function withTimeout<T>(p: Promise<T>, what: string, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer (hang?): ${what}`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

const call = (method: unknown, input: unknown) => withTimeout(services.dispatch(method, input, { transport: 'ipc' }), String(method));

async function signInAs(username: string, password: string) {
  const r = await call('session.signIn', { username, password, counterNo: 7 });
  if (!r.ok) throw new Error(`sign-in as ${username}: ${r.error.code}`);
}

/** Back to the state the fuzz assumes (supervisor signed in, screen unlocked) after a call that succeeded. */
async function restoreSession() {
  const s = (await call('session.current', {})) as Envelope<{ operator: { username: string } | null; locked: boolean }>;
  if (!s.ok) throw new Error('session.current failed');
  if (!s.value.operator || s.value.operator.username !== 'super') return signInAs('super', '5678');
  if (s.value.locked) {
    const u = await call('session.unlock', { password: '5678' });
    if (!u.ok) throw new Error('unlock failed');
  }
}

/** Near-valid payloads, so that one hostile field is what the boundary has to catch. */
const templates: Partial<Record<MethodName, Record<string, unknown>>> = {
  'session.signIn': { username: 'clerk', password: 'x', counterNo: 3 },
  'session.unlock': { password: 'x' },
  'payer.lookup': { idNumber: '520123197001010014' },
  'payer.search': { query: '张', limit: 5 },
  'payer.get': { payerId: 1 },
  'payment.quote': { payerId: 1, lines: [{ year: 2026, tierFen: 20000 }] },
  'payment.record': {
    transactionUid: '00000000-0000-4000-8000-000000000000',
    payerId: 1,
    lines: [{ year: 2026, tierFen: 20000 }],
    method: 'cash',
    tenderedFen: 0,
  },
  'print.get': { jobId: 1 },
  'training.placeCard': { index: 0 },
  'training.printerFault': { paperOut: false, coverOpen: false, online: true },
};

function inputKeys(m: MethodName): string[] {
  const schema = contract[m].input as unknown as { shape?: Record<string, unknown> };
  return schema.shape ? Object.keys(schema.shape) : [];
}

/** Methods that change something when they succeed; fuzzed too, the digest is re-taken after a success. */
let baseline = '';

async function fuzzOne(method: MethodName | string, input: unknown): Promise<Envelope<unknown>> {
  const r = await call(method, input);
  expect(Env.safeParse(r).success, `${String(method)}: not an envelope`).toBe(true);
  if (!r.ok) {
    if (r.error.code === 'INTERNAL') {
      // What the service logged about it, so a failure names its cause.
      services.log.flush();
      const tail = fs.readFileSync(path.join(services.layout.logDir, 'app.log'), 'utf8').trim().split('\n').slice(-3).join('\n');
      expect.fail(`${String(method)} answered INTERNAL for ${JSON.stringify(input)?.slice(0, 300)}\n${tail}`);
    }
    expect(digest(), `${String(method)} was refused (${r.error.code}) but changed the database`).toBe(baseline);
  } else {
    await restoreSession();
    baseline = digest();
  }
  return r;
}

beforeAll(async () => {
  process.env.PENSION_COUNTER_ROOT ??= repoRoot;
  services = createAppServices({ dataDir: tempDir('fuzz'), demoPayers: 200, clock: fixedStartClock(new Date(TEST_CLOCK)) });
  await services.ready;
  reader = new Database(services.layout.databaseFile, { readonly: true });
  const rendererDir = tempDir('fuzz-renderer');
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  host = await startHttpHost({ services, port: 0, rendererDir });
  await signInAs('super', '5678');
  baseline = digest();
}, 60_000);

afterAll(async () => {
  reader?.close();
  await host?.close();
  await services?.close();
});

describe('dispatch: hostile payloads for every contract method', () => {
  it.each(methodNames.map((m) => [m]))('%s', async (method) => {
    await fc.assert(
      fc.asyncProperty(hostilePayload(inputKeys(method), templates[method]), async (input) => {
        await fuzzOne(method, input);
      }),
      { numRuns: 25 },
    );
  });

  it('unknown or hostile method names are refused as UNKNOWN_METHOD, prototype keys included', async () => {
    const names = [
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'payer.lookup ',
      'PAYER.LOOKUP',
      'payer.lookup\u0000',
      '',
      null,
      42,
      { method: 'app.info' },
      ['app.info'],
    ];
    for (const m of names) expect(await fuzzOne(m as string, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    await fc.assert(
      fc.asyncProperty(hostileString, async (m) => {
        const r = await fuzzOne(m, {});
        return methodNames.includes(m as MethodName) || (!r.ok && r.error.code === 'UNKNOWN_METHOD');
      }),
      { numRuns: 60 },
    );
  });

  it('nothing was polluted', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).role).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});

describe('dispatch: access rules hold whatever the payload', () => {
  const staffOnly = methodNames.filter((m) => contract[m].access !== 'public');

  it('locked screen: every protected call is SCREEN_LOCKED, or FORBIDDEN beyond the role (except those that end the lock)', async () => {
    await call('session.lock', {});
    baseline = digest();
    for (const m of staffOnly.filter((x) => x !== 'session.signOut' && x !== 'session.lock')) {
      const access = contract[m].access;
      const expected = access !== 'public' && access.includes('supervisor') ? 'SCREEN_LOCKED' : 'FORBIDDEN';
      await fc.assert(
        fc.asyncProperty(hostilePayload(inputKeys(m), templates[m]), async (input) => {
          const r = await call(m, input);
          expect(r, m).toMatchObject({ ok: false, error: { code: expected } });
          expect(digest()).toBe(baseline);
        }),
        { numRuns: 5 },
      );
    }
    await restoreSession();
    baseline = digest();
  });

  it('signed out: every protected call is NOT_SIGNED_IN; as admin, every counter call is FORBIDDEN', async () => {
    await call('session.signOut', {});
    baseline = digest();
    for (const m of staffOnly) {
      await fc.assert(
        fc.asyncProperty(hostilePayload(inputKeys(m), templates[m]), async (input) => {
          expect(await call(m, input), m).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
        }),
        { numRuns: 5 },
      );
    }
    expect(digest()).toBe(baseline);

    await signInAs('admin', '0000');
    baseline = digest();
    const notForAdmin = staffOnly.filter((m) => {
      const access = contract[m].access;
      return access !== 'public' && !access.includes('admin');
    });
    expect(notForAdmin).toContain('payer.lookup');
    for (const m of notForAdmin) {
      await fc.assert(
        fc.asyncProperty(hostilePayload(inputKeys(m), templates[m]), async (input) => {
          expect(await call(m, input), m).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        }),
        { numRuns: 5 },
      );
    }
    expect(digest()).toBe(baseline);
    await restoreSession();
    baseline = digest();
  });
});

interface RawResponse {
  status: number;
  body: string;
}

/** A raw HTTP request, so that headers (Host, Origin) and bodies can be anything. */
function raw(options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawResponse | 'reset'> {
  return withTimeout(
    new Promise((resolve) => {
      const req = http.request(
        { host: '127.0.0.1', port: host.port, agent: false, method: options.method ?? 'POST', path: options.path, headers: options.headers },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          res.on('error', () => resolve('reset'));
        },
      );
      req.on('error', () => resolve('reset'));
      req.end(options.body);
    }),
    options.path.slice(0, 60),
  );
}

/** encodeURIComponent, or a malformed escape for what it cannot encode (a lone surrogate). */
function encodeOrRaw(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
}

describe('HTTP boundary of the browser host', () => {
  const good = () => ({ host: `127.0.0.1:${host.port}`, authorization: `Bearer ${host.token}`, 'content-type': 'application/json' });

  it('refuses without the token, with a wrong token, a foreign Origin or a bad Host, before any service runs', async () => {
    const bodies = [JSON.stringify({ idNumber: '520123197001010014' }), JSON.stringify({ username: 'super', password: '5678', counterNo: 1 })];
    const variants: [Record<string, string>, number][] = [
      [{ host: good().host, 'content-type': 'application/json' }, 401],
      [{ ...good(), authorization: 'Bearer ' + 'x'.repeat(host.token.length) }, 401],
      [{ ...good(), authorization: host.token }, 401],
      [{ ...good(), authorization: `bearer ${host.token}` }, 401],
      [{ ...good(), origin: 'http://evil.example' }, 403],
      [{ ...good(), origin: `http://127.0.0.1:${host.port}.evil.example` }, 403],
      [{ ...good(), origin: 'null' }, 403],
      [{ ...good(), host: 'evil.example' }, 403],
      [{ ...good(), host: `127.0.0.1:${host.port + 1}` }, 403],
      [{ ...good(), 'content-type': 'text/plain' }, 415],
    ];
    for (const method of ['payer.lookup', 'session.signIn', 'session.signOut']) {
      for (const [headers, status] of variants) {
        for (const body of bodies) {
          const r = await raw({ path: `/api/${method}`, headers, body });
          expect(r === 'reset' ? 0 : r.status, `${method} ${JSON.stringify(headers)}`).toBe(status);
        }
      }
    }
    expect(digest()).toBe(baseline);
    // Still signed in as before: the refused sign-in/sign-out never reached the session.
    expect(await call('session.current', {})).toMatchObject({ ok: true, value: { operator: { username: 'super' } } });
  });

  it('random bodies, method paths and content: a JSON answer with a sane status, no state change on refusal', async () => {
    const pathArb = fc.oneof(
      fc.constantFrom(...methodNames).map((m) => `/api/${m}`),
      fc.constantFrom(
        '/api/%E0%A4%A',
        '/api/%',
        '/api/..%2F..%2Fetc%2Fpasswd',
        '/api/__proto__',
        '/api//payer.lookup',
        `/api/${'a'.repeat(8000)}`,
        '/api/payer.lookup?x=1#y',
      ),
      hostileString.map((s) => `/api/${encodeOrRaw(s).slice(0, 4000)}`),
    );
    const bodyArb = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.constantFrom('', '{', '{"a":', 'null', '[]', '"x"', '{"__proto__":{"polluted":1}}', '\u0000', '{"idNumber":"520123197001010014"}'.repeat(3)),
    );
    await fc.assert(
      fc.asyncProperty(pathArb, bodyArb, async (p, body) => {
        const r = await raw({ path: p, headers: good(), body });
        if (r === 'reset') throw new Error(`connection reset for ${p.slice(0, 80)}`);
        expect([200, 400, 404, 413]).toContain(r.status);
        const parsed = Env.safeParse(JSON.parse(r.body));
        expect(parsed.success, r.body.slice(0, 200)).toBe(true);
        const env = parsed.data!;
        if (!env.ok) {
          expect(env.error.code).not.toBe('INTERNAL');
          expect(digest()).toBe(baseline);
        } else {
          await restoreSession();
          baseline = digest();
        }
      }),
      { numRuns: 120 },
    );
  });

  it('a body over the limit is refused (413 or a closed connection) and the host keeps serving', async () => {
    const huge = Buffer.alloc(3 * 1024 * 1024, 0x61);
    const r = await raw({ path: '/api/payer.search', headers: good(), body: huge });
    expect(r === 'reset' || r.status === 413).toBe(true);
    expect(digest()).toBe(baseline);
    const ok = await raw({ path: '/api/app.info', headers: good(), body: '{}' });
    expect(ok).toMatchObject({ status: 200 });
  });
});
