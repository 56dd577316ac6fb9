/**
 * The booking core both composition roots build the same way: the resource directory, the
 * availability service on its cache, and the booking service with its lock, composed here from
 * its single, series and attendance operations. The node adds the handlers and the after-commit
 * broadcast around it; the notifier uses it for no-show releases.
 */
import { createRedisAvailabilityCache } from './availability/availability.cache';
import { createAvailabilityService } from './availability/availability.service';
import type { AvailabilityService, CacheCounters } from './availability/availability.service';
import { createApprovalOperations } from './booking/booking.approvals';
import { createAttendanceOperations } from './booking/booking.attendance';
import { createHoldOperations } from './booking/booking.holds';
import { createBookingParts } from './booking/booking.parts';
import { createSingleOperations } from './booking/booking.service';
import type { BookingDeps, BookingService, LockCounters } from './booking/booking.types';
import { createSeriesOperations } from './booking/series.service';
import { createDisplayBookings } from './displays/display.bookings';
import type { DisplayBookingOps } from './displays/display.bookings';
import type { Collections, DataStores } from './data';
import type { Clock } from './infra/clock';
import type { Config } from './infra/config';
import { createRedlockSlotLock, noSlotLock } from './infra/locks';
import type { Logger } from './infra/logger';
import type { Stores } from './infra/stores';
import type { TxCounters } from './infra/transactions';
import { createResourceDirectory } from './resources/resource.directory';
import type { ResourceDirectory } from './resources/resource.directory';
import type { RaisedCapacityOffers } from './resources/resource.service';
import { TUNABLES } from './infra/tunables';

export interface BookingCore {
  directory: ResourceDirectory;
  availability: AvailabilityService;
  bookingService: BookingService;
  /** (v3) Offers a resource's free units to its whole waitlist, inside a raised capacity's transaction. */
  offerRaised: Pick<RaisedCapacityOffers, 'promote'>;
  /** (v3) What a room display does to bookings (displays/display.bookings.ts). */
  displayOps: DisplayBookingOps;
}

export function createBookingCore(opts: {
  config: Pick<Config, 'bookingLocks' | 'maxActiveBookingsPerUser' | 'holdMs' | 'offerMs'>;
  stores: Stores<Collections>;
  data: DataStores;
  clock: Clock;
  logger: Logger;
  counters: { tx: TxCounters; locks: LockCounters; cache: CacheCounters };
  /** Locks skipped because Redis did not answer (counted for /metrics). */
  lockFaults?: { skipped: number };
  /** Test seam: runs between an availability read of MongoDB and its cache fill. */
  beforeCacheFill?: () => Promise<void>;
}): BookingCore {
  const { stores, data, logger } = opts;
  const { redis, names } = stores;
  const directory = createResourceDirectory({ store: data.resources });
  const availability = createAvailabilityService({
    directory,
    resources: data.resources,
    bookings: data.bookings,
    cache: createRedisAvailabilityCache({ redis: redis.cmd, names, ttlMs: 30_000, pendingTtlMs: 5_000 }),
    logger,
    counters: opts.counters.cache,
    clock: opts.clock,
    ...(opts.beforeCacheFill ? { beforeFill: opts.beforeCacheFill } : {}),
  });
  const lock = opts.config.bookingLocks
    ? createRedlockSlotLock({
        redis: redis.cmd,
        names,
        ttlMs: TUNABLES.lockLeaseMs,
        logger,
        ...(opts.lockFaults ? { faults: opts.lockFaults } : {}),
      })
    : noSlotLock;
  const deps: BookingDeps = {
    conn: stores.conn,
    bookings: data.bookings,
    series: data.series,
    resources: data.resources,
    outbox: data.outbox,
    history: data.history,
    users: data.users,
    maxActivePerUser: opts.config.maxActiveBookingsPerUser,
    waitlist: data.waitlist,
    holdMs: opts.config.holdMs,
    offerMs: opts.config.offerMs,
    directory,
    availability,
    lock,
    clock: opts.clock,
    logger,
    tx: opts.counters.tx,
    locks: opts.counters.locks,
  };
  // One set of shared steps (guards, admission pipeline, recorder); the single, series and
  // attendance operations each use it and none imports another.
  const parts = createBookingParts(deps);
  const bookingService: BookingService = {
    ...createSingleOperations(deps, parts),
    ...createSeriesOperations(deps, parts),
    ...createAttendanceOperations(deps, parts),
    ...createHoldOperations(deps, parts),
    ...createApprovalOperations(deps, parts),
  };
  const offerRaised: BookingCore['offerRaised'] = {
    promote: (session, a) => parts.promotion.promote(session, { ...a, span: null }),
  };
  return { directory, availability, bookingService, offerRaised, displayOps: createDisplayBookings(deps, parts) };
}
