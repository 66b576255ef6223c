// `npm start` / `npm run serve` build first, but a build takes 6–10 s and the sources rarely
// changed since the last one. This builds only when a digest of everything the build reads
// differs from the one written after the last successful build (out/.build-digest).
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// Everything the build reads: sources, resources, the dependency lock, the build and TypeScript
// configuration (the transforms read tsconfig), and Vite's .env files.
const inputs = [
  'electron',
  'renderer',
  'shared',
  'resources',
  'package.json',
  'package-lock.json',
  'electron.vite.config.ts',
  ...fs.readdirSync(root).filter((name) => /^tsconfig.*\.json$/.test(name) || /^\.env(\..+)?$/.test(name)),
];
// What a start needs from the last build: the CLI and main process, the preload, the renderer.
const outputs = ['out/main/cli.js', 'out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html'];
const stampFile = path.join(root, 'out', '.build-digest');

function* files(p) {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isFile()) {
    yield p;
    return;
  }
  for (const name of fs.readdirSync(p).sort()) {
    // Dot files are editor and VCS state, except Vite's .env files.
    if (name === 'node_modules' || (name.startsWith('.') && !/^\.env(\..+)?$/.test(name))) continue;
    yield* files(path.join(p, name));
  }
}

function digest() {
  const h = createHash('sha256');
  for (const input of inputs) {
    for (const file of files(path.join(root, input))) {
      h.update(path.relative(root, file));
      h.update('\0');
      h.update(fs.readFileSync(file));
    }
  }
  return h.digest('hex');
}

const want = digest();
const have = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8').trim() : '';
const stampedAt = fs.statSync(stampFile, { throwIfNoEntry: false })?.mtimeMs;
const built = outputs.map((f) => fs.statSync(path.join(root, f), { throwIfNoEntry: false }));
// An output missing, or a plain `npm run build` after the stamp was written (it may have built
// other sources): rebuild then.
const stampedAfterBuild = stampedAt !== undefined && built.every((b) => b !== undefined && b.mtimeMs <= stampedAt);
if (want === have && stampedAfterBuild) {
  console.log('构建未变化，跳过构建（up to date）');
} else {
  const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  fs.writeFileSync(stampFile, `${want}\n`);
}
