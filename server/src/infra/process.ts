import type { Logger } from './logger';

/**
 * Runs a process's service until SIGTERM / SIGINT, then closes it and exits: 0 once `close`
 * resolves, 1 if it fails, hangs past 10 s, or the service cannot start at all.
 */
export function runUntilSignal(opts: { name: string; logger: Logger; start: () => Promise<{ close(): Promise<void> }> }): void {
  const { logger } = opts;
  opts
    .start()
    .then((service) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down');
        setTimeout(() => {
          logger.error('shutdown took longer than 10 s; exiting');
          process.exit(1);
        }, 10_000).unref();
        service.close().then(
          () => process.exit(0),
          (err: unknown) => {
            logger.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    })
    .catch((err: unknown) => {
      logger.fatal({ err }, `${opts.name} failed to start`);
      process.exit(1);
    });
}
