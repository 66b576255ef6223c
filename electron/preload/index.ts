// Exposes the API bridge to the sandboxed renderer. No logic here: the main process validates
// every call, and the renderer only ever sees invoke/onEvent.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_KEY, IPC_EVENT_CHANNEL, ipcMethodChannel, type DesktopBridge } from '../../shared/api/bridge';
import type { Envelope } from '../../shared/api/errors';

const bridge: DesktopBridge = {
  invoke: (method, input) => ipcRenderer.invoke(ipcMethodChannel(method), input) as Promise<Envelope<unknown>>,
  onEvent(listener) {
    const handler = (_event: IpcRendererEvent, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => ipcRenderer.off(IPC_EVENT_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
