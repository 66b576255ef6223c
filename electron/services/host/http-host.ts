import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppServices } from '../app';

export interface HttpHostOptions {
  services: AppServices;
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Fixed token (tests); a random one per run otherwise. */
  token?: string;
  /** Connection limits; the defaults suit one counter's page (tests shorten them). */
  limits?: Partial<HostLimits>;
}

export interface HostLimits {
  /** A client must finish sending its request headers within this time. */
  headersTimeoutMs: number;
  /** ... and its whole request within this time. */
  requestTimeoutMs: number;
  /** A kept-alive connection with no request in flight is closed after this time. */
  idleTimeoutMs: number;
  /**
   * Any HTTP connection with no traffic either way for this long is closed: one that never sends a
   * byte escapes the header timeout. Longer than the slowest call (a day summary PDF).
   */
  socketIdleTimeoutMs: number;
  /** Connections at once; the page needs a handful (calls, the event socket, assets). */
  maxConnections: number;
}

/**
 * A counter's page holds one event socket and a few short calls. Without limits, idle or slow
 * connections were never closed: 400 idle sockets exhausted a 256 file-descriptor limit and the
 * API stopped answering.
 */
export const defaultHostLimits: HostLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 5_000,
  socketIdleTimeoutMs: 120_000,
  maxConnections: 64,
};

export interface HttpHost {
  readonly url: string;
  /** The URL to open: carries the per-run token the renderer needs for API calls. */
  readonly appUrl: string;
  /** The payer's screen (客显) for a second monitor: the same renderer at ?view=payer, same token. */
  readonly payerUrl: string;
  readonly token: string;
  readonly port: number;
  /** Connections the host holds open now (the event socket included): what the limits bound. */
  openConnections(): Promise<number>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

function cspFor(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Ant Design injects its component styles at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/**
 * The browser host: the same services and the same API contract as the desktop app, served to the
 * real renderer over HTTP (calls) and WebSocket (events), for machines without the Electron
 * binary, for demonstrations and for the end-to-end tests.
 *
 * Bound to 127.0.0.1 only. Every API call and the event socket need the per-run token; the Host
 * header must name the loopback address (DNS rebinding) and a browser's Origin must be this host
 * (cross-site requests). Static files carry no data and are served without the token.
 */
export async function startHttpHost(options: HttpHostOptions): Promise<HttpHost> {
  const { services } = options;
  const token = options.token ?? randomBytes(24).toString('base64url');
  if (!fs.existsSync(path.join(options.rendererDir, 'index.html'))) {
    throw new Error(`界面文件不存在：${options.rendererDir}/index.html。请先运行 npm run build。`);
  }
  let port = options.port;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const statics = sirv(options.rendererDir, { dev: false, etag: true, single: true, gzip: false, brotli: false });

  const refuse = (res: http.ServerResponse, status: number, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ ok: false, error: { code: 'FORBIDDEN', message } }));
  };

  const limits = { ...defaultHostLimits, ...options.limits };
  const server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.idleTimeoutMs,
      // How often Node checks the two timeouts above; the default (30 s) is too coarse for them.
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    (req, res) => {
      try {
        handle(req, res);
      } catch (error) {
        // Whatever a client sends (a malformed URL or escape), the host answers and keeps running.
        services.log.warn({ err: error }, 'bad request refused');
        if (!res.headersSent) refuse(res, 400, 'bad request');
        else res.destroy();
      }
    },
  );
  server.maxConnections = limits.maxConnections;
  // The WebSocket library clears this timeout on the sockets it upgrades: the event socket stays.
  server.on('connection', (socket: Socket) => {
    socket.setTimeout(limits.socketIdleTimeoutMs);
    socket.on('timeout', () => socket.destroy());
  });

  function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!isLoopback(req.socket.remoteAddress)) return refuse(res, 403, 'loopback only');
    if (!allowedHosts().has(req.headers.host ?? '')) return refuse(res, 403, 'bad Host header');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) return refuse(res, 403, 'foreign Origin');

    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');

    if (url.pathname === '/healthz') {
      const info = services.info();
      res.writeHead(info.status === 'failed' ? 503 : 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ status: info.status, version: info.version, mode: info.mode, schemaVersion: info.schemaVersion }));
      return;
    }

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return refuse(res, 405, 'POST only');
      const auth = req.headers.authorization;
      if (!sameToken(auth?.startsWith('Bearer ') ? auth.slice(7) : null, token)) return refuse(res, 401, 'missing or wrong token');
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return refuse(res, 415, 'JSON only');
      const method = decodeURIComponent(url.pathname.slice('/api/'.length));
      const chunks: Buffer[] = [];
      let size = 0;
      let aborted = false;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES && !aborted) {
          aborted = true;
          refuse(res, 413, 'request too large');
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => {
        if (aborted) return;
        let input: unknown;
        try {
          const text = Buffer.concat(chunks).toString('utf8');
          input = text.length ? JSON.parse(text) : {};
        } catch {
          res.writeHead(400, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify({ ok: false, error: { code: 'VALIDATION', message: '请求不是有效的 JSON' } }));
          return;
        }
        void services.dispatch(method, input, { transport: 'http' }).then((envelope) => {
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
          res.end(JSON.stringify(envelope));
        });
      });
      return;
    }

    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.setHeader('content-security-policy', cspFor(port));
      res.setHeader('cache-control', 'no-store');
    }
    statics(req, res, () => refuse(res, 404, 'not found'));
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      socket.destroy();
      return;
    }
    const originOk = req.headers.origin === undefined || allowedOrigins().has(req.headers.origin);
    if (
      url.pathname !== '/events' ||
      !isLoopback(req.socket.remoteAddress) ||
      !allowedHosts().has(req.headers.host ?? '') ||
      !originOk ||
      !sameToken(url.searchParams.get('token'), token)
    ) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const unsubscribe = services.events.subscribe((name, payload) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event: name, payload }));
      });
      ws.on('close', unsubscribe);
      // The event socket is one-way; anything a client sends is ignored.
      ws.on('message', () => {});
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  services.log.info({ port }, 'browser host listening');

  return {
    url: base,
    appUrl: `${base}/#token=${token}`,
    payerUrl: `${base}/?view=payer#token=${token}`,
    token,
    port,
    openConnections: () => new Promise<number>((resolve, reject) => server.getConnections((err, n) => (err ? reject(err) : resolve(n)))),
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
