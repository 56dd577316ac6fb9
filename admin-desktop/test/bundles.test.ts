/**
 * The Electron bundles as Electron will load them: a sandboxed preload can require nothing but
 * `electron`, so each bundle must be one self-contained CommonJS file; and the main bundle,
 * loaded with a stand-in `electron`, must start the app without touching a window first.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';

const admin = join(__dirname, '..');

beforeAll(() => {
  const res = spawnSync(process.execPath, [join(admin, 'scripts', 'build-admin.mjs'), '--node-only'], {
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`build failed: ${res.stdout}${res.stderr}`);
}, 60_000);

const requiresOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1] ?? '');

it('the preload bundle requires only electron', () => {
  expect(new Set(requiresOf(join(admin, 'dist', 'preload', 'preload.js')))).toEqual(new Set(['electron']));
});

it('the main bundle requires only electron and node built-ins', () => {
  const reqs = requiresOf(join(admin, 'dist', 'main', 'main.js'));
  expect(reqs).toContain('electron');
  for (const r of reqs) expect(r === 'electron' || r.startsWith('node:')).toBe(true);
});

it('the main bundle waits for app readiness before creating anything', () => {
  const calls: string[] = [];
  const fakeElectron = {
    app: {
      whenReady: () => {
        calls.push('whenReady');
        return new Promise<void>(() => undefined);
      },
      on: (event: string) => calls.push(`app.on:${event}`),
    },
    BrowserWindow: class {
      constructor() {
        calls.push('BrowserWindow');
      }
    },
  };
  // Load the CommonJS bundle in a fresh module with `electron` resolved to the stand-in.
  const file = join(admin, 'dist', 'main', 'main.js');
  const mod = new Module(file);
  mod.filename = file;
  mod.paths = [];
  const parentRequire = Module.createRequire(file);
  const req = Object.assign(
    (id: string): unknown => (id === 'electron' ? fakeElectron : parentRequire(id)),
    parentRequire,
  );
  const wrapper = new Function('exports', 'require', 'module', '__filename', '__dirname', readFileSync(file, 'utf8'));
  const previous = process.env.BOOKING_URL;
  process.env.BOOKING_URL = 'http://127.0.0.1:3999';
  try {
    wrapper.call(mod.exports, mod.exports, req, mod, file, join(admin, 'dist', 'main'));
  } finally {
    if (previous === undefined) delete process.env.BOOKING_URL;
    else process.env.BOOKING_URL = previous;
  }
  expect(calls).toEqual(['whenReady', 'app.on:window-all-closed']);
});
