import { randomBytes } from 'node:crypto';
import { parseConfig } from '../../server/src/infra/config';
import type { Config } from '../../server/src/infra/config';

/** The run's MongoDB and Redis (started by global setup). */
export function testUrls(): { mongo: string; redis: string } {
  const mongo = process.env.TEST_MONGO_URL;
  const redis = process.env.TEST_REDIS_URL;
  if (!mongo || !redis) throw new Error('TEST_MONGO_URL / TEST_REDIS_URL missing: run through jest global setup');
  return { mongo, redis };
}

/** A unique name for a suite's database and Redis key prefix. */
export function uniqueName(label: string): string {
  return `${label.replace(/[^a-z0-9]/gi, '').slice(0, 20)}_${randomBytes(4).toString('hex')}`;
}

/** The mongo URL with a database name in its path (also the multi-host replica-set form). */
export function withDb(url: string, db: string): string {
  const m = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(url);
  if (!m) throw new Error(`not a mongodb connection string: ${url}`);
  return `${m[1]}/${db}${m[2] ?? ''}`;
}

/**
 * Random per test file (each has its own module registry; spawned nodes get it from here too): a
 * published test secret would sign tokens anywhere it is used by mistake, and nodes refuse one.
 */
export const TEST_SECRET = `test-${randomBytes(24).toString('hex')}`;

/**
 * A node's or notifier's config for one suite: its own database and its own Redis prefix (keys
 * and pub/sub channels alike), so no two suites share a channel even on one Redis.
 */
export function testConfig(opts: { db: string; env?: Record<string, string> }): Config {
  const urls = testUrls();
  return parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MONGO_URL: withDb(urls.mongo, opts.db),
    REDIS_URL: urls.redis,
    AUTH_SECRET: TEST_SECRET,
    NODE_ID: opts.db,
    STAFF_EMAIL: 'staff@example.com',
    STAFF_PASSWORD: 'staff-password',
    LOG_LEVEL: 'silent',
    REDIS_PREFIX: `${opts.db}:`,
    // Every test client is 127.0.0.1: the per-address limits are tested at their real values
    // in auth-limits.test.ts, not by every suite that signs many people in.
    LOGIN_LIMIT_PER_ADDRESS: '100000',
    REGISTER_LIMIT_PER_ADDRESS: '100000',
    // No gateway routes by an in-process node's health: stop without the drain delay.
    DRAIN_DELAY_MS: '0',
    ...opts.env,
  });
}
