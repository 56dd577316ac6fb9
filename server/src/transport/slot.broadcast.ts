/**
 * The slot broadcaster: a committed change as `slot:changed` to every client on every node that
 * hears its resource (the "every resource" room and the resource's own room, see `slots:watch`),
 * and with its owner's id to staff on `/admin`. Two sides, one event and one set of rooms: the io
 * side for a node (its Socket.IO server, through the Redis adapter) and the emitter side for the
 * notifier (`@socket.io/redis-emitter`: it has no Socket.IO server).
 *
 * It reads only the change's facts (a structural type: the socket layer imports no capability).
 */
import { viewerGroups } from '@booking/shared';
import type { BookingStatus, Resource, SlotChange, SlotChanged } from '@booking/shared';
import { ADMIN_NAMESPACE, adminSlotRooms, slotChangedRooms } from '../infra/channels';
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
  /** (v3) The booking's title: on `/` only under the policy's `publicTitles`, always on `/admin`. */
  title?: string;
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
    ...(change.title ? { title: change.title } : {}),
  };
}

/** (v3) The event without its title, for `/` when the resource's policy does not make titles public. */
function untitled(event: SlotChanged): SlotChanged {
  if (event.title === undefined) return event;
  const { title: _hidden, ...rest } = event;
  return rest;
}

/** Where one side sends: rooms on `/`, and rooms on `/admin` (staff, and the resource's managers). */
interface SlotSink {
  rooms(rooms: string[], event: SlotChanged): void;
  admin(rooms: string[], event: SlotChanged & { userId: string }): void;
}

/**
 * (v3) A resource's access, for where its changes go: `peek` answers from memory when it can (so a
 * node's changes keep their order), `get` otherwise. A resource neither knows (deleted) is treated
 * as visible to staff alone: a broadcast never reaches more people than it should. (v3) Its policy
 * says whether `/` hears the booking's title (`publicTitles`); an unknown resource's never.
 */
export interface AccessLookup {
  peek(resourceId: string): Pick<Resource, 'access' | 'policy'> | undefined;
  get(resourceId: string): Promise<Pick<Resource, 'access' | 'policy'> | null>;
}

function slotBroadcast(
  sink: SlotSink,
  clock: Clock,
  lookup: AccessLookup,
  onError: (err: unknown) => void,
): SlotBroadcast {
  const send = (change: SlotFacts, resource: Pick<Resource, 'access' | 'policy'> | null) => {
    // `at` is stamped just before the emit: the fan-out benchmark measures from it.
    const event = toSlotChanged(change, clock.now());
    const viewers = resource ? viewerGroups(resource.access) : [];
    const publicTitles = resource?.policy.publicTitles === true;
    sink.rooms(slotChangedRooms(change.resourceId, viewers), publicTitles ? event : untitled(event));
    sink.admin(adminSlotRooms(resource?.access?.managers ?? []), { ...event, userId: change.userId });
  };
  // A change whose resource must be read waits for it, and every later change waits behind it:
  // a node's broadcasts leave in the order they were made (clients apply them by version).
  let waiting = 0;
  let tail: Promise<void> = Promise.resolve();
  return (change) => {
    const known = waiting === 0 ? lookup.peek(change.resourceId) : undefined;
    if (known) return send(change, known);
    waiting += 1;
    const read = lookup.get(change.resourceId);
    // `catch` keeps the chain alive whatever one change does (a failed read, a failed emit).
    tail = tail
      .then(() => read)
      .then((resource) => send(change, resource))
      .catch(onError)
      .finally(() => {
        waiting -= 1;
      });
  };
}

/** A node's side: its Socket.IO server (the adapter carries it to the other nodes). */
export function ioSlotBroadcast(
  io: IoServer,
  clock: Clock,
  lookup: AccessLookup,
  onError: (err: unknown) => void,
): SlotBroadcast {
  const admin = adminNamespace(io);
  return slotBroadcast(
    {
      rooms: (rooms, event) => io.to(rooms).emit('slot:changed', event),
      admin: (rooms, event) => admin.to(rooms).emit('slot:changed', event),
    },
    clock,
    lookup,
    onError,
  );
}

/** The notifier's side: the Redis emitter, on the channels every node's adapter listens on. */
export function emitterSlotBroadcast(
  emitter: SocketEmitter,
  clock: Clock,
  lookup: AccessLookup,
  onError: (err: unknown) => void,
): SlotBroadcast {
  return slotBroadcast(
    {
      rooms: (rooms, event) => emitter.to(rooms).emit('slot:changed', event),
      admin: (rooms, event) => emitter.of(ADMIN_NAMESPACE).to(rooms).emit('slot:changed', event),
    },
    clock,
    lookup,
    onError,
  );
}
