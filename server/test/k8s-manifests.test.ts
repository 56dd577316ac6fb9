/**
 * deploy/k8s/base validates against the Kubernetes schemas, offline (kubernetes-models' compiled
 * OpenAPI validators), and holds what a rolling deploy relies on: probes on /healthz (the nodes',
 * and the notifier's on HEALTH_PORT), a grace period above the drain, resources, a disruption
 * budget, cookie affinity and websockets at the ingress, CPU autoscaling, and the secrets the
 * processes read.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { parseConfig } from '../src/infra/config';

const BASE = join(__dirname, '..', '..', 'deploy', 'k8s', 'base');

interface Validatable {
  validate(): void;
}
const MODELS: Record<string, (doc: Record<string, unknown>) => Validatable> = {
  'apps/v1/Deployment': (d) => new Deployment(d),
  'autoscaling/v2/HorizontalPodAutoscaler': (d) => new HorizontalPodAutoscaler(d),
  'networking.k8s.io/v1/Ingress': (d) => new Ingress(d),
  'policy/v1/PodDisruptionBudget': (d) => new PodDisruptionBudget(d),
  'v1/ConfigMap': (d) => new ConfigMap(d),
  'v1/Secret': (d) => new Secret(d),
  'v1/Service': (d) => new Service(d),
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function load(file: string): Array<Record<string, unknown>> {
  return parseAllDocuments(readFileSync(join(BASE, file), 'utf8')).map((doc) => {
    expect(doc.errors).toEqual([]);
    const value: unknown = doc.toJS();
    if (!isRecord(value)) throw new Error(`${file}: a document that is not a mapping`);
    return value;
  });
}

const kustomization = load('kustomization.yaml')[0] ?? {};
const resourceFiles = Array.isArray(kustomization.resources) ? kustomization.resources.map(String) : [];
const objects = resourceFiles.flatMap((f) => load(f).map((doc) => ({ file: f, doc })));
const byKind = (kind: string) => objects.filter((o) => o.doc.kind === kind).map((o) => o.doc);

/** A path into parsed YAML, or undefined (keeps the assertions below readable and typed). */
function at(v: unknown, ...path: Array<string | number>): unknown {
  let cur = v;
  for (const key of path) {
    if (typeof key === 'number' ? !Array.isArray(cur) : !isRecord(cur)) return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

test('the kustomization lists every manifest in the base, and each exists', () => {
  expect(kustomization.kind).toBe('Kustomization');
  const onDisk = readdirSync(BASE)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .sort();
  expect([...resourceFiles].sort()).toEqual(onDisk);
});

test('every object validates against its Kubernetes schema', () => {
  expect(objects.length).toBeGreaterThanOrEqual(8);
  for (const { file, doc } of objects) {
    const model = MODELS[`${String(doc.apiVersion)}/${String(doc.kind)}`];
    if (!model) throw new Error(`${file}: no schema here for ${String(doc.apiVersion)} ${String(doc.kind)}`);
    expect(() => model(doc).validate()).not.toThrow();
  }
});

test('the validator refuses a broken manifest (the check above can fail)', () => {
  const node = byKind('Deployment')[0] ?? {};
  const broken = JSON.parse(JSON.stringify(node)) as Record<string, unknown>;
  const spec = at(broken, 'spec');
  if (isRecord(spec)) spec.replicas = 'three';
  expect(() => new Deployment(broken).validate()).toThrow();
  const noSelector = JSON.parse(JSON.stringify(node)) as Record<string, unknown>;
  const spec2 = at(noSelector, 'spec');
  if (isRecord(spec2)) delete spec2.selector;
  expect(() => new Deployment(noSelector).validate()).toThrow();
});

test('the nodes: /healthz probes, a grace period above the drain, resources, rolling without loss', () => {
  const node = byKind('Deployment').find((d) => at(d, 'metadata', 'name') === 'booking-node');
  const container = at(node, 'spec', 'template', 'spec', 'containers', 0);
  for (const probe of ['readinessProbe', 'livenessProbe'])
    expect(at(container, probe, 'httpGet', 'path')).toBe('/healthz');
  expect(at(container, 'resources', 'limits', 'cpu')).toBeDefined();
  expect(at(container, 'resources', 'limits', 'memory')).toBeDefined();
  expect(at(container, 'resources', 'requests', 'cpu')).toBeDefined();
  expect(at(node, 'spec', 'strategy', 'rollingUpdate', 'maxUnavailable')).toBe(0);
  // The drain (DRAIN_DELAY_MS) plus the stop that follows it (at most 10 s) fits in the grace period.
  const config = byKind('ConfigMap').find((c) => at(c, 'metadata', 'name') === 'booking-config');
  const drainMs = Number(at(config, 'data', 'DRAIN_DELAY_MS'));
  // The nodes' TRUSTED_PROXIES is a value they accept (a bad one would stop every pod at start).
  expect(
    parseConfig({
      MONGO_URL: 'mongodb://m:27017/b?replicaSet=rs0',
      REDIS_URL: 'redis://r:6379',
      AUTH_SECRET: 'k'.repeat(40),
      TRUSTED_PROXIES: String(at(config, 'data', 'TRUSTED_PROXIES')),
    }).trustedProxies,
  ).toEqual(['10.0.0.0/8']);
  expect(Number(at(node, 'spec', 'template', 'spec', 'terminationGracePeriodSeconds')) * 1000).toBeGreaterThan(
    drainMs + 10_000,
  );
  // The readiness probe notices the drain well within it.
  const readiness = at(container, 'readinessProbe');
  expect(Number(at(readiness, 'periodSeconds')) * Number(at(readiness, 'failureThreshold')) * 1000).toBeLessThan(
    drainMs,
  );
  // Liveness outlasts a drain and an election.
  const liveness = at(container, 'livenessProbe');
  expect(Number(at(liveness, 'periodSeconds')) * Number(at(liveness, 'failureThreshold')) * 1000).toBeGreaterThan(
    drainMs + 10_000,
  );
});

test('the notifier runs the compiled notifier with resources and a grace period for its jobs', () => {
  const notifier = byKind('Deployment').find((d) => at(d, 'metadata', 'name') === 'booking-notifier');
  const container = at(notifier, 'spec', 'template', 'spec', 'containers', 0);
  expect(JSON.stringify(at(container, 'command'))).toContain('server/dist/bin/notifier-main.js');
  expect(at(container, 'resources', 'limits', 'memory')).toBeDefined();
  expect(at(notifier, 'spec', 'replicas')).toBe(1);
  expect(Number(at(notifier, 'spec', 'template', 'spec', 'terminationGracePeriodSeconds'))).toBeGreaterThan(10);
});

test('the notifier: HEALTH_PORT set, and its probes on /healthz at that port', () => {
  const notifier = byKind('Deployment').find((d) => at(d, 'metadata', 'name') === 'booking-notifier');
  const container = at(notifier, 'spec', 'template', 'spec', 'containers', 0);
  const env = at(container, 'env');
  const healthPort = Array.isArray(env) ? env.find((e) => at(e, 'name') === 'HEALTH_PORT') : undefined;
  const portValue = Number(at(healthPort, 'value'));
  // What the notifier makes of it: a listener on that port.
  expect(
    parseConfig({
      MONGO_URL: 'mongodb://h1:27017/b?replicaSet=rs0',
      REDIS_URL: 'redis://r:6379',
      AUTH_SECRET: 'a1'.repeat(20),
      HEALTH_PORT: String(portValue),
    }).healthPort,
  ).toBe(portValue);
  const ports = at(container, 'ports');
  const named = Array.isArray(ports)
    ? ports.filter((p) => at(p, 'containerPort') === portValue).map((p) => at(p, 'name'))
    : [];
  expect(named).toHaveLength(1);
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    expect(at(container, probe, 'httpGet', 'path')).toBe('/healthz');
    // By the port's name or its number: either way the one HEALTH_PORT opens.
    expect([named[0], portValue]).toContain(at(container, probe, 'httpGet', 'port'));
  }
  // Liveness outlasts an election or a Redis restart.
  const liveness = at(container, 'livenessProbe');
  expect(
    Number(at(liveness, 'periodSeconds')) * Number(at(liveness, 'failureThreshold')) * 1000,
  ).toBeGreaterThanOrEqual(30_000);
});

test('a disruption budget, CPU autoscaling, and an ingress with cookie affinity and websockets', () => {
  const pdb = byKind('PodDisruptionBudget')[0];
  expect(at(pdb, 'spec', 'selector', 'matchLabels', 'app.kubernetes.io/name')).toBe('booking-node');
  const hpa = byKind('HorizontalPodAutoscaler')[0];
  expect(at(hpa, 'spec', 'scaleTargetRef', 'name')).toBe('booking-node');
  expect(at(hpa, 'spec', 'metrics', 0, 'resource', 'name')).toBe('cpu');
  const ingress = byKind('Ingress')[0];
  expect(at(ingress, 'metadata', 'annotations', 'nginx.ingress.kubernetes.io/affinity')).toBe('cookie');
  expect(
    Number(at(ingress, 'metadata', 'annotations', 'nginx.ingress.kubernetes.io/proxy-read-timeout')),
  ).toBeGreaterThanOrEqual(60);
  const service = byKind('Service')[0];
  expect(at(ingress, 'spec', 'rules', 0, 'http', 'paths', 0, 'backend', 'service', 'name')).toBe(
    at(service, 'metadata', 'name'),
  );
});

test('the config and secrets are what a node accepts: a replica-set MONGO_URL, every secret it reads', () => {
  const config = byKind('ConfigMap').find((c) => at(c, 'metadata', 'name') === 'booking-config');
  const secret = byKind('Secret').find((s) => at(s, 'metadata', 'name') === 'booking-secrets');
  const data = at(config, 'data');
  const secrets = at(secret, 'stringData');
  if (!isRecord(data) || !isRecord(secrets)) throw new Error('config or secrets missing');
  for (const key of ['AUTH_SECRET', 'METRICS_TOKEN', 'SMTP_URL']) expect(secrets).toHaveProperty(key);
  const env = Object.fromEntries([...Object.entries(data), ...Object.entries(secrets)].map(([k, v]) => [k, String(v)]));
  // The placeholders are refused, so nothing runs on a published secret...
  expect(() => parseConfig(env)).toThrow(/AUTH_SECRET/);
  // ...and with real values in their place, the node takes the rest as it is.
  const parsed = parseConfig({
    ...env,
    AUTH_SECRET: 'a1'.repeat(20),
    METRICS_TOKEN: 'm2'.repeat(10),
    STAFF_PASSWORD: 'p3'.repeat(6),
    NODE_ID: 'booking-node-0',
  });
  expect(parsed.mongoUrl).toContain('replicaSet=');
  expect(parsed.drainDelayMs).toBe(Number(data.DRAIN_DELAY_MS));
});
