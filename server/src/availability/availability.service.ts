import {
  ErrorCode,
  localDayRange,
  localDaysCovering,
  openStretches,
  queryWindowProblem,
  useStretches,
} from '@booking/shared';
import type { Availability, AvailabilityGet, BusyInterval, OccupancyStretch, Resource } from '@booking/shared';
import type { BookingStore, BusyRow } from '../booking/booking.store';
import type { Clock } from '../infra/clock';
import { spanOf } from '../infra/days';
import { AppError } from '../infra/errors';
import type { Logger } from '../infra/logger';
import type { ResourceDirectory } from '../resources/resource.directory';
import type { ResourceStore } from '../resources/resource.store';
import type { AvailabilityCache, DayEntry, DayPatch } from './availability.cache';

export interface CacheCounters {
  hits: number;
  misses: number;
}

/** The cached days of one resource as of one version. */
export type DayEntries = Array<{ day: string; entry: DayEntry }>;

/**
 * How a committed change updates the cache (`availability.effect.ts` derives it from the change's
 * facts): the days as read inside its transaction (a series, whose transaction reads them anyway),
 * or one booking's change applied in Redis to the cached days (`DayPatch`: no read in the
 * booking's transaction).
 */
export type CacheUpdate = { kind: 'entries'; entries: DayEntries } | ({ kind: 'patch' } & DayPatch);

/** A resource's active bookings overlapping a range, earliest first, with the version they are as of. */
export interface BusyView {
  busy: BusyInterval[];
  version: number;
}

/**
 * Availability, cached per resource and *local* day of the resource's zone (a day is 23 to 25
 * hours on a daylight-saving change). Plain operations on the cache; none takes part in a
 * caller's transaction. A change calls `invalidate` before its transaction and `apply` after its
 * commit, with what it committed (`CacheUpdate`). Only the reads throw; the
 * cache operations log a failure and return, because the cache is a hint and the booking
 * transaction is the truth.
 */
export interface AvailabilityService {
  get(query: AvailabilityGet): Promise<Availability>;
  /**
   * The busy intervals of a resource (settings already known) over `[from, to)`, from the cache where it can.
   * (v3) Entries carry their bookings' titles whatever the policy: a caller that shows them to people
   * applies `publicTitles` itself (as `get` does).
   */
  busyBetween(resource: Pick<Resource, 'id' | 'timeZone'>, from: Date, to: Date): Promise<BusyView>;
  /**
   * `busyBetween` of many resources at once (`slots:find`), each over its `[from, to)` (ms), as
   * instants: `{ start, end, quantity }` per booking, earliest first, in the order of `requests`.
   */
  busyMsBetween(
    requests: ReadonlyArray<{ resource: Pick<Resource, 'id' | 'timeZone'>; from: number; to: number }>,
  ): Promise<Array<Array<{ start: number; end: number; quantity: number }>>>;
  /**
   * Before a change: the touched days' entries expire within seconds unless `apply` refreshes
   * them, so a node that dies between commit and `apply` leaves stale data briefly.
   */
  invalidate(resourceId: string, days: string[]): Promise<void>;
  /** After a commit: the touched days as of the new version (never over a newer entry). */
  apply(resourceId: string, update: CacheUpdate): Promise<void>;
  forget(resourceId: string): Promise<void>;
}

/**
 * A query range (`availability:get`, `slots:find`) must lie within ten years of now on either
 * side (VALIDATION_ERROR otherwise, at once): the schema caps its span at 31 days, this keeps a
 * year 0001 or 9999 out of the zone arithmetic and the cache.
 */
export function checkQueryWindow(from: Date, to: Date, now: Date): void {
  const problem = queryWindowProblem(from, to, now);
  if (problem) throw new AppError(ErrorCode.VALIDATION_ERROR, problem.message, { details: [problem] });
}

function toBusy(b: BusyRow): BusyInterval {
  // The rows are the bookings that hold units (`activeBetween`): active ones, and holds until they run out.
  return {
    bookingId: b.id,
    start: b.start.toISOString(),
    end: b.end.toISOString(),
    quantity: b.quantity,
    status: b.status,
    ...(b.expiresAt ? { expiresAt: b.expiresAt.toISOString() } : {}),
    ...(b.title ? { title: b.title } : {}),
  };
}

