import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import fs from 'node:fs';
import { resolve } from 'node:path';
import { workerEntries } from './electron/platform/worker';

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
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // electron-vite leaves the renderer unminified; the counter loads it cold at every start.
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
