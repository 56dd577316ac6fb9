import { io as connect } from 'socket.io-client';
import { portIsFree } from '../../scripts/lib/net';
import { connectionsOf, watchStores } from '../../test/support/released';
import type { StoreWatch } from '../../test/support/released';
import { spawnServerProcess } from '../../test/support/spawn';
import { waitFor } from '../../test/support/wait';

let watch: StoreWatch;

beforeAll(async () => {
  watch = await watchStores();
});

afterAll(async () => {
  await watch?.close();
});

describe('graceful shutdown', () => {
  it('on SIGTERM the node disconnects clients, releases its port and connections, and exits 0', async () => {
    const node = await spawnServerProcess({ kind: 'node', env: { LOG_LEVEL: 'warn' } });
    const login = await fetch(`${node.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'staff@example.com', password: 'staff-password' }),
    });
    const { token } = (await login.json()) as { token: string };
    const socket = connect(node.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    try {
      await waitFor('the socket to connect', () => socket.connected);
      const before = await connectionsOf(node.nodeId, watch);
      expect(before.mongo).toBeGreaterThan(0);
      expect(before.redis).toBeGreaterThan(0);
      const disconnected = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

      const sentAt = Date.now();
      node.signal('SIGTERM');
      expect(await node.exited).toEqual({ code: 0, signal: null });
      expect(Date.now() - sentAt).toBeLessThan(10_000);
      expect(await disconnected).toBe('io server disconnect');
      expect(await portIsFree(node.port)).toBe(true);
      await waitFor('MongoDB and Redis to drop the node’s connections', async () => {
        const after = await connectionsOf(node.nodeId, watch);
        return after.mongo === 0 && after.redis === 0;
      });
    } finally {
      socket.close();
    }
  });

  it('drains first: /healthz fails while sockets are still served, commands in flight are answered, then it exits 0', async () => {
    const node = await spawnServerProcess({ kind: 'node', env: { LOG_LEVEL: 'warn', DRAIN_DELAY_MS: '1500' } });
    const login = await fetch(`${node.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'staff@example.com', password: 'staff-password' }),
    });
    const { token } = (await login.json()) as { token: string };
    const socket = connect(node.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    try {
      await waitFor('the socket to connect', () => socket.connected);
      const sentAt = Date.now();
      node.signal('SIGTERM');
      await waitFor(
        '/healthz to answer 503',
        async () => (await fetch(`${node.url}/healthz`)).status === 503,
        1000,
        20,
      );
      // Still serving during the drain: the socket stays and a command is answered.
      expect(socket.connected).toBe(true);
      const ack: unknown = await socket.timeout(2000).emitWithAck('resources:list', {});
      expect(ack).toMatchObject({ ok: true });
      const reason = await new Promise<string>((resolve) => socket.once('disconnect', (r) => resolve(r)));
      expect(reason).toBe('io server disconnect');
      expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1500);
      expect(await node.exited).toEqual({ code: 0, signal: null });
      expect(Date.now() - sentAt).toBeLessThan(10_000);
    } finally {
      socket.close();
    }
  });
});
