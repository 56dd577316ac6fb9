/**
 * Calendar subscription feeds (docs/protocol.md "HTTP", v2). A feed URL carries 256 random bits; only
 * their SHA-256 is stored, and `revokeAll` deletes every feed of the caller at once.
 *
 * Caching, so that a calendar program polling every few minutes costs no database read while
 * nothing changed: each scope (`u:<userId>` for a `mine` feed, `r:<resourceId>` for a resource
 * feed) has a generation counter in Redis that the after-commit effects bump for every committed
 * change of a booking (its owner's and its resource's scope), plus one generation for resource
 * settings (names and zones appear in feeds). A rendered feed is cached next to its scope's
 * generation with the generations it was built from, the UTC day (the 30-day window moves) and
 * its ETag. A poll reads the token record (cached), the generations and the entry from Redis and
 * answers 304 or the cached text; only a changed generation, a new day or the entry's expiry
 * (15 minutes: a safety net for a bump that Redis lost) makes it read MongoDB. The bumps live in
 * `calendar.invalidation.ts`, so the notifier's no-show release runs the very same ones. The
 * generations are read *before* the database, so a change committed during a build leaves an
 * entry that the next poll already sees as stale.
 *
 * Unknown tokens cost little: the record is looked up before anything is charged, an unknown one
 * is remembered as absent for a minute (`NO_FEED`), and only a real feed spends its per-token
 * budget, so random URLs create no per-token keys. Every poll, known or not, spends its address's
 * budget (`FEED_REQUESTS_PER_ADDRESS_PER_HOUR`), which bounds the database reads one client can
 * cause. A revocation leaves `NO_FEED` in place of each record for as long as a record is ever
 * cached, and records are cached only where nothing is (`SET NX`): a poll that read the record
 * before the revocation cannot put it back afterwards.
 *
 * While Redis is away every poll builds from MongoDB; the rate limit falls back to per-node
 * counting.
 */
import { may } from '../access/resource-access';
import type { UserStore } from '../auth/user.store';
import { createHash, randomBytes } from 'node:crypto';
import { ErrorCode } from '@booking/shared';
import type { Principal } from '../auth/auth.service';
import type { BookingStore } from '../booking/booking.store';
import type { Clock } from '../infra/clock';
import type { RedisNames } from '../infra/channels';
import { AppError } from '../infra/errors';
import { redisLimiter, take } from '../infra/rate-limits';
import type { Logger } from '../infra/logger';
import type { RedisClient } from '../infra/redis';
import type { ResourceDirectory } from '../resources/resource.directory';
import type { ResourceStore } from '../resources/resource.store';
import type { CalendarFeedStore, FeedRecord } from './calendar-feed.store';
import { renderFeed } from './calendar.feed';
import type { FeedEvent } from './calendar.feed';
import { createFeedInvalidation, resourceScope, SETTINGS_SCOPE, userScope } from './calendar.invalidation';
import type { FeedInvalidation } from './calendar.invalidation';
import type { CalendarFeedCreate } from './calendar.schemas';

const DAY_MS = 86_400_000;
/** A `mine` feed's window (docs/protocol.md): 30 days back, 365 ahead. */
const WINDOW_BACK_MS = 30 * DAY_MS;
const WINDOW_AHEAD_MS = 365 * DAY_MS;
/** How many of a user's bookings a `mine` feed reads at most (newest start first). */
const MINE_LIMIT = 2000;
const TOKEN_CACHE_SECONDS = 3600;
/** How long a token found in no feed is remembered as absent. */
const UNKNOWN_TOKEN_CACHE_SECONDS = 60;
/** The cached value of a token that names no feed (unknown, or revoked). */
const NO_FEED = '-';
const FEED_CACHE_SECONDS = 15 * 60;

/** Polls one feed URL may make (a calendar program polls every few minutes). */
export const FEED_REQUESTS_PER_HOUR = 120;
/**
 * Polls one address may make, over all feed URLs, known or not (docs/protocol.md leaves the figure to
 * the server): five times one feed's budget, for a household or an office behind one address
 * whose calendar programs poll several feeds.
 */
