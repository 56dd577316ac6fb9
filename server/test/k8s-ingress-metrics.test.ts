/**
 * The Kubernetes ingress never serves `/metrics` (issue 22, item 11), as the HAProxy gateway
 * denies it. The manifests are read offline and a request path is routed the way ingress-nginx
 * routes it (Exact, then the host's regex locations when any Ingress of the host asks for regex:
 * case-insensitive, longest path first; otherwise Prefix, element-wise and case-sensitive, longest
 * first), rewrite-target applied; the path that reaches a node then goes to a real HTTP app with a
 * `/metrics` route and the built pages, to see what it would answer.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { join } from 'node:path';
import express from 'express';
import pino from 'pino';
import { parseAllDocuments } from 'yaml';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { createHttpApp } from '../src/transport/http';
import { staticPages } from '../src/transport/static-pages';

const FILE = join(__dirname, '..', '..', 'deploy', 'k8s', 'base', 'ingress.yaml');
const HOST = 'booking.example.com';
const METRICS_TEXT = '# HELP booking_connected_sockets';

interface Route {
  ingress: string;
  path: string;
  pathType: string;
  service: string;
  rewrite: string | null;
}

const ingresses = parseAllDocuments(readFileSync(FILE, 'utf8')).map(
  (doc) => new Ingress(doc.toJS() as ConstructorParameters<typeof Ingress>[0]),
);

function routesOf(host: string): { routes: Route[]; regex: boolean } {
  const routes: Route[] = [];
  let regex = false;
  for (const ing of ingresses) {
    const notes = ing.metadata?.annotations ?? {};
    const rewrite = notes['nginx.ingress.kubernetes.io/rewrite-target'] ?? null;
    const rules = (ing.spec?.rules ?? []).filter((r) => r.host === host);
    if (rules.length === 0) continue;
    // ingress-nginx: rewrite-target implies use-regex, and regex matching applies to the whole host.
    if (notes['nginx.ingress.kubernetes.io/use-regex'] === 'true' || rewrite !== null) regex = true;
    for (const rule of rules) {
      for (const p of rule.http?.paths ?? []) {
        routes.push({
          ingress: ing.metadata?.name ?? '',
          path: p.path ?? '/',
          pathType: p.pathType,
          service: p.backend.service?.name ?? '',
          rewrite,
        });
      }
    }
  }
  return { routes, regex };
}

/** The route ingress-nginx picks for a path, or null (its default backend: 404). */
function route(path: string): Route | null {
  const { routes, regex } = routesOf(HOST);
  // nginx matches locations against the path alone.
  const uri = path.split('?')[0] ?? path;
  const exact = routes.find((r) => r.pathType === 'Exact' && r.path === uri);
  if (exact) return exact;
  const byLength = routes.filter((r) => r.pathType !== 'Exact').sort((a, b) => b.path.length - a.path.length);
  if (regex) return byLength.find((r) => new RegExp(`^${r.path}`, 'i').test(uri)) ?? null;
  return (
    byLength.find((r) => {
      if (r.pathType !== 'Prefix') return uri === r.path;
      const want = r.path.split('/').filter(Boolean);
      const got = uri.split('/').filter(Boolean);
      return want.every((seg, i) => got[i] === seg);
    }) ?? null
  );
}

/** What a node answers to the request the ingress forwards for `path`. */
async function forwarded(base: string, path: string): Promise<{ routed: Route | null; status: number; body: string }> {
  const routed = route(path);
  if (!routed) return { routed, status: 404, body: 'default backend' };
  const res = await fetch(`${base}${routed.rewrite ?? path}`);
  return { routed, status: res.status, body: await res.text() };
}

let base = '';
let close: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  const metrics = express.Router();
  metrics.get('/metrics', (_req, res) => {
    res.type('text/plain').send(`${METRICS_TEXT} Socket.IO clients\nbooking_connected_sockets 0\n`);
  });
  const logger = pino({ level: 'silent' });
  const app = createHttpApp({
    logger,
    nodeId: 'ingress-test',
    healthy: async () => true,
    trustProxy: [],
    routers: [],
    extras: [metrics, ...staticPages(logger)],
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});

afterAll(() => close());

test('every Ingress validates against its schema', () => {
  expect(ingresses.length).toBeGreaterThanOrEqual(2);
  for (const ing of ingresses) expect(() => ing.validate()).not.toThrow();
});

test('the node itself serves /metrics in any case (what the ingress must keep out)', async () => {
  for (const path of ['/metrics', '/METRICS', '/Metrics/']) {
    const res = await fetch(`${base}${path}`);
    expect(await res.text()).toContain(METRICS_TEXT);
  }
});

test('/metrics in any spelling never reaches a node’s metrics through the ingress', async () => {
  for (const path of ['/metrics', '/METRICS', '/Metrics', '/metrics/', '/metrics?name=x', '/metrics/extra']) {
    const answer = await forwarded(base, path);
    expect({ path, status: answer.status }).toEqual({ path, status: 404 });
    expect(answer.body).not.toContain(METRICS_TEXT);
  }
});

test('the application’s own paths still reach the nodes unchanged', () => {
  for (const path of [
    '/',
    '/index.html',
    '/assets/app.js',
    '/api/resources',
    '/api/calendar/feeds/abc.ics',
    '/socket.io/?EIO=4&transport=polling',
    '/admin',
    '/admin/assets/x.js',
    '/docs',
    '/healthz',
    '/display/',
    '/metricsboard',
  ]) {
    const r = route(path);
    expect({ path, service: r?.service, rewrite: r?.rewrite }).toEqual({
      path,
      service: 'booking-node',
      rewrite: null,
    });
  }
});
