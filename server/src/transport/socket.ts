import { createAdapter } from '@socket.io/redis-adapter';
import type { Server as HttpServer } from 'node:http';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { Server } from 'socket.io';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { ErrorCode } from '@booking/shared';
import type { Ack, ClientToServerEvents, DataOf, ServerToClientEvents } from '@booking/shared';
import type { AuthService, Principal } from '../auth/auth.service';
import type { RedisNames } from '../infra/channels';
import { AppError, toErrorBody, zodDetails } from '../infra/errors';
import type { Logger } from '../infra/logger';
import type { RedisConnections } from '../infra/redis';

/** What the auth middleware leaves on every socket. */
export interface SocketData {
  principal: Principal;
}

/** Events between the nodes themselves (through the Redis adapter). */
export interface InterServerEvents {
  /** A resource's settings changed on another node: re-read the directory. */
  'resources:changed': () => void;
}

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Counts commands by event and outcome (`ok` or an error code), for /metrics and the tests. */
export type CommandCounter = (event: string, outcome: string, ms: number) => void;

export interface SocketLayerOptions {
  httpServer: HttpServer;
  redis: RedisConnections;
  names: RedisNames;
  auth: AuthService;
  logger: Logger;
  /** Largest message a client may send (bytes); bigger ones close that client's connection. */
  maxPayloadBytes?: number;
}

export function createSocketServer(opts: SocketLayerOptions): IoServer {
  const io: IoServer = new Server(opts.httpServer, {
    maxHttpBufferSize: opts.maxPayloadBytes ?? 16 * 1024,
    adapter: createAdapter(opts.redis.pub, opts.redis.sub, { key: opts.names.socketIo }),
    serveClient: false,
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });
  io.use(authMiddleware(opts.auth, null));
  return io;
}

/** Handshake check: a missing or bad token fails with UNAUTHORIZED; a role mismatch with FORBIDDEN. */
export function authMiddleware(auth: AuthService, requiredRole: 'staff' | null) {
  return (socket: Socket, next: (err?: Error) => void): void => {
    const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
    auth.verify(token).then(
      (principal) => {
        if (requiredRole && principal.role !== requiredRole) return next(new Error(ErrorCode.FORBIDDEN));
        (socket.data as SocketData).principal = principal;
        next();
      },
      () => next(new Error(ErrorCode.UNAUTHORIZED)),
    );
  };
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
 * handler, and answers exactly one ack envelope. Nothing thrown escapes, and unexpected errors
 * are answered INTERNAL with the details only in the log.
 */
export function commandRegistrar<M>(opts: {
  socket: Socket;
  logger: Logger;
  limiter: RateLimiterMemory;
  count: CommandCounter;
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
      const answer = (res: Ack<DataOf<M, E>>) => {
        opts.count(event, res.ok ? 'ok' : res.error.code, performance.now() - started);
        try {
          ack(res);
        } catch (err) {
          log.warn({ err, event }, 'ack failed');
        }
      };
      void (async () => {
        try {
          await opts.limiter.consume(opts.socket.id);
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
        if (!(err instanceof AppError)) log.error({ err, event }, 'command failed');
        answer({ ok: false, error: toErrorBody(err) });
      });
    });
  };
}

/** The per-socket command budget. */
export function createRateLimiter(opts: { points: number; durationSec: number }): RateLimiterMemory {
  return new RateLimiterMemory({ points: opts.points, duration: opts.durationSec });
}

/**
 * Stops the Socket.IO server and its HTTP server. Every client of the named namespaces is told
 * goodbye first (they see "io server disconnect" and reconnect elsewhere), and the server waits,
 * up to `graceMs`, for those connections to close: `io.close()` cuts the ones still open without
 * flushing, which would lose the goodbye still in their write buffers. Then it stops accepting;
 * HTTP connections still open after another `graceMs` are cut.
 */
export async function closeSocketServer(opts: { io: IoServer; httpServer: HttpServer; namespaces: string[]; graceMs?: number }): Promise<void> {
  const graceMs = opts.graceMs ?? 2000;
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
