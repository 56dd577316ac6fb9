import type { Result } from 'ioredis';
import type { BusyInterval } from '@booking/shared';
import type { RedisNames } from '../infra/channels';
import { deleteMatching } from '../infra/redis';
import type { RedisClient } from '../infra/redis';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** Writes `version|body` only when no entry with a newer version (or the same version and a body) is there. */
    availPut(key: string, version: number, body: string, ttlMs: number): Result<number, Context>;
    /** Applies one booking's change of `version` to each day key (see `PATCH_DAYS`). */
    availPatch(...args: Array<string | number>): Result<number, Context>;
  }
}

/**
 * An entry is `version|body`, body the day's busy intervals as JSON. A *marker* `version|` (empty
 * body) says "this day changed at `version`; its content is not cached": a read misses on it and
 * fills it, and no fill from an older version can land (a reader that read before a commit
 * cannot put stale availability back).
 */
const PUT_IF_NEWER = `
local cur = redis.call('GET', KEYS[1])
if cur then
  local sep = string.find(cur, '|', 1, true)
  if sep then
    local have = tonumber(string.sub(cur, 1, sep - 1))
    local target = tonumber(ARGV[1])
    if have > target or (have == target and sep < #cur) then return 0 end
  end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
return 1
`;

/**
 * One committed booking change of resource version v, applied to the days it touched without
 * reading MongoDB: KEYS are the day keys; ARGV = v, ttl, bookingId, start, end, quantity, status,
 * expiresAt ('' for none: an active booking), (v3) title ('' for none), then per key '1' when the
 * booking (holding units) lies in that day after the change. A day cached at exactly v - 1
 * holds every change before this one, so dropping the booking and adding it back where it lies
 * gives the day at v. Any other day gets a marker of v (newer entries are left alone).
 * Starts are ISO instants of one fixed length, so string order is time order.
 */
const PATCH_DAYS = `
local v = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  local cur = redis.call('GET', key)
  local have = nil
  local sep = nil
  if cur then
    sep = string.find(cur, '|', 1, true)
    if sep then have = tonumber(string.sub(cur, 1, sep - 1)) end
  end
  if have and have == v - 1 and sep < #cur then
    local out = {}
    for _, b in ipairs(cjson.decode(string.sub(cur, sep + 1))) do
      if b.bookingId ~= ARGV[3] then out[#out + 1] = b end
    end
    if ARGV[9 + i] == '1' then
      local b = { bookingId = ARGV[3], start = ARGV[4], ['end'] = ARGV[5], quantity = tonumber(ARGV[6]), status = ARGV[7] }
      if ARGV[8] ~= '' then b.expiresAt = ARGV[8] end
      if ARGV[9] ~= '' then b.title = ARGV[9] end
      out[#out + 1] = b
    end
    table.sort(out, function(a, b) return a.start < b.start end)
    local body = '[]'
    if #out > 0 then body = cjson.encode(out) end
    redis.call('SET', key, ARGV[1] .. '|' .. body, 'PX', ARGV[2])
  elseif not have or have < v then
    redis.call('SET', key, ARGV[1] .. '|', 'PX', ARGV[2])
  end
end
return 1
`;

/**
 * A busy interval as cached. Entries written before v3 (a rolling upgrade) lack `quantity` and
 * `status`: they were active single-unit bookings.
 */
type CachedBusy = Omit<BusyInterval, 'quantity' | 'status'> & Partial<Pick<BusyInterval, 'quantity' | 'status'>>;

function fromCache(b: CachedBusy): BusyInterval {
  return { ...b, quantity: b.quantity ?? 1, status: b.status ?? 'active' };
}

/** One booking's change, for `patch`: its interval and, per touched day, whether it lies there now. */
export interface DayPatch {
  version: number;
  busy: BusyInterval;
  days: Array<{ day: string; holds: boolean }>;
}

/** A resource's active bookings that touch one UTC day, as of resource version `version`. */
export interface DayEntry {
  version: number;
  busy: BusyInterval[];
  /** `busy` as instants, start and end of each in turn (ms), when the entry came from the cache. */
  ms?: readonly number[];
}

/** How many parsed days a node keeps beside Redis (each a few KB at most). */
const PARSED_DAYS = 4096;

/**
 * The most day keys one cache call sends (one Redis command per day, in one pipeline or
 * script). The largest legitimate list is a series': 100 occurrences of at most 7 days, each
 * touching at most 8 local days. A longer list is refused (the callers log and go on: the cache
 * is a hint) rather than sent.
 */
