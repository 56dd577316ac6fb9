#!/usr/bin/env node
/**
 * Builds the staff dashboard: the renderer page (dist/renderer, served by the server at /admin/)
 * and the Electron main and preload scripts (dist/main/main.js, dist/preload/preload.js), each a
 * single CommonJS file: a sandboxed preload cannot require anything but `electron`, so
 * everything else is bundled in.
 *
 *   node admin-desktop/scripts/build-admin.mjs [--renderer-only | --node-only]
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const rendererOnly = process.argv.includes('--renderer-only');
const nodeOnly = process.argv.includes('--node-only');

if (!nodeOnly) await build({ configFile: join(here, 'vite.config.mts'), logLevel: 'warn' });

/** One Node-side entry as one CommonJS file. */
function nodeEntry(entry, outDir) {
  return build({
    configFile: false,
    root: here,
    logLevel: 'warn',
    ssr: { noExternal: true, external: ['electron'] },
    build: {
      ssr: join(here, entry),
      outDir: join(here, outDir),
      emptyOutDir: true,
      target: 'node22',
      minify: false,
      sourcemap: true,
      rollupOptions: {
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].js', codeSplitting: false },
      },
    },
  });
}

if (!rendererOnly) {
  await nodeEntry('src/main/main.ts', 'dist/main');
  await nodeEntry('src/preload/preload.ts', 'dist/preload');
}
const what = rendererOnly ? 'renderer' : nodeOnly ? 'main and preload' : 'renderer, main and preload';
process.stdout.write(`admin: built ${what} into admin-desktop/dist\n`);
