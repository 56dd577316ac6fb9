import { startMongo } from '../../scripts/lib/embedded-mongo';
import type { EmbeddedMongo } from '../../scripts/lib/embedded-mongo';
import { startRedis } from '../../scripts/lib/embedded-redis';
import type { EmbeddedRedis } from '../../scripts/lib/embedded-redis';

declare global {
  // Shared between global setup and teardown (same process).
  var __bookingStack: { mongo: EmbeddedMongo; redis: EmbeddedRedis } | undefined;
}

/** Starts the run's MongoDB replica set and Redis; workers inherit their URLs through the environment. */
export default async function globalSetup(): Promise<void> {
  const [mongo, redis] = await Promise.all([startMongo(), startRedis()]);
  globalThis.__bookingStack = { mongo, redis };
  process.env.TEST_MONGO_URL = mongo.url;
  process.env.TEST_REDIS_URL = redis.url;
}
