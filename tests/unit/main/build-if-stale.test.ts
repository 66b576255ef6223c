// `npm start` skips the build when nothing the build reads changed (issue 18: start in < 3 s), and
// builds when a source, a resource or a configuration file changed, or an output is missing. Run
// on a scratch project holding the real script and a stand-in electron-vite that records builds.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const script = path.resolve(__dirname, '..', '..', '..', 'electron', 'tools', 'build-if-stale.mjs');
const outputs = ['out/main/cli.js', 'out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html'];

let root: string;

function write(rel: string, text: string) {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

/** Runs the script; true when it built. */
function start(): boolean {
  const before = builds();
  execFileSync(process.execPath, [path.join(root, 'electron', 'tools', 'build-if-stale.mjs')], { cwd: root, stdio: 'pipe' });
  return builds() > before;
}
const builds = () =>
  fs.existsSync(path.join(root, 'builds.log')) ? fs.readFileSync(path.join(root, 'builds.log'), 'utf8').split('\n').filter(Boolean).length : 0;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-build-if-stale-'));
  write('electron/tools/build-if-stale.mjs', fs.readFileSync(script, 'utf8'));
  write('electron/main/index.ts', 'export {};\n');
  write('renderer/src/App.tsx', 'export {};\n');
  write('shared/vocab.ts', 'export {};\n');
  write('resources/policy/demo/2026.json', '{}\n');
  write('electron.vite.config.ts', 'export default {};\n');
  write('tsconfig.json', '{}\n');
  write('package.json', JSON.stringify({ name: 'scratch', version: '1.0.0', devDependencies: { 'electron-vite': '1.0.0' } }));
  write('package-lock.json', '{}\n');
  // A stand-in electron-vite (npx finds the project's own): writes the outputs, logs the build.
  write('node_modules/electron-vite/package.json', JSON.stringify({ name: 'electron-vite', version: '1.0.0', bin: { 'electron-vite': 'bin.js' } }));
  write(
    'node_modules/electron-vite/bin.js',
    `#!/usr/bin/env node
const fs = require('fs'), path = require('path');
for (const f of ${JSON.stringify(outputs)}) { fs.mkdirSync(path.dirname(f), { recursive: true }); fs.writeFileSync(f, 'built'); }
fs.appendFileSync('builds.log', process.argv.slice(2).join(' ') + '\\n');
`,
  );
  fs.chmodSync(path.join(root, 'node_modules/electron-vite/bin.js'), 0o755);
  fs.mkdirSync(path.join(root, 'node_modules/.bin'));
  fs.symlinkSync('../electron-vite/bin.js', path.join(root, 'node_modules/.bin/electron-vite'));
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('build-if-stale', () => {
  it('builds the first time, then skips while nothing changed (a touch is no change)', () => {
    expect(start()).toBe(true);
    expect(start()).toBe(false);
    const file = path.join(root, 'renderer/src/App.tsx');
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(file, later, later);
    expect(start()).toBe(false);
  });

  it.each([
    ['a renderer source', 'renderer/src/App.tsx'],
    ['a service source', 'electron/main/index.ts'],
    ['a shared module', 'shared/vocab.ts'],
    ['a resource (policy table)', 'resources/policy/demo/2026.json'],
    ['a new resource file', 'resources/fonts/new.txt'],
    ['the build configuration', 'electron.vite.config.ts'],
    ['the TypeScript configuration', 'tsconfig.json'],
    ['the dependency lock', 'package-lock.json'],
  ])('rebuilds when %s changes', (_, rel) => {
    expect(start()).toBe(true);
    write(rel, `changed ${rel}\n`);
    expect(start()).toBe(true);
    expect(start()).toBe(false);
  });

  it('rebuilds when an output is missing or a build ran after the stamp', () => {
    expect(start()).toBe(true);
    fs.rmSync(path.join(root, 'out/renderer/index.html'));
    expect(start()).toBe(true);
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(root, 'out/main/cli.js'), later, later);
    expect(start()).toBe(true);
    expect(start()).toBe(false);
  });

  it('ignores editor and VCS files', () => {
    expect(start()).toBe(true);
    write('renderer/src/.App.tsx.swp', 'x');
    expect(start()).toBe(false);
  });
});
