/**
 * The slot broadcaster: a committed change as `slot:changed` to every client on every node that
 * hears its resource (the "every resource" room and the resource's own room, see `slots:watch`),
 * and with its owner's id to staff on `/admin`. Two sides, one event and one set of rooms: the io
 * side for a node (its Socket.IO server, through the Redis adapter) and the emitter side for the
 * notifier (`@socket.io/redis-emitter`: it has no Socket.IO server).
 *
 * It reads only the change's facts (a structural type: the socket layer imports no capability).
 */
import type { BookingStatus, SlotChange, SlotChanged } from '@booking/shared';
import { ADMIN_NAMESPACE, slotChangedRooms } from '../infra/channels';
import type { Clock } from '../infra/clock';
import type { SocketEmitter } from '../infra/socket-emitter';
import { adminNamespace } from './namespaces';
import type { IoServer } from './socket-types';

/** What a broadcast tells of a committed change (`CommittedChange` has all of it). */
export interface SlotFacts {
  resourceId: string;
  bookingId: string;
  userId: string;
  change: SlotChange;
  start: Date;
  end: Date;
  previous?: { start: Date; end: Date };
  version: number;
  quantity: number;
  /** The booking's stored status after the change. */
  status: BookingStatus;
  /** A held booking: until when it occupies its units. */
  expiresAt?: Date;
}

export type SlotBroadcast = (change: SlotFacts) => void;

export function toSlotChanged(change: SlotFacts, at: Date): SlotChanged {
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
    quantity: change.quantity,
    status: change.status,
    ...(change.expiresAt ? { expiresAt: change.expiresAt.toISOString() } : {}),
  };
}

/** Where one side sends: the resource's rooms on `/`, and staff. */
interface SlotSink {
  rooms(rooms: string[], event: SlotChanged): void;
  staff(event: SlotChanged & { userId: string }): void;
}

function slotBroadcast(sink: SlotSink, clock: Clock): SlotBroadcast {
  return (change) => {
    // `at` is stamped just before the emit: the fan-out benchmark measures from it.
    const event = toSlotChanged(change, clock.now());
    sink.rooms(slotChangedRooms(change.resourceId), event);
    sink.staff({ ...event, userId: change.userId });
  };
}

/** A node's side: its Socket.IO server (the adapter carries it to the other nodes). */
export function ioSlotBroadcast(io: IoServer, clock: Clock): SlotBroadcast {
  const admin = adminNamespace(io);
  return slotBroadcast(
    {
      rooms: (rooms, event) => io.to(rooms).emit('slot:changed', event),
      staff: (event) => admin.emit('slot:changed', event),
    },
    clock,
  );
}

/** The notifier's side: the Redis emitter, on the channels every node's adapter listens on. */
export function emitterSlotBroadcast(emitter: SocketEmitter, clock: Clock): SlotBroadcast {
  return slotBroadcast(
    {
      rooms: (rooms, event) => emitter.to(rooms).emit('slot:changed', event),
      staff: (event) => emitter.of(ADMIN_NAMESPACE).emit('slot:changed', event),
    },
    clock,
  );
}
