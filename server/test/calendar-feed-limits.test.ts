/**
 * Feed URLs against junk and races (issue 22, item 4): a random token is looked up before anything
 * is charged, leaves no per-token rate-limit key, costs one database read a minute at most, and
 * spends its address's budget (600 an hour); a revocation is not undone by a poll that read the
 * feed's row just before it and caches it just after.
 *
 * Real MongoDB and Redis: the HTTP tests go through a node, the race through the service itself
 * with a store that holds one read back until the revocation is done.
 */
import { createHash, randomBytes } from 'node:crypto';
import pino from 'pino';
import type { Principal } from '../src/auth/auth.service';
import type { CalendarFeedStore } from '../src/calendar/calendar-feed.store';
import { createCalendarService, FEED_REQUESTS_PER_ADDRESS_PER_HOUR } from '../src/calendar/calendar.service';
import { systemClock } from '../src/infra/clock';
import { createResourceDirectory } from '../src/resources/resource.directory';
import { startRedis } from '../../scripts/lib/embedded-redis';
import { startNode } from '../src/app';
import { testConfig, uniqueName } from '../../test/support/env';
import { http, registerUser, startHarness } from '../../test/support/harness';
import { waitFor } from '../../test/support/wait';
import type { Harness } from '../../test/support/harness';

let h: Harness;
let base: string;

beforeAll(async () => {
  h = await startHarness({ label: 'feedlimits' });
  base = h.node.url;
});
afterAll(async () => {
  await h.close();
});

const randomToken = () => randomBytes(32).toString('base64url');
/** Feed requests this file sent from its one address (127.0.0.1), all of which the address's budget counts. */
let fromHere = 0;
const get = async (url: string): Promise<Response> => {
  fromHere += 1;
  const res = await fetch(url);
  await res.arrayBuffer();
  return res;
};
const keysLike = (pattern: string) => h.node.stores.redis.cmd.keys(pattern);

/** A service on the node's stores, with a feed store that counts reads and can hold one back. */
function serviceWithStore() {
  const real = h.node.data.calendarFeeds;
  const reads = { count: 0 };
  const hold: { gate: Promise<void> | null; reached: () => void } = { gate: null, reached: () => undefined };
  const feeds: CalendarFeedStore = {
    insert: (f) => real.insert(f),
    hashesOfUser: (id) => real.hashesOfUser(id),
    deleteOfUser: (id) => real.deleteOfUser(id),
    async findByHash(hash) {
      reads.count += 1;
      const found = await real.findByHash(hash);
      const gate = hold.gate;
      if (gate) {
        hold.gate = null;
        hold.reached();
        await gate;
      }
      return found;
    },
  };
  const calendar = createCalendarService({
    feeds,
    bookings: h.node.data.bookings,
    resources: h.node.data.resources,
    users: h.node.data.users,
    directory: createResourceDirectory({ store: h.node.data.resources }),
    redis: h.node.stores.redis.cmd,
    names: h.node.stores.names,
    clock: systemClock,
    logger: pino({ level: 'silent' }),
  });
  return { calendar, reads, hold };
}

test('a random token answers 404, leaves no per-token key and is read from MongoDB once a minute at most', async () => {
  const { calendar, reads } = serviceWithStore();
  const token = randomToken();
  const poll = () => calendar.serve({ token, ifNoneMatch: undefined, address: '198.51.100.7' });
  expect(await poll()).toEqual({ status: 404 });
  expect(await poll()).toEqual({ status: 404 });
  expect(reads.count).toBe(1);

  // Through a node: a real feed keeps its per-token budget, junk gets none.
  const user = await registerUser(base, 'feedlimits');
  const feed = await http<{ url: string }>(base, '/api/calendar/feeds', { body: { scope: 'mine' }, token: user.token });
  expect((await get(feed.body.url)).status).toBe(200);
  const junk = randomToken();
  for (const t of [junk, ...Array.from({ length: 29 }, randomToken)])
    expect((await get(`${base}/api/calendar/feeds/${t}.ics`)).status).toBe(404);
  expect(await keysLike(`${h.node.stores.names.rateLimit('calendar:token')}*`)).toHaveLength(1);
  // Remembered as absent, briefly.
  const key = h.node.stores.names.calendarToken(createHash('sha256').update(junk).digest('base64url'));
  const ttl = await h.node.stores.redis.cmd.ttl(key);
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(60);
});

