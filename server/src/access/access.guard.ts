/**
 * (v3) The booking and waitlist commands of `/` as a person's access allows them (docs/protocol.md
 * "Identity, groups and access"): booking or waiting for a resource one may not view answers
 * NOT_FOUND, as an unknown one does; one may view but not book, FORBIDDEN. A move is a new booking
 * at the new interval, so it asks the same of the booking's resource. Cancelling, checking in and
 * confirming one's own hold stay open: they only use or give up what was booked when one could.
 * Staff and managers on `/admin` go through `admin/`, which scopes managers to their resources.
 */
import type { BookingCommands } from '../booking/booking.effects';
import type { BookingStore } from '../booking/booking.store';
import type { WaitlistService } from '../waitlist/waitlist.service';
import type { AccessGate } from './resource-access';

export function requireAccessToBook(
  bookings: BookingCommands,
  deps: { access: Pick<AccessGate, 'require'>; bookings: Pick<BookingStore, 'findById'> },
): BookingCommands {
  return {
    ...bookings,
    async create(input) {
      await deps.access.require(input.principal, input.resourceId, 'book');
      return bookings.create(input);
    },
    async createSeries(input) {
      await deps.access.require(input.principal, input.resourceId, 'book');
      return bookings.createSeries(input);
    },
    async modify(input) {
      // Someone else's booking, or none: the service answers as it always does.
      const found = await deps.bookings.findById(input.bookingId);
      if (found && found.userId.toHexString() === input.principal.id)
        await deps.access.require(input.principal, found.resourceId.toHexString(), 'book');
      return bookings.modify(input);
    },
  };
}

export function requireAccessToWait(waitlist: WaitlistService, access: Pick<AccessGate, 'require'>): WaitlistService {
  return {
    ...waitlist,
    async join(input) {
      await access.require(input.principal, input.resourceId, 'book');
      return waitlist.join(input);
    },
  };
}
