/**
 * Who hears `slot:changed` on `/` (`slots:watch`, docs/protocol.md). A connection starts in the
 * "every resource" room, so a client that never watches hears every change, as before. A watch
 * with a list moves it to one room per listed resource; `null` moves it back. The broadcast
 * (`broadcast.ts`, and the notifier's emitter) targets both rooms of the changed resource.
 *
 * Only ids the directory knows get a room (docs/protocol.md v3): others are dropped from the watch
 * without a word, as a filter that matches nothing, so a client cannot make the sharded adapter
 * subscribe to thousands of channels of rooms no change ever reaches. The ack stays `{}` and says
 * nothing about which ids exist.
 */
import { SlotsWatch, mayAccess } from '@booking/shared';
import type { ClientToServerEvents, Resource } from '@booking/shared';
import type { Socket } from 'socket.io';
import { personOf } from '../access/resource-access';
import type { AccessGate } from '../access/resource-access';
import {
  ALL_RESOURCES_ROOM,
  ALL_VIEWERS_ROOM,
  STAFF_SLOTS_ROOM,
  STAFF_VIEWERS_ROOM,
  groupSlotsRoom,
  groupViewersRoom,
  isResourceRoom,
  resourceRoom,
} from '../infra/channels';
import type { CommandOn, Principal, SocketData } from '../infra/contract';

type On = CommandOn<ClientToServerEvents>;

/**
 * (v3) The "every resource" rooms of one person: `slots:all` (resources everyone may view), one
 * room per group (restricted resources that group may view) and staff's (every resource).
 */
function everyResourceRooms(principal: Pick<Principal, 'role' | 'groups'>): string[] {
  return [
    ALL_RESOURCES_ROOM,
    ...(principal.role === 'staff' ? [STAFF_SLOTS_ROOM] : []),
    ...(principal.groups ?? []).map(groupSlotsRoom),
  ];
}

const isEveryResourceRoom = (room: string) =>
  room === ALL_RESOURCES_ROOM || room === STAFF_SLOTS_ROOM || room.startsWith(groupSlotsRoom(''));

/**
 * On connect: the default, every resource's changes the person may view, and (v3) the rooms that
 * hear `resource:changed` of the resources they may view, whatever they watch.
 */
export function hearEveryResource(socket: Socket, principal: Pick<Principal, 'role' | 'groups'>): void {
  void socket.join([
    ...everyResourceRooms(principal),
    ALL_VIEWERS_ROOM,
    ...(principal.role === 'staff' ? [STAFF_VIEWERS_ROOM] : []),
    ...(principal.groups ?? []).map(groupViewersRoom),
  ]);
}

/**
 * Moves one connection to the rooms of `resourceIds` (`null`: every resource). The new rooms are
 * joined before the old ones are left, so a resource in both lists is never missed in between.
 * Rooms are read and changed in one synchronous step (the adapters apply join and leave at once;
 * only their promises are awaited), so two watches in flight on one socket cannot interleave and
 * the one that arrived last wins.
 */
export async function watchResources(
  socket: Socket,
  principal: Pick<Principal, 'role' | 'groups'>,
  resourceIds: readonly string[] | null,
): Promise<void> {
  const wanted = resourceIds === null ? everyResourceRooms(principal) : [...new Set(resourceIds)].map(resourceRoom);
  const keep = new Set(wanted);
  const stale = [...socket.rooms].filter(
    (room) => (isEveryResourceRoom(room) || isResourceRoom(room)) && !keep.has(room),
  );
  const done = [socket.join(wanted), ...stale.map((room) => socket.leave(room))];
  await Promise.all(done);
}

/** The number of the last `slots:watch` each connection sent. */
const watchSeq = new WeakMap<Socket, number>();

export function registerSlotWatchHandlers(on: On, access: Pick<AccessGate, 'viewable'>): void {
  // Validation (at most 200 ids, each an `Id`; anything else leaves the watch as it was) and the
  // rate limit are the registrar's, as for every command.
  on('slots:watch', SlotsWatch, async (d, { socket, principal }) => {
    // The directory may answer a later watch before an earlier one (a re-read for a miss): only
    // the watch that arrived last is applied, as when watches were applied on arrival.
    const seq = (watchSeq.get(socket) ?? 0) + 1;
    watchSeq.set(socket, seq);
    // (v3) A resource the person may not view is dropped as an unknown id is: no room, no word.
    const ids = d.resourceIds === null ? null : await access.viewable(principal, [...new Set(d.resourceIds)]);
    if (watchSeq.get(socket) === seq) await watchResources(socket, principal, ids);
    return {};
  });
}

/**
 * (v3) After a resource's access changed: this node's connections that watch a resource they may
 * no longer view leave its room. Each node runs it for its own connections when it hears of a
 * change, on the re-read list.
 */
export async function recheckWatchRooms(
  sockets: () => Iterable<Socket>,
  list: () => Promise<ReadonlyArray<Pick<Resource, 'id' | 'access'>>>,
): Promise<void> {
  const byId = new Map((await list()).map((r) => [r.id, r]));
  for (const socket of sockets()) {
    const principal = (socket.data as Partial<SocketData>).principal;
    for (const room of socket.rooms) {
      if (!isResourceRoom(room)) continue;
      const resource = byId.get(room.slice(resourceRoom('').length));
      if (!principal || !resource || !mayAccess(personOf(principal), resource.access, 'view')) void socket.leave(room);
    }
  }
}
