/**
 * `npm run notifier`: ONE notification service process (outbox relay + BullMQ worker + SMTP
 * mailer), configured by the same environment as a server node (PROTOCOL.md). SIGTERM / SIGINT
 * stop it in order and exit 0.
 */
import { loadConfigOrExit } from './infra/config';
import { createLogger } from './infra/logger';
import { startNotificationService } from './notifications/notification.service';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, nodeId: config.nodeId, name: 'notifier' });

async function main(): Promise<void> {
  const notifier = await startNotificationService({ config, logger });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Jobs in hand get up to 10 s to finish; past that, leave anyway (their locks expire and
    // another run takes them up again).
    setTimeout(() => {
      logger.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000).unref();
    notifier.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  logger.fatal({ err }, 'notifier failed to start');
  process.exit(1);
});
