// HTTP client of the upstream protocol (docs/upstream-protocol.md). Every response is read with
// a size cap and a timeout and validated against the protocol schemas before anyone sees it:
// a broken or hostile upstream can make a sync fail, never write garbage into the ledger.
import type { z } from 'zod';
import {
  API_PREFIX,
  DEFAULT_PAGE_LIMIT,
  ErrorResponse,
  ExchangeClaimResponse,
  MAX_PAGE_LIMIT,
  MAX_RESPONSE_BYTES,
  PayersPage,
  PaymentsPage,
  PushResponse,
  ReceiptBlockResponse,
  TimeResponse,
  DayTotalsResponse,
  HelloResponse,
  HistoryPage,
  INSTALLATION_HEADER,
  PROTOCOL_VERSION,
  type HelloRequest,
  type UpstreamDayTotals,
  type Cursor,
  type ExchangeChannel,
  type ExchangeClaim,
  type PushRequest,
  type ReceiptBlock,
  type StreamName,
} from './protocol';

export type UpstreamErrorKind =
  /** Connection refused, reset or cut mid-response. */
  | 'network'
  | 'timeout'
  /** The key was refused (401/403). */
  | 'auth'
  /** Any other non-2xx status. */
  | 'http'
  /** Not JSON, wrong shape, wrong types, or a page that breaks the protocol's rules. */
  | 'invalid_response'
  | 'too_large';

export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly kind: UpstreamErrorKind,
    readonly status: number | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

export interface UpstreamClientOptions {
  /** Base address, e.g. http://10.1.2.3:8443 (the /v1 prefix is added here). */
  baseUrl: string;
  /** The per-counter key, sent as a bearer token. */
  key: string;
  /** Per request, including reading the body. */
  timeoutMs?: number;
  /** The counter's installation id (config.json), sent with every request once commissioned. */
  installationId?: string;
  maxResponseBytes?: number;
}

export type ClaimOutcome = { outcome: 'claimed'; claim: ExchangeClaim } | { outcome: 'already_claimed'; claim: ExchangeClaim } | { outcome: 'not_found' };

export interface ServerTime {
  serverTime: string;
  station: string;
  /** serverTime minus the local clock at the midpoint of the request, in ms. */
  offsetMs: number;
  roundTripMs: number;
}

/** GET /v1/day-totals: the day totals plus the protocol version (and the station, ignored). */

export class UpstreamClient {
  readonly baseUrl: string;
  private readonly key: string;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  /** The counter's installation id, when commissioned (the history and recovery need it). */
  readonly installationId: string | undefined;

