/**
 * `slots:watch` keeps only ids of resources the directory knows (issue 22, item 8; docs/protocol.md
 * v3): a watch of 200 well-formed ids of nothing gives its connection no rooms (on a Redis Cluster
 * each room is a channel the sharded adapter subscribes to), the ack stays `{}`, and a resource
 * created on another node after this node read its directory is still kept.
 */
import { MAX_WATCHED_RESOURCES } from '@booking/shared';
import type { SlotChanged } from '@booking/shared';
import { ALL_RESOURCES_ROOM, isResourceRoom, resourceRoom } from '../src/infra/channels';
import { createResource, loginStaff, registerUser, send, slot, unwrap } from '../../test/support/harness';
import type { ClientSocket } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { waitFor } from '../../test/support/wait';

const h = useHarness({ label: 'watchknown', count: 2 });
const sockets = useSockets();

/** The watch rooms of one connection, as its node holds them. */
function watchRooms(socket: ClientSocket): string[] {
  const server = h.node.io.of('/').sockets.get(socket.id ?? '');
  if (!server) throw new Error('no such socket on node 1');
  return [...server.rooms].filter((r) => r === ALL_RESOURCES_ROOM || isResourceRoom(r)).sort();
}

test('ids of no resource are dropped from a watch; known ones, even one created on another node a moment ago, are kept', async () => {
  const staff = await loginStaff(h.node.url);
  const known = await createResource(h.node.url, staff.token, 'Watched');
  const user = await registerUser(h.node.url, 'watchknown');
  const socket = await sockets.client(h.node.url, user.token);
  const heard: SlotChanged[] = [];
  socket.on('slot:changed', (e) => heard.push(e));

  // Node 1 has read its directory (the resource above); this one it has not seen yet.
  const node2 = h.nodes[1];
  if (!node2) throw new Error('two nodes');
  const fresh = await createResource(node2.url, staff.token, 'Made on node 2');

  const nothing = Array.from({ length: MAX_WATCHED_RESOURCES - 2 }, (_, i) => `65${String(i).padStart(22, '0')}`);
  expect(await send(socket, 'slots:watch', { resourceIds: [...nothing, known.id, fresh.id] })).toEqual({
    ok: true,
    data: {},
  });
  expect(watchRooms(socket)).toEqual([resourceRoom(known.id), resourceRoom(fresh.id)].sort());

  // Only ids of nothing: the connection hears nothing, holding no room at all.
  expect(await send(socket, 'slots:watch', { resourceIds: nothing })).toEqual({ ok: true, data: {} });
  expect(watchRooms(socket)).toEqual([]);

  // And the kept ids still work as a filter: back to the known one, a change to it arrives.
  expect(await send(socket, 'slots:watch', { resourceIds: [known.id, ...nothing.slice(0, 5)] })).toEqual({
    ok: true,
    data: {},
  });
  const booker = await sockets.client(h.node.url, (await registerUser(h.node.url, 'watchbooker')).token);
  const booked = unwrap(await send(booker, 'booking:create', { resourceId: known.id, ...slot(300) })).booking;
  await waitFor('the watched resource’s change', () => heard.some((e) => e.bookingId === booked.id));
});
