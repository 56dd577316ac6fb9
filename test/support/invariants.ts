import type { BookingModel } from '../../server/src/booking/booking.model';

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