  constructor(options: UpstreamClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new Error(`上游地址无效：${options.baseUrl}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`上游地址须为 http(s)：${options.baseUrl}`);
    if (!options.key) throw new Error('缺少柜台密钥');
    this.baseUrl = url.toString().replace(/\/+$/, '');
    this.key = options.key;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    this.installationId = options.installationId;
  }

  /**
   * The handshake: introduces this installation and learns the station the upstream maps the key
   * to. The answer must name the installation asked about.
   */
  async hello(request: Omit<HelloRequest, 'protocol'>, signal?: AbortSignal): Promise<ServerTime & { registration: 'new' | 'known' }> {
    const sent = Date.now();
    const body = await this.request('POST', '/hello', { protocol: PROTOCOL_VERSION, ...request }, HelloResponse, { signal });
    const received = Date.now();
    if (body.installationId !== request.installationId) throw new UpstreamError('上游应答的安装标识与请求不符', 'invalid_response');
    return {
      serverTime: body.serverTime,
      station: body.station,
      registration: body.registration,
      roundTripMs: received - sent,
      offsetMs: Date.parse(body.serverTime) - (sent + received) / 2,
    };
  }

  async serverTime(signal?: AbortSignal): Promise<ServerTime> {
    const sent = Date.now();
    const body = await this.request('GET', '/time', undefined, TimeResponse, { signal });
    const received = Date.now();
    return {
      serverTime: body.serverTime,
      station: body.station,
      roundTripMs: received - sent,
      offsetMs: Date.parse(body.serverTime) - (sent + received) / 2,
    };
  }

  async pullPayers(after: Cursor, limit = DEFAULT_PAGE_LIMIT, signal?: AbortSignal): Promise<PayersPage> {
    return decodePage('payers', (await this.pageBytes('payers', after, limit, signal)).toString('utf8'), after, limit);
  }

  async pullPayments(after: Cursor, limit = DEFAULT_PAGE_LIMIT, signal?: AbortSignal): Promise<PaymentsPage> {
    return decodePage('payments', (await this.pageBytes('payments', after, limit, signal)).toString('utf8'), after, limit);
  }

  /** Sends one counter event. Resolves with the server's (possibly stored) answer. */
  async push(event: PushRequest, signal?: AbortSignal): Promise<PushResponse> {
    const res = await this.request('POST', '/events', event, PushResponse, { signal });
    if (res.idempotencyKey !== event.idempotencyKey) {
      throw new UpstreamError('上游应答的幂等键与请求不符', 'invalid_response');
    }
    return res;
  }

  /**
   * Reads back what this installation pushed after a counter sequence (issue 15): the page of
   * events, the highest sequence and audit head the upstream holds, and the blocks allocated.
   */
  async history(after: number, limit = DEFAULT_PAGE_LIMIT, signal?: AbortSignal): Promise<HistoryPage> {
    if (!this.installationId) throw new Error('没有安装标识：未完成开通的柜台不能读取上游的柜台记录');
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) throw new Error(`page limit out of range: ${limit}`);
    const page = await this.request('GET', `/history?after=${after}&limit=${limit}`, undefined, HistoryPage, { signal });
    if (page.installationId !== this.installationId) throw new UpstreamError('上游应答的安装标识与请求不符', 'invalid_response');
    if (page.after !== String(after)) throw new UpstreamError(`上游应答的分页起点 ${page.after} 与请求的 ${after} 不符`, 'invalid_response');
    if (page.items.length > limit) throw new UpstreamError(`上游应答 ${page.items.length} 条，超过请求的 ${limit} 条`, 'invalid_response');
    return page;
  }

  /**
   * Asks for a block of receipt numbers for an operator. The idempotency key makes a retried
   * request return the block already allocated instead of a second one.
   */
  async allocateReceiptBlock(request: { operatorUsername: string; count: number; idempotencyKey: string }, signal?: AbortSignal): Promise<ReceiptBlock> {
    const res = await this.request(
      'POST',
      '/receipt-blocks',
      { operatorUsername: request.operatorUsername, receiptType: 'tax_cash', count: request.count },
      ReceiptBlockResponse,
      { signal, headers: { 'idempotency-key': request.idempotencyKey } },
    );
    if (res.block.operatorUsername !== request.operatorUsername) {
      throw new UpstreamError('上游分配的票号段不属于该操作员', 'invalid_response');
    }
    const size = res.block.lastSerial - res.block.firstSerial + 1;
    if (size !== request.count) throw new UpstreamError(`上游分配的票号数量 ${size} 与申请的 ${request.count} 不符`, 'invalid_response');
    return res.block;
  }

  /**
   * Claims the exchange (换开) of a bank slip or app voucher for this counter. The upstream
   * answers 'already_claimed' with the first claimant when another counter got there first.
   */
  async claimExchange(channel: ExchangeChannel, channelRef: string, counterId: string, signal?: AbortSignal): Promise<ClaimOutcome> {
    try {
      const res = await this.request('POST', '/exchange-claims', { channel, channelRef, counterId }, ExchangeClaimResponse, { signal });
      if (res.claim.channel !== channel || res.claim.channelRef !== channelRef) {
        throw new UpstreamError('上游应答的凭证与请求不符', 'invalid_response');
      }
      return { outcome: res.outcome, claim: res.claim };
    } catch (error) {
      if (error instanceof UpstreamError && error.status === 404 && error.code === 'PAYMENT_NOT_FOUND') return { outcome: 'not_found' };
      throw error;
    }
  }

  /**
   * The upstream's own totals for an operator's business day (YYYY-MM-DD) at this counter's
   * station, as recorded from the events the counter pushed: the input of
   * DayCloseService.reconcile. The answer must be for the date and operator asked for.
   */
  async dayTotals(businessDate: string, operatorUsername: string, signal?: AbortSignal): Promise<UpstreamDayTotals> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(businessDate)) throw new Error(`业务日期无效：${businessDate}`);
    if (!operatorUsername) throw new Error('缺少操作员用户名');
    const query = `?date=${encodeURIComponent(businessDate)}&operator=${encodeURIComponent(operatorUsername)}`;
    const { protocol: _protocol, ...totals } = await this.request('GET', `/day-totals${query}`, undefined, DayTotalsResponse, { signal });
    if (totals.businessDate !== businessDate || totals.operatorUsername !== operatorUsername) {
      throw new UpstreamError(
        `上游应答的日汇总（${totals.businessDate} ${totals.operatorUsername}）与请求的 ${businessDate} ${operatorUsername} 不符`,
        'invalid_response',
      );
    }
    return totals;
  }

  /**
   * One page of a stream as the upstream sent it, unparsed: transport, status and size are
   * checked here, the content by decodePage (on this thread or in the ingest worker). Bytes, so
   * that a big page can be handed to the worker without ever becoming a string on this thread.
   */
  async pageBytes(stream: StreamName, after: Cursor, limit = DEFAULT_PAGE_LIMIT, signal?: AbortSignal): Promise<Buffer> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) throw new Error(`page limit out of range: ${limit}`);
    const query = `?after=${encodeURIComponent(after)}&limit=${limit}`;
    return (await this.requestBytes('GET', `/${stream}${query}`, undefined, { signal })).bytes;
  }

  private async request<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    schema: S,
    opts: { signal?: AbortSignal; headers?: Record<string, string> },
  ): Promise<z.infer<S>> {
    const { bytes, status } = await this.requestBytes(method, path, body, opts);
    return decodeBody(schema, bytes.toString('utf8'), { method, path, status });
  }

  /** Sends a request and reads a 2xx answer's body; any other answer throws. */
  private async requestBytes(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    opts: { signal?: AbortSignal; headers?: Record<string, string> },
  ): Promise<{ bytes: Buffer; status: number }> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
    const url = `${this.baseUrl}${API_PREFIX}${path}`;
    let res: Response;
    let bytes: Buffer;
    try {
      res = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.key}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.installationId ? { [INSTALLATION_HEADER]: this.installationId } : {}),
          ...opts.headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        redirect: 'error',
      });
      bytes = await this.readCapped(res);
    } catch (error) {
      throw this.transportError(error, timeout, method, path);
    }
    if (!res.ok) {
      const json = parseJson(bytes.toString('utf8'), { method, path, status: res.status });
      const err = ErrorResponse.safeParse(json);
      const code = err.success ? err.data.error.code : null;
      const message = err.success ? err.data.error.message : `HTTP ${res.status}`;
      const kind: UpstreamErrorKind = res.status === 401 || res.status === 403 ? 'auth' : 'http';
      throw new UpstreamError(`上游拒绝请求（${method} ${path}，HTTP ${res.status}${code ? ` ${code}` : ''}）：${message}`, kind, res.status, code);
    }
    return { bytes, status: res.status };
  }

  /** Reads the body as text, refusing to buffer more than the cap (a "huge page" attack). */
  private async readCapped(res: Response): Promise<Buffer> {
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > this.maxBytes) {
      await res.body?.cancel();
      throw new UpstreamError(`上游应答过大（${declared} 字节，上限 ${this.maxBytes}）`, 'too_large', res.status);
    }
    if (!res.body) return Buffer.alloc(0);
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > this.maxBytes) {
        await reader.cancel();
        throw new UpstreamError(`上游应答过大（超过 ${this.maxBytes} 字节）`, 'too_large', res.status);
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks);
  }

  private transportError(error: unknown, timeout: AbortSignal, method: string, path: string): Error {
    if (error instanceof UpstreamError) return error;
    const where = `${method} ${path.split('?')[0]}`;
    if (timeout.aborted) return new UpstreamError(`上游无应答：超过 ${this.timeoutMs} 毫秒（${where}）`, 'timeout');
    const e = error as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'AbortError') return new UpstreamError(`同步已取消（${where}）`, 'network');
    const cause = e.cause?.code ?? e.cause?.message ?? e.message;
    return new UpstreamError(`无法连接上游（${where}）：${cause}`, 'network');
  }
}

interface Answered {
  method: string;
  path: string;
  status: number;
}

function parseJson(raw: string, at: Answered): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new UpstreamError(`上游应答不是有效的 JSON（${at.method} ${at.path}，HTTP ${at.status}，${raw.length} 字节）`, 'invalid_response', at.status);
  }
}

/** A 2xx body, parsed and validated against its protocol schema. */
export function decodeBody<S extends z.ZodType>(schema: S, raw: string, at: Answered): z.infer<S> {
  const parsed = schema.safeParse(parseJson(raw, at));
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(根)'}: ${i.message}`)
      .join('; ');
    throw new UpstreamError(`上游应答格式错误（${at.method} ${at.path}）：${issues}`, 'invalid_response', at.status);
  }
  return parsed.data as z.infer<S>;
}

