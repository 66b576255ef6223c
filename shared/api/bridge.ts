import type { Envelope } from './errors';

/**
 * What the desktop preload exposes as `window.pensionCounter`. It carries calls and events only;
 * all typing and validation live in the contract and the main process.
 */
export interface DesktopBridge {
  invoke(method: string, input: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
}

export const BRIDGE_KEY = 'pensionCounter';
export const IPC_EVENT_CHANNEL = 'pc:event';
export const ipcMethodChannel = (method: string) => `pc:api:${method}`;
