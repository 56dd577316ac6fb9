#!/usr/bin/env node
/**
 * `npm run admin`: builds the dashboard (renderer, main, preload), fetches the Electron runtime
 * when it is missing (installs run with ELECTRON_SKIP_BINARY_DOWNLOAD=1), and starts it against
 * BOOKING_URL (default http://127.0.0.1:3000, the local stack of `npm start`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const say = (line) => process.stdout.write(`admin: ${line}\n`);
const fail = (line) => {
  process.stderr.write(`admin: ${line}\n`);
  process.exit(1);
};
const bookingUrl = process.env.BOOKING_URL ?? 'http://127.0.0.1:3000';

// 1. Build.
const built = spawnSync(process.execPath, [join(here, 'scripts', 'build-admin.mjs')], { stdio: 'inherit' });
if (built.status !== 0) fail('build failed');

// 2. The Electron runtime.
const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const runtimePath = () => {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
};
if (!runtimePath()) {
  say('fetching the Electron runtime (once)…');
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const fetched = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit', env });
  if (fetched.status !== 0 || !runtimePath()) {
    fail(
      'could not download the Electron runtime. Set ELECTRON_MIRROR to a reachable mirror (or ' +
        'electron_config_cache to a folder holding the release zip) and run `npm run admin` again. ' +
        `The same dashboard works in any browser at ${bookingUrl}/admin/`,
    );
  }
}
const electron = runtimePath();

// 3. Tell the staff member if the server is not up yet (the window shows the error otherwise).
try {
  const res = await fetch(`${bookingUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
  if (!res.ok) say(`${bookingUrl} answered ${res.status} on /healthz; is the stack healthy?`);
} catch {
  say(`${bookingUrl} is not reachable; start the stack with \`npm start\` (or set BOOKING_URL)`);
}

// 4. Start. Chromium refuses to run as root with its OS sandbox on; only then is it turned off
// (the window's own sandbox/contextIsolation settings still apply).
const args = [join(here, 'dist', 'main', 'main.js')];
if (typeof process.getuid === 'function' && process.getuid() === 0) args.unshift('--no-sandbox');
say(`starting Electron against ${bookingUrl}`);
const child = spawn(electron, args, { stdio: 'inherit', env: { ...process.env, BOOKING_URL: bookingUrl } });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
