/**
 * The node's first steps, in the order `startNode` runs them: the stores and the services on them
 * (before any socket exists), then, once Socket.IO does, the commands that act on sockets.
 */
import { createAccountLimits } from '../auth/account.limits';
import { createAccountService } from '../auth/account.service';
import { createAuthService } from '../auth/auth.service';
import { createOidcService, discoverClient } from '../auth/oidc.service';
import { createEmailVerificationStore } from '../auth/email-verification.store';
import { requireVerifiedToBook } from '../auth/verification.guard';
import { requireAccessToBook } from '../access/access.guard';
import { createAccessGate } from '../access/resource-access';
import { createSlotFinder } from '../availability/slot-finder';
import { createWaitlistService } from '../waitlist/waitlist.service';
import { createApiKeyService } from '../integrations/api-keys/api-key.service';
import { webhookServiceFor } from '../integrations/webhooks/webhook.wiring';
import { withAfterCommit } from '../booking/booking.effects';
import { createBookingCore } from '../booking-core';
import { createCalendarService } from '../calendar/calendar.service';
import { openData } from '../data';
import type { Clock } from '../infra/clock';
import type { Config } from '../infra/config';
import type { Logger } from '../infra/logger';
import type { Lifecycle } from '../infra/process';
import { wakeRelay } from '../notifications/notification.relay';
import { createResourceService, withResourceEffects } from '../resources/resource.service';
import { revokeSessions } from '../transport/session-expiry';
import type { IoServer } from '../transport/socket-types';
import { createNodeDisplays } from '../displays/display.assembly';
import { bookingEffects, resourceEffects } from './node-effects';
import type { NodeMetrics } from './node-metrics';
import type { NodeOptions } from './node.types';

/** What every step is given: the node's configuration and its shared parts. */
export interface NodeBase {
  config: Config;
  logger: Logger;
  lifecycle: Lifecycle;
  clock: Clock;
  /** Every running total of the node (services' counters, survived faults), read by /metrics. */
  counters: NodeMetrics;
}

/** Stores (MongoDB collections and indexes, Redis ready) → services → staff bootstrap. */
export async function openNodeServices(base: NodeBase, opts: NodeOptions) {
  const { config, logger, lifecycle, clock, counters } = base;
  // A provider that cannot be discovered stops the start before anything else opens.
  const redirectUri = `${config.publicUrl}/api/auth/oidc/callback`;
  const oidcClient = config.oidc ? await discoverClient(config.oidc, redirectUri) : null;
  const { stores, data } = await openData({
    config,
    logger,
    appName: config.nodeId,
    lifecycle,
    ...(opts.dbName ? { dbName: opts.dbName } : {}),
  });
  const { redis, names } = stores;

  const { authSecret: secret, sessionMaxMs, emailVerification } = config;
  const oidc =
    config.oidc && oidcClient
      ? createOidcService({
          settings: config.oidc,
          client: oidcClient,
          redirectUri,
          redis: redis.cmd,
          keyPrefix: names.prefix,
          users: data.users,
          groups: data.groups,
          staffEmail: config.staffEmail,
          clock,
          logger,
        })
      : null;
  const auth = createAuthService({
    users: data.users,
    groups: data.groups,
    secret,
    logger,
    clock,
    sessionMaxMs,
    emailVerification,
    passwordAuth: config.passwordAuth,
    staffEmail: config.staffEmail,
    ...(oidc ? { sso: oidc } : {}),
  });
  const verification = createEmailVerificationStore(stores.collections.User);
  const { directory, availability, bookingService, offerRaised, displayOps } = createBookingCore({
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
    users: data.users,
    redis: redis.cmd,
    names,
    clock,
    logger,
  });
  const slots = createSlotFinder({ directory, availability, bookings: data.bookings, clock });
  const waitlist = createWaitlistService({
    conn: stores.conn,
    tx: counters.tx,
    waitlist: data.waitlist,
    bookings: data.bookings,
    resources: data.resources,
    users: data.users,
    maxActivePerUser: config.maxActiveBookingsPerUser,
    clock,
  });
  await auth.ensureStaff(config.staff);
  // (v3) API keys: the node's HTTP callers that are not people (integrations/api-access.ts).
  const apiKeys = createApiKeyService({ model: stores.collections.ApiKey, clock, logger });
  return {
    apiKeys,
    apiAccess: { auth, apiKeys },
    // (v3) Webhook endpoints (integrations/webhooks): the notifier delivers.
    webhooks: webhookServiceFor(stores.conn, clock),
    access: createAccessGate(directory),
    stores,
    data,
    auth,
    oidc,
    verification,
    directory,
    availability,
    bookingService,
    offerRaised,
    displayOps,
    calendar,
    slots,
    waitlist,
  };
}

export type NodeServices = Awaited<ReturnType<typeof openNodeServices>>;

/** The services that act on sockets: account revocation, resource and booking effects. */
export function nodeCommands(base: NodeBase, services: NodeServices, io: IoServer) {
  const { config, logger, clock, counters } = base;
  const { stores, data, verification, directory, availability, calendar } = services;
  const { redis, names } = stores;
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
  const afterBookingCommit = bookingEffects({
    directory,
    availability,
    redis: redis.cmd,
    names,
    calendar,
    io,
    clock,
    faults: counters.faults,
    logger,
  });
  const resources = withResourceEffects(
    createResourceService({
      conn: stores.conn,
      resources: data.resources,
      groups: data.groups,
      bookings: data.bookings,
      availability,
      counters: counters.tx,
      // A raised capacity's offers are booking changes: the same effects, after its commit.
      offers: { promote: services.offerRaised.promote, applied: afterBookingCommit },
      // (v3) An update's `resource.updated` entry (webhooks), and the relay's wake after its commit.
      outbox: { store: data.outbox, wake: () => wakeRelay(redis.cmd, names) },
    }),
    resourceEffects({ directory, io, calendar, faults: counters.faults, logger }),
  );
  const bookings = withAfterCommit(services.bookingService, afterBookingCommit);
  // On `/`, an unverified account may not book (EMAIL_VERIFICATION=required); staff on /admin may.
  // (v3) On `/`, only resources the person may book (NOT_FOUND for those they may not view).
  const userBookings = requireAccessToBook(
    requireVerifiedToBook(bookings, { mode: config.emailVerification, verification }),
    { access: services.access, bookings: data.bookings },
  );
  // (v3) Room displays: created and revoked on /admin, served on /display (displays/).
  const displays = createNodeDisplays({
    io,
    collections: stores.collections,
    data,
    directory,
    publicUrl: config.publicUrl,
    clock,
    logger,
  });
  return { account, resources, bookings, userBookings, displays, afterBookingCommit };
}

export type NodeCommands = ReturnType<typeof nodeCommands>;
