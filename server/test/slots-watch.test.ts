/**
 * `slots:watch` (watched fan-out): a connection that watches a list hears `slot:changed` only for
 * those resources, across nodes; `null` brings every resource back; a connection that never
 * watched (and every new connection) hears everything; staff on `/admin` keep the firehose; a bad
 * watch answers VALIDATION_ERROR and changes nothing; the notifier's emitter (how a no-show
 * release is broadcast) reaches the same rooms. Run on one Redis and on a Redis Cluster (the
 * sharded adapter and the emitter's sharded frame).
 *
 * Non-delivery is proven without sleeping: each node publishes its broadcasts to more than one
 * room on the adapter's one namespace channel, in commit order, so a client hears one node's
 * changes in that order. A change to an unwatched resource followed by one to a watched resource
 * (the sentinel), made through the same node: once the sentinel arrived, the other would have
 * arrived before it. A default client on the same node shows that it did arrive there.
 */
import type { Resource, SlotChanged } from '@booking/shared';
import { MAX_WATCHED_RESOURCES } from '@booking/shared';
import { startRedisCluster } from '../../scripts/lib/embedded-redis-cluster';
import type { EmbeddedRedisCluster } from '../../scripts/lib/embedded-redis-cluster';
import { slotChangedRooms } from '../src/infra/channels';
import { createSocketEmitter } from '../src/infra/socket-emitter';
import {
  connectAdmin,
  connectClient,
  createResource,
  loginStaff,
  registerUser,
  send,
  sendRaw,
  slot,
  startHarness,
  unwrap,
} from '../../test/support/harness';
import type { AdminSocket, ClientSocket, Harness } from '../../test/support/harness';
import { waitFor } from '../../test/support/wait';

/** Every `slot:changed` a socket received, in order. */
function heard(socket: { on(event: 'slot:changed', listener: (e: SlotChanged) => void): unknown }): SlotChanged[] {
  const got: SlotChanged[] = [];
  socket.on('slot:changed', (e) => got.push(e));
  return got;
}

const ids = (events: SlotChanged[]) => events.map((e) => e.bookingId);

