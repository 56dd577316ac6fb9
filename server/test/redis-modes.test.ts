/**
 * One test body, run against one Redis and against a real three-master Redis Cluster (the way
 * @socket.io/redis-adapter runs one suite per setup): two node processes behind the gateway and a
 * notifier process. The race (exactly one winner), `slot:changed` across nodes, the notifier's
 * mail and live notice on another node than the booking's, and cache hits hold in both; on the
 * cluster, the keys really spread over the masters and the adapter really uses sharded channels.
 */
import { Cluster as RedisCluster } from 'ioredis';
import mongoose from 'mongoose';
import type { Notification, Resource } from '@booking/shared';
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { MailCatcher } from '../../scripts/lib/mail-catcher';
import { startRedisCluster } from '../../scripts/lib/embedded-redis-cluster';
import type { EmbeddedRedisCluster } from '../../scripts/lib/embedded-redis-cluster';
import { registerBookingModel } from '../src/booking/booking.model';
import type { BookingModel } from '../src/booking/booking.model';
import { redisNames } from '../src/infra/channels';
import { startCluster } from '../../test/support/cluster';
import type { Cluster } from '../../test/support/cluster';
import { testUrls, uniqueName } from '../../test/support/env';
import { overlappingActivePairs } from '../../test/support/invariants';
import { connectClient, createResource, loginStaff, send, slot, unwrap } from '../../test/support/harness';
import type { ClientSocket } from '../../test/support/harness';
import { nextSlotChange } from '../../test/support/broadcast';
import { createUsersIn } from '../../test/support/process-users';
import { spawnServerProcess } from '../../test/support/spawn';
import type { ServerProcess } from '../../test/support/spawn';
import { waitFor } from '../../test/support/wait';

async function cacheHits(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^booking_cache_hits_total(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? 'NaN');
}

/** Lock attempts a node went on without, because Redis did not take the lock command. */
async function locksSkipped(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('booking_faults_total{') && l.includes('kind="lock_skipped"'));
  return Number(line?.split(' ')[1] ?? 0);
}

/**
 * The Redis Cluster (three servers joined by `redis-cli --cluster create`, seconds) starts with the
 * file, while the single-Redis tests run; the cluster tests wait for it. Its failure is theirs.
 */
let redisClusterStarting: Promise<EmbeddedRedisCluster> | undefined;
beforeAll(() => {
  redisClusterStarting = startRedisCluster();
  redisClusterStarting.catch(() => undefined);
});
afterAll(async () => {
  await redisClusterStarting?.then((c) => c.stop()).catch(() => undefined);
}, 60_000);

