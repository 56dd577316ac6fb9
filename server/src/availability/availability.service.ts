import type { ClientSession } from 'mongoose';
import { DAY_MS, ErrorCode, utcDayKey, utcDaysCovering } from '@booking/shared';
import type { Availability, AvailabilityGet, BusyInterval } from '@booking/shared';
import type { BookingDoc, BookingModel } from '../booking/booking.model';
import { AppError } from '../infra/errors';
import { objectIdOrNull } from '../infra/ids';
import type { Logger } from '../infra/logger';
import type { ResourceModel } from '../resources/resource.model';
import type { AvailabilityCache, DayEntry } from './availability.cache';

export interface CacheCounters {
  hits: number;
  misses: number;
}

export interface AvailabilityService {
  get(query: AvailabilityGet): Promise<Availability>;
  /** Inside a booking transaction, after its writes: the touched days as of the new version. */
  snapshotDays(opts: { resourceId: string; days: string[]; version: number; session: ClientSession }): Promise<Array<{ day: string; entry: DayEntry }>>;
  /** Before a change: the touched days' entries expire soon unless `committed` refreshes them. */
  beforeChange(resourceId: string, days: string[]): Promise<void>;
  committed(resourceId: string, entries: Array<{ day: string; entry: DayEntry }>): Promise<void>;
  forget(resourceId: string): Promise<void>;
}

/** The UTC day keys that the intervals touch. */
export function daysOf(intervals: Array<{ start: Date; end: Date }>): string[] {
  const days = new Set<string>();
  for (const { start, end } of intervals) for (const d of utcDaysCovering(start, end)) days.add(utcDayKey(d));
  return [...days].sort();
}

function toBusy(b: Pick<BookingDoc, '_id' | 'start' | 'end'>): BusyInterval {
  return { bookingId: b._id.toHexString(), start: b.start.toISOString(), end: b.end.toISOString() };
}

/** Splits bookings into per-day entries: a booking appears in every day it touches. */
function partition(bookings: Array<Pick<BookingDoc, '_id' | 'start' | 'end'>>, days: string[], version: number) {
  return days.map((day) => {
    const from = Date.parse(`${day}T00:00:00.000Z`);
    const to = from + DAY_MS;
    const busy = bookings.filter((b) => b.start.getTime() < to && b.end.getTime() > from).map(toBusy);
    return { day, entry: { version, busy } };
  });
}

export function createAvailabilityService(deps: {
  resources: ResourceModel;
  bookings: BookingModel;
  cache: AvailabilityCache;
  logger: Logger;
  counters: CacheCounters;
  /** Test seam: runs between reading MongoDB and filling the cache. */
  beforeFill?: () => Promise<void>;
}): AvailabilityService {
  const { cache, logger } = deps;
  const inflight = new Map<string, Promise<Array<{ day: string; entry: DayEntry }>>>();

  const readDays = async (rid: string, days: string[]) => {
    const _id = objectIdOrNull(rid);
    if (!_id) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
    const from = new Date(`${days[0]}T00:00:00.000Z`);
    const to = new Date(Date.parse(`${days[days.length - 1]}T00:00:00.000Z`) + DAY_MS);
    // Version, bookings, version: equal versions mean no change committed in between (every change
    // bumps the version in the same transaction), so the bookings are exactly those of `version`.
    for (let attempt = 0; ; attempt += 1) {
      const before = await deps.resources.findById(_id, { version: 1 }).lean<{ version: number }>();
      if (!before) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
      const rows = await deps.bookings
        .find({ resourceId: _id, status: 'active', start: { $lt: to }, end: { $gt: from } }, { start: 1, end: 1 })
        .lean<Array<Pick<BookingDoc, '_id' | 'start' | 'end'>>>();
      const after = await deps.resources.findById(_id, { version: 1 }).lean<{ version: number }>();
      const entries = partition(rows, days, before.version);
      if (after?.version === before.version) {
        await deps.beforeFill?.();
        await cache.put(rid, entries).catch((err: unknown) => logger.warn({ err }, 'availability cache fill failed'));
        return entries;
      }
      if (attempt >= 2) return entries; // Busy resource: answer without caching.
    }
  };

  /** Concurrent misses for the same resource and days share one read. */
  const load = (rid: string, days: string[]) => {
    const key = `${rid}:${days.join(',')}`;
    let p = inflight.get(key);
    if (!p) {
      p = readDays(rid, days).finally(() => inflight.delete(key));
      inflight.set(key, p);
    }
    return p;
  };

  return {
    async get({ resourceId, from, to }) {
      const days = utcDaysCovering(from, to).map(utcDayKey);
      let cached: Array<DayEntry | null>;
      try {
        cached = await cache.get(resourceId, days);
      } catch (err) {
        logger.warn({ err }, 'availability cache unavailable; reading MongoDB');
        cached = days.map(() => null);
      }
      const missing = days.filter((_, i) => !cached[i]);
      deps.counters.hits += days.length - missing.length;
      deps.counters.misses += missing.length;
      const entries = cached.filter((e): e is DayEntry => e !== null);
      if (missing.length > 0) for (const { entry } of await load(resourceId, missing)) entries.push(entry);

      const seen = new Set<string>();
      // Each start is parsed once and the sort compares the parsed numbers (a comparator that
      // parsed both ISO strings on every comparison dominated cached reads of busy resources).
      const found: Array<{ at: number; b: BusyInterval }> = [];
      let version = 0;
      const fromMs = from.getTime();
      const toMs = to.getTime();
      for (const entry of entries) {
        version = Math.max(version, entry.version);
        for (const b of entry.busy) {
          if (seen.has(b.bookingId)) continue;
          const at = Date.parse(b.start);
          if (!(at < toMs && Date.parse(b.end) > fromMs)) continue;
          seen.add(b.bookingId);
          found.push({ at, b });
        }
      }
      found.sort((x, y) => x.at - y.at);
      const busy = found.map((f) => f.b);
      return { resourceId, from: from.toISOString(), to: to.toISOString(), busy, version };
    },

    async snapshotDays({ resourceId, days, version, session }) {
      if (days.length === 0) return [];
      const from = new Date(`${days[0]}T00:00:00.000Z`);
      const to = new Date(Date.parse(`${days[days.length - 1]}T00:00:00.000Z`) + DAY_MS);
      const rows = await deps.bookings
        .find({ resourceId: objectIdOrNull(resourceId), status: 'active', start: { $lt: to }, end: { $gt: from } }, { start: 1, end: 1 })
        .session(session)
        .lean<Array<Pick<BookingDoc, '_id' | 'start' | 'end'>>>();
      return partition(rows, days, version);
    },

    async beforeChange(resourceId, days) {
      await cache.shorten(resourceId, days).catch((err: unknown) => logger.warn({ err }, 'availability cache shorten failed'));
    },

    async committed(resourceId, entries) {
      await cache.put(resourceId, entries).catch((err: unknown) => logger.warn({ err }, 'availability cache update failed'));
    },

    forget: (resourceId) => cache.forget(resourceId),
  };
}