export const FEED_REQUESTS_PER_ADDRESS_PER_HOUR = 600;

export type FeedAnswer = { status: 404 } | { status: 304; etag: string } | { status: 200; etag: string; body: string };

/** A feed's service; its `bookingChanged` / `settingsChanged` are the after-commit invalidation. */
export interface CalendarService extends FeedInvalidation {
  /** A new feed URL path (`/api/calendar/feeds/<token>.ics`); NOT_FOUND for an unknown resource. */
  create(principal: Principal, body: CalendarFeedCreate): Promise<{ path: string }>;
  /** Every feed of the caller stops working. */
  revokeAll(principal: Principal): Promise<void>;
  /** A poll of one feed from `address`; RATE_LIMITED over the address's or the feed's budget. */
  serve(poll: { token: string; ifNoneMatch: string | undefined; address: string }): Promise<FeedAnswer>;
}

interface CachedFeed {
  gen: string;
  settings: string;
  day: string;
  etag: string;
  body: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');
const scopeOf = (feed: FeedRecord) =>
  feed.scope === 'mine' ? userScope(feed.userId) : resourceScope(feed.resourceId ?? '');

export interface CalendarDeps {
  feeds: CalendarFeedStore;
  bookings: Pick<BookingStore, 'ofUser' | 'activeBetween'>;
  resources: Pick<ResourceStore, 'version'>;
  directory: ResourceDirectory;
  /** (v3) A resource feed serves only while its owner may still view the resource. */
  users: Pick<UserStore, 'session'>;
  redis: RedisClient;
  names: RedisNames;
  clock: Clock;
  logger: Logger;
  perHour?: number;
  perAddressPerHour?: number;
}

type FeedContent = { name: string; events: FeedEvent[] };
type Limiter = ReturnType<typeof redisLimiter>;

/** Redis is a helper here: a failed read is a miss, a failed write is skipped. */
async function quietly<T>(logger: Logger, what: string, run: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await run();
  } catch (err) {
    logger.warn({ err, what }, 'calendar cache unavailable');
    return fallback;
  }
}

async function recordOf(deps: CalendarDeps, tokenHash: string): Promise<FeedRecord | null> {
  const { redis, logger } = deps;
  const key = deps.names.calendarToken(tokenHash);
  const cached = await quietly(logger, 'token read', () => redis.get(key), null);
  if (cached === NO_FEED) return null;
  if (cached) return JSON.parse(cached) as FeedRecord;
  const found = await deps.feeds.findByHash(tokenHash);
  // NX: a revocation since the read above left NO_FEED here, which must win over this stale read.
  const value = found ? JSON.stringify(found) : NO_FEED;
  const ttl = found ? TOKEN_CACHE_SECONDS : UNKNOWN_TOKEN_CACHE_SECONDS;
  await quietly(logger, 'token write', () => redis.set(key, value, 'EX', ttl, 'NX'), null);
  return found;
}

async function versions(deps: CalendarDeps, ids: Iterable<string>): Promise<Map<string, number>> {
  const unique = [...new Set(ids)];
  const found = await Promise.all(unique.map(async (id) => [id, (await deps.resources.version(id)) ?? 0] as const));
  return new Map(found);
}

async function resourceFeed(deps: CalendarDeps, feed: FeedRecord, from: Date, to: Date): Promise<FeedContent | null> {
  const resource = feed.resourceId ? await deps.directory.get(feed.resourceId) : null;
  if (!resource) return null;
  const [rows, version] = await Promise.all([
    deps.bookings.activeBetween(resource.id, from, to, deps.clock.now()),
    deps.resources.version(resource.id),
  ]);
  // A feed lists bookings (docs/protocol.md): a hold that may run out in minutes is not one yet.
  const events = rows
    .filter((r) => r.status === 'active')
    .map((r) => ({
      bookingId: r.id,
      start: r.start,
      end: r.end,
      timeZone: resource.timeZone,
      sequence: version ?? 0,
      // (v3) A booking's title only when the policy makes titles public; never otherwise (a
      // switch of the policy bumps the settings generation, so a cached feed is rebuilt).
      summary: resource.policy.publicTitles && r.title ? r.title : 'Busy',
      quantity: r.quantity,
    }));
  return { name: `${resource.name} (busy)`, events };
}

