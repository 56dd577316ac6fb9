/**
 * Real separate server processes (test/support/spawn.ts) behind the real HAProxy gateway, for the
 * scale-out, crash and fault tests. The nodes share one database and one Redis prefix.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway } from '../../scripts/lib/gateway';
import type { Gateway } from '../../scripts/lib/gateway';
import { answers200, freePort } from '../../scripts/lib/net';
import { testUrls, uniqueName, withDb } from './env';
import { spawnServerProcess } from './spawn';
import type { ServerProcess } from './spawn';
import { waitFor } from './wait';

export interface ClusterNode {
  name: string;
  port: number;
  url: string;
  proc: ServerProcess | null;
}

export interface Cluster {
  db: string;
  mongoUrl: string;
  redisUrl: string;
  /** The nodes' REDIS_PREFIX (build key names with `redisNames(prefix)`). */
  prefix: string;
  nodes: ClusterNode[];
  gateway: Gateway;
  /** Starts (or restarts) node i on its port and waits for /healthz 200. */
  start(i: number): Promise<void>;
  /** Sends `sig` to node i's process group. */
  signal(i: number, sig: NodeJS.Signals): void;
  stop(): Promise<void>;
}

/** Whether the node or gateway at `url` answers /healthz with 200. */
export function healthy(url: string): Promise<boolean> {
  return answers200(`${url}/healthz`);
}

export async function startCluster(opts: {
  label: string;
  count: number;
  /** The database name (and Redis prefix `<db>:`); default a fresh unique one from `label`. */
  db?: string;
  /** Another MongoDB than the run's (a three-member set for the failover test); the database is added. */
  mongoUrl?: string;
  redisUrl?: string;
  env?: Record<string, string>;
}): Promise<Cluster> {
  const db = opts.db ?? uniqueName(opts.label);
  const mongoUrl = withDb(opts.mongoUrl ?? testUrls().mongo, db);
  const redisUrl = opts.redisUrl ?? testUrls().redis;
  const prefix = `${db}:`;
  const nodes: ClusterNode[] = [];
  for (let i = 0; i < opts.count; i += 1) {
    const port = await freePort();
    nodes.push({ name: `${db}-n${i}`, port, url: `http://127.0.0.1:${port}`, proc: null });
  }
  const start = async (i: number) => {
    const node = nodes[i];
    if (!node) throw new Error(`no node ${i}`);
    node.proc = await spawnServerProcess({
      kind: 'node',
      db,
      nodeId: node.name,
      port: node.port,
      env: { MONGO_URL: mongoUrl, REDIS_URL: redisUrl, REDIS_PREFIX: prefix, LOG_LEVEL: 'error', ...opts.env },
    });
  };
  const signal = (i: number, sig: NodeJS.Signals) => nodes[i]?.proc?.signal(sig);
  await Promise.all(nodes.map((_, i) => start(i)));
  const gateway = await startGateway({
    dir: mkdtempSync(join(tmpdir(), 'gw-')),
    servers: nodes.map((n) => ({ name: n.name, host: '127.0.0.1', port: n.port })),
  });
  await waitFor('the gateway to answer', () => healthy(gateway.url), 20_000, 200);

  return {
    db,
    mongoUrl,
    redisUrl,
    prefix,
    nodes,
    gateway,
    start,
    signal,
    async stop() {
      await gateway.stop();
      await Promise.all(nodes.map((n) => n.proc?.stop()));
    },
  };
}
