// Hostile upstream answers beyond the fixed malformed kinds of tests/integration/sync: a proxy in
// front of the reference upstream damages one answer of a sync run at random (structure, text,
// status). The run may fail, but never throws and never hangs; a refused answer leaves nothing
// behind, so once the upstream answers properly again the ledgers agree exactly, and the
// counter's own payments reach the upstream exactly once whatever the damage was.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { SyncEngine, UpstreamClient } from '../../../electron/sync';
import type { UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import { compareLedgers, KEY, makeCounter, quietLog, recordCounterPayment, startSim, STATION, unpaidPayers, type Counter } from '../sync/helpers';
import { damage, mutate, mutations, textDamage, type Mutation } from '../../unit/trust/mutate';

type Harm =
  | { kind: 'json'; list: Mutation[] }
  | { kind: 'text'; d: { at: number; op: 'cut' | 'insert'; ch: string } }
  | { kind: 'status'; status: number }
  | { kind: 'empty' };

const harmArb: fc.Arbitrary<Harm> = fc.oneof(
  { weight: 4, arbitrary: mutations.map((list) => ({ kind: 'json' as const, list })) },
  { weight: 2, arbitrary: textDamage.map((d) => ({ kind: 'text' as const, d: d as { at: number; op: 'cut' | 'insert'; ch: string } })) },
  { weight: 1, arbitrary: fc.constantFrom(201, 204, 302, 400, 401, 404, 409, 418, 500, 503).map((status) => ({ kind: 'status' as const, status })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'empty' as const }) },
);

/** Forwards to the upstream; the `target`-th answer (0-based) is damaged by `harm`. */
async function startProxy(upstream: string) {
  let target = -1;
  let harm: Harm = { kind: 'empty' };
  let seen = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      void fetch(upstream + (req.url ?? '/'), { method: req.method, headers, body })
        .then(async (up) => {
          let status = up.status;
          let text = await up.text();
          if (seen++ === target) {
            if (harm.kind === 'json') {
              try {
                text = JSON.stringify(mutate(JSON.parse(text), harm.list));
              } catch {
                text = '{';
              }
            } else if (harm.kind === 'text') text = damage(text, harm.d);
            else if (harm.kind === 'status') status = harm.status;
            else text = '';
          }
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(status === 204 ? undefined : text);
        })
        .catch(() => {
          res.writeHead(502);
          res.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arm(n: number, h: Harm) {
      target = n;
      harm = h;
      seen = 0;
    },
    disarm() {
      target = -1;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let sim: UpstreamSim | null = null;
let counter: Counter | null = null;
afterEach(async () => {
  counter?.db.close();
  await sim?.close();
  sim = null;
  counter = null;
});

describe('randomly damaged upstream answers', () => {
  it('a sync run with one damaged answer fails cleanly or succeeds; a clean run then converges', async () => {
    sim = await startSim(200);
    const proxy = await startProxy(sim.url);
    try {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: 7 }), harmArb, async (n, harm) => {
          counter?.db.close();
          counter = await makeCounter({ seedPayers: 200 });
          for (const id of unpaidPayers(counter.db, 2026, 2)) recordCounterPayment(counter, id, [{ year: 2026, tierFen: 20000 }]);
          const engine = new SyncEngine({
            db: counter.db,
            client: new UpstreamClient({ baseUrl: proxy.url, key: KEY, timeoutMs: 15_000 }),
            log: quietLog(),
            pageSize: 60,
          });
          proxy.arm(n, harm);
          const hostile = await engine.syncOnce();
          expect(typeof hostile.ok).toBe('boolean');
          if (!hostile.ok) expect(hostile.error).toEqual(expect.any(String));
          proxy.disarm();
          const clean = await engine.syncOnce();
          expect(clean, JSON.stringify(hostile)).toMatchObject({ ok: true, pending: 0 });
          // A refused answer leaves nothing behind: the ledgers then agree exactly. A damaged answer
          // that is still valid (a slip number replaced by another string) cannot be told from a true
          // one and is applied; only the counter's own payments are then checked below.
          if (!hostile.ok) expect(compareLedgers(counter.db, sim!.store)).toMatchObject({ equal: true });
          // Each run's counter payments reached the upstream exactly once.
          const mine = counter.db.prepare('SELECT count(*) AS n FROM outbox WHERE confirmed_at IS NOT NULL').get() as { n: number };
          expect(mine.n).toBe(2);
        }),
        { numRuns: 8 },
      );
      expect(sim.store.allPayments().filter((p) => p.station === STATION).length).toBe(16);
    } finally {
      await proxy.close();
    }
  }, 120_000);
});
