// The reference upstream: serves protocol v1 (docs/upstream-protocol.md) from its own SQLite
// database, with bank and app payments arriving over time and injectable faults. The sync tests
// run against it on loopback; a hall can run it to rehearse (`pension-counter upstream-sim`).
import http from 'node:http';
import path from 'node:path';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import { civilDate, systemClock, type Clock } from '../../platform/clock';
import { Rng } from '../../services/demo/rng';
import { trainingConfig } from '../../platform/config';
import type { Logger } from '../../platform/log';
import { openTiersFen, policyInForce } from '../../services/policy/current';
import {
  API_PREFIX,
  Cursor,
  ExchangeClaimRequest,
  HelloRequest,
  IdempotencyKey,
  INSTALLATION_HEADER,
  InstallationId,
  MAX_PAGE_LIMIT,
  MAX_REQUEST_BYTES,
  PROTOCOL_VERSION,
  PushRequest,
  ReceiptBlockRequest,
  type ProtocolErrorCode,
  type StreamName,
  type WirePayment,
  errorCodes,
} from '../../sync/protocol';
import type { FaultConfig } from './faults';
import { TRAINING_COUNTER_KEY } from '../../sync/index';
import { SimStore } from './store';

export const DEFAULT_SIM_PORT = 8790;
// Training mode's own defaults: a simulator started with defaults serves the very county a new
// training counter generates for itself (same seed, region, county name and policy tiers).
const TRAINING = trainingConfig();
export const DEFAULT_SIM_SEED = TRAINING.demo?.seed ?? 20260101;
/** The key the simulator accepts when none are configured: for rehearsals and tests only. */
export const SIM_DEFAULT_KEYS: Readonly<Record<string, string>> = { [TRAINING_COUNTER_KEY]: 'training-counter' };
const HALL_TIME_ZONE = TRAINING.timeZone;

export interface UpstreamSimOptions {
  port?: number;
  /** Loopback unless a hall rehearses over its network. */
  host?: string;
  /** Where upstream.sqlite lives; without it the simulator keeps its ledger in memory. */
  dataDir?: string | null;
  payers?: number;
  seed?: number;
  /** The county's "today" (YYYY-MM-DD); defaults to the clock's date in the hall. */
  asOf?: string;
  /** Tier amounts for generated history; defaults to the demo policy, as training mode does. */
  tiersFen?: number[];
  regionCode?: string;
  countyName?: string;
  /** Accepted bearer keys and the counter (station) each belongs to. */
  keys?: Record<string, string>;
  faults?: FaultConfig;
  /** Seed of the fault and arrival streams. */
  faultSeed?: number;
  clock?: Clock;
  /** Bank and app payments arriving per minute by themselves (0: only through advance()). */
  arrivalsPerMinute?: number;
  log?: Logger;
}

export type SimRoute = 'hello' | 'time' | 'payers' | 'payments' | 'events' | 'receipt-blocks' | 'exchange-claims' | 'day-totals' | 'history';

export interface SimHooks {
  /** Called as each answer starts going out (tests watch the progress of a sync with it). */
  onResponse?: (info: { route: SimRoute; status: number }) => void;
  /** Awaited after an event is stored and before it is answered (tests kill the counter here). */
  afterStore?: (info: { idempotencyKey: string; kind: string; stored: number }) => Promise<void> | void;
}