export const MAX_DAYS_PER_CALL = 1000;

function bounded(days: ReadonlyArray<unknown>): void {
  if (days.length > MAX_DAYS_PER_CALL)
    throw new RangeError(`a cache call names ${days.length} days; at most ${MAX_DAYS_PER_CALL}`);
}

/**
 * Cache-aside storage of availability per resource and UTC day. Entries are tagged with the
 * resource version they were built from, and a write never replaces a newer entry with an older
 * one, so a slow reader cannot put stale availability back after a booking committed.
 */
export interface AvailabilityCache {
  get(resourceId: string, days: string[]): Promise<Array<DayEntry | null>>;
  put(resourceId: string, entries: Array<{ day: string; entry: DayEntry }>): Promise<void>;
  /** After a single booking's commit: updates the touched days in Redis, one round trip, no MongoDB read. */
  patch(resourceId: string, change: DayPatch): Promise<void>;
  /**
   * Before a change commits: let the touched days expire soon, so a node that dies between commit
   * and `put` leaves stale data for seconds, not for the whole TTL.
   */
  shorten(resourceId: string, days: string[]): Promise<void>;
  forget(resourceId: string): Promise<void>;
}

export function createRedisAvailabilityCache(opts: {
  redis: RedisClient;
  names: RedisNames;
  ttlMs: number;
  pendingTtlMs: number;
}): AvailabilityCache {
  const { redis } = opts;
  redis.defineCommand('availPut', { numberOfKeys: 1, lua: PUT_IF_NEWER });
  redis.defineCommand('availPatch', { lua: PATCH_DAYS });
  const key = opts.names.availability;
  /** The last value seen per key and what it parsed to (oldest first, bounded). */
  const parsed = new Map<string, { raw: string; entry: DayEntry }>();
  return {
    async get(rid, days) {
      if (days.length === 0) return [];
      bounded(days);
      const keys = days.map((d) => key(rid, d));
      const raw = await redis.mget(keys);
      return raw.map((value, i) => {
        const sep = value ? value.indexOf('|') : -1;
        // Absent, or a marker (a day changed at that version, content not cached): a miss.
        if (!value || sep < 0 || sep === value.length - 1) return null;
        // Redis stays the one copy; a node only skips parsing a value it has parsed before (the
        // same string: a change or a refill writes a new one).
        const k = keys[i] ?? '';
        const known = parsed.get(k);
        if (known && known.raw === value) return known.entry;
        const busy = (JSON.parse(value.slice(sep + 1)) as CachedBusy[]).map(fromCache);
        const entry: DayEntry = {
          version: Number(value.slice(0, sep)),
          busy,
          ms: busy.flatMap((b) => [Date.parse(b.start), Date.parse(b.end)]),
        };
        if (parsed.size >= PARSED_DAYS) parsed.delete(parsed.keys().next().value ?? '');
        parsed.set(k, { raw: value, entry });
        return entry;
      });
    },
    async put(rid, entries) {
      if (entries.length === 0) return;
      bounded(entries);
      const pipe = redis.pipeline();
      for (const { day, entry } of entries)
        pipe.availPut(key(rid, day), entry.version, JSON.stringify(entry.busy), opts.ttlMs);
      const results = await pipe.exec();
      const failed = results?.find(([err]) => err);
      if (failed?.[0]) throw failed[0];
    },
    async patch(rid, change) {
      if (change.days.length === 0) return;
      bounded(change.days);
      const keys = change.days.map((d) => key(rid, d.day));
      const { bookingId, start, end, quantity, status, expiresAt, title } = change.busy;
      const flags = change.days.map((d) => (d.holds ? '1' : '0'));
      const args = [
        change.version,
        opts.ttlMs,
        bookingId,
        start,
        end,
        quantity,
        status,
        expiresAt ?? '',
        title ?? '',
        ...flags,
      ];
      await redis.availPatch(keys.length, ...keys, ...args);
    },
    async shorten(rid, days) {
      if (days.length === 0) return;
      bounded(days);
      const pipe = redis.pipeline();
      for (const day of days) pipe.pexpire(key(rid, day), opts.pendingTtlMs);
      await pipe.exec();
    },
    async forget(rid) {
      // On a cluster SCAN sees one node only; deleteMatching scans every master.
      await deleteMatching(redis, opts.names.availabilityPattern(rid));
    },
  };
}
