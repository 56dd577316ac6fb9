import type { Logger } from './logger';

/** Thrown by `Lifecycle.onStop` when the process began stopping while something was starting. */
export class StartAborted extends Error {
  constructor(what: string) {
    super(`start aborted: stopping before ${what} was up`);
  }
}

/**
 * What a process has started, in order, with how to stop each part. Parts register right after
 * they start; `close()` stops them in reverse order, each once, logging (never throwing) a part
 * that fails to stop so the rest still stop. A part that registers after `close()` began is
 * stopped at once and the registration throws `StartAborted`, which ends a start-up that a
 * signal interrupted.
 */
export interface Lifecycle {
  onStop(name: string, stop: () => Promise<void> | void): void;
  readonly closing: boolean;
  /** Aborted when `close()` begins, so a start-up step that waits (for Redis, say) gives up. */
  readonly signal: AbortSignal;
  close(): Promise<void>;
}

export function createLifecycle(logger: Logger): Lifecycle {
  const parts: Array<{ name: string; stop: () => Promise<void> | void }> = [];
  let closing: Promise<void> | null = null;
  const abort = new AbortController();
  const stopOne = async (part: { name: string; stop: () => Promise<void> | void }) => {
    try {
      await part.stop();
    } catch (err) {
      logger.warn({ err, part: part.name }, 'stopping a part failed');
    }
  };
  return {
    onStop(name, stop) {
      if (closing) {
        void stopOne({ name, stop });
        throw new StartAborted(name);
      }
      parts.push({ name, stop });
    },
    get closing() {
      return closing !== null;
    },
    signal: abort.signal,
    close() {
      closing ??= (async () => {
        abort.abort();
        for (let part = parts.pop(); part; part = parts.pop()) await stopOne(part);
      })();
      return closing;
    },
  };
}

const SHUTDOWN_DEADLINE_MS = 10_000;

/** Faults of the whole process (exported by each node's /metrics). */
export const processFaults = { unhandledRejections: 0 };

/**
 * A promise rejected with nobody listening is logged and counted, never fatal: one command's
 * failure (a Redis publish, a timer's write) must not end the process and every other client's
 * session with it. Node's default would exit with code 1.
 */
export function survivingUnhandledRejections(logger: Logger): void {
  process.on('unhandledRejection', (reason: unknown) => {
    processFaults.unhandledRejections += 1;
    logger.error({ err: reason }, 'unhandled rejection; going on');
  });
}

/**
 * Runs a process until SIGTERM / SIGINT. The handlers go in before anything starts, so a signal
 * that arrives during start-up stops whatever has started so far (through the lifecycle `start`
 * registers into) and still exits 0. Exit codes: 0 after an orderly stop; 1 if the service cannot
 * start, if stopping fails, or if stopping takes longer than 10 s. An unhandled rejection is logged
 * and counted, not an exit (see `survivingUnhandledRejections`).
 *
 * Entry points call this first and import their heavy modules inside `start`, so the window in
 * which a signal meets no handler is only Node's own boot.
 */
export function runUntilSignal(opts: {
  name: string;
  logger: Logger;
  start: (lifecycle: Lifecycle) => Promise<unknown>;
}): void {
  const { logger } = opts;
  const lifecycle = createLifecycle(logger);
  let stopping = false;
  let started: Promise<unknown> = Promise.resolve();

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    // Close what is up, then let an interrupted start-up unwind: whatever it finishes starting
    // afterwards is stopped as it registers (StartAborted), so waiting for it leaves nothing open.
    lifecycle
      .close()
      .then(() => started.catch(() => undefined))
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  survivingUnhandledRejections(logger);
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  logger.info({ pid: process.pid }, `${opts.name} starting`);

  started = opts.start(lifecycle);
  started.then(
    () => logger.info(`${opts.name} started`),
    (err: unknown) => {
      if (stopping) return; // the signal's stop path owns the exit
      logger.fatal({ err }, `${opts.name} failed to start`);
      void lifecycle.close().finally(() => process.exit(1));
    },
  );
}
