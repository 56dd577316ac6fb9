/** Rebuilds a served page when its output is missing or older than its sources, so a browser test can run on its own. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function buildIfStale(opts: {
  what: string;
  output: string;
  sources: string[];
  command: string;
  args: string[];
}): void {
  if (existsSync(opts.output) && statSync(opts.output).mtimeMs >= Math.max(...opts.sources.map(newestMtime))) return;
  const result = spawnSync(opts.command, opts.args, { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${opts.what} build failed:\n${result.stdout}\n${result.stderr}`);
}