test('a poll that read the feed before its revocation cannot cache it again afterwards', async () => {
  const { calendar, hold } = serviceWithStore();
  const user = await registerUser(base, 'revoker');
  const principal: Principal = { id: user.user.id, name: user.user.name, role: 'user' };
  const { path } = await calendar.create(principal, { scope: 'mine' });
  const token = path.replace('/api/calendar/feeds/', '').replace('.ics', '');
  const poll = () => calendar.serve({ token, ifNoneMatch: undefined, address: '198.51.100.8' });

  // The poll reads the row, then waits while the owner revokes every feed.
  let release = () => undefined as void;
  hold.gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const reached = new Promise<void>((resolve) => {
    hold.reached = resolve;
  });
  const racing = poll();
  await reached;
  await calendar.revokeAll(principal);
  release();
  // It began before the revocation: whatever it answers, it must not bring the feed back.
  await racing;
  expect(await poll()).toEqual({ status: 404 });
});

test(`one address gets ${FEED_REQUESTS_PER_ADDRESS_PER_HOUR} feed requests an hour, known feeds or not; then 429 with Retry-After`, async () => {
  // The budget is the address's over the whole hour: the earlier tests' requests count too.
  let last: Response | null = null;
  while (fromHere < FEED_REQUESTS_PER_ADDRESS_PER_HOUR + 1) {
    last = await get(`${base}/api/calendar/feeds/${randomToken()}.ics`);
    if (last.status !== 404) break;
  }
  expect({ sent: fromHere, status: last?.status }).toEqual({
    sent: FEED_REQUESTS_PER_ADDRESS_PER_HOUR + 1,
    status: 429,
  });
  expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
  // A real feed from this address waits too.
  const user = await registerUser(base, 'feedlimits-late');
  const feed = await http<{ url: string }>(base, '/api/calendar/feeds', { body: { scope: 'mine' }, token: user.token });
  expect((await get(feed.body.url)).status).toBe(429);
}, 60_000);

describe('a revocation while Redis refuses writes', () => {
  it('deletes nothing and answers 503 BUSY (no URL half revoked, alive in a cache with no row); once Redis is back it revokes', async () => {
    // A Redis of this test's own, so stopping it disturbs no other suite.
    const redis = await startRedis();
    const node = await startNode({
      config: testConfig({ db: uniqueName('feedrevoke'), env: { REDIS_URL: redis.url } }),
    });
    try {
      const u = await registerUser(node.url, 'revoker');
      const created = await http<{ url: string }>(node.url, '/api/calendar/feeds', {
        body: { scope: 'mine' },
        token: u.token,
      });
      expect(created.status).toBe(201);
      // Polled once: its record is now cached in Redis.
      expect((await fetch(created.body.url)).status).toBe(200);
      await redis.stop();
      const refused = await http<{ error: { code: string } }>(node.url, '/api/calendar/feeds', {
        method: 'DELETE',
        token: u.token,
      });
      expect(refused).toMatchObject({ status: 503, body: { error: { code: 'BUSY' } } });
      expect(await node.models.CalendarFeed.countDocuments({ userId: u.user.id })).toBe(1);
      await redis.restart();
      const revoke = () =>
        fetch(`${node.url}/api/calendar/feeds`, { method: 'DELETE', headers: { authorization: `Bearer ${u.token}` } });
      await waitFor(
        'the revocation to go through once Redis is back',
        async () => (await revoke()).status === 204,
        20_000,
        200,
      );
      expect(await node.models.CalendarFeed.countDocuments({ userId: u.user.id })).toBe(0);
      expect((await fetch(created.body.url)).status).toBe(404);
    } finally {
      await node.close();
      await redis.stop();
    }
  });
});
