/**
 * The composition root of a server node: opens the stores and wires the capabilities; every
 * part lives in its own module. Start order: stores (MongoDB collections and indexes, Redis
 * ready) → services → staff bootstrap → Socket.IO and `/admin` → listen. Each part registers its
 * stop in the lifecycle as it starts, so stopping runs in reverse: sockets and HTTP first, then
 * the admin parts, then Redis and MongoDB.
 */
import { createServer } from 'node:http';
import type { Express } from 'express';
import type { ClientToServerEvents } from '@booking/shared';
import { startAdmin } from './admin/admin.assembly';
import { createAuthLimits } from './auth/auth.limits';
import { authRouter } from './auth/auth.routes';
import { createAuthService } from './auth/auth.service';
import { createAccountLimits } from './auth/account.limits';
import { accountRouter } from './auth/account.routes';
import { createAccountService } from './auth/account.service';
import { createEmailVerificationStore } from './auth/email-verification.store';
import { requireVerifiedToBook } from './auth/verification.guard';
import type { AuthService } from './auth/auth.service';
import { registerSessionHandlers } from './auth/session.handlers';
import { registerAvailabilityHandlers } from './availability/availability.handlers';
import { createSlotFinder } from './availability/slot-finder';
import type { AvailabilityService, CacheCounters } from './availability/availability.service';
import { calendarRouter } from './calendar/calendar.routes';
import { createCalendarService } from './calendar/calendar.service';
import { afterCommit, withAfterCommit } from './booking/booking.effects';
import type { BookingCommands } from './booking/booking.effects';
import { registerBookingHandlers } from './booking/booking.handlers';
import type { LockCounters } from './booking/booking.service';
import { openData } from './data';
import { createBookingCore } from './booking-core';
import { docsRouter } from './docs/docs.routes';
import type { Collections, DataStores } from './data';
import { systemClock } from './infra/clock';
import type { Clock } from './infra/clock';
import type { Config } from './infra/config';
import { createLogger } from './infra/logger';
import type { Logger } from './infra/logger';
import { countingFailures, createFaultCounts, createMetrics } from './infra/metrics';
import { effectRunner } from './infra/effects';
import { startHealthProbe, storesHealthy } from './infra/health';
import { createLifecycle, processFaults } from './infra/process';
import type { Lifecycle } from './infra/process';
import type { Stores } from './infra/stores';
import type { TxCounters } from './infra/transactions';
import { wakeRelay } from './notifications/notification.relay';
import { registerResourceHandlers } from './resources/resource.handlers';
import { resourceRouter } from './resources/resource.routes';
import { createResourceService, withResourceEffects } from './resources/resource.service';
import type { ResourceChange, ResourceService } from './resources/resource.service';
import { broadcastSlotChanged } from './transport/broadcast';
import { hearEveryResource, registerSlotWatchHandlers } from './transport/slot-watch.handlers';
import { createHttpApp, metricsRoute } from './transport/http';
import {
  attachSession,
  closeSocketServer,
  commandRegistrar,
  createCommandLimits,
  createConnectionTracker,
  createInFlight,
  createSocketServer,
  listen,
  revokeSessions,
} from './transport/socket';
import type { Budget, CommandCounter, IoServer } from './transport/socket';
import { staticPages } from './transport/static-pages';

export interface NodeOptions {
  config: Config;
  logger?: Logger;
  /** Where the parts register their stops (default: a lifecycle of its own, closed by `close()`). */
  lifecycle?: Lifecycle;
  /** Database name when the URL names none. */
  dbName?: string;
  clock?: Clock;
  /** Per-socket command budget (default 50 per second). */
  rateLimit?: Budget;
  /** Per-user command budget across the user's connections (default twice the per-socket one). */
  userRateLimit?: Budget;
  /** Test seam: runs between an availability read of MongoDB and its cache fill. */
  beforeCacheFill?: () => Promise<void>;
}

export interface Counters {
  tx: TxCounters;
  locks: LockCounters;
  cache: CacheCounters;
}

