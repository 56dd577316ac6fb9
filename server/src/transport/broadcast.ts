/**
 * The broadcast after-commit effect: a committed change as `slot:changed` to every client on
 * every node that hears its resource (through the Redis adapter: the "every resource" room and
 * the resource's own room, see `slots:watch`), and with its owner's id to staff on `/admin`.
 */
import type { SlotChanged } from '@booking/shared';
import { adminNamespace } from '../admin/admin.namespace';
import type { CommittedChange } from '../booking/booking.effects';
import { slotChangedRooms } from '../infra/channels';
import type { Clock } from '../infra/clock';
import type { IoServer } from './socket-types';

export function toSlotChanged(change: CommittedChange, at: Date): SlotChanged {
  return {
    resourceId: change.resourceId,
    bookingId: change.bookingId,
    change: change.change,
    start: change.start.toISOString(),
    end: change.end.toISOString(),
    ...(change.previous
      ? { previous: { start: change.previous.start.toISOString(), end: change.previous.end.toISOString() } }
      : {}),
    version: change.version,
    at: at.toISOString(),
  };
}

export function broadcastSlotChanged(io: IoServer, clock: Clock): (change: CommittedChange) => void {
  const admin = adminNamespace(io);
  return (change) => {
    // `at` is stamped just before the emit: the fan-out benchmark measures from it.
    const event = toSlotChanged(change, clock.now());
    io.to(slotChangedRooms(change.resourceId)).emit('slot:changed', event);
    admin.emit('slot:changed', { ...event, userId: change.userId });
  };
}
