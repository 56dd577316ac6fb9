/** Builds web/dist (both pages) when the display page is missing or older than its sources. */
import { join } from 'node:path';
import { ROOT, buildIfStale } from '../../test/support/build-if-stale';

export function ensureDisplayBuilt(): void {
  buildIfStale({
    what: 'vite build web',
    output: join(ROOT, 'web', 'dist', 'display', 'index.html'),
    sources: [
      join(ROOT, 'web', 'src'),
      join(ROOT, 'web', 'index.html'),
      join(ROOT, 'web', 'display'),
      join(ROOT, 'web', 'vite.config.ts'),
      join(ROOT, 'shared', 'src'),
      join(ROOT, 'client', 'src'),
    ],
    command: join(ROOT, 'node_modules', '.bin', 'vite'),
    args: ['build', 'web', '--logLevel', 'warn'],
  });
}
