import fs from 'node:fs';
import type { Socket } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createAppServices, type AppServices } from '../../../electron/services/app';
import { fixedStartClock } from '../../../electron/platform/clock';
import { startHttpHost, type HttpHost } from '../../../electron/services/host/http-host';
import { latestSchemaVersion } from '../../../electron/platform/db/migrations';
import { repoRoot, tempDir, TEST_CLOCK } from '../../helpers/serve';

// A minimal built renderer is enough here: the host's job under test is the boundary, not the UI.
const rendererDir = tempDir('renderer');
fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');

let services: AppServices;
let host: HttpHost;

const post = (method: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${host.url}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}`, ...headers },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  process.env.PENSION_COUNTER_ROOT ??= repoRoot;
  services = createAppServices({ dataDir: tempDir('host'), demoPayers: 300, clock: fixedStartClock(new Date(TEST_CLOCK)) });
  host = await startHttpHost({ services, port: 0, rendererDir });
  await services.ready;
}, 60_000);

afterAll(async () => {
  await host.close();
  await services.close();
});

describe('browser host boundary', () => {
  it('answers /healthz without the token and without data', async () => {
    const res = await fetch(`${host.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', version: expect.any(String), mode: 'training', schemaVersion: latestSchemaVersion });
  });

  it('refuses API calls without the token, with a wrong one, or from a foreign origin', async () => {
    const noToken = await fetch(`${host.url}/api/app.info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(noToken.status).toBe(401);
    expect((await post('app.info', {}, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await post('app.info', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await post('app.info', {})).status).toBe(200);
  });

  it('refuses a request whose Host is not the loopback address (DNS rebinding)', async () => {
    const http = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: host.port,
          path: '/api/app.info',
          method: 'POST',
          headers: { host: 'attacker.example:80', authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
        },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(403);
  });

  it('rejects malformed JSON and oversized bodies with a clear error, and the service keeps working', async () => {
    const bad = await fetch(`${host.url}/api/app.info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
      body: '{"a":',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('JSON');
    const huge = await post('payer.lookup', { idNumber: 'x'.repeat(2 * 1024 * 1024) }).catch(() => null);
    expect(huge === null || huge.status === 413).toBe(true);
    expect((await post('app.info', {})).status).toBe(200);
  });

  it('serves the whole slice over HTTP: sign in, look up by ID number, see the payer', async () => {
    const before = (await (await post('payer.lookup', { idNumber: '520123197001010014' })).json()) as { ok: boolean; error: { code: string } };
    expect(before).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });

    const wrong = (await (await post('session.signIn', { username: 'clerk', password: 'bad', counterNo: 2 })).json()) as { error: { message: string } };
    expect(wrong.error.message).toContain('用户名或密码错误');

    const signIn = (await (await post('session.signIn', { username: 'clerk', password: '1234', counterNo: 2 })).json()) as {
      ok: boolean;
      value: { operator: { displayName: string }; shift: { counterNo: number } };
    };
    expect(signIn.ok).toBe(true);
    expect(signIn.value.shift.counterNo).toBe(2);

    // The registry as the database has it, to compare with what the API shows.
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(services.layout.dir, 'counter.sqlite'), { readonly: true });
    const row = db.prepare('SELECT id, id_number, name FROM payers ORDER BY id LIMIT 1 OFFSET 10').get() as { id: number; id_number: string; name: string };
    const paid = db.prepare('SELECT year, amount_fen FROM payments WHERE payer_id = ? ORDER BY year').all(row.id) as { year: number; amount_fen: number }[];
    db.close();

    const res = (await (await post('payer.lookup', { idNumber: row.id_number.toLowerCase() })).json()) as {
      ok: boolean;
      value: { name: string; idNumberMasked: string; years: { year: number; payments: { amountFen: number }[] }[] };
    };
    expect(res.ok).toBe(true);
    expect(res.value.name).toBe(row.name);
    expect(res.value.idNumberMasked).toBe(`${row.id_number.slice(0, 6)}********${row.id_number.slice(-4)}`);
    expect(JSON.stringify(res.value)).not.toContain(row.id_number);
    expect(res.value.years[0]?.year).toBe(2026);
    const shown = res.value.years.flatMap((y) => y.payments.map((p) => ({ year: y.year, amount_fen: p.amountFen }))).sort((a, b) => a.year - b.year);
    expect(shown).toEqual(paid);
  });

  it('pushes events over the WebSocket only with the token', async () => {
    const refused = new WebSocket(`ws://127.0.0.1:${host.port}/events`);
    const refusedResult = await new Promise<string>((resolve) => {
      refused.on('open', () => resolve('open'));
      refused.on('error', () => resolve('refused'));
    });
    expect(refusedResult).toBe('refused');

    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/events?token=${host.token}`);
    const first = await new Promise<{ event: string; payload: { state: string } }>((resolve, reject) => {
      ws.on('message', (m) => resolve(JSON.parse(String(m))));
      ws.on('error', reject);
    });
    // The latest start-up status is replayed to a new client.
    expect(first).toMatchObject({ event: 'app.status', payload: { state: 'ready' } });
    ws.close();
  });
});

describe('browser host robustness', () => {
  it('answers malformed paths and escapes with 400 and keeps serving', async () => {
    const http = await import('node:http');
    const raw = (path: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port: host.port, path, method: 'POST', headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end('{}');
      });
    expect(await raw('/api/%E0%A4%A')).toBe(400);
    expect(await raw('/api/%')).toBe(400);
    expect((await post('app.info', {})).status).toBe(200);
  });
});

describe('browser host connection limits', () => {
  it('closes idle and slow connections, caps the count, and keeps answering the API', async () => {
    const net = await import('node:net');
    const limited = await startHttpHost({
      services,
      port: 0,
      rendererDir,
      limits: { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, idleTimeoutMs: 500, socketIdleTimeoutMs: 1_500, maxConnections: 20 },
    });
    const sockets: Socket[] = [];
    const closed = new Set<number>();
    try {
      const open = (i: number) =>
        new Promise<void>((resolve) => {
          const s = net.connect(limited.port, '127.0.0.1', () => resolve());
          s.on('close', () => closed.add(i));
          s.on('error', () => closed.add(i));
          sockets.push(s);
        });
      // 15 idle connections that never send a byte, 3 that send half a request and stall.
      for (let i = 0; i < 15; i++) await open(i);
      for (let i = 15; i < 18; i++) {
        await open(i);
        sockets[i]!.write('POST /api/app.info HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      }
      // Over the cap: the server drops the extra connections at once.
      for (let i = 18; i < 30; i++) await open(i);
      await new Promise((r) => setTimeout(r, 300));
      expect([...closed].filter((i) => i >= 20).length).toBeGreaterThan(0);
      // Within a few seconds the host has closed every idle and stalled connection, counted on the
      // server's side, which is what holds the file descriptors. (Not by the clients' 'close'
      // events: on a CPU-starved machine a few of those were still missing 20 s after the server
      // had closed its side; seen in full runs, cause not found.)
      const deadline = Date.now() + 20_000;
      while ((await limited.openConnections()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await limited.openConnections()).toBe(0);
      // ...and the API answers.
      const res = await fetch(`${limited.url}/api/app.info`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${limited.token}` },
        body: '{}',
      });
      expect(res.status).toBe(200);
    } finally {
      for (const s of sockets) s.destroy();
      await limited.close();
    }
  }, 45_000);
});