describe.each([{ mode: 'single' as const }, { mode: 'cluster' as const }])(
  'two nodes and the notifier on Redis ($mode)',
  ({ mode }) => {
    let redisCluster: EmbeddedRedisCluster | null = null;
    let catcher: MailCatcher;
    let cluster: Cluster;
    let notifier: ServerProcess | undefined;
    let conn: mongoose.Connection;
    let Booking: BookingModel;
    let resources: Resource[];
    const sockets: ClientSocket[] = [];
    const nodeUrl = (i: number) => cluster.nodes[i]?.url ?? '';

    beforeAll(async () => {
      redisCluster = mode === 'cluster' ? ((await redisClusterStarting) ?? null) : null;
      const redisUrl = redisCluster?.url ?? testUrls().redis;
      catcher = await startMailCatcher();
      // The notifier starts beside the nodes (one database, named here), not after them.
      const db = uniqueName(`redis-${mode}`);
      [cluster, notifier] = await Promise.all([
        startCluster({ label: `redis-${mode}`, db, count: 2, redisUrl }),
        spawnServerProcess({ kind: 'notifier', db, env: { SMTP_URL: catcher.smtpUrl, REDIS_URL: redisUrl } }),
      ]);
      conn = await mongoose.createConnection(cluster.mongoUrl).asPromise();
      Booking = registerBookingModel(conn);
      const staff = await loginStaff(cluster.gateway.url);
      resources = await Promise.all(
        [0, 1, 2].map((i) => createResource(cluster.gateway.url, staff.token, `${mode} room ${i}`)),
      );
    }, 120_000);

    afterAll(async () => {
      for (const s of sockets) s.close();
      // Its notifier too: left running, it would take CPU from the next mode's start-up.
      await Promise.all([cluster?.stop(), notifier?.stop()]);
      await conn?.close();
      await catcher?.stop();
    }, 60_000);

    async function clientsOn(count: number, label: string): Promise<ClientSocket[]> {
      const users = await createUsersIn(conn, { count, label: `${mode}${label}` });
      const clients = await Promise.all(users.map((u, i) => connectClient(nodeUrl(i % 2), u.token)));
      sockets.push(...clients);
      return clients;
    }

    it('clients on different nodes race for one slot: exactly one winner', async () => {
      const clients = await clientsOn(20, 'race');
      const iv = slot(700);
      const acks = await Promise.all(
        clients.map((c) => send(c, 'booking:create', { resourceId: resources[0]?.id ?? '', ...iv })),
      );
      expect(acks.filter((x) => x.ok)).toHaveLength(1);
      expect(acks.filter((x) => !x.ok).map((x) => (x.ok ? '' : x.error.code))).toEqual(Array(19).fill('SLOT_TAKEN'));
      expect(await overlappingActivePairs(Booking)).toEqual([]);
      // The locks were really taken (Redlock on the cluster client), not skipped.
      expect(await Promise.all([0, 1].map((i) => locksSkipped(nodeUrl(i))))).toEqual([0, 0]);
    });

    it('a booking on node A reaches a client on node B as slot:changed', async () => {
      const [a, b] = await clientsOn(2, 'cross');
      if (!a || !b) throw new Error('no clients');
      const seen = nextSlotChange(b);
      const booking = unwrap(
        await send(a, 'booking:create', { resourceId: resources[1]?.id ?? '', ...slot(710) }),
      ).booking;
      expect((await seen).bookingId).toBe(booking.id);
    });

    it('the notifier mails the owner and tells the owner’s socket on the other node', async () => {
      const [owner] = await createUsersIn(conn, { count: 1, label: `${mode}owner` });
      if (!owner) throw new Error('no owner');
      const booker = await connectClient(nodeUrl(0), owner.token);
      const watcher = await connectClient(nodeUrl(1), owner.token);
      sockets.push(booker, watcher);
      const notices: Notification[] = [];
      watcher.on('notification', (n) => notices.push(n));
      const booking = unwrap(
        await send(booker, 'booking:create', { resourceId: resources[2]?.id ?? '', ...slot(720) }),
      ).booking;
      const mail = await waitFor(
        'the confirmation mail',
        () => catcher.messages().find((m) => m.headers['x-booking-id'] === booking.id),
        20_000,
        100,
      );
      expect(mail.to).toEqual([owner.user.email]);
      expect(mail.subject).toMatch(/^Booking confirmed/);
      await waitFor('the live notice on the other node', () => notices.some((n) => n.bookingId === booking.id), 10_000);
    });

    it('availability is served from the cache, and a booking elsewhere replaces the cached day', async () => {
      const [reader, writer] = await clientsOn(2, 'cache');
      if (!reader || !writer) throw new Error('no clients');
      const resourceId = resources[1]?.id ?? '';
      const day = { from: slot(800).start, to: slot(824).start };
      unwrap(await send(reader, 'availability:get', { resourceId, ...day }));
      const before = await cacheHits(nodeUrl(0));
      const again = unwrap(await send(reader, 'availability:get', { resourceId, ...day }));
      expect(await cacheHits(nodeUrl(0))).toBeGreaterThan(before);
      expect(again.busy).toEqual([]);
      const booking = unwrap(await send(writer, 'booking:create', { resourceId, ...slot(805) })).booking;
      await waitFor(
        'the reader’s node to serve the new booking',
        async () => {
          const now = unwrap(await send(reader, 'availability:get', { resourceId, ...day }));
          return now.busy.some((b) => b.bookingId === booking.id);
        },
        10_000,
        50,
      );
    });

    if (mode === 'cluster') {
      it('spreads keys over the masters and broadcasts on sharded channels', async () => {
        const seeds = (redisCluster?.ports ?? []).map((port) => ({ host: '127.0.0.1', port }));
        const client = new RedisCluster(seeds);
        try {
          await waitFor('the cluster client', () => client.status === 'ready');
          const masters = client.nodes('master');
          expect(masters).toHaveLength(3);
          const sizes = await Promise.all(masters.map((m) => m.dbsize()));
          expect(sizes.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
          const names = redisNames(cluster.prefix);
          const shardChannels = (
            await Promise.all(masters.map((m) => m.call('PUBSUB', 'SHARDCHANNELS', `${names.socketIo}#*`)))
          ).flat();
          expect(shardChannels).toContain(`${names.socketIo}#/#`);
          // BullMQ's keys all sit in the deployment's one tagged slot.
          const bullKeys = (await Promise.all(masters.map((m) => m.keys(`${names.bull}:*`)))).map((k) => k.length);
          expect(bullKeys.filter((n) => n > 0)).toHaveLength(1);
        } finally {
          client.disconnect();
        }
      });
    }
  },
);
