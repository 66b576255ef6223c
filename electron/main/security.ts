// The main process's security decisions as plain functions of strings, so they are unit-tested
// under Node: this file must not import 'electron' (that import needs the Electron binary).
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://counter`;

/** The one origin the window may show: the built renderer's custom scheme, or the dev server. */
export function allowedOrigin(devServerUrl: string | undefined): string {
  return devServerUrl ? new URL(devServerUrl).origin : APP_ORIGIN;
}

/**
 * scheme://host[:port] of a URL. Not `URL.origin`: for a scheme Node does not know as special
 * (our app://) WHATWG URL gives the opaque origin "null", which would refuse our own page.
 */
function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.host ? `${u.protocol}//${u.host}` : null;
  } catch {
    return null;
  }
}

/**
 * Only our own page may call the services: a top-level frame (no parent) showing our origin. A
 * navigated-away frame, a subframe or an unparsable URL is refused.
 */
export function isTrustedSender(frame: { url: string; hasParent: boolean } | null, devServerUrl: string | undefined): boolean {
  if (!frame || frame.hasParent) return false;
  return originOf(frame.url) === allowedOrigin(devServerUrl);
}

/** In-window navigation stays on our origin; anything else is cancelled. */
export function mayNavigate(url: string, devServerUrl: string | undefined): boolean {
  return originOf(url) === allowedOrigin(devServerUrl);
}

/** Links that leave the app (policy documents) open in the system browser, and only over https. */
export function opensExternally(url: string): boolean {
  return url.startsWith('https://');
}

/**
 * The file the app:// scheme serves for a request path, or null when the path would leave the
 * renderer folder (`..`, encoded or not) or cannot be decoded.
 */
export function rendererFileFor(rendererRoot: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const root = path.resolve(rendererRoot);
  const file = path.normalize(path.join(root, decoded));
  return file.startsWith(root + path.sep) ? file : null;
}

/**
 * No remote content: only our scheme, data URLs, devtools, the dev server (and its hot-reload
 * socket) and local files the scheme handler reads load in the window's session.
 */
export function mayLoad(url: string, devServerUrl: string | undefined): boolean {
  if (url.startsWith(`${APP_SCHEME}:`) || url.startsWith('data:') || url.startsWith('devtools:') || url.startsWith('file:')) return true;
  if (devServerUrl === undefined) return false;
  const dev = new URL(devServerUrl);
  const origin = originOf(url);
  return origin === dev.origin || origin === `ws://${dev.host}`;
}
