import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseConfig } from '../src/infra/config';

const ROOT = join(__dirname, '..', '..');
const valid = {
  MONGO_URL: 'mongodb://127.0.0.1:1/x?replicaSet=rs0',
  REDIS_URL: 'redis://127.0.0.1:1',
  AUTH_SECRET: 'a'.repeat(32),
};

/** Runs `npm run server`'s entry with only the given environment and collects how it ended. */
function runServer(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['server/src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stderr });
    });
  });
}

describe('configuration', () => {
  it('parses a valid environment with defaults', () => {
    const c = parseConfig(valid);
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.bookingLocks).toBe(true);
    expect(c.nodeId).toMatch(/:3000$/);
    expect(c.staff).toBeNull();
    expect(parseConfig({ ...valid, BOOKING_LOCKS: 'off', NODE_ID: 'n1' })).toMatchObject({ bookingLocks: false, nodeId: 'n1' });
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
  ])('rejects a missing or malformed %s', (_name, env, message) => {
    expect(() => parseConfig(env)).toThrow(message);
  });

  it.each([
    ['MONGO_URL', { REDIS_URL: valid.REDIS_URL, AUTH_SECRET: valid.AUTH_SECRET }, /MONGO_URL is required/],
    ['REDIS_URL', { MONGO_URL: valid.MONGO_URL, AUTH_SECRET: valid.AUTH_SECRET }, /REDIS_URL is required/],
    ['AUTH_SECRET', { MONGO_URL: valid.MONGO_URL, REDIS_URL: valid.REDIS_URL }, /AUTH_SECRET is required/],
    ['AUTH_SECRET', { ...valid, AUTH_SECRET: 'too-short' }, /AUTH_SECRET is invalid/],
    ['PORT', { ...valid, PORT: '-1' }, /PORT is invalid/],
  ])('the process stops with one line naming %s', async (_name, env, pattern) => {
    const { code, stderr } = await runServer(env);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
  });
});
