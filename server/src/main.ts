/** `npm run server`: one node, configured only by the environment (PROTOCOL.md). */
import { startNode } from './app';
import { loadConfigOrExit } from './infra/config';
import { createLogger } from './infra/logger';
import { runUntilSignal } from './infra/process';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, nodeId: config.nodeId, name: 'server' });
runUntilSignal({ name: 'node', logger, start: () => startNode({ config, logger }) });