export interface BookingNode {
  nodeId: string;
  url: string;
  port: number;
  io: IoServer;
  /** The HTTP app, for tests that list its routes (the API documents must cover them all). */
  app: Express;
  logger: Logger;
  stores: Stores<Collections>;
  /** The collections, for tests that inspect what was stored. */
  models: Collections;
  data: DataStores;
  auth: AuthService;
  resources: ResourceService;
  availability: AvailabilityService;
  bookings: BookingCommands;
  counters: Counters;
  startedAt: Date;
  healthy(): Promise<boolean>;
  /** Stops accepting, disconnects sockets, stops the admin parts, closes Redis and MongoDB. */
  close(): Promise<void>;
}

export async function startNode(opts: NodeOptions): Promise<BookingNode> {
  const { config } = opts;
  const logger = opts.logger ?? createLogger({ level: config.logLevel, nodeId: config.nodeId, name: 'server' });
  const lifecycle = opts.lifecycle ?? createLifecycle(logger);
  const clock = opts.clock ?? systemClock;
  const counters: Counters = { tx: { attempts: 0, retries: 0 }, locks: { waits: 0 }, cache: { hits: 0, misses: 0 } };
  // Faults the node survives (failed effects, publishes, skipped locks), for /metrics.
  const faults = createFaultCounts();
  const lockFaults = { skipped: 0 };
  const startedAt = new Date();

  const { stores, data } = await openData({ config, logger, appName: config.nodeId, lifecycle, ...(opts.dbName ? { dbName: opts.dbName } : {}) });
  const { redis, names } = stores;

  const auth = createAuthService({
    users: data.users,
    secret: config.authSecret,
    logger,
    clock,
    sessionMaxMs: config.sessionMaxMs,
    emailVerification: config.emailVerification,
  });
  const verification = createEmailVerificationStore(stores.collections.User);
  // Sign out everywhere and password change revoke like a role change: token version, then
  // every socket of the user on every node (`io` is built below; this runs only on a request).
  const account = createAccountService({
    users: data.users,
    verification,
    limits: createAccountLimits({ redis: redis.cmd, names }),
    revoke: (userId) => revokeSessions(io, userId),
    clock,
    logger,
  });
  const { directory, availability, bookingService } = createBookingCore({
    config,
    stores,
    data,
    clock,
    logger,
    counters,
    lockFaults,
    ...(opts.beforeCacheFill ? { beforeCacheFill: opts.beforeCacheFill } : {}),
  });
  // After a resource's settings change: this node's directory now, the other nodes' through the
  // adapter, then every client (the page redraws its grid from the new policy).
  const resources = withResourceEffects(
    createResourceService({ conn: stores.conn, resources: data.resources, bookings: data.bookings, availability, counters: counters.tx }),
    effectRunner<ResourceChange>(
      countingFailures([
        { name: 'directory', run: () => directory.invalidate() },
        { name: 'other nodes', run: () => void io.serverSideEmit('resources:changed') },
        { name: 'broadcast', run: (change) => void ('resource' in change && io.emit('resource:changed', { resource: change.resource })) },
        { name: 'calendar feeds', run: () => calendar.settingsChanged() },
      ], faults),
      logger,
    ),
  );
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

  const metrics = createMetrics({
    nodeId: config.nodeId,
    sources: {
      connectedSockets: () => io.engine.clientsCount,
      txRetries: () => counters.tx.retries,
      lockWaits: () => counters.locks.waits,
      cacheHits: () => counters.cache.hits,
      cacheMisses: () => counters.cache.misses,
      queueCounts: () => admin.notifications.counts(),
      faults: () => ({
        ...faults.totals(),
        publish: redis.faults.publishFailures,
        lock_skipped: lockFaults.skipped,
        unhandled_rejection: processFaults.unhandledRejections,
      }),
    },
  });
  // Set first thing on SIGTERM: /healthz answers 503 so the gateway takes the node out of rotation.
  let draining = false;
  const probe = await startHealthProbe({ check: (timeoutMs) => storesHealthy(stores, timeoutMs), logger });
  lifecycle.onStop('health probe', () => probe.stop());
  const healthy = async () => !draining && probe.healthy();
  const app = createHttpApp({
    logger,
    nodeId: config.nodeId,
    healthy,
    trustProxy: config.trustedProxies,
    routers: [
      authRouter(
        auth,
        createAuthLimits({
          redis: redis.cmd,
          names,
          loginPerAddress: config.limits.loginPerAddress,
          registerPerAddress: config.limits.registerPerAddress,
        }),
      ),
      accountRouter({ auth, account }),
      resourceRouter({ auth, resources }),
      calendarRouter({ auth, calendar }),
      docsRouter(),
    ],
    extras: [metricsRoute(metrics, config.metricsToken), ...staticPages(logger)],
  });
  // Express first, then Socket.IO: the engine only passes non-/socket.io requests on to it.
  const httpServer = createServer(app);
  const connections = createConnectionTracker();
  const io = createSocketServer({ httpServer, redis, names, auth, logger, connections });

  // After commit: the cache first (a client that re-reads availability on the broadcast or the
  // ack must not get the entry from before the change), with the relay wake and the feeds'
  // counters alongside it (one pipelined Redis round trip), then the broadcast.
  const bookings = withAfterCommit(
    bookingService,
    afterCommit(
      countingFailures([
        { name: 'cache', run: (change) => availability.apply(change.resourceId, change.cache) },
        { name: 'relay wake', alongside: true, run: () => wakeRelay(redis.cmd, names) },
        { name: 'calendar feeds', alongside: true, run: (change) => calendar.bookingChanged(change) },
        { name: 'broadcast', run: broadcastSlotChanged(io, clock) },
      ], faults),
      logger,
    ),
  );

  // On `/`, an unverified account may not book (EMAIL_VERIFICATION=required); staff on /admin may.
  const userBookings = requireVerifiedToBook(bookings, { mode: config.emailVerification, verification });

  const count: CommandCounter = (event, outcome, ms) => metrics.commandDone(event, outcome, ms);
  const inFlight = createInFlight();
  const limiter = createCommandLimits({
    redis: { client: redis.cmd, names },
    ...(opts.rateLimit ? { perSocket: opts.rateLimit } : {}),
    ...(opts.userRateLimit ? { perUser: opts.userRateLimit } : {}),
  });
  io.on('resources:changed', () => directory.invalidate());
  io.on('connection', (socket) => {
    // Joins the user's room (the notifier reaches a user's sockets on every node through it),
    // arms the token-expiry disconnect and counts the connection against the user's cap.
    if (!attachSession(socket, connections)) return;
    // Every resource's slot:changed until the client sends slots:watch.
    hearEveryResource(socket);
    const on = commandRegistrar<ClientToServerEvents>({ socket, logger, limiter, count, inFlight });
    registerSessionHandlers(on, auth);
    registerResourceHandlers(on, resources);
    registerAvailabilityHandlers(on, { availability, slots });
    registerBookingHandlers(on, userBookings);
    registerSlotWatchHandlers(on, directory);
  });
  const admin = await startAdmin({
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
    clock,
    logger,
    limiter,
    connections,
    count,
    inFlight,
    lifecycle,
  });

  const port = await listen(httpServer, config.port, config.host);
  lifecycle.onStop('sockets and http', () => closeSocketServer({ io, httpServer, namespaces: ['/', '/admin'], inFlight }));
  // Registered last, so it runs first: fail /healthz, then keep serving for the drain delay while
  // the gateway's checks (HAProxy: every 1 s, fall 2) or a readiness probe take the node out.
  lifecycle.onStop('drain', async () => {
    draining = true;
    logger.info({ drainDelayMs: config.drainDelayMs }, 'draining: /healthz answers 503');
    await new Promise((r) => setTimeout(r, config.drainDelayMs));
  });
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
