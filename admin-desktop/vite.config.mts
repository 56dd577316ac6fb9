import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The dashboard page. Built into dist/renderer with base `/admin/`: the server serves it there,
 * and the Electron window loads it from the server (same origin as the API and Socket.IO).
 */
export default defineConfig({
  root: fileURLToPath(new URL('./src/renderer', import.meta.url)),
  base: '/admin/',
  // The client package's source (its package.json points at dist/, built only for publishing).
  resolve: {
    alias: [
      { find: /^@booking\/client$/, replacement: fileURLToPath(new URL('../client/src/index.ts', import.meta.url)) },
      {
        find: /^@booking\/client\/zod-jitless$/,
        replacement: fileURLToPath(new URL('../client/src/zod-jitless.ts', import.meta.url)),
      },
    ],
  },
  build: { outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)), emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'ws://127.0.0.1:3000', ws: true },
    },
  },
});
