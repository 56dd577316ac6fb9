import { DAY_MS, ErrorCode, utcDayKey, utcDaysCovering } from '@booking/shared';
import type { Availability, AvailabilityGet, BusyInterval } from '@booking/shared';
import type { BookingStore, BusyRow } from '../booking/booking.store';
import { AppError } from '../infra/errors';
import type { Logger } from '../infra/logger';
import type { ResourceStore } from '../resources/resource.store';
import type { AvailabilityCache, DayEntry } from './availability.cache';

export interface CacheCounters {
  hits: number;
  misses: number;
}

/** The cached days of one resource as of one version. */
export type DayEntries = Array<{ day: string; entry: DayEntry }>;

/**
 * Plain operations on the availability cache; none takes part in a caller's transaction. A
 * change calls `invalidate` before its transaction and `store` after its commit, with entries it
 * built inside the transaction (`entriesFrom`). Only `get` throws; the cache operations log a
 * failure and return, because the cache is a hint and the booking transaction is the truth.
 */
export interface AvailabilityService {
  get(query: AvailabilityGet): Promise<Availability>;
  /** Before a change: the touched days' entries expire within seconds unless `store` refreshes them, so a node that dies between commit and `store` leaves stale data briefly. */
  invalidate(resourceId: string, days: string[]): Promise<void>;
  /** After a commit: puts the days as of the new version (never over a newer entry). */
  store(resourceId: string, entries: DayEntries): Promise<void>;
  forget(resourceId: string): Promise<void>;
}

/** The UTC day keys that the intervals touch. */
export function daysOf(intervals: Array<{ start: Date; end: Date }>): string[] {
  const days = new Set<string>();
  for (const { start, end } of intervals) for (const d of utcDaysCovering(start, end)) days.add(utcDayKey(d));
  return [...days].sort();
}

/** The instants spanned by sorted day keys: `[first day 00:00, last day + 1)`. */
export function spanOf(days: string[]): { from: Date; to: Date } {
  const from = new Date(`${days[0]}T00:00:00.000Z`);
  const to = new Date(Date.parse(`${days[days.length - 1]}T00:00:00.000Z`) + DAY_MS);
  return { from, to };
}

function toBusy(b: BusyRow): BusyInterval {
  return { bookingId: b.id, start: b.start.toISOString(), end: b.end.toISOString() };
}

/** Splits active bookings into per-day entries of `version`: a booking appears in every day it touches. */
export function entriesFrom(rows: BusyRow[], days: string[], version: number): DayEntries {
  return days.map((day) => {
    const from = Date.parse(`${day}T00:00:00.000Z`);
    const to = from + DAY_MS;
    const busy = rows.filter((b) => b.start.getTime() < to && b.end.getTime() > from).map(toBusy);
    return { day, entry: { version, busy } };
  });
}

export function createAvailabilityService(deps: {
  resources: Pick<ResourceStore, 'version'>;
  bookings: Pick<BookingStore, 'activeBetween'>;
  cache: AvailabilityCache;
  logger: Logger;
  counters: CacheCounters;
  /** Test seam: runs between reading MongoDB and filling the cache. */
  beforeFill?: () => Promise<void>;
}): AvailabilityService {
  const { cache, logger } = deps;
  const inflight = new Map<string, Promise<DayEntries>>();

  const readDays = async (rid: string, days: string[]): Promise<DayEntries> => {
    const { from, to } = spanOf(days);
    // Version, bookings, version: equal versions mean no change committed in between (every change
    // bumps the version in the same transaction), so the bookings are exactly those of `version`.
    for (let attempt = 0; ; attempt += 1) {
      const before = await deps.resources.version(rid);
      if (before === null) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
      const rows = await deps.bookings.activeBetween(rid, from, to);
      const after = await deps.resources.version(rid);
      const entries = entriesFrom(rows, days, before);
      if (after === before) {
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

    async invalidate(resourceId, days) {
      await cache.shorten(resourceId, days).catch((err: unknown) => logger.warn({ err }, 'availability cache invalidate failed'));
    },

    async store(resourceId, entries) {
      await cache.put(resourceId, entries).catch((err: unknown) => logger.warn({ err }, 'availability cache update failed'));
    },

    async forget(resourceId) {
      await cache.forget(resourceId).catch((err: unknown) => logger.warn({ err }, 'availability cache forget failed'));
    },
  };
}
