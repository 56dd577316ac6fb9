#!/usr/bin/env node
/**
 * Runs before node_modules exist, so: plain Node, no dependencies.
 *
 *   node scripts/bootstrap.mjs <cmd> [args...]
 *
 * 1. Installs the npm dependencies when node_modules is missing or older than package-lock.json.
 * 2. Makes sure the system programs the command needs are there: redis-server and, for the test
 *    command, chromium. On Debian as root it installs them with apt-get; elsewhere it says how
 *    and stops (a missing redis-server is fine there when REDIS_URL names a Redis to use).
 * 3. For `npm run server`: builds the booking page and the dashboard when they are not built.
 * 4. Runs <cmd> from the repository root with node_modules/.bin first on PATH, forwards SIGINT,
 *    SIGTERM and SIGHUP to it and exits with its exit code.
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants as fsConstants, existsSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const [cmd, ...args] = process.argv.slice(2);
const say = (line) => process.stdout.write(`bootstrap: ${line}\n`);
const fail = (line, code = 1) => {
  process.stderr.write(`bootstrap: ${line}\n`);
  process.exit(code);
};

if (!cmd) fail('usage: node scripts/bootstrap.mjs <command> [args...]', 2);

// ---------------------------------------------------------------------------------------------
// 1. npm dependencies

function mtimeMs(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

function npmInvocation() {
  // Under `npm run`, npm_execpath is the very npm that runs us; otherwise npm from PATH.
  const execPath = process.env.npm_execpath;
  if (execPath && /npm-cli\.c?js$/.test(execPath)) return { command: process.execPath, prefix: [execPath] };
  return { command: process.platform === 'win32' ? 'npm.cmd' : 'npm', prefix: [] };
}

function installDependencies() {
  const lock = join(root, 'package-lock.json');
  const installed = join(root, 'node_modules', '.package-lock.json');
  const lockTime = mtimeMs(lock);
  const installedTime = mtimeMs(installed);
  const needed =
    !existsSync(join(root, 'node_modules')) ||
    installedTime === null ||
    (lockTime !== null && lockTime > installedTime);
  if (!needed) return;
  const verb = lockTime === null ? 'install' : 'ci';
  say(`installing npm dependencies (npm ${verb})`);
  const npm = npmInvocation();
  const result = spawnSync(npm.command, [...npm.prefix, verb, '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    shell: process.platform === 'win32',
  });
  if (result.error) fail(`could not run npm: ${result.error.message}`);
  if (result.status !== 0) fail(`npm ${verb} failed (exit code ${result.status ?? result.signal})`);
}

// ---------------------------------------------------------------------------------------------
// 2. system packages

function onPath(program) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, program), fsConstants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** The Debian packages this command needs whose program is not installed. */
function missingPackages() {
  const wanted = [{ pkg: 'redis-server', program: 'redis-server' }];
  const full = ['start.ts', 'start:all', 'test:all', 'bench.ts', 'bench:all'].some((word) =>
    [cmd, ...args].some((a) => a.endsWith(word)),
  );
  // The gateway in front of the nodes (npm start, the scale-out tests, the benchmarks).
  if (full) wanted.push({ pkg: 'haproxy', program: 'haproxy' });
  if ([cmd, ...args].includes('test:all')) {
    wanted.push({ pkg: 'chromium', program: 'chromium' });
    // The compose file is checked with `docker-compose config` (no engine needed).
    wanted.push({ pkg: 'docker-compose', program: 'docker-compose' });
  }
  const found = (program) => onPath(program) || ['/usr/bin', '/usr/sbin'].some((dir) => existsSync(join(dir, program)));
  return wanted.filter(({ program }) => !found(program)).map((w) => w.pkg);
}

function aptGet(aptArgs) {
  const result = spawnSync('apt-get', aptArgs, {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n');
    if (tail) process.stderr.write(`${tail}\n`);
    fail(
      `apt-get ${aptArgs.join(' ')} failed (${result.error?.message ?? `exit code ${result.status ?? result.signal}`})`,
    );
  }
}

function ensureSystemPackages() {
  let missing = missingPackages();
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/etc/debian_version')) {
    say('apt-get update');
    aptGet(['update']);
    say(`installing ${missing.join(', ')} with apt-get (this can take a few minutes)`);
    aptGet(['install', '-y', '--no-install-recommends', ...missing]);
    return;
  }
  // With REDIS_URL the command uses that Redis and needs no redis-server of its own.
  if (process.env.REDIS_URL) missing = missing.filter((p) => p !== 'redis-server');
  if (missing.length === 0) return;
  const brewName = {
    'redis-server': 'redis',
    chromium: '--cask chromium',
    haproxy: 'haproxy',
    'docker-compose': 'docker-compose',
  };
  const brew = missing.map((p) => `brew install ${brewName[p] ?? p}`);
  const lines = [
    `missing system package(s): ${missing.join(', ')}. Install them, then run this again:`,
    `  Debian/Ubuntu:  sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`,
    `  macOS:          ${brew.join(' && ')}`,
  ];
  if (missing.includes('redis-server')) lines.push('  or set REDIS_URL to a Redis you already run.');
  fail(lines.join('\n'));
}

// ---------------------------------------------------------------------------------------------
// 3. the pages a node serves

/**
 * `npm run server` serves the booking page and the dashboard from web/dist and
 * admin-desktop/dist/renderer. On a fresh clone they are not built yet, and a node would serve
 * nothing there: build what is missing first (as `npm start` does), so no separate build step is
 * ever asked of the caller.
 */
function ensurePages() {
  if (![cmd, ...args].some((a) => a.endsWith('server/src/main.ts'))) return;
  const pages = [
    {
      what: 'booking page',
      index: join(root, 'web', 'dist', 'index.html'),
      command: join(root, 'node_modules', '.bin', 'vite'),
      args: ['build', 'web', '--logLevel', 'warn'],
    },
    {
      what: 'staff dashboard',
      index: join(root, 'admin-desktop', 'dist', 'renderer', 'index.html'),
      command: process.execPath,
      args: [join(root, 'admin-desktop', 'scripts', 'build-admin.mjs')],
    },
  ];
  for (const page of pages) {
    if (existsSync(page.index)) continue;
    say(`building the ${page.what} (it is not built yet)`);
    const result = spawnSync(page.command, page.args, {
      cwd: root,
      stdio: 'inherit',
      shell: process.platform === 'win32',
    });
    if (result.status !== 0 || !existsSync(page.index))
      fail(
        `building the ${page.what} failed (${result.error?.message ?? `exit code ${result.status ?? result.signal}`}); ` +
          'run npm run build:web and npm run build:admin to see why',
      );
  }
}

// ---------------------------------------------------------------------------------------------
// 4. the command

function run() {
  const bin = join(root, 'node_modules', '.bin');
  const child = spawn(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
    shell: process.platform === 'win32',
  });
  const forward = (sig) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => forward(sig));
  child.once('error', (err) => fail(`could not run ${cmd}: ${err.message}`, 127));
  child.once('exit', (code, signal) => {
    if (code !== null) process.exit(code);
    // Killed by a signal: the shell convention, 128 + its number.
    process.exit(128 + (constants.signals[signal] ?? 1));
  });
}

installDependencies();
ensureSystemPackages();
ensurePages();
run();