describe.each([{ mode: 'single' as const }, { mode: 'cluster' as const }])(
  'slots:watch on Redis ($mode)',
  ({ mode }) => {
    let redisCluster: EmbeddedRedisCluster | null = null;
    let h: Harness;
    let A: Resource;
    let B: Resource;
    let C: Resource;
    /** Books through node 1; the listeners are on node 2. */
    let booker: ClientSocket;
    let staffToken: string;
    let hour = 100;
    const sockets: Array<ClientSocket | AdminSocket> = [];
    const nodeUrl = (i: number) => h.nodes[i]?.url ?? '';

    beforeAll(async () => {
      redisCluster = mode === 'cluster' ? await startRedisCluster() : null;
      h = await startHarness({
        label: `watch-${mode}`,
        count: 2,
        ...(redisCluster ? { env: { REDIS_URL: redisCluster.url } } : {}),
      });
      staffToken = (await loginStaff(nodeUrl(0))).token;
      [A, B, C] = (await Promise.all(
        ['A', 'B', 'C'].map((n) => createResource(nodeUrl(0), staffToken, `Watch ${mode} ${n}`)),
      )) as [Resource, Resource, Resource];
      booker = await client(0, 'booker');
    }, 120_000);

    afterAll(async () => {
      for (const s of sockets) s.close();
      await h?.close();
      await redisCluster?.stop();
    }, 60_000);

    async function client(node: number, name: string): Promise<ClientSocket> {
      const user = await registerUser(nodeUrl(0), `${mode}${name}`);
      const socket = await connectClient(nodeUrl(node), user.token);
      sockets.push(socket);
      return socket;
    }

    /** Books an hour of `resource` through node 1 (each call a later hour); its booking id. */
    async function book(resource: Resource): Promise<string> {
      hour += 1;
      return unwrap(await send(booker, 'booking:create', { resourceId: resource.id, ...slot(hour) })).booking.id;
    }

    async function watch(socket: ClientSocket, resourceIds: string[] | null): Promise<void> {
      expect(await send(socket, 'slots:watch', { resourceIds })).toEqual({ ok: true, data: {} });
    }

    it('a watcher of A on node 2 hears A’s changes made on node 1 and not B’s; a default client and staff hear both', async () => {
      const watcher = await client(1, 'watcher');
      const plain = await client(1, 'plain');
      const admin = await connectAdmin(nodeUrl(1), staffToken);
      sockets.push(admin);
      const [w, p, s] = [heard(watcher), heard(plain), heard(admin)];
      await watch(watcher, [A.id]);

      const onB = await book(B);
      const onA = await book(A);
      await waitFor('A’s change at the watcher', () => ids(w).includes(onA));
      await waitFor('both changes at the default client', () => ids(p).includes(onA));
      await waitFor('both changes on /admin', () => ids(s).includes(onA));
      // The premise of the sentinel: one node's changes arrive in commit order.
      expect(ids(p)).toEqual([onB, onA]);
      expect(ids(s)).toEqual([onB, onA]);
      expect(ids(w)).toEqual([onA]);
      expect(w.every((e) => e.resourceId === A.id)).toBe(true);
      // Every kind of change of a watched resource, not only bookings.
      const moved = await send(booker, 'booking:modify', { bookingId: onA, ...slot(hour + 50) });
      expect(moved.ok).toBe(true);
      const cancelledB = unwrap(await send(booker, 'booking:cancel', { bookingId: onB })).booking.id;
      const cancelledA = unwrap(await send(booker, 'booking:cancel', { bookingId: onA })).booking.id;
      await waitFor('the cancel of A at the watcher', () =>
        w.some((e) => e.change === 'released' && e.bookingId === cancelledA),
      );
      expect(w.map((e) => e.change)).toEqual(['booked', 'moved', 'released']);
      expect(ids(w)).not.toContain(cancelledB);
      await waitFor('everything at the default client', () => p.length === 5);
    });

    it('a new watch replaces the old one; null hears every resource again', async () => {
      const watcher = await client(1, 'rewatch');
      const w = heard(watcher);
      await watch(watcher, [A.id, B.id]);
      await watch(watcher, [C.id]);
      const onA = await book(A);
      const onB = await book(B);
      const onC = await book(C);
      await waitFor('C’s change', () => ids(w).includes(onC));
      expect(ids(w)).toEqual([onC]);
      expect([onA, onB].some((id) => ids(w).includes(id))).toBe(false);

      await watch(watcher, null);
      const all = [await book(A), await book(B), await book(C)];
      await waitFor('every resource again', () => all.every((id) => ids(w).includes(id)));
      expect(ids(w)).toEqual([onC, ...all]);

      // An empty list hears nothing. The sentinel here is seen by a default client on the same node:
      // once it has A's change, the watcher has had its chance at both.
      const plain = await client(1, 'rewatchplain');
      const p = heard(plain);
      await watch(watcher, []);
      const onNothing = await book(B);
      const sentinel = await book(A);
      await waitFor('the sentinel at the default client', () => ids(p).includes(sentinel));
      expect(ids(p)).toEqual([onNothing, sentinel]);
      await watch(watcher, [A.id]);
      const afterwards = await book(A);
      await waitFor('the watch of A after the empty one', () => ids(w).includes(afterwards));
      expect(ids(w)).toEqual([onC, ...all, afterwards]);
    });

    it('a watch belongs to its connection: another connection of the same user, and a reconnect, hear every resource', async () => {
      const user = await registerUser(nodeUrl(0), `${mode}tabs`);
      const first = await connectClient(nodeUrl(1), user.token);
      const second = await connectClient(nodeUrl(1), user.token);
      sockets.push(first, second);
      await watch(first, [A.id]);
      const [f, s] = [heard(first), heard(second)];
      const onB = await book(B);
      await waitFor('B at the other tab', () => ids(s).includes(onB));

      // A new connection (what a reconnect is) starts with the default again.
      first.close();
      const again = await connectClient(nodeUrl(1), user.token);
      sockets.push(again);
      const g = heard(again);
      const onB2 = await book(B);
      await waitFor('B at the new connection', () => ids(g).includes(onB2));
      expect(ids(f)).toEqual([]);
    });

    it('a malformed watch answers VALIDATION_ERROR and leaves the watch as it was; 200 ids are fine', async () => {
      const watcher = await client(1, 'validate');
      const w = heard(watcher);
      await watch(watcher, [A.id]);
      const many = (n: number) => Array.from({ length: n }, (_, i) => `res-${i}`);
      const bad: unknown[] = [
        { resourceIds: many(MAX_WATCHED_RESOURCES + 1) },
        { resourceIds: B.id },
        { resourceIds: 7 },
        { resourceIds: { 0: B.id } },
        { resourceIds: [B.id, 7] },
        { resourceIds: [''] },
        { resourceIds: ['x'.repeat(65)] },
        { resourceIds: [null] },
        {},
        { resourceIds: [B.id], extra: true },
        null,
        [B.id],
        'x',
      ];
      for (const payload of bad) {
        const ack = await sendRaw(watcher, 'slots:watch', [payload]);
        expect({ payload, ack }).toMatchObject({ ack: { ok: false, error: { code: 'VALIDATION_ERROR' } } });
      }
      expect(await sendRaw(watcher, 'slots:watch', [])).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_ERROR' },
      });
      // Still watching exactly A: B's change is not heard, A's is.
      const onB = await book(B);
      const onA = await book(A);
      await waitFor('A’s change', () => ids(w).includes(onA));
      expect(ids(w)).toEqual([onA]);
      expect(ids(w)).not.toContain(onB);

      // The limit itself is accepted, duplicates and ids that name nothing included.
      await watch(watcher, [...many(MAX_WATCHED_RESOURCES - 2), B.id, B.id]);
      const onA2 = await book(A);
      const onB2 = await book(B);
      await waitFor('B’s change under the 200-id watch', () => ids(w).includes(onB2));
      expect(ids(w)).toEqual([onA, onB2]);
      expect(ids(w)).not.toContain(onA2);
    });

    it('changes the notifier broadcasts (its emitter, as for a no-show release) respect the watch', async () => {
      const watcher = await client(1, 'emitted');
      const plain = await client(1, 'emittedplain');
      const [w, p] = [heard(watcher), heard(plain)];
      await watch(watcher, [A.id]);
      // The notifier's emitter, built as the notifier builds it, on this deployment's Redis and names.
      const node = h.node;
      const emitter = createSocketEmitter({ redis: node.stores.redis, names: node.stores.names, logger: node.logger });
      const event = (resource: Resource, bookingId: string): SlotChanged => {
        const iv = slot(hour + 200);
        return {
          resourceId: resource.id,
          bookingId,
          change: 'released',
          start: iv.start,
          end: iv.end,
          version: 1_000,
          at: new Date().toISOString(),
          quantity: 1,
          status: 'cancelled',
        };
      };
      emitter.to(slotChangedRooms(B.id, null)).emit('slot:changed', event(B, `${mode}-emitted-B`));
      emitter.to(slotChangedRooms(A.id, null)).emit('slot:changed', event(A, `${mode}-emitted-A`));
      await waitFor('the emitted A at the watcher', () => ids(w).includes(`${mode}-emitted-A`));
      await waitFor('both at the default client', () => ids(p).includes(`${mode}-emitted-A`));
      expect(ids(p)).toEqual([`${mode}-emitted-B`, `${mode}-emitted-A`]);
      expect(ids(w)).toEqual([`${mode}-emitted-A`]);
    });
  },
);
