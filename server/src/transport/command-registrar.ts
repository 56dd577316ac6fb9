import { RateLimiterRes } from 'rate-limiter-flexible';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { ErrorCode } from '@booking/shared';
import type { Ack, DataOf } from '@booking/shared';
import type { CommandContext, CommandOn } from '../infra/contract';
import { AppError, isTransientStoreError, toErrorBody, zodDetails } from '../infra/errors';
import type { Logger } from '../infra/logger';
import type { CommandLimits } from './command-budget';
import type { InFlight } from './in-flight';
import type { SocketData } from './socket-types';

/** Counts commands by event and outcome (`ok` or an error code), for /metrics and the tests. */
export type CommandCounter = (event: string, outcome: string, ms: number) => void;

/** The untyped face of a socket, for registering listeners that must survive any garbage. */
interface RawListener {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

export type { CommandContext, CommandOn } from '../infra/contract';

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
  /** Counted while a command runs, so a drain can wait for it (see `closeSocketServer` in `drain.ts`). */
  inFlight?: InFlight;
}): CommandOn<M> {
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
            answer({
              ok: false,
              error: {
                code: ErrorCode.RATE_LIMITED,
                message: 'too many requests',
                details: { retryAfterMs: err.msBeforeNext },
              },
            });
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
          answer({
            ok: false,
            error: {
              code: ErrorCode.VALIDATION_ERROR,
              message: 'invalid payload',
              details: zodDetails(parsed.error.issues),
            },
          });
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
