/** Builds admin-desktop/dist/renderer when missing or older than its sources, so the server serves it at /admin. */
import { join } from 'node:path';
import { ROOT, buildIfStale } from '../../../test/support/build-if-stale';

const admin = join(ROOT, 'admin-desktop');

export function ensureRendererBuilt(): void {
  buildIfStale({
    what: 'admin renderer',
    output: join(admin, 'dist', 'renderer', 'index.html'),
    sources: [
      join(admin, 'src', 'renderer'),
      join(admin, 'src', 'common'),
      join(admin, 'vite.config.mts'),
      join(ROOT, 'shared', 'src'),
    ],
    command: process.execPath,
    args: [join(admin, 'scripts', 'build-admin.mjs'), '--renderer-only'],
  });
}
