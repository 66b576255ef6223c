// Desktop host: the payer's screen (客显) as a second window, frameless and full-screen on the
// second display. Thin glue (it needs the Electron binary; the choice of display is in
// payer-placement.ts, tested under Node). The window shows the same renderer at ?view=payer, which
// renders only what the 'payer.display' event carries; its one input is the rating.
import { BrowserWindow, screen } from 'electron';
import path from 'node:path';
import { IPC_EVENT_CHANNEL } from '../../shared/api/bridge';
import type { AppServices } from '../services/app';
import { mayNavigate } from './security';
import { payerDisplayFor } from './payer-placement';

export interface PayerWindowOptions {
  services: AppServices;
  /** The configured display index (config.json payerDisplay.displayIndex). */
  displayIndex: number;
  /** The page the counter window loads (app://counter/index.html or the dev server). */
  pageUrl: string;
  devServerUrl: string | undefined;
}

export function openPayerWindow(o: PayerWindowOptions): BrowserWindow | null {
  const display = payerDisplayFor(screen.getAllDisplays(), screen.getPrimaryDisplay().id, o.displayIndex);
  if (!display) {
    o.services.log.warn({ displayIndex: o.displayIndex, displays: screen.getAllDisplays().length }, "payer's screen: display not connected, window not opened");
    return null;
  }
  const { x, y, width, height } = display.bounds;
  const win = new BrowserWindow({
    x,
    y,
    width,
    height,
    frame: false,
    fullscreen: true,
    kiosk: true,
    focusable: true,
    skipTaskbar: true,
    autoHideMenuBar: true,
    title: '缴费信息',
    show: false,
    backgroundColor: '#0b2545',
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.showInactive());
  win.webContents.on('will-navigate', (event, url) => {
    if (!mayNavigate(url, o.devServerUrl)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  // No keyboard on the payer's side: keys typed into this window do nothing (no reload, no devtools).
  win.webContents.on('before-input-event', (event, input) => {
    if (input.type === 'keyDown') event.preventDefault();
  });
  win.webContents.on('context-menu', (event) => event.preventDefault());
  const unsubscribe = o.services.events.subscribe((name, payload) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, name, payload);
  });
  win.on('closed', unsubscribe);
  const url = new URL(o.pageUrl);
  url.searchParams.set('view', 'payer');
  void win.loadURL(url.toString());
  return win;
}