/**
 * (v3) What `availability:get` shows of a busy entry: the cache keeps every booking's title (so
 * turning `publicTitles` on shows them at once), and a read drops them unless the resource's policy,
 * as the directory knows it now, has `publicTitles` (so turning it off hides them at once, whatever
 * is cached).
 */
function shown(busy: BusyInterval[], publicTitles: boolean): BusyInterval[] {
  if (publicTitles) return busy;
  return busy.map((b) => {
    if (b.title === undefined) return b;
    const { title: _hidden, ...rest } = b;
    return rest;
  });
}

/**
 * The stretches of `[from, to)` where units are occupied: each booking over `[start, end +
 * buffer)`, so `busy` must include those that end up to a buffer before `from`.
 */
export function occupancyOf(busy: readonly BusyInterval[], bufferMs: number, from: Date, to: Date): OccupancyStretch[] {
  const occupants = busy.map((b) => ({
    start: Date.parse(b.start),
    end: Date.parse(b.end) + bufferMs,
    quantity: b.quantity,
  }));
  return useStretches(occupants, from.getTime(), to.getTime()).map((s) => ({
    start: new Date(s.start).toISOString(),
    end: new Date(s.end).toISOString(),
    used: s.used,
  }));
}

/** Splits active bookings into per-local-day entries of `version`: a booking appears in every day it touches. */
export function entriesFrom(rows: BusyRow[], days: string[], version: number, zone: string): DayEntries {
  return days.map((day) => {
    const { from, to } = localDayRange(day, zone);
    const busy = rows.filter((b) => b.start.getTime() < to.getTime() && b.end.getTime() > from.getTime()).map(toBusy);
    return { day, entry: { version, busy } };
  });
}

/**
 * The bookings of `entries` (a booking appears in every day it touches: once here) overlapping
 * `[fromMs, toMs)`, earliest first, and the newest version among the entries. A cached hold is
 * free from its expiresAt on, whether or not its timer has run yet.
 */
function collect(
  entries: readonly DayEntry[],
  fromMs: number,
  toMs: number,
  nowIso: string,
): { found: Array<{ at: number; until: number; b: BusyInterval }>; version: number } {
  const seen = new Set<string>();
  // Each start is parsed once and the sort compares the parsed numbers (a comparator that
  // parsed both ISO strings on every comparison dominated cached reads of busy resources).
  const found: Array<{ at: number; until: number; b: BusyInterval }> = [];
  let version = 0;
  for (const entry of entries) {
    version = Math.max(version, entry.version);
    const ms = entry.ms;
    for (let i = 0; i < entry.busy.length; i += 1) {
      const b = entry.busy[i];
      if (!b || seen.has(b.bookingId) || (b.expiresAt !== undefined && b.expiresAt <= nowIso)) continue;
      const at = ms ? (ms[2 * i] ?? NaN) : Date.parse(b.start);
      const until = ms ? (ms[2 * i + 1] ?? NaN) : Date.parse(b.end);
      if (!(at < toMs && until > fromMs)) continue;
      seen.add(b.bookingId);
      found.push({ at, until, b });
    }
  }
  found.sort((x, y) => x.at - y.at);
  return { found, version };
}

