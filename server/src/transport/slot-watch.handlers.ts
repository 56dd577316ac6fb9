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
import { SlotsWatch } from '@booking/shared';
import type { ClientToServerEvents } from '@booking/shared';
import type { Socket } from 'socket.io';
import type { ResourceDirectory } from '../resources/resource.directory';
import { ALL_RESOURCES_ROOM, isResourceRoom, resourceRoom } from '../infra/channels';
import type { CommandOn } from '../infra/contract';

type On = CommandOn<ClientToServerEvents>;

/** On connect: the default, every resource's changes. */
export function hearEveryResource(socket: Socket): void {
  void socket.join(ALL_RESOURCES_ROOM);
}

/**
 * Moves one connection to the rooms of `resourceIds` (`null`: every resource). The new rooms are
 * joined before the old ones are left, so a resource in both lists is never missed in between.
 * Rooms are read and changed in one synchronous step (the adapters apply join and leave at once;
 * only their promises are awaited), so two watches in flight on one socket cannot interleave and
 * the one that arrived last wins.
 */
export async function watchResources(socket: Socket, resourceIds: readonly string[] | null): Promise<void> {
  const wanted = resourceIds === null ? [ALL_RESOURCES_ROOM] : [...new Set(resourceIds)].map(resourceRoom);
  const keep = new Set(wanted);
  const stale = [...socket.rooms].filter(
    (room) => (room === ALL_RESOURCES_ROOM || isResourceRoom(room)) && !keep.has(room),
  );
  const done = [socket.join(wanted), ...stale.map((room) => socket.leave(room))];
  await Promise.all(done);
}

/** The number of the last `slots:watch` each connection sent. */
const watchSeq = new WeakMap<Socket, number>();

export function registerSlotWatchHandlers(on: On, directory: Pick<ResourceDirectory, 'known'>): void {
  // Validation (at most 200 ids, each an `Id`; anything else leaves the watch as it was) and the
  // rate limit are the registrar's, as for every command.
  on('slots:watch', SlotsWatch, async (d, { socket }) => {
    // The directory may answer a later watch before an earlier one (a re-read for a miss): only
    // the watch that arrived last is applied, as when watches were applied on arrival.
    const seq = (watchSeq.get(socket) ?? 0) + 1;
    watchSeq.set(socket, seq);
    const ids = d.resourceIds === null ? null : await directory.known([...new Set(d.resourceIds)]);
    if (watchSeq.get(socket) === seq) await watchResources(socket, ids);
    return {};
  });
}
