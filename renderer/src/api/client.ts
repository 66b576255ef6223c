// The renderer's only way to reach the services. The same typed calls run over the desktop
// preload bridge (IPC) or, in the browser host, over HTTP + WebSocket; the UI cannot tell which.
import { BRIDGE_KEY, type DesktopBridge } from '../../../shared/api/bridge';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/api/contract';
import { AppError } from '../../../shared/api/app-error';
import type { Envelope } from '../../../shared/api/errors';
import type { EventName, EventPayload } from '../../../shared/api/events';

interface Transport {
  invoke(method: string, input: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
}

const TOKEN_KEY = 'pension-counter.token';

/** Takes a token from the URL fragment into the tab's storage (and out of the address bar); true if there was one. */
function takeFragmentToken(): boolean {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!match?.[1]) return false;
  sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
  history.replaceState(null, '', window.location.pathname + window.location.search);
  return true;
}

/** Browser host: the per-run token arrives in the URL fragment and is kept for the tab. */
function browserTransport(): Transport {
  takeFragmentToken();
  // After a host restart the clerk pastes the new address into the old tab: only the fragment
  // changes, so the page does not load again by itself. Take the new token and start afresh.
  window.addEventListener('hashchange', () => {
    if (takeFragmentToken()) window.location.reload();
  });
  const token = sessionStorage.getItem(TOKEN_KEY) ?? '';
  const listeners = new Set<(name: string, payload: unknown) => void>();
  let retryMs = 500;

  const connect = () => {
    const ws = new WebSocket(`ws://${window.location.host}/events?token=${encodeURIComponent(token)}`);
    ws.onopen = () => {
      retryMs = 500;
    };
    ws.onmessage = (m) => {
      try {
        const { event, payload } = JSON.parse(String(m.data)) as { event: string; payload: unknown };
        for (const l of listeners) l(event, payload);
      } catch {
        // A malformed frame is dropped; the next one is independent.
      }
    };
    ws.onclose = () => {
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    };
  };
  connect();

  return {
    async invoke(method, input) {
      let res: Response;
      try {
        res = await fetch(`/api/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        return { ok: false, error: { code: 'INTERNAL', message: '无法连接到本机服务，请检查程序是否在运行' } };
      }
      if (res.status === 401) {
        return { ok: false, error: { code: 'FORBIDDEN', message: '访问凭证无效：请使用启动时显示的完整地址打开本页' } };
      }
      return (await res.json()) as Envelope<unknown>;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function pickTransport(): Transport {
  const bridge = (window as unknown as Record<string, DesktopBridge | undefined>)[BRIDGE_KEY];
  return bridge ?? browserTransport();
}

const transport = pickTransport();

// The latest payload of each state event (printer, reader, sync, start-up), so that a screen that
// opens later starts with the current state instead of waiting for the next change.
const stateEventNames: ReadonlySet<string> = new Set(['app.status', 'printer.status', 'reader.status', 'sync.status']);
const latestState = new Map<string, unknown>();
transport.onEvent((name, payload) => {
  if (stateEventNames.has(name)) latestState.set(name, payload);
});

/** Calls an API method; resolves with its typed output or rejects with an AppError (zh-CN message). */
export async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  let envelope: Envelope<unknown>;
  try {
    envelope = await transport.invoke(method, input);
  } catch {
    throw new AppError('UNKNOWN_METHOD');
  }
  if (!envelope.ok) throw AppError.from(envelope.error);
  return envelope.value as MethodOutput<M>;
}

export function onEvent<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
  if (latestState.has(name)) queueMicrotask(() => listener(latestState.get(name) as EventPayload<E>));
  return transport.onEvent((n, payload) => {
    if (n === name) listener(payload as EventPayload<E>);
  });
}
