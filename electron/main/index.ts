// Electron lifecycle, window, security and the IPC binding. Everything else is in the
// Electron-free services, which run here in the main process (see README: why not a utility
// process) exactly as they run in the browser host.
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, shell, type WebFrameMain } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { IPC_EVENT_CHANNEL, ipcMethodChannel } from '../../shared/api/bridge';
import { methodNames } from '../../shared/api/contract';
import { AppError } from '../../shared/api/errors';
import type { AppServices } from '../services/app';
import { createServicesWithFirstRun } from '../services/first-run';
import { acquireInstanceLock, type InstanceLock } from '../platform/instance-lock';
import { readConfig } from '../platform/config';
import { openPayerWindow } from './payer-window';
import { APP_ORIGIN, APP_SCHEME, isTrustedSender, mayLoad, mayNavigate, opensExternally, rendererFileFor } from './security';

const rendererRoot = path.join(__dirname, '../renderer');
const devServerUrl = process.env.ELECTRON_RENDERER_URL;

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

function dataDirFromArgs(): string {
  const arg = process.argv.find((a) => a.startsWith('--data-dir='));
  return arg ? path.resolve(arg.slice('--data-dir='.length)) : app.getPath('userData');
}

function senderOf(frame: WebFrameMain | null): { url: string; hasParent: boolean } | null {
  return frame ? { url: frame.url, hasParent: frame.parent !== null } : null;
}

function serveRenderer(): void {
  // The built renderer is served from a custom secure scheme rather than file:// so the CSP and
  // the origin check have a real origin to work with; paths cannot escape the renderer folder.
  protocol.handle(APP_SCHEME, async (request) => {
    const { pathname } = new URL(request.url);
    const file = rendererFileFor(rendererRoot, pathname);
    if (!file) return new Response('not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CSP);
    return new Response(response.body, { status: response.status, headers });
  });
}

function bindApi(services: AppServices): void {
  for (const method of methodNames) {
    ipcMain.handle(ipcMethodChannel(method), (event, input: unknown) => {
      if (!isTrustedSender(senderOf(event.senderFrame), devServerUrl)) {
        services.log.warn({ method }, 'IPC call from an untrusted frame refused');
        return { ok: false, error: new AppError('FORBIDDEN').toApiError() };
      }
      return services.dispatch(method, input, { transport: 'ipc' });
    });
  }
}

function createWindow(services: AppServices): BrowserWindow {
  const win = new BrowserWindow({
    width: 1366,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    title: '城乡居民养老保险费柜台收费',
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.on('will-navigate', (event, url) => {
    if (!mayNavigate(url, devServerUrl)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Links such as the policy documents open in the system browser, never inside the app.
    if (opensExternally(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  const unsubscribe = services.events.subscribe((name, payload) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, name, payload);
  });
  win.on('closed', unsubscribe);
  void win.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
  return win;
}

if (!app.requestSingleInstanceLock()) {
  // A second copy would open the same database and the same serial ports.
  app.quit();
} else {
  let services: AppServices | null = null;
  let lock: InstanceLock | null = null;
  app.whenReady().then(
    () => {
      session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
      session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
        callback({ cancel: !mayLoad(details.url, devServerUrl) });
      });
      serveRenderer();
      const dataDir = dataDirFromArgs();
      try {
        // The same lock the browser host and the writing CLI commands take for this data directory.
        lock = acquireInstanceLock(dataDir, 'desktop', `桌面窗口（${process.pid}）`);
      } catch (error) {
        dialog.showErrorBox('城乡居民养老保险费柜台收费', error instanceof Error ? error.message : String(error));
        app.exit(1);
        return;
      }
      // A packaged (production) build asks IT staff on first run; a development run starts training.
      services = createServicesWithFirstRun({ dataDir, askFirstRun: app.isPackaged });
      bindApi(services);
      const win = createWindow(services);
      // The payer's screen (客显) on the second display, when IT switched it on.
      const payerDisplay = readConfig(services.layout)?.payerDisplay;
      if (payerDisplay?.enabled) {
        const payerWin = openPayerWindow({
          services,
          displayIndex: payerDisplay.displayIndex,
          pageUrl: devServerUrl ?? `${APP_ORIGIN}/index.html`,
          devServerUrl,
        });
        win.on('closed', () => payerWin?.close());
      }
      app.on('second-instance', () => {
        if (win.isMinimized()) win.restore();
        win.focus();
      });
    },
    (error: unknown) => {
      console.error(error);
      app.exit(1);
    },
  );
  app.on('window-all-closed', () => app.quit());
  // A stop request (service manager, `pension-counter start` forwarding SIGTERM) closes cleanly.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
  let closing = false;
  app.on('will-quit', (event) => {
    // Close the database and the serial ports before the process ends.
    if (!services || closing) return;
    closing = true;
    event.preventDefault();
    void services.close().finally(() => {
      lock?.release();
      app.quit();
    });
  });
}
