/**
 * `npm run server`: one node, configured only by the environment (docs/protocol.md). Signal handlers
 * go in before the node's modules load (see `runUntilSignal`), so SIGTERM during start-up stops
 * what has started and exits 0.
 */
import { loadConfigOrExit } from './infra/config';
import { createLogger } from './infra/logger';
import { runUntilSignal } from './infra/process';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, nodeId: config.nodeId, name: 'server' });
runUntilSignal({
  name: 'node',
  logger,
  start: async (lifecycle) => {
    const { startNode } = await import('./app');
    return startNode({ config, logger, lifecycle });
  },
});