async function mineFeed(deps: CalendarDeps, feed: FeedRecord, from: Date, to: Date): Promise<FeedContent> {
  const docs = (await deps.bookings.ofUser(feed.userId, MINE_LIMIT)).filter(
    (d) => d.status === 'active' && d.end.getTime() > from.getTime() && d.start.getTime() < to.getTime(),
  );
  const seq = await versions(
    deps,
    docs.map((d) => d.resourceId.toHexString()),
  );
  const events: FeedEvent[] = [];
  for (const d of docs.sort((a, b) => a.start.getTime() - b.start.getTime())) {
    const resourceId = d.resourceId.toHexString();
    const resource = await deps.directory.get(resourceId);
    events.push({
      bookingId: d._id.toHexString(),
      start: d.start,
      end: d.end,
      timeZone: resource?.timeZone ?? 'UTC',
      sequence: seq.get(resourceId) ?? 0,
      // (v3) One's own feed shows one's own titles, with the resource's name.
      summary: d.title ? `${d.title} (${resource?.name ?? 'Booking'})` : (resource?.name ?? 'Booking'),
      quantity: d.quantity ?? 1,
    });
  }
  return { name: 'My bookings', events };
}

function buildFeed(deps: CalendarDeps, feed: FeedRecord, now: Date): Promise<FeedContent | null> {
  const from = new Date(now.getTime() - WINDOW_BACK_MS);
  const to = new Date(now.getTime() + WINDOW_AHEAD_MS);
  return feed.scope === 'resource' ? resourceFeed(deps, feed, from, to) : mineFeed(deps, feed, from, to);
}

/**
 * (v3) Whether a feed's owner may (still) view its resource: a `resource` feed of a resource its
 * owner may no longer view answers 404, as a revoked one (read each poll: two indexed lookups).
 */
async function ownerMayView(deps: CalendarDeps, feed: FeedRecord): Promise<boolean> {
  if (feed.scope !== 'resource' || !feed.resourceId) return true;
  const [owner, resource] = await Promise.all([deps.users.session(feed.userId), deps.directory.get(feed.resourceId)]);
  return owner !== null && resource !== null && may(owner, resource, 'view');
}

async function createFeed(
  deps: CalendarDeps,
  principal: Principal,
  body: CalendarFeedCreate,
): Promise<{ path: string }> {
  if (body.scope === 'resource') {
    const resource = await deps.directory.get(body.resourceId);
    // (v3) One the person may not view answers as an unknown one.
    if (!resource || !may(principal, resource, 'view')) throw new AppError(ErrorCode.NOT_FOUND, 'no such resource');
  }
  const token = randomBytes(32).toString('base64url');
  await deps.feeds.insert({
    tokenHash: sha256(token),
    userId: principal.id,
    scope: body.scope,
    ...(body.scope === 'resource' ? { resourceId: body.resourceId } : {}),
  });
  return { path: `/api/calendar/feeds/${token}.ics` };
}

async function revokeAllFeeds(deps: CalendarDeps, principal: Principal): Promise<void> {
  const { redis, names } = deps;
  // Cached records would keep a revoked URL alive for their TTL: replace them with NO_FEED for
  // as long as a record is ever cached, so a poll that read a row before the delete, and
  // caches it only where nothing is, cannot bring it back. The markers go in first: if Redis
  // refuses them, nothing is deleted and the caller is told to try again (a delete whose
  // markers were lost would leave a cached record alive with no row left to find it by).
  const markAbsent = async (hashes: string[]) => {
    try {
      await Promise.all(hashes.map((h) => redis.set(names.calendarToken(h), NO_FEED, 'EX', TOKEN_CACHE_SECONDS)));
    } catch (err) {
      throw new AppError(ErrorCode.BUSY, 'could not revoke the feeds just now; try again', { cause: err });
    }
  };
  await markAbsent(await deps.feeds.hashesOfUser(principal.id));
  // A feed created between the read and the delete is deleted too; mark it as well (it
  // cannot be cached yet unless polled in that instant, so a failure here is only logged).
  const deleted = await deps.feeds.deleteOfUser(principal.id);
  await markAbsent(deleted).catch((err: unknown) =>
    deps.logger.warn({ err }, 'feed revocation: marking a just-created feed absent failed'),
  );
}