export interface UpstreamSim {
  readonly url: string;
  readonly port: number;
  readonly store: SimStore;
  readonly hooks: SimHooks;
  /** n bank / app payments arrive now. */
  advance(n: number): WirePayment[];
  setFaults(faults: FaultConfig): void;
  /** Answers sent, by route. */
  served(): Record<SimRoute, number>;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** YYYY-MM-DD naming a day of the calendar. */
const isCivilDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Creates (or reopens) the simulator's ledger and starts serving. */
export async function startUpstreamSim(options: UpstreamSimOptions = {}): Promise<UpstreamSim> {
  const clock = options.clock ?? systemClock;
  const log = options.log;
  let file: string | null = null;
  if (options.dataDir) {
    fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    file = path.join(options.dataDir, 'upstream.sqlite');
  }
  const store = new SimStore(file);
  if (!store.isSeeded()) {
    const asOf = options.asOf ?? civilDate(clock.now(), HALL_TIME_ZONE);
    const tiersFen = options.tiersFen ?? openTiersFen(await policyInForce(TRAINING.policyRegion, Number(asOf.slice(0, 4))));
    const seeded = store.seed(
      {
        seed: options.seed ?? DEFAULT_SIM_SEED,
        payers: options.payers ?? 120_000,
        asOf,
        regionCode: options.regionCode ?? TRAINING.regionCode,
        countyName: options.countyName ?? TRAINING.countyName,
        tiersFen,
      },
      clock.now().toISOString(),
    );
    log?.info(seeded, 'upstream simulator seeded');
  }

  const keys = new Map(Object.entries(options.keys ?? SIM_DEFAULT_KEYS));
  let faults: FaultConfig = options.faults ?? {};
  const faultRng = new Rng(options.faultSeed ?? 1, 7);
  const arrivalRng = new Rng(options.faultSeed ?? 1, 8);
  const hooks: SimHooks = {};
  const served: Record<SimRoute, number> = {
    hello: 0,
    time: 0,
    payers: 0,
    payments: 0,
    events: 0,
    'receipt-blocks': 0,
    'exchange-claims': 0,
    'day-totals': 0,
    history: 0,
  };
  const chance = (p: number | undefined) => p !== undefined && p > 0 && faultRng.next() < p;

  const advance = (n: number) => store.arrivals(n, arrivalRng, clock.now(), civilDate(clock.now(), HALL_TIME_ZONE));

  const send = (res: http.ServerResponse, route: SimRoute | null, status: number, body: unknown, cut = false) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const bytes = Buffer.from(text, 'utf8');
    if (route) {
      served[route]++;
      hooks.onResponse?.({ route, status });
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length });
    if (cut) {
      // The connection drops mid-answer: the client sees a short body and a reset socket.
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
      setImmediate(() => res.socket?.destroy());
      return;
    }
    res.end(bytes);
  };
  const sendError = (res: http.ServerResponse, route: SimRoute | null, code: ProtocolErrorCode, message: string) =>
    send(res, route, errorCodes[code], { error: { code, message } });

  const readBody = async (req: http.IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > MAX_REQUEST_BYTES) throw new HttpError('PAYLOAD_TOO_LARGE', `request body over ${MAX_REQUEST_BYTES} bytes`);
      chunks.push(chunk);
    }
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw new HttpError('BAD_REQUEST', 'body is not valid JSON');
    }
  };
  const parse = <S extends z.ZodType>(schema: S, value: unknown): z.infer<S> => {
    const r = schema.safeParse(value);
    if (!r.success) {
      throw new HttpError(
        'BAD_REQUEST',
        r.error.issues
          .slice(0, 5)
          .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; '),
      );
    }
    return r.data as z.infer<S>;
  };

  const pullPage = (stream: StreamName, url: URL, duplicate: boolean) => {
    const after = parse(Cursor, url.searchParams.get('after') ?? '0');
    const limitText = url.searchParams.get('limit') ?? '500';
    if (!/^\d{1,4}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > MAX_PAGE_LIMIT) {
      throw new HttpError('BAD_REQUEST', `limit must be 1–${MAX_PAGE_LIMIT}`);
    }
    const limit = Number(limitText);
    const slice = stream === 'payers' ? store.payersPage(Number(after), limit) : store.paymentsPage(Number(after), limit);
    let items: { seq: number }[] = slice.items;
    if (duplicate && items.length) {
      // At-least-once delivery: a few items again, including some the client already has.
      const before = stream === 'payers' ? store.payersBefore(Number(after), 3) : store.paymentsBefore(Number(after), 3);
      const room = Math.max(0, limit - items.length);
      items = [...before.slice(0, room), ...items];
      if (items.length < limit) items.push(items[0]!);
    }
    if (faults.reorder) {
      items = [...items];
      for (let i = items.length - 1; i > 0; i--) {
        const j = faultRng.int(i + 1);
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
    }
    const page = { protocol: PROTOCOL_VERSION, stream, after, items, next: slice.next, more: slice.more, remaining: slice.remaining };
    switch (faults.malformed) {
      case 'bad_json':
        return JSON.stringify(page).slice(0, 40);
      case 'wrong_types':
        return {
          ...page,
          items: items.map((it) => ({ ...it, seq: String(it.seq), ...('amountFen' in it ? { amountFen: `${Number(it.amountFen) / 100}元` } : {}) })),
        };
      case 'huge_page': {
        const many: unknown[] = [];
        while (items.length && many.length < limit * 5) many.push(...items);
        return { ...page, items: many };
      }
      case 'bad_cursor':
        return { ...page, next: 'zzz' };
      default:
        return page;
    }
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const p = url.pathname.startsWith(`${API_PREFIX}/`) ? url.pathname.slice(API_PREFIX.length + 1) : '';
    const routes: Record<string, [string, SimRoute]> = {
      hello: ['POST', 'hello'],
      time: ['GET', 'time'],
      payers: ['GET', 'payers'],
      payments: ['GET', 'payments'],
      events: ['POST', 'events'],
      'receipt-blocks': ['POST', 'receipt-blocks'],
      'exchange-claims': ['POST', 'exchange-claims'],
      'day-totals': ['GET', 'day-totals'],
      history: ['GET', 'history'],
    };
    const entry = routes[p];
    if (!entry) return sendError(res, null, 'NOT_FOUND', `no such resource: ${url.pathname}`);
    const [method, route] = entry;
    if (req.method !== method) return sendError(res, route, 'BAD_REQUEST', `use ${method}`);
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const station = auth ? keys.get(auth[1]!) : undefined;
    if (!station) return sendError(res, route, 'UNAUTHORIZED', 'unknown counter key');

    if (faults.latencyMs) {
      const [lo, hi] = faults.latencyMs;
      await sleep(lo + faultRng.int(hi - lo + 1));
    }
    if (chance(faults.timeoutRate)) return; // held until the client gives up or the server closes
    if (chance(faults.errorRate)) return sendError(res, route, 'UNAVAILABLE', 'injected fault: service unavailable');
    const cut = chance(faults.cutRate);
    const duplicate = chance(faults.duplicateRate);
    const now = clock.now();
    // Issue 15: a key belongs to one installation; another installation using it is refused
    // until the key is re-issued.
    const headerValue = req.headers[INSTALLATION_HEADER];
    const installation = typeof headerValue === 'string' ? parse(InstallationId, headerValue) : null;
    const refuseOther = (id: string | null) => {
      if (id && store.bindInstallation(station, id, now.toISOString()) === 'refused') {
        throw new HttpError('INSTALLATION_MISMATCH', 'this counter key belongs to another installation: ask for the key to be re-issued');
      }
    };
    refuseOther(installation);

    switch (route) {
      case 'hello': {
        const body = parse(HelloRequest, await readBody(req));
        refuseOther(body.installationId);
        const registration = store.hello(station, body, now.toISOString());
        return send(
          res,
          route,
          200,
          { protocol: PROTOCOL_VERSION, serverTime: now.toISOString(), station, installationId: body.installationId, registration },
          cut,
        );
      }
      case 'time':
        return send(res, route, 200, { protocol: PROTOCOL_VERSION, serverTime: now.toISOString(), station }, cut);
      case 'payers':
      case 'payments':
        return send(res, route, 200, pullPage(route, url, duplicate), cut);
      case 'events': {
        const event = parse(PushRequest, await readBody(req));
        if (event.installationId && installation && event.installationId !== installation) {
          throw new HttpError('BAD_REQUEST', 'installationId differs from the installation header');
        }
        refuseOther(event.installationId ?? null);
        const outcome = store.recordEvent(station, event, now.toISOString(), installation);
        if (outcome.kind === 'mismatch') {
          return sendError(res, route, 'IDEMPOTENCY_MISMATCH', 'this idempotency key was used for a different event');
        }
        if (outcome.kind === 'sequence_reused') {
          return sendError(
            res,
            route,
            'SEQUENCE_REUSED',
            `counter sequence ${event.counterSeq} was already used by this installation (highest ${outcome.highSeq}): reconcile before pushing`,
          );
        }
        if (outcome.kind === 'stored') await hooks.afterStore?.({ idempotencyKey: event.idempotencyKey, kind: event.kind, stored: store.counts().events });
        // The event is stored but the answer is lost: the counter will send it again.
        if (duplicate) return sendError(res, route, 'UNAVAILABLE', 'injected fault: answer lost after storing');
        return send(
          res,
          route,
          200,
          { protocol: PROTOCOL_VERSION, idempotencyKey: event.idempotencyKey, replay: outcome.kind === 'replay', result: outcome.result },
          cut,
        );
      }
      case 'receipt-blocks': {
        const key = parse(IdempotencyKey, req.headers['idempotency-key']);
        const body = parse(ReceiptBlockRequest, await readBody(req));
        const r = store.allocateReceiptBlock(station, key, { operatorUsername: body.operatorUsername, count: body.count }, now, installation);
        if (r.kind === 'mismatch') return sendError(res, route, 'IDEMPOTENCY_MISMATCH', 'this idempotency key was used for a different request');
        return send(res, route, 200, { protocol: PROTOCOL_VERSION, replay: r.kind === 'replay', block: r.block }, cut);
      }
      case 'exchange-claims': {
        const body = parse(ExchangeClaimRequest, await readBody(req));
        const r = store.claimExchange(station, body, now.toISOString(), installation);
        if (r.kind === 'not_found') return sendError(res, route, 'PAYMENT_NOT_FOUND', 'no payment with this slip or voucher number');
        return send(res, route, 200, { protocol: PROTOCOL_VERSION, outcome: r.kind, claim: r.claim }, cut);
      }
      case 'history': {
        if (!installation) throw new HttpError('BAD_REQUEST', `history is per installation: send the ${INSTALLATION_HEADER} header`);
        const after = parse(Cursor, url.searchParams.get('after') ?? '0');
        const limitText = url.searchParams.get('limit') ?? '500';
        if (!/^\d{1,4}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > MAX_PAGE_LIMIT) {
          throw new HttpError('BAD_REQUEST', `limit must be 1–${MAX_PAGE_LIMIT}`);
        }
        const h = store.history(station, installation, Number(after), Number(limitText));
        return send(res, route, 200, { protocol: PROTOCOL_VERSION, installationId: installation, ...h }, cut);
      }
      case 'day-totals': {
        const date = url.searchParams.get('date') ?? '';
        const operator = url.searchParams.get('operator') ?? '';
        if (!isCivilDate(date)) throw new HttpError('BAD_REQUEST', 'date must be a civil date YYYY-MM-DD');
        if (operator.length < 1 || operator.length > 64) throw new HttpError('BAD_REQUEST', 'operator must be a username of 1–64 characters');
        return send(res, route, 200, { protocol: PROTOCOL_VERSION, station, ...store.dayTotals(station, date, operator) }, cut);
      }
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.socket?.destroy();
      if (error instanceof HttpError) return sendError(res, null, error.code, error.message);
      log?.error({ err: error }, 'upstream simulator failed a request');
      sendError(res, null, 'INTERNAL', 'internal error');
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let timer: NodeJS.Timeout | null = null;
  const perMinute = options.arrivalsPerMinute ?? 0;
  if (perMinute > 0) {
    timer = setInterval(
      () => {
        const added = advance(1);
        if (added.length) log?.debug({ seq: added[0]!.seq, channel: added[0]!.channel }, 'payment arrived');
      },
      Math.max(10, Math.round(60_000 / perMinute)),
    );
  }

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    store,
    hooks,
    advance,
    setFaults: (f) => {
      faults = f;
    },
    served: () => ({ ...served }),
    async close() {
      if (timer) clearInterval(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Held (timeout-fault) and kept-alive connections would keep close() waiting forever.
        server.closeAllConnections();
      });
      store.close();
    },
  };
}
