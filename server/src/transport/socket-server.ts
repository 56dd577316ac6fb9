/**
 * The Socket.IO server of a node: the Redis adapter (classic or sharded), the transport limits,
 * the handshake check and the periodic session check on every namespace.
 */
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { AuthService } from '../auth/auth.service';
import type { RedisNames } from '../infra/channels';
import type { Logger } from '../infra/logger';
import type { RedisConnections } from '../infra/redis';
import type { ConnectionTracker } from './connection-cap';
import { startSessionCheck } from './session-check';
import type { SessionCheck } from './session-check';
import { authMiddleware } from './socket-auth';
import type { IoServer } from './socket-types';

export interface SocketLayerOptions {
  httpServer: HttpServer;
  redis: RedisConnections;
  names: RedisNames;
  auth: AuthService;
  logger: Logger;
  connections: ConnectionTracker;
  /** Largest message a client may send (bytes); bigger ones close that client's connection. */
  maxPayloadBytes?: number;
  /** Period of the session check on every namespace (`session-check.ts`; default 2 s). */
  sessionCheckMs?: number;
}

/** Each server's session check, stopped by `closeSocketServer` (`drain.ts`) through `stopSessionCheck`. */
const sessionChecks = new WeakMap<IoServer, SessionCheck>();

export function createSocketServer(opts: SocketLayerOptions): IoServer {
  const io: IoServer = new Server(opts.httpServer, {
    maxHttpBufferSize: opts.maxPayloadBytes ?? 16 * 1024,
    // One Redis: the classic adapter (PUBLISH). A cluster: the sharded adapter (Redis 7 SPUBLISH /
    // SSUBSCRIBE, each channel served by the master owning its slot, so broadcasts spread over the
    // shards instead of every message reaching every node of the cluster). "dynamic": a channel per
    // public room, so a user's notice reaches only nodes where that user has a socket.
    adapter:
      opts.redis.mode === 'cluster'
        ? createShardedAdapter(opts.redis.pub, opts.redis.sub, {
            channelPrefix: opts.names.socketIo,
            subscriptionMode: 'dynamic',
          })
        : createAdapter(opts.redis.pub, opts.redis.sub, { key: opts.names.socketIo }),
    serveClient: false,
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });
  io.use(authMiddleware(opts.auth, null, opts.connections));
  sessionChecks.set(
    io,
    startSessionCheck({
      io,
      auth: opts.auth,
      logger: opts.logger,
      ...(opts.sessionCheckMs ? { intervalMs: opts.sessionCheckMs } : {}),
    }),
  );
  return io;
}

/** Stops the server's session check (the first step of `closeSocketServer`). */
export function stopSessionCheck(io: IoServer): void {
  sessionChecks.get(io)?.stop();
}