/** The scope's cached entry if it is still current, else a fresh build (cached for the next poll); null: no feed. */
async function currentEntry(deps: CalendarDeps, feed: FeedRecord): Promise<CachedFeed | null> {
  const { redis, names, logger } = deps;
  const now = deps.clock.now();
  const day = now.toISOString().slice(0, 10);
  const scope = scopeOf(feed);
  const [[gen, cachedText], settings] = await Promise.all([
    quietly(logger, 'feed read', () => redis.mget(names.calendarGeneration(scope), names.calendarFeed(scope)), [
      null,
      null,
    ]),
    quietly(logger, 'settings read', () => redis.get(names.calendarGeneration(SETTINGS_SCOPE)), null),
  ]);
  const current = { gen: gen ?? '0', settings: settings ?? '0', day };
  const entry = cachedText ? (JSON.parse(cachedText) as CachedFeed) : null;
  if (entry && entry.gen === current.gen && entry.settings === current.settings && entry.day === day) return entry;
  const built = await buildFeed(deps, feed, now);
  if (!built) return null;
  // The ETag depends on what the feed says, not on when it was rendered (DTSTAMP).
  const etag = `"${sha256(JSON.stringify(built)).slice(0, 27)}"`;
  const fresh: CachedFeed = { ...current, etag, body: renderFeed({ ...built, now }) };
  const text = JSON.stringify(fresh);
  await quietly(logger, 'feed write', () => redis.set(names.calendarFeed(scope), text, 'EX', FEED_CACHE_SECONDS), null);
  return fresh;
}

async function serveFeed(
  deps: CalendarDeps,
  limits: { perToken: Limiter; perAddress: Limiter },
  { token, ifNoneMatch, address }: Parameters<CalendarService['serve']>[0],
): Promise<FeedAnswer> {
  await take(limits.perAddress, address, 'too many feed requests from this address');
  // Not a token we could have issued: no database read, no rate-limit key for junk.
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { status: 404 };
  const tokenHash = sha256(token);
  const feed = await recordOf(deps, tokenHash);
  if (!feed) return { status: 404 };
  // Only a real feed has a budget of its own: a random token leaves no key behind.
  await take(limits.perToken, tokenHash, 'this feed is polled too often');
  if (!(await ownerMayView(deps, feed))) return { status: 404 };

  const entry = await currentEntry(deps, feed);
  if (!entry) return { status: 404 };
  const tags = (ifNoneMatch ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (tags.includes(entry.etag) || tags.includes('*')) return { status: 304, etag: entry.etag };
  return { status: 200, etag: entry.etag, body: entry.body };
}

export function createCalendarService(deps: CalendarDeps): CalendarService {
  const hourly = (name: string, points: number) => redisLimiter(deps, { name, points, duration: 3600 });
  const limits = {
    perToken: hourly('calendar:token', deps.perHour ?? FEED_REQUESTS_PER_HOUR),
    perAddress: hourly('calendar:address', deps.perAddressPerHour ?? FEED_REQUESTS_PER_ADDRESS_PER_HOUR),
  };
  const invalidation = createFeedInvalidation({ redis: deps.redis, names: deps.names, logger: deps.logger });
  return {
    create: (principal, body) => createFeed(deps, principal, body),
    revokeAll: (principal) => revokeAllFeeds(deps, principal),
    serve: (poll) => serveFeed(deps, limits, poll),
    bookingChanged: invalidation.bookingChanged,
    settingsChanged: invalidation.settingsChanged,
  };
}
