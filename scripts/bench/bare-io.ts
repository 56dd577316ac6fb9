/**
 * The raw Socket.IO primitive the benchmarks compare against: a plain Socket.IO server with the
 * same Redis adapter as the booking nodes (so a broadcast crosses nodes the same way), no auth,
 * no rate limit, no validation. `POST /emit` broadcasts one `slot:changed`-shaped event stamped
 * just before the emit; the `echo` command acks its payload back (the bare request/ack cost).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { redisNames } from '../../server/src/infra/channels';

export interface BareIo {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** `prefix`: the Redis prefix of this baseline's adapter channels (like a node's REDIS_PREFIX). */
export async function startBareIo(opts: { redisUrl: string; prefix: string; port?: number }): Promise<BareIo> {
  const pub = new Redis(opts.redisUrl, { lazyConnect: false });
  const sub = pub.duplicate();
  const http = createServer((req, res) => {
    if (req.method === 'POST' && req.url?.startsWith('/emit')) {
      const q = new URL(req.url, 'http://x').searchParams;
      io.emit('slot:changed', {
        resourceId: q.get('resourceId') ?? 'bare',
        bookingId: q.get('bookingId') ?? 'bare',
        change: 'booked',
        start: q.get('start') ?? new Date().toISOString(),
        end: q.get('end') ?? new Date().toISOString(),
        version: 1,
        at: new Date().toISOString(),
      });
      res.end('{}');
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  const io = new Server(http, {
    adapter: createAdapter(pub, sub, { key: redisNames(opts.prefix).socketIo }),
    serveClient: false,
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });
  io.on('connection', (socket) => {
    socket.on('echo', (payload: unknown, ack: unknown) => {
      if (typeof ack === 'function') ack({ ok: true, data: payload });
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    async close() {
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      pub.disconnect();
      sub.disconnect();
    },
  };
}
