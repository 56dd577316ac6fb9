import type { Resource } from '@booking/shared';
import { createResource, loginStaff, registerUser, send, slot, unwrap } from '../../test/support/harness';
import type { ClientSocket } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { waitFor } from '../../test/support/wait';

/** A gate the test opens and closes around the availability read's cache fill. */
let gate: { reached: () => void; release: Promise<void> } | null = null;

const h = useHarness({
  label: 'cache',
  node: {
    beforeCacheFill: async () => {
      const g = gate;
      if (!g) return;
      gate = null;
      g.reached();
      await g.release;
    },
  },
});
const sockets = useSockets('all');
let user: ClientSocket;
let room: Resource;

beforeAll(async () => {
  const staff = await loginStaff(h.node.url);
  room = await createResource(h.node.url, staff.token, 'Cached room');
  user = await sockets.client(h.node.url, (await registerUser(h.node.url, 'reader')).token);
});

describe('availability cache', () => {
  it('serves repeated reads from Redis and reflects each committed change at once', async () => {
    // 10:00 to 12:00 UTC two days ahead: one day of the room's zone at any hour the test runs.
    const midnight = Math.floor(Date.now() / 86_400_000 + 2) * 86_400_000;
    const hour = (h: number, n = 1) => ({
      start: new Date(midnight + h * 3_600_000).toISOString(),
      end: new Date(midnight + (h + n) * 3_600_000).toISOString(),
    });
    const day = hour(10, 2);
    const query = { resourceId: room.id, from: day.start, to: day.end };
    const first = unwrap(await send(user, 'availability:get', query));
    expect(first.busy).toEqual([]);
    const hits = h.node.counters.cache.hits;
    const again = unwrap(await send(user, 'availability:get', query));
    expect(again).toEqual(first);
    expect(h.node.counters.cache.hits).toBeGreaterThan(hits);

    // Each change patches the cached day in Redis (no MongoDB read, on either side): every read
    // after it is a hit and shows it.
    const misses = h.node.counters.cache.misses;
    const booking = unwrap(await send(user, 'booking:create', { resourceId: room.id, ...hour(10) })).booking;
    const after = unwrap(await send(user, 'availability:get', query));
    expect(after.busy).toEqual([
      { bookingId: booking.id, start: booking.start, end: booking.end, quantity: 1, status: 'active' },
    ]);
    expect(after.version).toBeGreaterThan(first.version);
    const moved = unwrap(await send(user, 'booking:modify', { bookingId: booking.id, ...hour(11) })).booking;
    expect(unwrap(await send(user, 'availability:get', query)).busy).toEqual([
      { bookingId: booking.id, start: moved.start, end: moved.end, quantity: 1, status: 'active' },
    ]);
    unwrap(await send(user, 'booking:cancel', { bookingId: booking.id }));
    expect(unwrap(await send(user, 'availability:get', query)).busy).toEqual([]);
    expect(h.node.counters.cache.misses).toBe(misses);
  });

  it('a change whose day is not cached at the version before it leaves a marker: the next read misses and reads MongoDB', async () => {
    const day = slot(72, 2);
    const query = { resourceId: room.id, from: day.start, to: day.end };
    unwrap(await send(user, 'availability:get', query)); // cached at version v
    // A booking on another day moves the version on without touching this day's entry...
    unwrap(await send(user, 'booking:create', { resourceId: room.id, ...slot(100) }));
    // ...so this day's entry is two versions behind the next change, which cannot patch it.
    const misses = h.node.counters.cache.misses;
    const booking = unwrap(await send(user, 'booking:create', { resourceId: room.id, ...slot(72) })).booking;
    expect(unwrap(await send(user, 'availability:get', query)).busy.map((b) => b.bookingId)).toEqual([booking.id]);
    expect(h.node.counters.cache.misses).toBeGreaterThan(misses);
    // The read filled it again: the next one is a hit.
    const hits = h.node.counters.cache.hits;
    expect(unwrap(await send(user, 'availability:get', query)).busy.map((b) => b.bookingId)).toEqual([booking.id]);
    expect(h.node.counters.cache.hits).toBeGreaterThan(hits);
  });

  it('a slow reader that read before a booking committed cannot put stale availability back', async () => {
    const iv = slot(200);
    const query = { resourceId: room.id, from: iv.start, to: iv.end };
    let reached!: () => void;
    const readerParked = new Promise<void>((r) => (reached = r));
    let release!: () => void;
    gate = { reached, release: new Promise<void>((r) => (release = r)) };

    // 1. The reader misses the cache, reads MongoDB (nothing booked) and parks before filling.
    const slowRead = send(user, 'availability:get', query);
    await readerParked;
    // 2. A booking commits meanwhile (and updates the cache with the newer version).
    const booking = unwrap(await send(user, 'booking:create', { resourceId: room.id, ...iv })).booking;
    // 3. The reader resumes and tries to fill the cache with what it read before the commit.
    release();
    const stale = unwrap(await slowRead);
    expect(stale.busy).toEqual([]);

    // The older fill was refused (the commit left its version on the day): the next read shows
    // the booking, and fills the day so the one after is a hit.
    const fresh = unwrap(await send(user, 'availability:get', query));
    expect(fresh.busy.map((b) => b.bookingId)).toEqual([booking.id]);
    expect(fresh.version).toBeGreaterThan(stale.version);
    const hits = h.node.counters.cache.hits;
    expect(unwrap(await send(user, 'availability:get', query)).busy.map((b) => b.bookingId)).toEqual([booking.id]);
    expect(h.node.counters.cache.hits).toBeGreaterThan(hits);
  });

  it('concurrent misses for the same days share one MongoDB read', async () => {
    // 10:00 to 13:00 UTC, 13 days ahead: one day of the room's zone (UTC), whatever the hour the
    // test runs at (a window 300 hours ahead crossed midnight when run at 09:xx: two days missed).
    const day = Math.floor(Date.now() / 86_400_000 + 13) * 86_400_000;
    const iv = {
      start: new Date(day + 10 * 3_600_000).toISOString(),
      end: new Date(day + 13 * 3_600_000).toISOString(),
    };
    const query = { resourceId: room.id, from: iv.start, to: iv.end };
    const misses = h.node.counters.cache.misses;
    const find = jest.spyOn(h.node.models.Booking.collection, 'find');
    try {
      const results = await Promise.all(Array.from({ length: 20 }, () => send(user, 'availability:get', query)));
      expect(results.every((r) => r.ok)).toBe(true);
      expect(h.node.counters.cache.misses - misses).toBe(20);
      expect(find).toHaveBeenCalledTimes(1);
    } finally {
      find.mockRestore();
    }
  });

  it('answers NOT_FOUND for an unknown resource and spans up to 31 days', async () => {
    const iv = slot(10);
    expect(
      await send(user, 'availability:get', { resourceId: 'aaaaaaaaaaaaaaaaaaaaaaaa', from: iv.start, to: iv.end }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // A room of this test's own, booked near both ends of the 31 days: the answer spans them all.
    const staff = await loginStaff(h.node.url);
    const monthRoom = await createResource(h.node.url, staff.token, 'Month room');
    const early = unwrap(await send(user, 'booking:create', { resourceId: monthRoom.id, ...slot(12) })).booking;
    const late = unwrap(
      await send(user, 'booking:create', { resourceId: monthRoom.id, ...slot(10 + 30 * 24 + 20) }),
    ).booking;
    const from = new Date(Date.parse(iv.start));
    const month = unwrap(
      await send(user, 'availability:get', {
        resourceId: monthRoom.id,
        from: from.toISOString(),
        to: new Date(from.getTime() + 31 * 86_400_000).toISOString(),
      }),
    );
    expect(month.busy).toEqual(
      [early, late].map((b) => ({ bookingId: b.id, start: b.start, end: b.end, quantity: 1, status: 'active' })),
    );
    expect(
      await send(user, 'availability:get', {
        resourceId: room.id,
        from: from.toISOString(),
        to: new Date(from.getTime() + 32 * 86_400_000).toISOString(),
      }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    await waitFor('the node to stay healthy', async () => (await fetch(`${h.node.url}/healthz`)).status === 200);
  });
});
