/**
 * Security headers on every page and API answer, no source maps served, `/metrics` behind
 * METRICS_TOKEN on the node and never reachable through the gateway (a real node process behind
 * the real HAProxy), and a published AUTH_SECRET refused at start.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, PUBLISHED_SECRETS } from '../src/infra/config';
import { startCluster } from '../../test/support/cluster';
import type { Cluster } from '../../test/support/cluster';
import { startHarness } from '../../test/support/harness';
import type { Harness } from '../../test/support/harness';
import { spawnServerProcess } from '../../test/support/spawn';

const ROOT = join(__dirname, '..', '..');
const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

function expectSecurityHeaders(res: Response): void {
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('x-powered-by')).toBeNull();
}

describe('on a node', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ label: 'headers', env: { METRICS_TOKEN } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it.each(['/', '/admin/', '/api/resources', '/api/nothing', '/healthz'])(
    '%s carries the security headers',
    async (path) => {
      const res = await fetch(`${h.node.url}${path}`);
      expect(res.status).toBeLessThan(500);
      expectSecurityHeaders(res);
    },
  );

  it('serves the built pages (their scripts are files, no inline code) but never their source maps', async () => {
    for (const [mount, dir] of [
      ['/', join(ROOT, 'web', 'dist')],
      ['/admin/', join(ROOT, 'admin-desktop', 'dist', 'renderer')],
    ] as const) {
      const page = await fetch(`${h.node.url}${mount}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      const maps = existsSync(join(dir, 'assets'))
        ? readdirSync(join(dir, 'assets')).filter((f) => f.endsWith('.map'))
        : [];
      const asset = `${mount}assets/`;
      for (const map of maps) expect((await fetch(`${h.node.url}${asset}${map}`)).status).toBe(404);
      const script = /src="([^"]+\.js)"/.exec(html)?.[1];
      if (script) {
        const js = await fetch(`${h.node.url}${script}`);
        expect(js.status).toBe(200);
        expect(js.headers.get('sourcemap')).toBeNull();
      }
    }
    expect((await fetch(`${h.node.url}/assets/anything.js.map`)).status).toBe(404);
  });

  it('/metrics answers 401 without the token and Prometheus text with it', async () => {
    expect((await fetch(`${h.node.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${h.node.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const ok = await fetch(`${h.node.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/# TYPE /);
  });
});

describe('through the gateway', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster({ label: 'gatewaymetrics', count: 1 });
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('/metrics is unreachable from outside, in any spelling, while the node serves it directly', async () => {
    const node = cluster.nodes[0];
    if (!node) throw new Error('no node');
    expect((await fetch(`${node.url}/metrics`)).status).toBe(200);
    for (const path of ['/metrics', '/METRICS', '/metrics/', '/metrics?x=1']) {
      expect([path, (await fetch(`${cluster.gateway.url}${path}`)).status]).toEqual([path, 403]);
    }
    const page = await fetch(`${cluster.gateway.url}/healthz`);
    expect(page.status).toBe(200);
    expectSecurityHeaders(page);
  });
});

describe('published secrets', () => {
  const base = { MONGO_URL: 'mongodb://127.0.0.1:1/x?replicaSet=rs0', REDIS_URL: 'redis://127.0.0.1:1' };

  it.each(PUBLISHED_SECRETS.map((s) => [s]))('refuses AUTH_SECRET=%s', (secret) => {
    expect(() => parseConfig({ ...base, AUTH_SECRET: secret })).toThrow(/AUTH_SECRET is invalid: is a published value/);
  });

  it('the compose file’s old default stops the process with exit code 78 and one line', async () => {
    const proc = await spawnServerProcess({
      kind: 'node',
      bareEnv: true,
      env: { ...base, AUTH_SECRET: 'demo-only-secret-change-me-0123456789abcdef' },
      waitReady: false,
    });
    const exit = await proc.exited;
    expect(exit.code).toBe(78);
    const errors = proc
      .lines()
      .filter((l) => l.stream === 'err')
      .map((l) => l.line);
    expect(errors).toEqual([expect.stringMatching(/^config: AUTH_SECRET is invalid: is a published value/)]);
  });
});
