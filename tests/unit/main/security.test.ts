// The Electron main process's security decisions, tested as plain functions: the window itself
// needs the Electron binary, which this machine cannot download (see tests/electron).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTrustedSender, mayLoad, mayNavigate, opensExternally, rendererFileFor } from '../../../electron/main/security';

const DEV = 'http://localhost:5173';

describe('who may call the services over IPC', () => {
  it('accepts only our top-level page', () => {
    expect(isTrustedSender({ url: 'app://counter/index.html', hasParent: false }, undefined)).toBe(true);
    expect(isTrustedSender({ url: 'app://counter/index.html', hasParent: true }, undefined)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', hasParent: false }, undefined)).toBe(false);
    expect(isTrustedSender({ url: 'app://counterfeit/index.html', hasParent: false }, undefined)).toBe(false);
    expect(isTrustedSender(null, undefined)).toBe(false);
    expect(isTrustedSender({ url: 'not a url', hasParent: false }, undefined)).toBe(false);
  });

  it('in development trusts the dev server and nothing else', () => {
    expect(isTrustedSender({ url: `${DEV}/`, hasParent: false }, DEV)).toBe(true);
    expect(isTrustedSender({ url: 'app://counter/index.html', hasParent: false }, DEV)).toBe(false);
    expect(isTrustedSender({ url: 'http://localhost:5174/', hasParent: false }, DEV)).toBe(false);
  });
});

describe('navigation and links', () => {
  it('keeps the window on our origin', () => {
    expect(mayNavigate('app://counter/index.html#/payer', undefined)).toBe(true);
    expect(mayNavigate('https://www.chinatax.gov.cn/', undefined)).toBe(false);
    expect(mayNavigate('file:///etc/passwd', undefined)).toBe(false);
  });

  it('opens only https links outside the app', () => {
    expect(opensExternally('https://www.chinatax.gov.cn/')).toBe(true);
    expect(opensExternally('http://example.com/')).toBe(false);
    expect(opensExternally('file:///C:/Windows/system32/calc.exe')).toBe(false);
    expect(opensExternally('javascript:alert(1)')).toBe(false);
  });
});

describe('files served by the app:// scheme', () => {
  const root = path.resolve('/opt/app/out/renderer');

  it('maps the root to index.html and assets inside the renderer folder', () => {
    expect(rendererFileFor(root, '/')).toBe(path.join(root, 'index.html'));
    expect(rendererFileFor(root, '/assets/index-abc.js')).toBe(path.join(root, 'assets/index-abc.js'));
    expect(rendererFileFor(root, '/fonts/%E6%80%9D%E6%BA%90.ttf')).toBe(path.join(root, 'fonts/思源.ttf'));
  });

  it('refuses paths that climb out, encoded or not, and undecodable ones', () => {
    expect(rendererFileFor(root, '/../main/index.js')).toBeNull();
    expect(rendererFileFor(root, '/%2e%2e/%2e%2e/etc/passwd')).toBeNull();
    expect(rendererFileFor(root, '/assets/..%2f..%2fpreload/index.js')).toBeNull();
    expect(rendererFileFor(root, '/%E0%A4%A')).toBeNull();
    expect(rendererFileFor(root, '/index.html%00.png')).toBeNull();
    // A sibling folder whose name starts with the root's name is still outside.
    expect(rendererFileFor(root, '/../renderer-evil/x.js')).toBeNull();
  });
});

describe('what the window session may load', () => {
  it('allows our scheme, data, devtools and local files; refuses the network', () => {
    expect(mayLoad('app://counter/assets/a.js', undefined)).toBe(true);
    expect(mayLoad('data:image/png;base64,AAAA', undefined)).toBe(true);
    expect(mayLoad('devtools://devtools/bundled/inspector.html', undefined)).toBe(true);
    expect(mayLoad('https://cdn.example.com/x.js', undefined)).toBe(false);
    expect(mayLoad('http://localhost:5173/', undefined)).toBe(false);
    expect(mayLoad('ws://localhost:5173/', undefined)).toBe(false);
  });

  it('in development also allows the dev server and its hot-reload socket only', () => {
    expect(mayLoad(`${DEV}/src/main.tsx`, DEV)).toBe(true);
    expect(mayLoad('ws://localhost:5173/', DEV)).toBe(true);
    expect(mayLoad('ws://localhost:9999/', DEV)).toBe(false);
    expect(mayLoad('http://localhost:8080/', DEV)).toBe(false);
  });
});
