import { randomUUID } from 'node:crypto';
import type { Ack, Booking } from '@booking/shared';
import { overlappingActivePairs } from '../../test/support/invariants';
import {
  connectClient,
  createResource,
  loginStaff,
  minutesFrom,
  sendUntilDecided,
  slot,
  startHarness,
} from '../../test/support/harness';
import type { ClientSocket, Harness } from '../../test/support/harness';
import { createUsers } from '../../test/support/users';

const USERS = 100;

describe.each([
  ['on', 'with Redlock'],
  ['off', 'without locks (the fence alone)'],
])('100 users race for one slot, BOOKING_LOCKS=%s', (locks, label) => {
  let h: Harness;
  let sockets: ClientSocket[] = [];
  beforeAll(async () => {
    h = await startHarness({
      label: `race-${locks}`,
      env: { BOOKING_LOCKS: locks },
      node: { rateLimit: { points: 1000, durationSec: 1 } },
    });
    const users = await createUsers(h.node, { count: USERS, label: 'racer' });
    sockets = await Promise.all(users.map((u) => connectClient(h.node.url, u.token)));
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await h.close();
  });

  it(`exactly one wins ${label}; everyone else hears SLOT_TAKEN; no overlap is stored`, async () => {
    const staff = await loginStaff(h.node.url);
    const resource = await createResource(h.node.url, staff.token, 'Contested room');
    const base = slot(24).start;
    const txBefore = { ...h.node.counters.tx };
    // Intervals start 0..45 minutes after `base` and last an hour: every pair overlaps.
    const acks: Array<Ack<{ booking: Booking }>> = await Promise.all(
      sockets.map((s, i) => {
        const start = minutesFrom(base, (i % 10) * 5);
        // BUSY (the lock or the store not had in time, under load) is retried with the same key,
        // as every client does: the assertion is who won, not whether a lock was free at once.
        return sendUntilDecided(s, 'booking:create', {
          resourceId: resource.id,
          start,
          end: minutesFrom(start, 60),
          idempotencyKey: randomUUID(),
        });
      }),
    );
    const winners = acks.filter((a) => a.ok);
    const codes = acks.filter((a) => !a.ok).map((a) => (a.ok ? '' : a.error.code));
    const retries = h.node.counters.tx.retries - txBefore.retries;
    process.stdout.write(
      `race BOOKING_LOCKS=${locks}: attempts=${acks.length} winners=${winners.length} losers=${codes.length} ` +
        `txAttempts=${h.node.counters.tx.attempts - txBefore.attempts} txRetries=${retries}\n`,
    );
    expect(winners).toHaveLength(1);
    expect(new Set(codes)).toEqual(new Set(['SLOT_TAKEN']));
    expect(await h.node.models.Booking.countDocuments({ resourceId: resource.id, status: 'active' })).toBe(1);
    expect(await overlappingActivePairs(h.node.models.Booking)).toEqual([]);
    // Exactly one outbox entry: losers' transactions wrote nothing.
    expect(await h.node.models.Outbox.countDocuments({ resourceId: resource.id })).toBe(1);
  });
});
