import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { io as connect } from 'socket.io-client';
import { freePort } from '../../scripts/lib/net';
import { TEST_SECRET, testUrls, uniqueName, withDb } from '../../test/support/env';
import { waitFor } from '../../test/support/wait';

const ROOT = join(__dirname, '..', '..');

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** Connections MongoDB and Redis attribute to this node (by appName / client name). */
async function connectionsOf(nodeId: string, mongo: MongoClient, redis: Redis): Promise<{ mongo: number; redis: number }> {
  const ops = await mongo.db('admin').command({ currentOp: 1, $all: true });
  const inprog = (ops.inprog ?? []) as Array<{ appName?: string }>;
  const clients = (await redis.call('CLIENT', 'LIST')) as string;
  return {
    mongo: inprog.filter((op) => op.appName === nodeId).length,
    redis: clients.split('\n').filter((line) => line.includes(`name=${nodeId}:`)).length,
  };
}

describe('graceful shutdown', () => {
  it('on SIGTERM the node disconnects clients, releases its port and connections, and exits 0', async () => {
    const urls = testUrls();
    const nodeId = uniqueName('shutdown');
    const port = await freePort();
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['server/src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        MONGO_URL: withDb(urls.mongo, nodeId),
        REDIS_URL: urls.redis,
        AUTH_SECRET: TEST_SECRET,
        NODE_ID: nodeId,
        STAFF_EMAIL: 'staff@example.com',
        STAFF_PASSWORD: 'staff-password',
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const mongo = await MongoClient.connect(urls.mongo);
    const redis = new Redis(urls.redis);
    try {
      await waitFor('the node to answer /healthz', async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200, 45_000, 200);
      const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'staff@example.com', password: 'staff-password' }),
      });
      const { token } = (await login.json()) as { token: string };
      const socket = connect(`http://127.0.0.1:${port}`, { auth: { token }, transports: ['websocket'], reconnection: false });
      await waitFor('the socket to connect', () => socket.connected);
      const before = await connectionsOf(nodeId, mongo, redis);
      expect(before.mongo).toBeGreaterThan(0);
      expect(before.redis).toBeGreaterThan(0);
      const disconnected = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

      const sentAt = Date.now();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(Date.now() - sentAt).toBeLessThan(10_000);
      expect(await disconnected).toBe('io server disconnect');
      expect(await portIsFree(port)).toBe(true);
      await waitFor('MongoDB and Redis to drop the node’s connections', async () => {
        const after = await connectionsOf(nodeId, mongo, redis);
        return after.mongo === 0 && after.redis === 0;
      });
      socket.close();
    } finally {
      child.kill('SIGKILL');
      await mongo.close();
      redis.disconnect();
    }
  });
});
