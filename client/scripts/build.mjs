#!/usr/bin/env node
/**
 * Builds the published package into client/dist: the code as CommonJS bundles (esbuild), the
 * types as declaration files (tsc).
 *
 * The client's source imports the protocol (error codes, event maps, wire types) from
 * `@booking/shared`, a private workspace that is not published. So the build carries the part it
 * uses: esbuild bundles the one run-time value (`ErrorCode`) into dist/client/src/index.js,
 * treating shared as free of side effects so its schemas, luxon and rrule stay out, and tsc emits
 * shared's declarations beside the client's (dist/shared/src), with the client's declarations
 * pointed at them by relative path. `zod` and `socket.io-client` stay the user's packages.
 *
 *   node client/scripts/build.mjs   (npm run build -w @booking/client)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const CLIENT = dirname(dirname(fileURLToPath(import.meta.url)));
const ROOT = dirname(CLIENT);
const DIST = join(CLIENT, 'dist');
const SHARED_INDEX = join(ROOT, 'shared', 'src', 'index.ts');

rmSync(DIST, { recursive: true, force: true });

// Types: dist/client/src/*.d.ts and dist/shared/src/**/*.d.ts (tsconfig.build.json: rootDir is the repository).
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(CLIENT, 'tsconfig.build.json')], { stdio: 'inherit' });
const typesDir = join(DIST, 'client', 'src');
const sharedTypes = join(DIST, 'shared', 'src', 'index');
// ../../shared/src/index from dist/client/src, one more ../ per folder below it (src/i18n).
for (const name of readdirSync(typesDir, { recursive: true }).filter((f) => f.endsWith('.d.ts'))) {
  const file = join(typesDir, name);
  const toShared = relative(dirname(file), sharedTypes);
  writeFileSync(file, readFileSync(file, 'utf8').replaceAll("'@booking/shared'", `'${toShared}'`));
}

// Code: one CommonJS file per entry, with what it uses of shared inlined.
await build({
  absWorkingDir: ROOT,
  entryPoints: [join(CLIENT, 'src', 'index.ts'), join(CLIENT, 'src', 'zod-jitless.ts')],
  outdir: typesDir,
  bundle: true,
  format: 'cjs',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  target: 'es2022',
  external: ['zod', 'socket.io-client'],
  logLevel: 'warning',
  plugins: [
    {
      name: 'shared-inline',
      setup(b) {
        b.onResolve({ filter: /^@booking\/shared$/ }, () => ({ path: SHARED_INDEX, sideEffects: false }));
      },
    },
  ],
});

const leaked = readdirSync(typesDir)
  .filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))
  .filter((f) => /['"]@booking\/shared['"]/.test(readFileSync(join(typesDir, f), 'utf8')));
if (leaked.length) throw new Error(`@booking/shared left in the published files: ${leaked.join(', ')}`);
process.stdout.write(`client: built ${relative(ROOT, DIST)}\n`);