export function createAvailabilityService(deps: {
  directory: Pick<ResourceDirectory, 'get'>;
  resources: Pick<ResourceStore, 'version'>;
  bookings: Pick<BookingStore, 'activeBetween'>;
  cache: AvailabilityCache;
  logger: Logger;
  counters: CacheCounters;
  /** Now, for the window a query range must lie in. */
  clock: Clock;
  /** Test seam: runs between reading MongoDB and filling the cache. */
  beforeFill?: () => Promise<void>;
}): AvailabilityService {
  const { cache, logger } = deps;
  const inflight = new Map<string, Promise<DayEntries>>();

  const readDays = async (rid: string, days: string[], zone: string): Promise<DayEntries> => {
    const { from, to } = spanOf(days, zone);
    // Version, bookings, version: equal versions mean no change committed in between (every change
    // bumps the version in the same transaction), so the bookings are exactly those of `version`.
    for (let attempt = 0; ; attempt += 1) {
      const before = await deps.resources.version(rid);
      if (before === null) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
      const rows = await deps.bookings.activeBetween(rid, from, to, deps.clock.now());
      const after = await deps.resources.version(rid);
      const entries = entriesFrom(rows, days, before, zone);
      if (after === before) {
        await deps.beforeFill?.();
        await cache.put(rid, entries).catch((err: unknown) => logger.warn({ err }, 'availability cache fill failed'));
        return entries;
      }
      if (attempt >= 2) return entries; // Busy resource: answer without caching.
    }
  };

  /** Concurrent misses for the same resource and days share one read. */
  const load = (rid: string, days: string[], zone: string) => {
    const key = `${rid}:${zone}:${days.join(',')}`;
    let p = inflight.get(key);
    if (!p) {
      p = readDays(rid, days, zone).finally(() => inflight.delete(key));
      inflight.set(key, p);
    }
    return p;
  };

  /** The day entries of a resource, from the cache where it can and MongoDB for the rest (then cached). */
  const entriesOf = async (resource: Pick<Resource, 'id' | 'timeZone'>, days: string[]): Promise<DayEntry[]> => {
    let cached: Array<DayEntry | null>;
    try {
      cached = await cache.get(resource.id, days);
    } catch (err) {
      logger.warn({ err }, 'availability cache unavailable; reading MongoDB');
      cached = days.map(() => null);
    }
    const missing = days.filter((_, i) => !cached[i]);
    deps.counters.hits += days.length - missing.length;
    deps.counters.misses += missing.length;
    const entries = cached.filter((e): e is DayEntry => e !== null);
    if (missing.length > 0)
      for (const { entry } of await load(resource.id, missing, resource.timeZone)) entries.push(entry);
    return entries;
  };

  const busyBetween: AvailabilityService['busyBetween'] = async (resource, from, to) => {
    const entries = await entriesOf(resource, localDaysCovering(from, to, resource.timeZone));
    const { found, version } = collect(entries, from.getTime(), to.getTime(), deps.clock.now().toISOString());
    return { busy: found.map((f) => f.b), version };
  };

  const busyMsBetween: AvailabilityService['busyMsBetween'] = async (requests) => {
    // Resources of one zone and range share their local days (worked out once per call).
    const daysBy = new Map<string, string[]>();
    return Promise.all(
      requests.map(async ({ resource, from, to }) => {
        const key = `${resource.timeZone}|${from}|${to}`;
        let days = daysBy.get(key);
        if (!days) {
          days = localDaysCovering(new Date(from), new Date(to), resource.timeZone);
          daysBy.set(key, days);
        }
        const entries = await entriesOf(resource, days);
        const { found } = collect(entries, from, to, deps.clock.now().toISOString());
        return found.map((f) => ({ start: f.at, end: f.until, quantity: f.b.quantity }));
      }),
    );
  };

  return {
    async get({ resourceId, from, to }) {
      checkQueryWindow(from, to, deps.clock.now());
      const resource = await deps.directory.get(resourceId);
      if (!resource) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
      // Bookings whose buffer reaches into the range occupy units there, though they are not busy in it.
      const bufferMs = resource.policy.bufferMinutes * 60_000;
      const { busy: occupying, version } = await busyBetween(resource, new Date(from.getTime() - bufferMs), to);
      const busy = bufferMs > 0 ? occupying.filter((b) => Date.parse(b.end) > from.getTime()) : occupying;
      const open = openStretches(resource.policy, resource.timeZone, from, to).map((s) => ({
        start: s.start.toISOString(),
        end: s.end.toISOString(),
      }));
      return {
        resourceId,
        from: from.toISOString(),
        to: to.toISOString(),
        timeZone: resource.timeZone,
        busy: shown(busy, resource.policy.publicTitles),
        open,
        version,
        capacity: resource.capacity,
        bufferMinutes: resource.policy.bufferMinutes,
        occupancy: occupancyOf(occupying, bufferMs, from, to),
      };
    },

    busyBetween,
    busyMsBetween,

    async invalidate(resourceId, days) {
      await cache
        .shorten(resourceId, days)
        .catch((err: unknown) => logger.warn({ err }, 'availability cache invalidate failed'));
    },

    async apply(resourceId, update) {
      const done = update.kind === 'entries' ? cache.put(resourceId, update.entries) : cache.patch(resourceId, update);
      await done.catch((err: unknown) => logger.warn({ err }, 'availability cache update failed'));
    },

    async forget(resourceId) {
      await cache.forget(resourceId).catch((err: unknown) => logger.warn({ err }, 'availability cache forget failed'));
    },
  };
}
