/**
 * The composition root of a server node: builds each part in dependency order (nothing is used
 * before it is declared) and hands the built parts to the next; every part lives in its own
 * module. Start order: stores (MongoDB collections and indexes, Redis ready) → services → staff
 * bootstrap → health probe → HTTP shell, Socket.IO → the services that act on sockets (account
 * revocation, resource and booking effects) → metrics and `/admin` → routes and `/` handlers →
 * listen. Each part registers its stop in the lifecycle as it starts, so stopping runs in
 * reverse: drain, sockets and HTTP first, then the admin parts, then Redis and MongoDB.
 */
import { requireVerifiedToWait } from './auth/verification.guard';
import { requireAccessToWait } from './access/access.guard';
import { systemClock } from './infra/clock';
import { createLogger } from './infra/logger';
import { createLifecycle } from './infra/process';
import { metricsRoute, mountRoutes } from './transport/http';
import { listen } from './transport/listen';
import { staticPages } from './transport/static-pages';
import { createNodeMetrics } from './node/node-metrics';
import { nodeRouters } from './node/node-routes';
import { nodeCommands, openNodeServices } from './node/node-services';
import type { NodeBase } from './node/node-services';
import { startNodeAdmin, startNodeShell } from './node/node-shell';
import { serveMainNamespace } from './node/node-sockets';
import { serveDisplays } from './displays/display.assembly';
import { registerNodeStops } from './node/node-stops';
import { restDeps } from './integrations/rest/rest.wiring';
import { reportDeps } from './reports/report.wiring';
import type { BookingNode, NodeOptions } from './node/node.types';

export type { BookingNode, NodeOptions } from './node/node.types';
export type { Counters, NodeMetrics } from './node/node-metrics';

export async function startNode(opts: NodeOptions): Promise<BookingNode> {
  const { config } = opts;
  const logger = opts.logger ?? createLogger({ level: config.logLevel, nodeId: config.nodeId, name: 'server' });
  const base: NodeBase = {
    config,
    logger,
    lifecycle: opts.lifecycle ?? createLifecycle(logger),
    clock: opts.clock ?? systemClock,
    counters: createNodeMetrics(),
  };
  const { lifecycle, counters } = base;
  const startedAt = new Date();

  const services = await openNodeServices(base, opts);
  const { stores, data, auth, directory, availability, calendar, slots } = services;
  const shell = await startNodeShell(base, services);
  const { app, httpServer, io, connections, healthy } = shell;
  const commands = nodeCommands(base, services, io);
  const { account, resources, bookings } = commands;
  const { metrics, count, inFlight, limiter } = await startNodeAdmin(base, opts, {
    services,
    shell,
    commands,
    startedAt,
  });

  const { redis, names } = stores;
  mountRoutes(app, {
    logger,
    routers: nodeRouters({
      config,
      redis: redis.cmd,
      names,
      auth,
      oidc: services.oidc,
      account,
      resources,
      calendar,
      bookingsRest: restDeps(base, services, commands),
      reports: reportDeps(base, stores.collections, services.apiAccess),
      webhooks: { access: services.apiAccess, webhooks: services.webhooks },
    }),
    extras: [metricsRoute(metrics, config.metricsToken), ...staticPages(logger)],
  });
  serveMainNamespace({
    io,
    connections,
    logger,
    limiter,
    count,
    inFlight,
    auth,
    directory,
    resources,
    availability,
    slots,
    bookings: commands.userBookings,
    waitlist: requireAccessToWait(
      requireVerifiedToWait(services.waitlist, {
        mode: config.emailVerification,
        verification: services.verification,
      }),
      services.access,
    ),
    access: services.access,
  });

  serveDisplays({
    io,
    displays: commands.displays,
    collections: stores.collections,
    data,
    ops: services.displayOps,
    afterCommit: commands.afterBookingCommit,
    clock: base.clock,
    logger,
    lifecycle,
    limiter,
    count,
    inFlight,
  });

  const port = await listen(httpServer, config.port, config.host);
  const { drain } = shell;
  registerNodeStops({ lifecycle, io, httpServer, inFlight, drain, drainDelayMs: config.drainDelayMs, logger });
  const url = `http://${config.host}:${port}`;
  logger.info({ url }, 'node listening');

  return {
    nodeId: config.nodeId,
    url,
    port,
    io,
    app,
    logger,
    stores,
    models: stores.collections,
    data,
    auth,
    resources,
    availability,
    bookings,
    counters,
    startedAt,
    healthy,
    async close() {
      logger.info('node stopping');
      await lifecycle.close();
      logger.info('node stopped');
    },
  };
}
