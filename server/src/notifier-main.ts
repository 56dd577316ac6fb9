/**
 * `npm run notifier`: ONE notification service process (outbox relay + BullMQ worker + SMTP
 * mailer), configured by the same environment as a server node (docs/protocol.md). Signal handlers
 * go in before anything else loads (see `runUntilSignal`); SIGTERM / SIGINT, even during
 * start-up, stop it in order and exit 0; jobs in hand get up to 10 s to finish (past that their
 * locks expire and another run takes them up again).
 */
import { loadConfigOrExit } from './infra/config';
import { createLogger } from './infra/logger';
import { runUntilSignal } from './infra/process';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, nodeId: config.nodeId, name: 'notifier' });
runUntilSignal({
  name: 'notifier',
  logger,
  start: async (lifecycle) => {
    const { startNotificationService } = await import('./notifier');
    return startNotificationService({ config, logger, lifecycle });
  },
});
