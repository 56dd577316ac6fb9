import { parseConfig } from '../src/infra/config';
import { spawnServerProcess } from '../../test/support/spawn';
import type { Exit } from '../../test/support/spawn';

const valid = {
  MONGO_URL: 'mongodb://127.0.0.1:1/x?replicaSet=rs0',
  REDIS_URL: 'redis://127.0.0.1:1',
  AUTH_SECRET: 'a'.repeat(32),
};

/** Runs `npm run server`'s entry with only the given environment and collects how it ended. */
async function runServer(env: Record<string, string>): Promise<{ exit: Exit; stderr: string }> {
  const node = await spawnServerProcess({ kind: 'node', bareEnv: true, env, waitReady: false });
  // A valid environment would start a node: it must stop by itself, long before this.
  const deadline = setTimeout(() => node.signal('SIGKILL'), 30_000);
  const exit = await node.exited;
  clearTimeout(deadline);
  const stderr = node
    .lines()
    .filter((l) => l.stream === 'err')
    .map((l) => l.line)
    .join('\n');
  return { exit, stderr };
}

describe('configuration', () => {
  it('parses a valid environment with defaults', () => {
    const c = parseConfig(valid);
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.bookingLocks).toBe(true);
    expect(c.nodeId).toMatch(/:3000$/);
    expect(c.staff).toBeNull();
    expect(parseConfig({ ...valid, BOOKING_LOCKS: 'off', NODE_ID: 'n1' })).toMatchObject({
      bookingLocks: false,
      nodeId: 'n1',
    });
    expect(c.maxActiveBookingsPerUser).toBe(50);
    expect(c.metricsToken).toBeNull();
    expect(c.limits).toEqual({ loginPerAddress: 30, registerPerAddress: 300 });
    expect(parseConfig({ ...valid, MAX_ACTIVE_BOOKINGS_PER_USER: '5', METRICS_TOKEN: 'm'.repeat(20) })).toMatchObject({
      maxActiveBookingsPerUser: 5,
      metricsToken: 'm'.repeat(20),
    });
  });

  it('TRUSTED_PROXIES: loopback by default; addresses, CIDRs and proxy names; anything else stops the start', () => {
    expect(parseConfig(valid).trustedProxies).toEqual(['loopback']);
    expect(
      parseConfig({ ...valid, TRUSTED_PROXIES: '10.0.0.5, 172.16.0.0/12,fd00::/8,uniquelocal' }).trustedProxies,
    ).toEqual(['10.0.0.5', '172.16.0.0/12', 'fd00::/8', 'uniquelocal']);
    for (const bad of ['*', 'everyone', '10.0.0.0/33', '10.0.0.1/8/1', 'example.com', ' , ']) {
      expect(() => parseConfig({ ...valid, TRUSTED_PROXIES: bad })).toThrow(/^config: TRUSTED_PROXIES is invalid/);
    }
  });

  it('accepts the multi-host replica-set form, mongodb+srv, and Redis Cluster seed lists', () => {
    const rs =
      'mongodb://user:p%40ss@db1.example:27017,db2.example:27018,10.0.0.3:27019/bookings?replicaSet=rs&w=majority';
    expect(parseConfig({ ...valid, MONGO_URL: rs }).mongoUrl).toBe(rs);
    expect(parseConfig({ ...valid, MONGO_URL: 'mongodb+srv://cluster0.example.net/bookings' }).mongoUrl).toBe(
      'mongodb+srv://cluster0.example.net/bookings',
    );
    expect(parseConfig(valid).redis).toEqual({ kind: 'single', url: valid.REDIS_URL });
    expect(parseConfig({ ...valid, REDIS_URL: 'redis+cluster://r1:7000,r2:7001,10.0.0.9:7002' }).redis).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'r1', port: 7000 },
        { host: 'r2', port: 7001 },
        { host: '10.0.0.9', port: 7002 },
      ],
      tls: false,
    });
    expect(parseConfig({ ...valid, REDIS_URL: 'rediss+cluster://app:s%3Acret@r1:7000' }).redis).toEqual({
      kind: 'cluster',
      nodes: [{ host: 'r1', port: 7000 }],
      username: 'app',
      password: 's:cret',
      tls: true,
    });
    expect(parseConfig(valid).drainDelayMs).toBe(3000);
    expect(parseConfig({ ...valid, DRAIN_DELAY_MS: '50' }).drainDelayMs).toBe(50);
    // No health listener unless asked for (the notifier's; a node answers /healthz on PORT).
    expect(parseConfig(valid).healthPort).toBeNull();
    expect(parseConfig({ ...valid, HEALTH_PORT: '3001' }).healthPort).toBe(3001);
  });

  it.each([
    ['MONGO_URL', { ...valid, MONGO_URL: 'mongodb://h1:1,,h3:3/db' }, 'MONGO_URL is invalid'],
    ['MONGO_URL', { ...valid, MONGO_URL: 'mongodb://' }, 'MONGO_URL is invalid'],
    ['MONGO_URL', { ...valid, MONGO_URL: 'mongodb://h1:notaport/db' }, 'MONGO_URL is invalid'],
    ['REDIS_URL', { ...valid, REDIS_URL: 'redis+cluster://' }, 'REDIS_URL is invalid'],
    ['REDIS_URL', { ...valid, REDIS_URL: 'redis+cluster://r1:7000,,r2:7001' }, 'REDIS_URL is invalid'],
    ['REDIS_URL', { ...valid, REDIS_URL: 'redis+cluster://r1:99999' }, 'REDIS_URL is invalid'],
    ['REDIS_URL', { ...valid, REDIS_URL: 'redis://h1:1,h2:2' }, 'REDIS_URL is invalid'],
    ['DRAIN_DELAY_MS', { ...valid, DRAIN_DELAY_MS: '60000' }, 'DRAIN_DELAY_MS is invalid'],
    ['HEALTH_PORT', { ...valid, HEALTH_PORT: '70000' }, 'HEALTH_PORT is invalid'],
  ])('refuses a malformed multi-host %s', (_name, env, message) => {
    expect(() => parseConfig(env)).toThrow(message);
  });

  it.each([
    ['MONGO_URL', { ...valid, MONGO_URL: undefined }, 'MONGO_URL is required'],
    ['REDIS_URL', { ...valid, REDIS_URL: undefined }, 'REDIS_URL is required'],
    ['AUTH_SECRET', { ...valid, AUTH_SECRET: undefined }, 'AUTH_SECRET is required'],
    ['MONGO_URL', { ...valid, MONGO_URL: 'http://x' }, 'MONGO_URL is invalid'],
    ['REDIS_URL', { ...valid, REDIS_URL: 'nonsense' }, 'REDIS_URL is invalid'],
    ['AUTH_SECRET', { ...valid, AUTH_SECRET: 'short' }, 'AUTH_SECRET is invalid'],
    ['PORT', { ...valid, PORT: 'eighty' }, 'PORT is invalid'],
    ['PORT', { ...valid, PORT: '70000' }, 'PORT is invalid'],
    ['BOOKING_LOCKS', { ...valid, BOOKING_LOCKS: 'maybe' }, 'BOOKING_LOCKS is invalid'],
    ['LOG_LEVEL', { ...valid, LOG_LEVEL: 'loud' }, 'LOG_LEVEL is invalid'],
    [
      'MAX_ACTIVE_BOOKINGS_PER_USER',
      { ...valid, MAX_ACTIVE_BOOKINGS_PER_USER: '0' },
      'MAX_ACTIVE_BOOKINGS_PER_USER is invalid',
    ],
    ['METRICS_TOKEN', { ...valid, METRICS_TOKEN: 'short' }, 'METRICS_TOKEN is invalid'],
    [
      'AUTH_SECRET',
      { ...valid, AUTH_SECRET: 'demo-only-secret-change-me-0123456789abcdef' },
      'AUTH_SECRET is invalid: is a published value',
    ],
  ])('rejects a missing or malformed %s', (_name, env, message) => {
    expect(() => parseConfig(env)).toThrow(message);
  });

  it.each([
    ['MONGO_URL', { REDIS_URL: valid.REDIS_URL, AUTH_SECRET: valid.AUTH_SECRET }, /MONGO_URL is required/],
    ['REDIS_URL', { MONGO_URL: valid.MONGO_URL, AUTH_SECRET: valid.AUTH_SECRET }, /REDIS_URL is required/],
    ['AUTH_SECRET', { MONGO_URL: valid.MONGO_URL, REDIS_URL: valid.REDIS_URL }, /AUTH_SECRET is required/],
    ['AUTH_SECRET', { ...valid, AUTH_SECRET: 'too-short' }, /AUTH_SECRET is invalid/],
    ['PORT', { ...valid, PORT: '-1' }, /PORT is invalid/],
    ['MONGO_URL', { ...valid, MONGO_URL: 'mongodb://h1:1,,h3:3/db?replicaSet=rs' }, /MONGO_URL is invalid/],
    ['REDIS_URL', { ...valid, REDIS_URL: 'redis+cluster://r1:7000,:' }, /REDIS_URL is invalid/],
  ])('the process stops with one line naming %s', async (_name, env, pattern) => {
    const { exit, stderr } = await runServer(env);
    expect(exit.code).toBe(78);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
  });
});
