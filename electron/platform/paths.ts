import fs from 'node:fs';
import path from 'node:path';

/**
 * Finds a folder shipped with the app. Built code lives in out/main (dev, CLI) or inside the
 * packaged app's resources; walking up from this file finds the project root in both layouts,
 * and PENSION_COUNTER_ROOT overrides it for unusual installs.
 */
function findRoot(marker: string): string {
  const fromEnv = process.env.PENSION_COUNTER_ROOT;
  if (fromEnv) return fromEnv;
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    if (fs.existsSync(path.join(dir, marker))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath && fs.existsSync(path.join(resourcesPath, marker))) return resourcesPath;
  throw new Error(`找不到程序文件 ${marker}（从 ${__dirname} 向上查找）`);
}

export function resourcesDir(): string {
  return path.join(findRoot('resources/policy'), 'resources');
}

/** The built renderer (out/renderer) served by the browser host. */
export function rendererDir(): string {
  return path.join(findRoot('out/renderer/index.html'), 'out', 'renderer');
}
