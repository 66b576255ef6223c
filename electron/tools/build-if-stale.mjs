// `npm start` / `npm run serve` build first, but a build takes 6–10 s and the sources rarely
// changed since the last one. This builds only when a digest of everything the build reads
// differs from the one written after the last successful build (out/.build-digest).
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const inputs = ['electron', 'renderer', 'shared', 'resources', 'package.json', 'package-lock.json', 'electron.vite.config.ts'];
const stampFile = path.join(root, 'out', '.build-digest');

function* files(p) {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isFile()) {
    yield p;
    return;
  }
  for (const name of fs.readdirSync(p).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
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
const built = fs.statSync(path.join(root, 'out', 'main', 'cli.js'), { throwIfNoEntry: false });
// A plain `npm run build` after the stamp was written may have built other sources: rebuild then.
const stampedAfterBuild = built !== undefined && built.mtimeMs <= fs.statSync(stampFile, { throwIfNoEntry: false })?.mtimeMs;
if (want === have && stampedAfterBuild) {
  console.log('构建未变化，跳过构建（up to date）');
} else {
  const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  fs.writeFileSync(stampFile, `${want}\n`);
}
