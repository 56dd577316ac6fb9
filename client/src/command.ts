/**
 * The one way every client sends a command: the booking page, the staff dashboard, the test
 * harness and the benchmarks. Built on socket.io's `socket.timeout(ms).emitWithAck`, typed by the
 * event maps in `@booking/shared`, with a client-side `TIMEOUT` code and a jittered `BUSY` retry.
 *
 * A command never rejects: it resolves with the server's ack envelope, or with
 * `{ok: false, error: {code: 'TIMEOUT'}}` when no ack came in time (also while disconnected:
 * socket.io buffers the emit, and the timer runs regardless). Callers that prefer an exception
 * (the test harness) throw on `TIMEOUT` themselves.
 *
 * The client does not depend on socket.io-client at run time or for its types: the socket is
 * described by the one method this module calls.
 */
import type { DataOf, ErrorBody, ErrorCode, PayloadOf } from '@booking/shared';

/** Codes a client makes up itself; never one of the server's `ErrorCode`s. */
export const ClientErrorCode = {
  /** No ack arrived within the timeout: the command may or may not have run. */
  TIMEOUT: 'TIMEOUT',
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

// Compile-time guard: a server code named TIMEOUT would make the two indistinguishable.
const clientCodeIsNotAServerCode: Extract<ClientErrorCode, ErrorCode> extends never ? true : never = true;
void clientCodeIsNotAServerCode;

/** A server error, or one the client made up (`TIMEOUT`). */
export type ClientError = ErrorBody | { code: ClientErrorCode; message: string; details?: undefined };

/** What a command resolves with: the ack envelope, with the client's own codes added. */
export type CommandResult<T> = { ok: true; data: T } | { ok: false; error: ClientError };

/**
 * The part of a socket.io-client `Socket` that sending needs. Any typed `Socket<L, E>` fits:
 * its generic `emitWithAck` accepts `never` arguments, which is all this type promises.
 */
export interface AckSocket {
  timeout(ms: number): { emitWithAck(event: never, ...args: never[]): Promise<unknown> };
}

/** How to retry commands answered with `BUSY` (the protocol says a retry is safe). */
export interface BusyRetryOptions {
  /** Total tries, the first included (default 4). `1` turns retrying off. */
  attempts?: number;
  /** Mean delay before the second try; doubles each time (default 100 ms). */
  baseDelayMs?: number;
  /**
   * Test seam, `[0, 1)` like `Math.random`. Each delay is the doubled base times
   * `0.5 + random()`, so clients that were refused together do not come back together.
   */
  random?: () => number;
  /** Test seam. */
  sleep?: (ms: number) => Promise<void>;
}

export interface CommandOptions {
  /** How long to wait for each ack (default 10 s). */
  timeoutMs?: number;
  /** `false` sends once and reports `BUSY` as it is. */
  busyRetry?: BusyRetryOptions | false;
}

const DEFAULT_TIMEOUT_MS = 10_000;

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The delay before retry number `retry` (0-based): exponential, with ±50% jitter. */
export function busyDelay(retry: number, opts: Pick<BusyRetryOptions, 'baseDelayMs' | 'random'> = {}): number {
  const base = (opts.baseDelayMs ?? 100) * 2 ** retry;
  return Math.round(base * (0.5 + (opts.random ?? Math.random)()));
}

/** Calls `run` again while it answers `BUSY`, up to `attempts` times; returns the last answer. */
export async function retryBusy<T>(
  run: () => Promise<CommandResult<T>>,
  opts: BusyRetryOptions = {},
): Promise<CommandResult<T>> {
  const attempts = Math.max(1, opts.attempts ?? 4);
  const sleep = opts.sleep ?? defaultSleep;
  let answer = await run();
  for (let retry = 0; retry + 1 < attempts && !answer.ok && answer.error.code === 'BUSY'; retry += 1) {
    await sleep(busyDelay(retry, opts));
    answer = await run();
  }
  return answer;
}

/** What came back from one raw emit: the ack's first argument, or nothing in time. */
export type RawAnswer<T = unknown> = { answered: true; value: T } | { answered: false };

/** `socket.timeout(ms)` seen with one answer type `T` for any event, used only by `emitRaw`. */
interface UntypedEmitter<T> {
  emitWithAck(event: string, ...args: unknown[]): Promise<T>;
}

/**
 * Emits `event` with `args` and an ack, waiting at most `timeoutMs`. Unchecked on purpose: the
 * typed `sendCommand` is built on it (and says what `T` is), and tests use it to send garbage.
 */
export async function emitRaw<T = unknown>(
  socket: AckSocket,
  event: string,
  args: readonly unknown[],
  timeoutMs: number,
): Promise<RawAnswer<T>> {
  // The one cast: socket.io types `emitWithAck` per event name, which a function generic over
  // the event name cannot express. The call is the same; `sendCommand` has checked the payload
  // against the event map, and the server answers every command with the envelope of
  // docs/protocol.md, so `T` is what the map says (tests sending garbage leave it `unknown`).
  const emitter = socket.timeout(timeoutMs) as unknown as UntypedEmitter<T>;
  try {
    return { answered: true, value: await emitter.emitWithAck(event, ...args) };
  } catch {
    // socket.io rejects `emitWithAck` only when the timeout passes.
    return { answered: false };
  }
}

/**
 * Sends one command of the map `M` and resolves with its ack envelope (see the module comment).
 * `BUSY` answers are retried unless `busyRetry` is `false`.
 */
export async function sendCommand<M, E extends keyof M & string>(
  socket: AckSocket,
  event: E,
  payload: PayloadOf<M, E>,
  opts: CommandOptions = {},
): Promise<CommandResult<DataOf<M, E>>> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const once = async (): Promise<CommandResult<DataOf<M, E>>> => {
    const raw = await emitRaw<CommandResult<DataOf<M, E>>>(socket, event, [payload], timeoutMs);
    if (raw.answered) return raw.value;
    return {
      ok: false,
      error: { code: ClientErrorCode.TIMEOUT, message: `no answer to ${event} within ${timeoutMs} ms` },
    };
  };
  if (opts.busyRetry === false) return once();
  return retryBusy(once, opts.busyRetry);
}

/** `sendCommand` bound to one socket, one event map and default options. */
export type Commander<M> = <E extends keyof M & string>(
  event: E,
  payload: PayloadOf<M, E>,
  opts?: CommandOptions,
) => Promise<CommandResult<DataOf<M, E>>>;

/** Binds `sendCommand` to a socket; per-call options override `defaults`. */
export function createCommander<M>(socket: AckSocket, defaults: CommandOptions = {}): Commander<M> {
  return (event, payload, opts) => sendCommand<M, typeof event>(socket, event, payload, { ...defaults, ...opts });
}
