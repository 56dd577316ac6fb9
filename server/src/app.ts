/**
 * The composition root: builds one server node from the parsed config and hands every
 * dependency in explicitly. Start order: MongoDB (models, collections, indexes) → Redis →
 * services → staff bootstrap → HTTP + Socket.IO → listen. Stop order is the reverse.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'mongoose';
import type { ClientToServerEvents, QueueCounts, SlotChanged } from '@booking/shared';
import { registerAdminNamespace } from './admin/admin.namespace';
import { createNodePresence } from './admin/admin.presence';
import { createAdminService } from './admin/admin.service';
import { authRouter } from './auth/auth.routes';
import { createAuthService } from './auth/auth.service';
import type { AuthService } from './auth/auth.service';
import { createRedisAvailabilityCache } from './availability/availability.cache';
import { registerAvailabilityHandlers } from './availability/availability.handlers';
import { createAvailabilityService } from './availability/availability.service';
import type { AvailabilityService, CacheCounters } from './availability/availability.service';
import { registerBookingHandlers } from './booking/booking.handlers';
import { createBookingService, systemClock } from './booking/booking.service';
import type { BookingService, Clock, LockCounters } from './booking/booking.service';
import type { Config } from './infra/config';
import { createRedlockSlotLock, noSlotLock } from './infra/locks';
import { createLogger } from './infra/logger';
import { createMetrics } from './infra/metrics';
import type { Metrics } from './infra/metrics';
import type { Logger } from './infra/logger';
import { registerModels } from './infra/models';
import type { Models } from './infra/models';
import { connectMongo, pingMongo } from './infra/mongo';
import { connectRedis, pingRedis, redisReady } from './infra/redis';
import type { RedisConnections } from './infra/redis';
import type { TxCounters } from './infra/transactions';
import { createNotificationAdmin } from './notifications/notification.admin';
import { registerResourceHandlers } from './resources/resource.handlers';
import { resourceRouter } from './resources/resource.routes';
import { createResourceService } from './resources/resource.service';
import type { ResourceService } from './resources/resource.service';
import { createHttpApp } from './transport/http';
import { commandRegistrar, createRateLimiter, createSocketServer } from './transport/socket';
import type { CommandCounter, IoServer } from './transport/socket';

export interface NodeOptions {
  config: Config;
  logger?: Logger;
  /** Prefix of every Redis key and channel this node uses (tests isolate suites with it). */
  keyPrefix?: string;
  /** Database name when the URL names none. */
  dbName?: string;
  clock?: Clock;
  /** Per-socket command budget (default 50 per second). */
  rateLimit?: { points: number; durationSec: number };
  lockWaitMs?: number;
  /** Notification queue depth for /metrics (default: the node's own queue handle). */
  queueCounts?: () => Promise<QueueCounts>;
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
  logger: Logger;
  conn: Connection;
  models: Models;
  redis: RedisConnections;
  auth: AuthService;
  resources: ResourceService;
  availability: AvailabilityService;
  bookings: BookingService;
  counters: Counters;
  startedAt: Date;
  healthy(): Promise<boolean>;
  /** Stops accepting, disconnects sockets, closes Redis and MongoDB. */
  close(): Promise<void>;
}