/**
 * A page of `stream` asked for with `after` and `limit`, parsed and validated: the schema, then
 * the protocol's rules that tie the answer to the question. Pure, so the ingest worker runs the
 * very same checks on the text the services thread fetched.
 */
export function decodePage(stream: 'payers', raw: string, after: Cursor, limit: number): PayersPage;
export function decodePage(stream: 'payments', raw: string, after: Cursor, limit: number): PaymentsPage;
export function decodePage(stream: StreamName, raw: string, after: Cursor, limit: number): PayersPage | PaymentsPage;
export function decodePage(stream: StreamName, raw: string, after: Cursor, limit: number): PayersPage | PaymentsPage {
  const path = `/${stream}?after=${encodeURIComponent(after)}&limit=${limit}`;
  const schema = stream === 'payers' ? PayersPage : PaymentsPage;
  const page = decodeBody(schema, raw, { method: 'GET', path, status: 200 }) as PayersPage | PaymentsPage;
  if (page.after !== after) throw new UpstreamError(`上游应答的分页起点 ${page.after} 与请求的 ${after} 不符`, 'invalid_response');
  if (page.items.length > limit) {
    throw new UpstreamError(`上游应答 ${page.items.length} 条，超过请求的 ${limit} 条`, 'invalid_response');
  }
  return page;
}
