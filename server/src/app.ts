/**
 * The composition root of a server node: builds each part in dependency order (nothing is used
 * before it is declared) and hands the built parts to the next; every part lives in its own
 * module. Start order: stores (MongoDB collections and indexes, Redis ready) → services → staff
 * bootstrap → health probe → HTTP shell, Socket.IO → the services that act on sockets (account
 * revocation, resource and booking effects) → metrics and `/admin` → routes and `/` handlers →
 * listen. Each part registers its stop in the lifecycle as it starts, so stopping runs in
 * reverse: drain, sockets and HTTP first, then the admin parts, then Redis and MongoDB.
 */
import { createServer } from 'node:http';
import { startAdmin } from './admin/admin.assembly';
import { createAuthService } from './auth/auth.service';
import { createAccountLimits } from './auth/account.limits';
import { createAccountService } from './auth/account.service';
import { createEmailVerificationStore } from './auth/email-verification.store';
import { requireVerifiedToBook } from './auth/verification.guard';
import { createSlotFinder } from './availability/slot-finder';
import { createCalendarService } from './calendar/calendar.service';
import { withAfterCommit } from './booking/booking.effects';
import { openData } from './data';
import { createBookingCore } from './booking-core';
import { systemClock } from './infra/clock';
import { createLogger } from './infra/logger';
import { createMetrics } from './infra/metrics';
import { startHealthProbe, storesHealthy } from './infra/health';
import { createLifecycle } from './infra/process';
import { createNotificationAdmin } from './notifications/notification.admin';
import { createResourceService, withResourceEffects } from './resources/resource.service';
import { createHttpShell, metricsRoute, mountRoutes } from './transport/http';
import { createCommandLimits } from './transport/command-budget';
import type { CommandCounter } from './transport/command-registrar';
import { createConnectionTracker } from './transport/connection-cap';
import { createInFlight } from './transport/in-flight';
import { listen } from './transport/listen';
import { revokeSessions } from './transport/session-expiry';
import { createSocketServer } from './transport/socket-server';
import { staticPages } from './transport/static-pages';
import { bookingEffects, resourceEffects } from './node/node-effects';
import { createNodeMetrics, metricSources } from './node/node-metrics';
import { nodeRouters } from './node/node-routes';
import { serveMainNamespace } from './node/node-sockets';
import { registerNodeStops } from './node/node-stops';
import type { DrainSwitch } from './node/node-stops';
import type { BookingNode, NodeOptions } from './node/node.types';

export type { BookingNode, NodeOptions } from './node/node.types';
export type { Counters, NodeMetrics } from './node/node-metrics';

export async function startNode(opts: NodeOptions): Promise<BookingNode> {
  const { config } = opts;
  const logger = opts.logger ?? createLogger({ level: config.logLevel, nodeId: config.nodeId, name: 'server' });
  const lifecycle = opts.lifecycle ?? createLifecycle(logger);
  const clock = opts.clock ?? systemClock;
  // Every running total of the node (services' counters, survived faults), read by /metrics.
  const counters = createNodeMetrics();
  const startedAt = new Date();

  const { stores, data } = await openData({
    config,
    logger,
    appName: config.nodeId,
    lifecycle,
    ...(opts.dbName ? { dbName: opts.dbName } : {}),
  });
  const { redis, names } = stores;

  const { authSecret: secret, sessionMaxMs, emailVerification } = config;
  const auth = createAuthService({ users: data.users, secret, logger, clock, sessionMaxMs, emailVerification });
  const verification = createEmailVerificationStore(stores.collections.User);
  const { directory, availability, bookingService } = createBookingCore({
    config,
    stores,
    data,
    clock,
    logger,
    counters,
    lockFaults: counters.lockFaults,
    ...(opts.beforeCacheFill ? { beforeCacheFill: opts.beforeCacheFill } : {}),
  });
  const calendar = createCalendarService({
    feeds: data.calendarFeeds,
    bookings: data.bookings,
    resources: data.resources,
    directory,
    redis: redis.cmd,
    names,
    clock,
    logger,
  });
  const slots = createSlotFinder({ directory, availability, bookings: data.bookings, clock });
  await auth.ensureStaff(config.staff);

  const drain: DrainSwitch = { draining: false };
  const probe = await startHealthProbe({ check: (timeoutMs) => storesHealthy(stores, timeoutMs), logger });
  lifecycle.onStop('health probe', () => probe.stop());
  const healthy = async () => !drain.draining && probe.healthy();
  // Express first, then Socket.IO: the engine only passes non-/socket.io requests on to it. The
  // routes are mounted below, once the parts they serve are built (nothing listens until then).
  const app = createHttpShell({ logger, nodeId: config.nodeId, healthy, trustProxy: config.trustedProxies });
  const httpServer = createServer(app);
  const connections = createConnectionTracker();
  const io = createSocketServer({ httpServer, redis, names, auth, logger, connections });

  // Sign out everywhere and password change revoke like a role change: token version, then
  // every socket of the user on every node.
  const account = createAccountService({
    users: data.users,
    verification,
    limits: createAccountLimits({ redis: redis.cmd, names }),
    revoke: (userId) => revokeSessions(io, userId),
    clock,
    logger,
  });
  const resources = withResourceEffects(
    createResourceService({
      conn: stores.conn,
      resources: data.resources,
      bookings: data.bookings,
      availability,
      counters: counters.tx,
    }),
    resourceEffects({ directory, io, calendar, faults: counters.faults, logger }),
  );
  const bookings = withAfterCommit(
    bookingService,
    bookingEffects({ availability, redis: redis.cmd, names, calendar, io, clock, faults: counters.faults, logger }),
  );
  // On `/`, an unverified account may not book (EMAIL_VERIFICATION=required); staff on /admin may.
  const userBookings = requireVerifiedToBook(bookings, { mode: config.emailVerification, verification });

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
    startedAt,
    auth,
    users: data.users,
    bookingStore: data.bookings,
    history: data.history,
    resourceStore: data.resources,
    resources,
    bookings,
    notifications,
    clock,
    logger,
    limiter,
    connections,
    count,
    inFlight,
    lifecycle,
  });

  mountRoutes(app, {
    logger,
    routers: nodeRouters({ config, redis: redis.cmd, names, auth, account, resources, calendar }),
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
    bookings: userBookings,
  });

  const port = await listen(httpServer, config.port, config.host);
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