export async function startNode(opts: NodeOptions): Promise<BookingNode> {
  const { config } = opts;
  const logger = opts.logger ?? createLogger({ level: config.logLevel, nodeId: config.nodeId, name: 'server' });
  const prefix = opts.keyPrefix ?? 'bk:';
  const clock = opts.clock ?? systemClock;
  const counters: Counters = {
    tx: { attempts: 0, retries: 0 },
    locks: { waits: 0, busy: 0 },
    cache: { hits: 0, misses: 0 },
  };

  let models: Models | undefined;
  const conn = await connectMongo({
    url: config.mongoUrl,
    ...(opts.dbName ? { dbName: opts.dbName } : {}),
    appName: config.nodeId,
    logger,
    register: (c) => {
      models = registerModels(c);
    },
  });
  if (!models) throw new Error('models were not registered');
  const m = models;
  const redis = connectRedis({ url: config.redisUrl, logger, name: config.nodeId });
  // All three before the adapter subscribes: a subscription queued on a connection that is still
  // starting puts it in subscriber mode before ioredis' ready check, which then fails.
  await Promise.all([redisReady(redis.cmd), redisReady(redis.pub), redisReady(redis.sub)]);

  const auth = createAuthService({ users: m.User, secret: config.authSecret, logger });
  const availability = createAvailabilityService({
    resources: m.Resource,
    bookings: m.Booking,
    cache: createRedisAvailabilityCache({ redis: redis.cmd, prefix, ttlMs: 30_000, pendingTtlMs: 5_000 }),
    logger,
    counters: counters.cache,
    ...(opts.beforeCacheFill ? { beforeFill: opts.beforeCacheFill } : {}),
  });
  const resources = createResourceService({
    conn,
    resources: m.Resource,
    bookings: m.Booking,
    counters: counters.tx,
    onRemoved: (id) => availability.forget(id),
  });

  const metrics = createMetrics({
    nodeId: config.nodeId,
    sources: {
      connectedSockets: () => io.engine.clientsCount,
      txRetries: () => counters.tx.retries,
      lockWaits: () => counters.locks.waits,
      cacheHits: () => counters.cache.hits,
      cacheMisses: () => counters.cache.misses,
      queueCounts: opts.queueCounts ?? (() => notificationAdmin.counts()),
    },
  });
  const healthy = async () => {
    const [mongoOk, redisOk] = await Promise.all([pingMongo(conn, 1000), pingRedis(redis.cmd, 1000)]);
    return mongoOk && redisOk;
  };
  const app = createHttpApp({
    logger,
    nodeId: config.nodeId,
    healthy,
    routers: [authRouter(auth), resourceRouter({ auth, resources })],
    extras: [metricsRoute(metrics), ...staticPages()],
  });
  // Express first, then Socket.IO: the engine only passes non-/socket.io requests on to it.
  const httpServer = createServer(app);
  const io = createSocketServer({ httpServer, redis, prefix, auth, logger });
  const wakeChannel = `${prefix}outbox:wake`;
  const bookings = createBookingService({
    conn,
    resources: m.Resource,
    bookings: m.Booking,
    outbox: m.Outbox,
    lock: config.bookingLocks ? createRedlockSlotLock({ redis: redis.cmd, prefix, ttlMs: 3000, logger }) : noSlotLock,
    availability,
    clock,
    logger,
    tx: counters.tx,
    locks: counters.locks,
    ...(opts.lockWaitMs ? { lockWaitMs: opts.lockWaitMs } : {}),
    sink: {
      slotChanged: ({ userId, ...event }: SlotChanged & { userId: string }) => {
        io.emit('slot:changed', event);
        io.of('/admin').emit('slot:changed', { ...event, userId });
      },
      outboxWritten: () => {
        redis.cmd.publish(wakeChannel, '1').catch(() => undefined);
      },
    },
  });

  await auth.ensureStaff(config.staff);

  const count: CommandCounter = (event, outcome, ms) => metrics.commandDone(event, outcome, ms);
  const limiter = createRateLimiter(opts.rateLimit ?? { points: 50, durationSec: 1 });
  io.on('connection', (socket) => {
    // The notifier reaches a user's sockets on every node through this room (redis-emitter).
    void socket.join(`user:${socket.data.principal.id}`);
    const on = commandRegistrar<ClientToServerEvents>({ socket, logger, limiter, count });
    registerResourceHandlers(on, resources);
    registerAvailabilityHandlers(on, availability);
    registerBookingHandlers(on, bookings);
  });

  // ---- /admin namespace (staff dashboard) ---------------------------------------------------
  // Heartbeats publish this node's client count to Redis so every node can report all nodes;
  // the notification queue handle (no worker) feeds stats.queue, the failed list and retries.
  const startedAt = new Date();
  const nodePresence = createNodePresence({
    redis: redis.cmd,
    prefix,
    nodeId: config.nodeId,
    startedAt,
    clients: () => io.engine.clientsCount,
    logger,
  });
  await nodePresence.start();
  const notificationAdmin = createNotificationAdmin({ connection: redis.bullmqOptions, keyPrefix: prefix });
  const adminNsp = registerAdminNamespace({
    io,
    auth,
    admin: createAdminService({ models: m, resources, bookings, presence: nodePresence, notifications: notificationAdmin, clock, logger }),
    bookings,
    resources,
    clock,
    logger,
    limiter,
    count,
  });
  const stopAdmin = async () => {
    adminNsp.stop();
    await nodePresence.stop();
    await notificationAdmin.close().catch((err: unknown) => logger.warn({ err }, 'notification admin close failed'));
  };
  // ---- end /admin namespace -------------------------------------------------------------------


  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${config.host}:${port}`;
  logger.info({ url }, 'node listening');

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      logger.info('node stopping');
      // Tell every client goodbye (they see "io server disconnect" and go elsewhere), then stop
      // accepting; connections still open after 2 s are cut.
      for (const nsp of io._nsps.values()) nsp.local.disconnectSockets(true);
      const cut = setTimeout(() => httpServer.closeAllConnections(), 2000);
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
        httpServer.closeIdleConnections();
      });
      clearTimeout(cut);
      await stopAdmin(); // /admin: before Redis closes (its heartbeat entry is removed there)
      await redis.close();
      await conn.close();
      logger.info('node stopped');
    })();
    return closing;
  };

  return {
    nodeId: config.nodeId,
    url,
    port,
    io,
    logger,
    conn,
    models: m,
    redis,
    auth,
    resources,
    availability,
    bookings,
    counters,
    startedAt,
    healthy,
    close,
  };
}

/** The built booking page at `/` and staff dashboard at `/admin`, when they have been built. */
function staticPages(): express.RequestHandler[] {
  const root = join(__dirname, '..', '..');
  const pages: Array<[string, string]> = [
    ['/admin', join(root, 'admin-desktop', 'dist', 'renderer')],
    ['/', join(root, 'web', 'dist')],
  ];
  const handlers: express.RequestHandler[] = [];
  for (const [mount, dir] of pages) {
    if (!existsSync(join(dir, 'index.html'))) continue;
    const router = express.Router();
    router.use(mount, express.static(dir, { index: 'index.html', maxAge: '1h' }));
    // Single-page apps: unknown non-API paths under the mount get the page itself.
    router.get(mount === '/' ? /^\/(?!api\/|admin|socket\.io).*/ : /^\/admin(\/.*)?$/, (_req, res) =>
      res.sendFile(join(dir, 'index.html')),
    );
    handlers.push(router);
  }
  return handlers;
}

/** `GET /metrics` in Prometheus' text format. */
function metricsRoute(metrics: Metrics): express.RequestHandler {
  const router = express.Router();
  router.get('/metrics', async (_req, res) => {
    res.set('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
