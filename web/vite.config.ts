import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The booking page. `vite build web` writes web/dist, which the server serves at `/`.
 * JSX goes through Vite's own (oxc) automatic runtime, so no React plugin is needed.
 * `npm run dev -w @booking/web` proxies the API and Socket.IO to a node on port 3000.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
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
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // Two pages: the booking page at `/` and the room display at `/display/` (web/dist/display/index.html).
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('index.html', import.meta.url)),
        display: fileURLToPath(new URL('display/index.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'ws://127.0.0.1:3000', ws: true },
    },
  },
});
