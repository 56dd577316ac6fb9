/**
 * The `/admin` sub-assembly of a node: node presence (Redis heartbeats, so every node reports all
 * nodes), the admin service on the root's notification-queue handle (no worker: counts, the
 * failed list, retries) and the namespace with its `stats` push. Each part registers its stop as it starts;
 * they stop before Redis closes (the heartbeat entry is removed on the way out).
 */
import type { AuthService } from '../auth/auth.service';
import type { UserStore } from '../auth/user.store';
import type { BookingCommands } from '../booking/booking.effects';
import type { BookingHistoryStore } from '../booking/booking-history.store';
import type { BookingStore } from '../booking/booking.store';
import type { RedisNames } from '../infra/channels';
import type { Clock } from '../infra/clock';
import type { Logger } from '../infra/logger';
import type { Lifecycle } from '../infra/process';
import type { RedisConnections } from '../infra/redis';
import type { NotificationAdmin } from '../notifications/notification.admin';
import type { ResourceService } from '../resources/resource.service';
import type { ResourceStore } from '../resources/resource.store';
import type { ResourceDirectory } from '../resources/resource.directory';
import { createAccessGate } from '../access/resource-access';
import type { CommandLimits } from '../transport/command-budget';
import type { CommandCounter } from '../transport/command-registrar';
import type { ConnectionTracker } from '../transport/connection-cap';
import type { InFlight } from '../transport/in-flight';
import { revokeSessions } from '../transport/session-expiry';
import type { IoServer } from '../transport/socket-types';
import { createAccessAdmin } from './admin.access';
import type { WaitlistCounts } from './admin.stats';
import { registerAdminNamespace } from './admin.namespace';
import type { AdminCommandSet } from './admin.handlers';
import { createNodePresence } from './admin.presence';
import { createAdminScope } from './admin.scope';
import { createAdminService } from './admin.service';

export async function startAdmin(deps: {
  io: IoServer;
  redis: RedisConnections;
  names: RedisNames;
  nodeId: string;
  startedAt: Date;
  auth: AuthService;
  users: UserStore;
  bookingStore: BookingStore;
  history: BookingHistoryStore;
  resourceStore: ResourceStore;
  resources: ResourceService;
  bookings: BookingCommands;
  /** (v3) The resources' settings, for who manages what on `/admin`. */
  directory: ResourceDirectory;
  /** The notification-queue handle (built and stopped by the root: `/metrics` reads it too). */
  notifications: NotificationAdmin;
  /** (v3) The waitlist store's queue lengths for `stats.waitlist` (the root passes `data.waitlist`). */
  waitlist?: WaitlistCounts;
  /** (v3) Webhook endpoints failing or disabled, for `stats.webhooksFailing`. */
  webhooksFailing?: () => Promise<number>;
  clock: Clock;
  logger: Logger;
  limiter: CommandLimits;
  connections: ConnectionTracker;
  count: CommandCounter;
  /** The node's commands in flight: staff commands are waited for on stop like the others. */
  inFlight: InFlight;
  lifecycle: Lifecycle;
  /** (v3) Commands of other capabilities (integrations). */
  commandSets?: readonly AdminCommandSet[];
}): Promise<void> {
  const { lifecycle, logger } = deps;
  const presence = createNodePresence({
    redis: deps.redis.cmd,
    names: deps.names,
    nodeId: deps.nodeId,
    startedAt: deps.startedAt,
    clients: () => deps.io.engine.clientsCount,
    logger,
  });
  await presence.start();
  lifecycle.onStop('node presence', () => presence.stop());
  const { notifications } = deps;
  const admin = createAdminService({
    users: deps.users,
    bookingStore: deps.bookingStore,
    resourceStore: deps.resourceStore,
    resources: deps.resources,
    bookings: deps.bookings,
    presence,
    notifications,
    ...(deps.waitlist ? { waitlist: deps.waitlist } : {}),
    ...(deps.webhooksFailing ? { webhooksFailing: deps.webhooksFailing } : {}),
    clock: deps.clock,
    logger,
  });
  const access = createAccessAdmin({
    auth: deps.auth,
    history: deps.history,
    bookings: deps.bookingStore,
    revoke: (userId) => revokeSessions(deps.io, userId),
    logger,
  });
  const namespace = registerAdminNamespace({
    io: deps.io,
    auth: deps.auth,
    admin,
    access,
    connections: deps.connections,
    bookings: deps.bookings,
    resources: deps.resources,
    clock: deps.clock,
    logger,
    limiter: deps.limiter,
    count: deps.count,
    inFlight: deps.inFlight,
    ...(deps.commandSets ? { commandSets: deps.commandSets } : {}),
    scope: createAdminScope({
      directory: deps.directory,
      gate: createAccessGate(deps.directory),
      bookings: deps.bookingStore,
    }),
  });
  lifecycle.onStop('admin stats push', () => namespace.stop());
}
