import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startMongo } from '../../scripts/lib/embedded-mongo';
import type { EmbeddedMongo } from '../../scripts/lib/embedded-mongo';
import { startRedis } from '../../scripts/lib/embedded-redis';
import type { EmbeddedRedis } from '../../scripts/lib/embedded-redis';

declare global {
  // Shared between global setup and teardown (same process).
  var __bookingStack: { mongo: EmbeddedMongo; redis: EmbeddedRedis; bundleDir: string } | undefined;
}

const ROOT = join(__dirname, '..', '..');

/**
 * Compiles the node and the notifier once for the run (scripts/lib/build-server.mjs, the production
 * image's build, under 1 s): a test's server process then starts from plain JavaScript instead of
 * compiling the TypeScript again under tsx in every process (3 to 5 s each on a busy 2-core
 * machine, over a hundred processes a run). Each run has its own directory, so runs side by side
 * never read each other's half-written bundle; it sits in `server/` for the server workspace's own
 * node_modules, three levels below the root like server/src/transport.
 */
function buildServerBundle(): string {
  const outDir = join(ROOT, 'server', `.test-build-${process.pid}`);
  const res = spawnSync(process.execPath, [join(ROOT, 'scripts', 'lib', 'build-server.mjs'), outDir], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`server build failed:\n${res.stdout}\n${res.stderr}`);
  return outDir;
}

/** Starts the run's MongoDB replica set and Redis; workers inherit their URLs through the environment. */
export default async function globalSetup(): Promise<void> {
  const bundleDir = buildServerBundle();
  const [mongo, redis] = await Promise.all([startMongo(), startRedis()]);
  globalThis.__bookingStack = { mongo, redis, bundleDir };
  process.env.TEST_MONGO_URL = mongo.url;
  process.env.TEST_REDIS_URL = redis.url;
  process.env.TEST_SERVER_BUNDLE = bundleDir;
}
