/** Builds admin-desktop/dist/renderer when missing or older than its sources, so the server serves it at /admin. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const admin = join(root, 'admin-desktop');

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function ensureRendererBuilt(): void {
  const built = join(admin, 'dist', 'renderer', 'index.html');
  const sources = [join(admin, 'src', 'renderer'), join(admin, 'src', 'common'), join(admin, 'vite.config.mts'), join(root, 'shared', 'src')];
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  const result = spawnSync(process.execPath, [join(admin, 'scripts', 'build-admin.mjs'), '--renderer-only'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`admin renderer build failed:\n${result.stdout}\n${result.stderr}`);
}
