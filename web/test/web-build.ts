/** Builds web/dist when it is missing or older than its sources, so `npx jest web/test` works alone. */
import { join } from 'node:path';
import { ROOT, buildIfStale } from '../../test/support/build-if-stale';

export function ensureWebBuilt(): void {
  buildIfStale({
    what: 'vite build web',
    output: join(ROOT, 'web', 'dist', 'index.html'),
    sources: [
      join(ROOT, 'web', 'src'),
      join(ROOT, 'web', 'index.html'),
      join(ROOT, 'web', 'vite.config.ts'),
      join(ROOT, 'shared', 'src'),
      join(ROOT, 'client', 'src'),
    ],
    command: join(ROOT, 'node_modules', '.bin', 'vite'),
    args: ['build', 'web', '--logLevel', 'warn'],
  });
}
