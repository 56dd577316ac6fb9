/**
 * Compiles the server node and the notifier to JavaScript for the production image (Dockerfile)
 * and for the test that keeps that build honest (server/test/production-build.test.ts): esbuild
 * bundles our own TypeScript (server/src and the @booking/shared workspace: TypeScript source)
 * into one file per entry, and leaves every npm package
 * external, so they load from node_modules as they do in development. No TypeScript compiler or
 * loader is needed to run it.
 *
 * The output goes to `<outDir>/bin/`, with outDir inside `server/` (default `server/dist`): from
 * there Node finds the server workspace's own node_modules (packages npm could not hoist) before
 * the root's, and the bundle sits three directories below the repository root, like
 * server/src/transport, so paths the code derives from `__dirname` (static-pages' root) resolve
 * the same way.
 *
 * Usage: node scripts/lib/build-server.mjs [outDir]   (default: server/dist)
 */
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every bare import except our own workspace stays a runtime `require` of node_modules. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path === '@booking/shared') return { path: join(ROOT, 'shared', 'src', 'index.ts') };
      return { path: args.path, external: true };
    });
  },
};

export async function buildServer(outDir = join(ROOT, 'server', 'dist')) {
  await build({
    absWorkingDir: ROOT,
    entryPoints: {
      main: join(ROOT, 'server', 'src', 'main.ts'),
      'notifier-main': join(ROOT, 'server', 'src', 'notifier-main.ts'),
    },
    outdir: join(outDir, 'bin'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [externalPackages],
  });
  return { main: join(outDir, 'bin', 'main.js'), notifier: join(outDir, 'bin', 'notifier-main.js') };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildServer(process.argv[2] ? resolve(process.argv[2]) : undefined);
  process.stdout.write(`built ${out.main} and ${out.notifier}\n`);
}
