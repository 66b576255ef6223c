import fs from 'node:fs';
import path from 'node:path';

/**
 * The Electron executable if it is installed, without triggering the download that
 * `require('electron')` starts (it cannot succeed on a machine without internet access).
 */
export function installedElectronBinary(): string | null {
  let pkgDir: string;
  try {
    pkgDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const exe = fs.readFileSync(pathFile, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(pkgDir, 'dist');
  const full = path.join(dist, exe);
  return fs.existsSync(full) ? full : null;
}
