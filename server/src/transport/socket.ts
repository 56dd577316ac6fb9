import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import type { Server as HttpServer } from 'node:http';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { Server } from 'socket.io';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { ErrorCode } from '@booking/shared';
import type { Ack, ClientToServerEvents, DataOf, ServerToClientEvents } from '@booking/shared';
import type { AuthService, Principal } from '../auth/auth.service';
import { userRoom } from '../infra/channels';
import type { RedisNames } from '../infra/channels';
import { AppError, isTransientStoreError, toErrorBody, zodDetails } from '../infra/errors';
import type { Logger } from '../infra/logger';
import type { RedisConnections } from '../infra/redis';
import type { CommandLimits } from './command-budget';
import { startSessionCheck } from './session-check';
import type { SessionCheck } from './session-check';

/** What the auth middleware leaves on every socket. */
export interface SocketData {
  principal: Principal;
  /** The token's version: the session check (`session-check.ts`) re-checks it against the database on every namespace. */
  tokenVersion: number;
  /** When the token expires (epoch ms); the socket is disconnected then. */
  expiresAt: number;
}

/** Connections one user may hold on one node, across namespaces (docs/protocol.md). */
export const CONNECTIONS_PER_USER = 20;

/**
 * This node's connections by user, for the per-user connection cap. The handshake refuses the
 * one over the cap; `attachSession` counts again once connected (two handshakes can pass the
 * first check together) and drops the extra one.
 */
export interface ConnectionTracker {
  full(userId: string): boolean;
  add(userId: string, socketId: string): boolean;
  remove(userId: string, socketId: string): void;
}

export function createConnectionTracker(perUser: number = CONNECTIONS_PER_USER): ConnectionTracker {
  const byUser = new Map<string, Set<string>>();
  return {
    full: (userId) => (byUser.get(userId)?.size ?? 0) >= perUser,
    add(userId, socketId) {
      const set = byUser.get(userId) ?? new Set<string>();
      if (set.size >= perUser) return false;
      set.add(socketId);
      byUser.set(userId, set);
      return true;
    },
    remove(userId, socketId) {
      const set = byUser.get(userId);
      if (!set) return;
      set.delete(socketId);
      if (set.size === 0) byUser.delete(userId);
    },
  };
}

/** Events between the nodes themselves (through the Redis adapter). */
export interface InterServerEvents {
  /** A resource's settings changed on another node: re-read the directory. */
  'resources:changed': () => void;
}

// The budgets live in their own file; the roots and namespaces import them from here as before.
export { createCommandLimits, REDIS_BUDGET_TIMEOUT_MS } from './command-budget';
export type { Budget, CommandLimits } from './command-budget';

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/**
 * Commands received and not yet answered on this node, in all and per client connection (one
 * connection may carry several namespaces, and a goodbye closes all of them); a stopping node
 * waits for them. Once `stopping` is set, a connection is told goodbye as soon as it has no
 * command in flight, and a new command on a connection still waiting for an answer is answered
 * BUSY at once (safe to retry: the client does so on the node it reconnects to), so the commands
 * in flight only run out.
 */
export interface InFlight {
  count: number;
  stopping: boolean;
  /** Keyed by the connection (Socket.IO's `socket.client`, shared by its namespaces). */
  byConnection: Map<object, number>;
}

export function createInFlight(): InFlight {
  return { count: 0, stopping: false, byConnection: new Map() };
}

/** Counts commands by event and outcome (`ok` or an error code), for /metrics and the tests. */
export type CommandCounter = (event: string, outcome: string, ms: number) => void;

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

/** Each server's session check, stopped by `closeSocketServer`. */
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
        ? createShardedAdapter(opts.redis.pub, opts.redis.sub, { channelPrefix: opts.names.socketIo, subscriptionMode: 'dynamic' })
        : createAdapter(opts.redis.pub, opts.redis.sub, { key: opts.names.socketIo }),
    serveClient: false,
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });
  io.use(authMiddleware(opts.auth, null, opts.connections));
  sessionChecks.set(io, startSessionCheck({ io, auth: opts.auth, logger: opts.logger, ...(opts.sessionCheckMs ? { intervalMs: opts.sessionCheckMs } : {}) }));
  return io;
}

/**
 * Handshake check: a missing, bad, expired or revoked token (or one whose user is gone) fails
 * with UNAUTHORIZED; a role mismatch with FORBIDDEN; a user at the connection cap with
 * RATE_LIMITED.
 */
