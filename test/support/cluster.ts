/**
 * Real separate server processes (`tsx server/src/main.ts`, as `npm run server` runs them) behind
 * the real HAProxy gateway, for the scale-out, crash and fault tests.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/net';
import { startGateway } from '../../scripts/lib/gateway';
import type { Gateway } from '../../scripts/lib/gateway';
import { TEST_SECRET, testUrls, uniqueName, withDb } from './env';
import { waitFor } from './wait';

const ROOT = join(__dirname, '..', '..');

export interface ClusterNode {
  name: string;
  port: number;
  url: string;
  proc: ChildProcess | null;
}

export interface Cluster {
  db: string;
  mongoUrl: string;
  redisUrl: string;
  nodes: ClusterNode[];
  gateway: Gateway;
  /** Starts (or restarts) node i on its port and waits for /healthz 200. */
  start(i: number): Promise<void>;
  signal(i: number, sig: NodeJS.Signals): void;
  stop(): Promise<void>;
}

export async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) })).status === 200;
  } catch {
    return false;
  }
}

export async function startCluster(opts: { label: string; count: number; redisUrl?: string; env?: Record<string, string> }): Promise<Cluster> {
  const db = uniqueName(opts.label);
  const mongoUrl = withDb(testUrls().mongo, db);
  const redisUrl = opts.redisUrl ?? testUrls().redis;
  const nodes: ClusterNode[] = [];
  for (let i = 0; i < opts.count; i += 1) {
    const port = await freePort();
    nodes.push({ name: `${db}-n${i}`, port, url: `http://127.0.0.1:${port}`, proc: null });
  }
  const start = async (i: number) => {
    const node = nodes[i];
    if (!node) throw new Error(`no node ${i}`);
    node.proc = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['server/src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(node.port),
        MONGO_URL: mongoUrl,
        REDIS_URL: redisUrl,
        AUTH_SECRET: TEST_SECRET,
        NODE_ID: node.name,
        STAFF_EMAIL: 'staff@example.com',
        STAFF_PASSWORD: 'staff-password',
        LOG_LEVEL: 'error',
        ...opts.env,
      },
      // A process group of its own, so a signal reaches tsx's node child as well.
      detached: true,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitFor(`${node.name} to answer /healthz`, () => healthy(node.url), 60_000, 200);
  };
  const signal = (i: number, sig: NodeJS.Signals) => {
    const pid = nodes[i]?.proc?.pid;
    if (!pid) return;
    try {
      process.kill(-pid, sig);
    } catch {
      // already gone
    }
  };
  // Whatever happens to the test (a failed start, a timeout), no node outlives this process.
  const killAll = () => nodes.forEach((_, i) => signal(i, 'SIGKILL'));
  process.once('exit', killAll);
  try {
    await Promise.all(nodes.map((_, i) => start(i)));
  } catch (err) {
    killAll();
    throw err;
  }
  const gateway = await startGateway({
    dir: mkdtempSync(join(tmpdir(), 'gw-')),
    servers: nodes.map((n) => ({ name: n.name, host: '127.0.0.1', port: n.port })),
  });
  await waitFor('the gateway to answer', () => healthy(gateway.url), 20_000, 200);

  return {
    db,
    mongoUrl,
    redisUrl,
    nodes,
    gateway,
    start,
    signal,
    async stop() {
      process.off('exit', killAll);
      await gateway.stop();
      await Promise.all(
        nodes.map(async (n, i) => {
          const proc = n.proc;
          if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
          const exited = new Promise((r) => proc.once('exit', r));
          signal(i, 'SIGCONT');
          signal(i, 'SIGTERM');
          const killer = setTimeout(() => signal(i, 'SIGKILL'), 10_000);
          await exited;
          clearTimeout(killer);
        }),
      );
    },
  };
}
