import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import fs from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { workerEntries } from './electron/platform/worker';

// antd's Result draws large pictures for the 403, 404 and 500 statuses (about 30 kB of script,
// loaded with every Result). The app shows only the icon statuses (error, warning, info, success),
// so the pictures resolve to an empty component. A Result with status 403/404/500 would show no
// picture: use an icon status.
function withoutResultPictures(): Plugin {
  const pictures = new Set(['./noFound', './serverError', './unauthorized']);
  const stub = '\0antd-result-picture';
  return {
    name: 'antd-result-without-pictures',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer && /[\\/]antd[\\/]es[\\/]result[\\/]index\.js$/.test(importer) && pictures.has(source)) return stub;
      return null;
    },
    load(id) {
      return id === stub ? 'export default function ResultPicture() { return null; }' : null;
    },
  };
}

// One build for the three Electron targets. The main build also emits the CLI (out/main/cli.js):
// it shares the Electron-free services with the main process and runs under plain Node.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          cli: resolve(__dirname, 'electron/cli/index.ts'),
          // Worker threads (electron/platform/worker.ts): out/main/workers/<name>.js each.
          ...Object.fromEntries(
            Object.entries(workerEntries)
              .filter(([, entry]) => fs.existsSync(resolve(__dirname, 'electron', entry)))
              .map(([name, entry]) => [`workers/${name}`, resolve(__dirname, 'electron', entry)]),
          ),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve(__dirname, 'electron/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react(), withoutResultPictures()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // electron-vite leaves the renderer unminified; the counter loads it cold at every start.
      minify: true,
      // The build checks the size budget itself (tests/e2e/bundle-size.spec.ts): no generic warning.
      chunkSizeWarningLimit: 600,
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
