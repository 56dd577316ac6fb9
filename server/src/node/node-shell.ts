/**
 * The node's middle steps, in the order `startNode` runs them: the health probe and the HTTP and
 * Socket.IO shell (nothing listens yet), then metrics and the `/admin` side.
 */
import { createServer } from 'node:http';
import { startAdmin } from '../admin/admin.assembly';
import { apiKeyCommandSet } from '../integrations/api-keys/api-key.handlers';
import { webhookCommandSet } from '../integrations/webhooks/webhook.handlers';
import { displayCommandSet } from '../displays/display.handlers';
import { startHealthProbe, storesHealthy } from '../infra/health';
import { createMetrics } from '../infra/metrics';
import { createNotificationAdmin } from '../notifications/notification.admin';
import { createCommandLimits } from '../transport/command-budget';
import type { CommandCounter } from '../transport/command-registrar';
import { createConnectionTracker } from '../transport/connection-cap';
import { createHttpShell } from '../transport/http';
import { createInFlight } from '../transport/in-flight';
import { createSocketServer } from '../transport/socket-server';
import { metricSources } from './node-metrics';
import type { NodeBase, NodeCommands, NodeServices } from './node-services';
import type { DrainSwitch } from './node-stops';
import type { NodeOptions } from './node.types';

/** Health probe → HTTP shell → Socket.IO. */
export async function startNodeShell(base: NodeBase, services: Pick<NodeServices, 'stores' | 'auth'>) {
  const { config, logger, lifecycle } = base;
  const { stores, auth } = services;
  const drain: DrainSwitch = { draining: false };
  const probe = await startHealthProbe({ check: (timeoutMs) => storesHealthy(stores, timeoutMs), logger });
  lifecycle.onStop('health probe', () => probe.stop());
  const healthy = async () => !drain.draining && probe.healthy();
  // Express first, then Socket.IO: the engine only passes non-/socket.io requests on to it. The
  // routes are mounted later, once the parts they serve are built (nothing listens until then).
  const app = createHttpShell({ logger, nodeId: config.nodeId, healthy, trustProxy: config.trustedProxies });
  const httpServer = createServer(app);
  const connections = createConnectionTracker();
  const io = createSocketServer({ httpServer, redis: stores.redis, names: stores.names, auth, logger, connections });
  return { drain, healthy, app, httpServer, connections, io };
}

export type NodeShell = Awaited<ReturnType<typeof startNodeShell>>;

/** Notification admin → metrics → command limits → the `/admin` namespace. */
export async function startNodeAdmin(
  base: NodeBase,
  opts: NodeOptions,
  parts: { services: NodeServices; shell: NodeShell; commands: NodeCommands; startedAt: Date },
) {
  const { config, logger, lifecycle, clock, counters } = base;
  const { stores, data, auth } = parts.services;
  const { io, connections } = parts.shell;
  const { redis, names } = stores;
  const notifications = createNotificationAdmin({ connection: redis.bullmqOptions, names, logger });
  lifecycle.onStop('notification admin', () => notifications.close());
  const metrics = createMetrics({
    nodeId: config.nodeId,
    sources: metricSources(counters, {
      connectedSockets: () => io.engine.clientsCount,
      queueCounts: () => notifications.counts(),
      publishFailures: () => redis.faults.publishFailures,
    }),
  });
  const count: CommandCounter = (event, outcome, ms) => metrics.commandDone(event, outcome, ms);
  const inFlight = createInFlight();
  const limiter = createCommandLimits({
    redis: { client: redis.cmd, names },
    ...(opts.rateLimit ? { perSocket: opts.rateLimit } : {}),
    ...(opts.userRateLimit ? { perUser: opts.userRateLimit } : {}),
  });
  await startAdmin({
    io,
    redis,
    names,
    nodeId: config.nodeId,
    startedAt: parts.startedAt,
    auth,
    users: data.users,
    bookingStore: data.bookings,
    history: data.history,
    resourceStore: data.resources,
    resources: parts.commands.resources,
    bookings: parts.commands.bookings,
    directory: parts.services.directory,
    notifications,
    waitlist: data.waitlist,
    webhooksFailing: () => parts.services.webhooks.failing(),
    clock,
    logger,
    limiter,
    connections,
    count,
    inFlight,
    lifecycle,
    commandSets: [
      apiKeyCommandSet(parts.services.apiKeys),
      webhookCommandSet(parts.services.webhooks),
      displayCommandSet(parts.commands.displays),
    ],
  });
  return { metrics, count, inFlight, limiter };
}
