/** `npm run server`: one node, configured only by the environment (PROTOCOL.md). */
import { startNode } from './app';
import { loadConfigOrExit } from './infra/config';
import { createLogger } from './infra/logger';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, nodeId: config.nodeId, name: 'server' });

async function main(): Promise<void> {
  const node = await startNode({ config, logger });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Graceful shutdown must finish within 10 s; past that, leave anyway.
    setTimeout(() => {
      logger.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000).unref();
    node.close().then(
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
  logger.fatal({ err }, 'node failed to start');
  process.exit(1);
});
