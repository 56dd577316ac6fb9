/**
 * A real Redis Cluster for the tests: three masters of the system `redis-server` (7.0, sharded
 * pub/sub) on 127.0.0.1, no replicas, joined with `redis-cli --cluster create`. Its URL is the
 * form nodes take (`redis+cluster://127.0.0.1:p1,...`, docs/protocol.md).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startRedis } from './embedded-redis';
import type { EmbeddedRedis } from './embedded-redis';
import { freePort, pollUntil, portIsFree } from './net';

export interface EmbeddedRedisCluster {
  /** `redis+cluster://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3` */
  url: string;
  ports: number[];
  masters: EmbeddedRedis[];
  stop(): Promise<void>;
}

/** A port whose cluster bus port (port + 10000) is free too. */
async function clusterPort(taken: Set<number>): Promise<number> {
  for (let i = 0; i < 50; i += 1) {
    const port = await freePort();
    if (port + 10000 < 65536 && !taken.has(port) && (await portIsFree(port + 10000))) return port;
  }
  throw new Error('no free port pair for a Redis Cluster node');
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${out}`));
    });
  });
}

export async function startRedisCluster(opts: { masters?: number } = {}): Promise<EmbeddedRedisCluster> {
  const count = opts.masters ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
  const taken = new Set<number>();
  const ports: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const port = await clusterPort(taken);
    taken.add(port);
    ports.push(port);
  }
  const masters: EmbeddedRedis[] = [];
  const stop = async (): Promise<void> => {
    await Promise.allSettled(masters.map((m) => m.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    masters.push(
      ...(await Promise.all(
        ports.map((port) =>
          startRedis({
            port,
            dir,
            args: [
              '--cluster-enabled',
              'yes',
              '--cluster-config-file',
              `nodes-${port}.conf`,
              '--cluster-node-timeout',
              '2000',
            ],
          }),
        ),
      )),
    );
    await run(
      'redis-cli',
      ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'],
      30_000,
    );
    // Every master must agree that all 16384 slots are served before a client is pointed at it.
    await pollUntil(
      async () => {
        const states = await Promise.all(
          ports.map(async (port) => {
            const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
            try {
              await client.connect();
              return /cluster_state:ok/.test(await client.cluster('INFO'));
            } catch {
              return false;
            } finally {
              client.disconnect();
            }
          }),
        );
        return states.every(Boolean);
      },
      { timeoutMs: 20_000, what: 'the Redis Cluster to report cluster_state:ok on every master', intervalMs: 100 },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`, ports, masters, stop };
}