export function authMiddleware(auth: AuthService, requiredRole: 'staff' | null, connections: ConnectionTracker) {
  return (socket: Socket, next: (err?: Error) => void): void => {
    const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
    auth.authenticate(token).then(
      (session) => {
        if (requiredRole && session.principal.role !== requiredRole) return next(new Error(ErrorCode.FORBIDDEN));
        if (connections.full(session.principal.id)) return next(new Error(ErrorCode.RATE_LIMITED));
        const data = socket.data as SocketData;
        data.principal = session.principal;
        data.tokenVersion = session.tokenVersion;
        data.expiresAt = session.expiresAt;
        next();
      },
      () => next(new Error(ErrorCode.UNAUTHORIZED)),
    );
  };
}

/**
 * On every new connection (both namespaces): count it against the user's cap, join the user's
 * room (the notifier and `revokeSessions` reach every node's sockets of a user through it), and
 * disconnect it when its token expires. `renewSession` moves that moment after a refresh.
 * Returns false when the socket was dropped (over the cap).
 */
export function attachSession(socket: Socket, connections: ConnectionTracker): boolean {
  const data = socket.data as SocketData;
  const userId = data.principal.id;
  if (!connections.add(userId, socket.id)) {
    socket.disconnect(true);
    return false;
  }
  void socket.join(userRoom(userId));
  armExpiry(socket);
  socket.once('disconnect', () => {
    clearTimeout(expiryTimers.get(socket));
    expiryTimers.delete(socket);
    connections.remove(userId, socket.id);
  });
  return true;
}

const expiryTimers = new WeakMap<Socket, NodeJS.Timeout>();
/** setTimeout's longest delay; a later expiry re-arms on the way. */
const MAX_TIMER_MS = 2_147_483_647;

function armExpiry(socket: Socket): void {
  clearTimeout(expiryTimers.get(socket));
  const { expiresAt } = socket.data as SocketData;
  const wait = Math.min(Math.max(0, expiresAt - Date.now()), MAX_TIMER_MS);
  const timer = setTimeout(() => {
    if (Date.now() >= (socket.data as SocketData).expiresAt) socket.disconnect(true);
    else armExpiry(socket);
  }, wait);
  timer.unref();
  expiryTimers.set(socket, timer);
}

/** After a refresh on this connection: the socket now lives until the new token expires. */
export function renewSession(socket: Socket, expiresAt: number): void {
  (socket.data as SocketData).expiresAt = expiresAt;
  armExpiry(socket);
}

/**
 * Disconnects every socket of one user, in every namespace, on every node (through the adapter):
 * after a role change, deletion or "sign out everywhere". Their reconnect is refused at the
 * handshake, since the token version moved on.
 */
export async function revokeSessions(io: IoServer, userId: string): Promise<void> {
  await Promise.all(['/', '/admin'].map((name) => io.of(name).in(userRoom(userId)).disconnectSockets(true)));
}

