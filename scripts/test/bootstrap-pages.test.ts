/**
 * `npm run server` on a fresh clone (dependencies installed, nothing built) must not serve a blank:
 * scripts/bootstrap.mjs builds the booking page and the dashboard first when they are missing, and
 * stops with one line when a build fails. Run on a scratch copy of the script, whose build commands
 * are small stand-ins that record that they ran, so the real dist folders of this run stay as they
 * are (the browser suites serve them meanwhile).
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..');

/** A scratch repository: the real bootstrap script, an installed-looking node_modules, stand-in builds. */
function scratchRepo(opts: { viteExit: number }): string {
  const root = mkdtempSync(join(tmpdir(), 'bootstrap-pages-'));
  mkdirSync(join(root, 'scripts'));
  copyFileSync(join(REPO, 'scripts', 'bootstrap.mjs'), join(root, 'scripts', 'bootstrap.mjs'));
  writeFileSync(join(root, 'package-lock.json'), '{}');
  mkdirSync(join(root, 'node_modules', '.bin'), { recursive: true });
  writeFileSync(join(root, 'node_modules', '.package-lock.json'), '{}');
  // Installed after the lock was written: no install is due.
  const later = new Date(Date.now() + 60_000);
  utimesSync(join(root, 'node_modules', '.package-lock.json'), later, later);
  const vite = join(root, 'node_modules', '.bin', 'vite');
  writeFileSync(
    vite,
    `#!/bin/sh\necho "$@" >> "${join(root, 'built.log')}"\n[ ${opts.viteExit} -eq 0 ] || exit ${opts.viteExit}\n` +
      `mkdir -p "${join(root, 'web', 'dist')}" && echo page > "${join(root, 'web', 'dist', 'index.html')}"\n`,
  );
  chmodSync(vite, 0o755);
  mkdirSync(join(root, 'admin-desktop', 'scripts'), { recursive: true });
  writeFileSync(
    join(root, 'admin-desktop', 'scripts', 'build-admin.mjs'),
    `import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';\n` +
      `appendFileSync(${JSON.stringify(join(root, 'built.log'))}, 'admin\\n');\n` +
      `mkdirSync(${JSON.stringify(join(root, 'admin-desktop', 'dist', 'renderer'))}, { recursive: true });\n` +
      `writeFileSync(${JSON.stringify(join(root, 'admin-desktop', 'dist', 'renderer', 'index.html'))}, 'dashboard');\n`,
  );
  // What `npm run server` runs after the bootstrap; here it only proves it ran after the builds.
  mkdirSync(join(root, 'server', 'src'), { recursive: true });
  writeFileSync(
    join(root, 'server', 'src', 'main.ts'),
    `require('node:fs').appendFileSync(${JSON.stringify(join(root, 'built.log'))}, 'server\\n');\n`,
  );
  return root;
}

const runServerScript = (root: string) =>
  spawnSync(
    process.execPath,
    [join(root, 'scripts', 'bootstrap.mjs'), 'node', join(root, 'server', 'src', 'main.ts')],
    { cwd: root, encoding: 'utf8', env: { ...process.env, REDIS_URL: 'redis://127.0.0.1:1' } },
  );

describe('npm run server on a fresh clone', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });

  it('builds the booking page and the dashboard first when they are missing, then starts the node', () => {
    const root = scratchRepo({ viteExit: 0 });
    roots.push(root);
    const first = runServerScript(root);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/building the booking page/);
    expect(readFileSync(join(root, 'built.log'), 'utf8').trim().split('\n')).toEqual([
      'build web --logLevel warn',
      'admin',
      'server',
    ]);
    // Built: the next start builds nothing again.
    const second = runServerScript(root);
    expect(second.status).toBe(0);
    expect(readFileSync(join(root, 'built.log'), 'utf8').trim().split('\n')).toEqual([
      'build web --logLevel warn',
      'admin',
      'server',
      'server',
    ]);
  });

  it('stops with one line saying what to run when a build fails, and never starts a node serving a blank', () => {
    const root = scratchRepo({ viteExit: 3 });
    roots.push(root);
    const res = runServerScript(root);
    expect(res.status).not.toBe(0);
    expect(res.stderr.trim().split('\n').at(-1)).toMatch(
      /^bootstrap: building the booking page failed \(exit code 3\); run npm run build:web and npm run build:admin to see why$/,
    );
    expect(readFileSync(join(root, 'built.log'), 'utf8')).not.toMatch(/server/);
    expect(existsSync(join(root, 'web', 'dist', 'index.html'))).toBe(false);
  });
});
