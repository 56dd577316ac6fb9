import type { BookingModel } from '../../server/src/booking/booking.model';
import { firstOver } from '../../server/src/booking/occupancy';
import type { ResourceModel } from '../../server/src/resources/resource.model';

/**
 * Every pair of active bookings of one resource that overlaps, or with `gapMs`, that comes closer
 * than that (a policy's buffer); the promise is that there are none.
 */
export async function overlappingActivePairs(bookings: BookingModel, gapMs = 0): Promise<Array<[string, string]>> {
  const rows = await bookings
    .find({ status: 'active' }, { resourceId: 1, start: 1, end: 1 })
    .sort({ resourceId: 1, start: 1 })
    .lean<Array<{ _id: { toHexString(): string }; resourceId: { toHexString(): string }; start: Date; end: Date }>>();
  const pairs: Array<[string, string]> = [];
  // Sorted by start within each resource: an overlap always shows between neighbours or with the
  // latest-ending booking seen so far.
  let prev: (typeof rows)[number] | undefined;
  for (const row of rows) {
    if (
      prev &&
      prev.resourceId.toHexString() === row.resourceId.toHexString() &&
      row.start.getTime() < prev.end.getTime() + gapMs
    ) {
      pairs.push([prev._id.toHexString(), row._id.toHexString()]);
    }
    if (!prev || prev.resourceId.toHexString() !== row.resourceId.toHexString() || row.end > prev.end) prev = row;
  }
  return pairs;
}

type OverCapacity = Array<{ resourceId: string; at: string; capacity: number }>;

/** Every resource whose bookings matching `holding`, each over `[start, end + buffer)`, exceed its capacity somewhere. */
async function overCapacityOf(
  bookings: BookingModel,
  resources: ResourceModel,
  holding: Record<string, unknown>,
): Promise<OverCapacity> {
  const docs = await resources
    .find({}, { capacity: 1, policy: 1 })
    .lean<Array<{ _id: { toHexString(): string }; capacity?: number; policy?: { bufferMinutes?: number } | null }>>();
  const found: OverCapacity = [];
  for (const r of docs) {
    const capacity = r.capacity ?? 1;
    const gap = (r.policy?.bufferMinutes ?? 0) * 60_000;
    const rows = await bookings
      .find({ resourceId: r._id, ...holding }, { start: 1, end: 1, quantity: 1 })
      .lean<Array<{ start: Date; end: Date; quantity?: number }>>();
    const at = firstOver(
      rows.map((b) => ({ start: b.start.getTime(), end: b.end.getTime() + gap, quantity: b.quantity ?? 1 })),
      capacity,
    );
    if (at !== null) found.push({ resourceId: r._id.toHexString(), at: new Date(at).toISOString(), capacity });
  }
  return found;
}

/**
 * The invariant straight from the database: every resource whose active bookings, each occupying
 * `[start, end + buffer)`, hold more units than its capacity at some instant, with that instant.
 * The promise is that there are none.
 */
export function overCapacity(bookings: BookingModel, resources: ResourceModel): Promise<OverCapacity> {
  return overCapacityOf(bookings, resources, { status: 'active' });
}

/**
 * `overCapacity` counting what holds units at `now` as every read does (v3): active bookings, and
 * held ones (holds and waitlist offers) whose `expiresAt` is still ahead. The promise is that there
 * are none.
 */
export function overCapacityHolding(
  bookings: BookingModel,
  resources: ResourceModel,
  now = new Date(),
): Promise<OverCapacity> {
  return overCapacityOf(bookings, resources, {
    $or: [{ status: 'active' }, { status: 'held', expiresAt: { $gt: now } }],
  });
}