/** The untyped face of a socket, for registering listeners that must survive any garbage. */
interface RawListener {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

export interface CommandContext {
  socket: Socket;
  principal: Principal;
  logger: Logger;
}

/**
 * Registers validated commands on one socket. Every listener: takes the ack (the last argument,
 * when it is a function; without one the command is dropped, since nothing could be told),
 * applies the per-socket rate limit, parses the payload with the shared schema, runs the
 * handler, and answers exactly one ack envelope. Nothing thrown escapes: transient store failures
 * (`isTransientStoreError`) are answered BUSY, other unexpected errors INTERNAL with the details
 * only in the log.
 */
export function commandRegistrar<M>(opts: {
  socket: Socket;
  logger: Logger;
  limiter: CommandLimits;
  count: CommandCounter;
  /** Counted while a command runs, so a drain can wait for it (see `closeSocketServer`). */
  inFlight?: InFlight;
}) {
  const principal = (opts.socket.data as SocketData).principal;
  const log = opts.logger.child({ socketId: opts.socket.id, userId: principal.id });
  const ctx: CommandContext = { socket: opts.socket, principal, logger: log };

  return function on<E extends keyof M & string, S extends z.ZodType>(
    event: E,
    schema: S,
    handler: (data: z.output<S>, ctx: CommandContext) => Promise<DataOf<M, E>>,
  ): void {
    (opts.socket as unknown as RawListener).on(event, (...args: unknown[]) => {
      const last = args[args.length - 1];
      if (typeof last !== 'function') {
        log.debug({ event }, 'command without ack dropped');
        return;
      }
      const ack = last as (res: Ack<DataOf<M, E>>) => void;
      const payload = args.length >= 2 ? args[0] : undefined;
      const started = performance.now();
      if (opts.inFlight?.stopping) {
        opts.count(event, ErrorCode.BUSY, 0);
        try {
          ack({ ok: false, error: { code: ErrorCode.BUSY, message: 'this node is stopping; try again' } });
        } catch (err) {
          log.warn({ err, event }, 'ack failed');
        }
        return;
      }
      const inFlight = opts.inFlight;
      const id = opts.socket.client;
      if (inFlight) {
        inFlight.count += 1;
        inFlight.byConnection.set(id, (inFlight.byConnection.get(id) ?? 0) + 1);
      }
      let answered = false;
      const answer = (res: Ack<DataOf<M, E>>) => {
        const first = !answered;
        answered = true;
        opts.count(event, res.ok ? 'ok' : res.error.code, performance.now() - started);
        try {
          ack(res);
        } catch (err) {
          log.warn({ err, event }, 'ack failed');
        }
        if (!first || !inFlight) return;
        inFlight.count -= 1;
        const left = (inFlight.byConnection.get(id) ?? 1) - 1;
        if (left > 0) inFlight.byConnection.set(id, left);
        else inFlight.byConnection.delete(id);
        // Its last answer is on its way (the goodbye is written after it): reconnect elsewhere.
        if (left === 0 && inFlight.stopping) opts.socket.disconnect(true);
      };
      void (async () => {
        // The socket's own budget first, so one noisy connection spends only its own points.
        try {
          await opts.limiter.perSocket.consume(opts.socket.id);
          await opts.limiter.perUser.consume(principal.id);
        } catch (err) {
          if (err instanceof RateLimiterRes) {
            answer({ ok: false, error: { code: ErrorCode.RATE_LIMITED, message: 'too many requests', details: { retryAfterMs: err.msBeforeNext } } });
            return;
          }
          throw err;
        }
        let parsed: z.ZodSafeParseResult<z.output<S>>;
        try {
          parsed = schema.safeParse(payload);
        } catch (err) {
          // A schema must never throw on garbage; if one does, the payload is still the culprit.
          log.warn({ err, event }, 'schema threw');
          answer({ ok: false, error: { code: ErrorCode.VALIDATION_ERROR, message: 'invalid payload' } });
          return;
        }
        if (!parsed.success) {
          answer({ ok: false, error: { code: ErrorCode.VALIDATION_ERROR, message: 'invalid payload', details: zodDetails(parsed.error.issues) } });
          return;
        }
        answer({ ok: true, data: await handler(parsed.data, ctx) });
      })().catch((err: unknown) => {
        // A transient store failure (no primary during an election, a dropped connection) answers
        // BUSY, which clients retry with their idempotency key; only the unexpected is INTERNAL.
        if (isTransientStoreError(err)) log.warn({ err, event }, 'command hit a transient store failure: BUSY');
        else if (!(err instanceof AppError)) log.error({ err, event }, 'command failed');
        answer({ ok: false, error: toErrorBody(err) });
      });
    });
  };
}

/**
 * Stops the Socket.IO server and its HTTP server. First it stops accepting (the listener closes,
 * new handshakes are refused) and tells goodbye to every client of the named namespaces that has
 * no command in flight (they see "io server disconnect" and reconnect elsewhere); each other
 * client is told as soon as its commands are answered (`InFlight`), so no client loses an ack it
 * could have had, for up to `graceMs`; then the rest are told too. The server then waits, up to
 * `graceMs`, for those connections to close: `io.close()` cuts the ones still open without
 * flushing, which would lose the goodbye still in their write buffers. HTTP connections still
 * open after another `graceMs` are cut.
 */
export async function closeSocketServer(opts: { io: IoServer; httpServer: HttpServer; namespaces: string[]; graceMs?: number; inFlight?: InFlight }): Promise<void> {
  const graceMs = opts.graceMs ?? 2000;
  sessionChecks.get(opts.io)?.stop();
  opts.httpServer.close();
  opts.io.engine.opts.allowRequest = (_req, callback) => callback('server is stopping', false);
  const inFlight = opts.inFlight;
  if (inFlight) {
    inFlight.stopping = true;
    for (const name of opts.namespaces) {
      for (const socket of [...opts.io.of(name).sockets.values()]) if (!inFlight.byConnection.has(socket.client)) socket.disconnect(true);
    }
  }
  const answered = Date.now() + graceMs;
  while ((inFlight?.count ?? 0) > 0 && Date.now() < answered) await new Promise((r) => setTimeout(r, 10));
  for (const name of opts.namespaces) opts.io.of(name).local.disconnectSockets(true);
  const deadline = Date.now() + graceMs;
  while (opts.io.engine.clientsCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const cut = setTimeout(() => opts.httpServer.closeAllConnections(), graceMs);
  await new Promise<void>((resolve) => {
    opts.io.close(() => resolve());
    opts.httpServer.closeIdleConnections();
  });
  clearTimeout(cut);
}

/** Starts listening; resolves with the bound port. */
export function listen(httpServer: HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => {
      const address = httpServer.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
