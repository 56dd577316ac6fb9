import type { Result } from 'ioredis';
import type { BusyInterval } from '@booking/shared';
import type { RedisNames } from '../infra/channels';
import { deleteMatching } from '../infra/redis';
import type { RedisClient } from '../infra/redis';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** Writes `version|body` only when no entry with an equal or newer version is there. */
    availPut(key: string, version: number, body: string, ttlMs: number): Result<number, Context>;
  }
}

const PUT_IF_NEWER = `
local cur = redis.call('GET', KEYS[1])
if cur then
  local sep = string.find(cur, '|', 1, true)
  if sep and tonumber(string.sub(cur, 1, sep - 1)) >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
return 1
`;

/** A resource's active bookings that touch one UTC day, as of resource version `version`. */
export interface DayEntry {
  version: number;
  busy: BusyInterval[];
}

/**
 * Cache-aside storage of availability per resource and UTC day. Entries are tagged with the
 * resource version they were built from, and a write never replaces a newer entry with an older
 * one, so a slow reader cannot put stale availability back after a booking committed.
 */
export interface AvailabilityCache {
  get(resourceId: string, days: string[]): Promise<Array<DayEntry | null>>;
  put(resourceId: string, entries: Array<{ day: string; entry: DayEntry }>): Promise<void>;
  /** Before a change commits: let the touched days expire soon, so a node that dies between commit and `put` leaves stale data for seconds, not for the whole TTL. */
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
  const key = opts.names.availability;
  return {
    async get(rid, days) {
      if (days.length === 0) return [];
      const raw = await redis.mget(days.map((d) => key(rid, d)));
      return raw.map((value) => {
        if (!value) return null;
        const sep = value.indexOf('|');
        return { version: Number(value.slice(0, sep)), busy: JSON.parse(value.slice(sep + 1)) as BusyInterval[] };
      });
    },
    async put(rid, entries) {
      if (entries.length === 0) return;
      const pipe = redis.pipeline();
      for (const { day, entry } of entries) pipe.availPut(key(rid, day), entry.version, JSON.stringify(entry.busy), opts.ttlMs);
      const results = await pipe.exec();
      const failed = results?.find(([err]) => err);
      if (failed?.[0]) throw failed[0];
    },
    async shorten(rid, days) {
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
