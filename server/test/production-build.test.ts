/**
 * The production image's build, done here the way the Dockerfile does it (no Docker engine on
 * this machine): scripts/lib/build-server.mjs compiles the node and the notifier to JavaScript,
 * and the compiled files run under plain `node` (no tsx, no TypeScript) against the run's
 * MongoDB and Redis: the node answers /healthz, serves a login, and both stop on SIGTERM with
 * exit 0. The Dockerfile is checked to run exactly these files, as a non-root user under tini.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnServerProcess } from '../../test/support/spawn';

const ROOT = join(__dirname, '..', '..');
let out: string;
let built: { main: string; notifier: string };

beforeAll(() => {
  // Inside server/, as /app/server/dist is in the image: node_modules resolve from the parents,
  // and static-pages' root (three levels up from the bundle) is the repository.
  out = mkdtempSync(join(ROOT, 'server', '.build-test-'));
  // The Dockerfile's own command.
  const res = spawnSync(process.execPath, [join('scripts', 'lib', 'build-server.mjs'), out], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (res.status !== 0) throw new Error(`build failed: ${res.stderr}`);
  built = { main: join(out, 'bin', 'main.js'), notifier: join(out, 'bin', 'notifier-main.js') };
}, 60_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('production build', () => {
  it('compiled JavaScript has no TypeScript loader in it', () => {
    for (const file of [built.main, built.notifier]) {
      const js = readFileSync(file, 'utf8');
      expect(js).not.toMatch(/require\(["']tsx/);
      expect(js).not.toMatch(/require\(["']typescript["']\)/);
      expect(js).not.toMatch(/require\(["']@booking\/shared["']\)/);
    }
  });

  it('the compiled node serves /healthz and a login, and stops on SIGTERM with 0', async () => {
    const node = await spawnServerProcess({ kind: 'node', compiledEntry: built.main });
    const login = await fetch(`${node.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'staff@example.com', password: 'staff-password' }),
    });
    expect(login.status).toBe(200);
    node.signal('SIGTERM');
    expect(await node.exited).toEqual({ code: 0, signal: null });
  });

  it('the compiled notifier starts and stops on SIGTERM with 0', async () => {
    const notifier = await spawnServerProcess({ kind: 'notifier', compiledEntry: built.notifier });
    notifier.signal('SIGTERM');
    expect(await notifier.exited).toEqual({ code: 0, signal: null });
  });

  it('the Dockerfile builds with the same script and runs those files as non-root under tini', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^RUN node scripts\/lib\/build-server\.mjs server\/dist$/m);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    expect(runtime).toMatch(/^CMD \["node", "server\/dist\/bin\/main\.js"\]$/m);
    expect(runtime).not.toMatch(/tsx|typescript/);
  });
});
