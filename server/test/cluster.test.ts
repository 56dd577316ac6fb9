/**
 * Scale-out: separate server processes behind the HAProxy gateway, sharing one MongoDB and a
 * Redis of this suite's own (so it can be restarted). Crash, Redis restart and pause faults.
 */
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import type { Ack, Booking, Resource } from '@booking/shared';
import { startRedis } from '../../scripts/lib/embedded-redis';
import type { EmbeddedRedis } from '../../scripts/lib/embedded-redis';
import { registerBookingModel } from '../src/booking/booking.model';
import type { BookingModel } from '../src/booking/booking.model';
import { registerResourceModel } from '../src/resources/resource.model';
import type { ResourceModel } from '../src/resources/resource.model';
import { redisNames } from '../src/infra/channels';
import { healthy, startCluster } from '../../test/support/cluster';
import type { Cluster } from '../../test/support/cluster';
import { overCapacity, overlappingActivePairs } from '../../test/support/invariants';
import {
  clientsAgreeWithDb as agreeWithDb,
  connectedOn,
  dbBusy as dbBusyIn,
  lostAcks as lostAcksIn,
  reconnectingClient,
  storm,
} from '../../test/support/storm';
import { connectClient, createResource, loginStaff, send, slot, unwrap } from '../../test/support/harness';
import type { ClientSocket } from '../../test/support/harness';
import { nextSlotChange, untilBroadcastCrosses } from '../../test/support/broadcast';
import { createUsersIn } from '../../test/support/process-users';
import { waitFor } from '../../test/support/wait';

let redis: EmbeddedRedis;
let cluster: Cluster;
let conn: mongoose.Connection;
let Booking: BookingModel;
let Resources: ResourceModel;
let staffToken: string;
let resources: Resource[];
const sockets: ClientSocket[] = [];

/** A client through the gateway that reconnects by itself, as a browser would. */
async function gatewayClient(token: string): Promise<ClientSocket> {
  const socket = await reconnectingClient(cluster.gateway.url, token);
  sockets.push(socket);
  return socket;
}

const lostAcks = (acked: Map<string, Booking>) => lostAcksIn(Booking, acked);
const dbBusy = (resourceId: string, from: string, to: string) => dbBusyIn(Booking, resourceId, from, to);
const clientsAgreeWithDb = (clients: ClientSocket[], hoursAhead: number) =>
  agreeWithDb({ bookings: Booking, clients, resources, hoursAhead });

beforeAll(async () => {
  redis = await startRedis();
  cluster = await startCluster({ label: 'cluster', count: 2, redisUrl: redis.url });
  conn = await mongoose.createConnection(cluster.mongoUrl).asPromise();
  Booking = registerBookingModel(conn);
  Resources = registerResourceModel(conn);
  staffToken = (await loginStaff(cluster.gateway.url)).token;
  resources = await Promise.all([0, 1].map((i) => createResource(cluster.gateway.url, staffToken, `Cluster ${i}`)));
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await cluster?.stop();
  await conn?.close();
  await redis?.stop();
}, 60_000);

describe('two nodes behind the gateway', () => {
  it('spreads clients over both nodes, and a booking on node A reaches clients on node B', async () => {
    const users = await createUsersIn(conn, { count: 6, label: 'gw' });
    const clients = await Promise.all(users.map((u) => gatewayClient(u.token)));
    await waitFor('websocket upgrades', () => clients.every((c) => c.io.engine.transport.name === 'websocket'));
    expect(await connectedOn(cluster.nodes[0]?.url ?? '')).toBeGreaterThan(0);
    expect(await connectedOn(cluster.nodes[1]?.url ?? '')).toBeGreaterThan(0);

    const [a, b] = await Promise.all(
      users.slice(0, 2).map((u, i) => connectClient(cluster.nodes[i]?.url ?? '', u.token)),
    );
    if (!a || !b) throw new Error('no clients');
    sockets.push(a, b);
    const seen = nextSlotChange(b);
    const booking = unwrap(
      await send(a, 'booking:create', { resourceId: resources[0]?.id ?? '', ...slot(500) }),
    ).booking;
    expect((await seen).bookingId).toBe(booking.id);
  });

  it('clients on different nodes race for one slot: exactly one winner', async () => {
    const users = await createUsersIn(conn, { count: 20, label: 'xr' });
    const clients = await Promise.all(users.map((u, i) => connectClient(cluster.nodes[i % 2]?.url ?? '', u.token)));
    sockets.push(...clients);
    const iv = slot(510);
    const acks = await Promise.all(
      clients.map((c) => send(c, 'booking:create', { resourceId: resources[1]?.id ?? '', ...iv })),
    );
    expect(acks.filter((x) => x.ok)).toHaveLength(1);
    expect(acks.filter((x) => !x.ok).map((x) => (x.ok ? '' : x.error.code))).toEqual(Array(19).fill('SLOT_TAKEN'));
    expect(await overlappingActivePairs(Booking)).toEqual([]);
    expect(await overCapacity(Booking, Resources)).toEqual([]);
  });
});

describe('faults', () => {
  it('kill -9 of one node mid-storm: no overlap, no acked booking lost, clients move to the survivor and resync', async () => {
    const users = await createUsersIn(conn, { count: 12, label: 'kill' });
    const clients = await Promise.all(users.map((u) => gatewayClient(u.token)));
    await waitFor(
      'clients on both nodes',
      async () =>
        (await connectedOn(cluster.nodes[1]?.url ?? '')) > 0 && (await connectedOn(cluster.nodes[0]?.url ?? '')) > 0,
    );
    let killed = false;
    const result = await storm({
      clients,
      resources,
      perClient: 30,
      seed: 7,
      hoursAhead: 600,
      onAck: (n) => {
        if (n === 120 && !killed) {
          killed = true;
          cluster.signal(1, 'SIGKILL');
        }
      },
    });
    expect(killed).toBe(true);
    const lost = await lostAcks(result.acked);
    process.stdout.write(
      `kill -9 storm: sent=${result.sent} acked=${result.sent - result.unacked} successes=${result.acked.size} ` +
        `unacked=${result.unacked} lost=${lost} refused=${JSON.stringify(result.refused)}\n`,
    );
    expect(lost).toBe(0);
    expect(await overlappingActivePairs(Booking)).toEqual([]);
    expect(await overCapacity(Booking, Resources)).toEqual([]);
    expect(clients.every((c) => c.connected)).toBe(true);
    expect(await connectedOn(cluster.nodes[0]?.url ?? '')).toBeGreaterThanOrEqual(clients.length);
    // The killed node starts again (the next tests need both; seconds on a busy machine) while the
    // clients, all on the survivor now, are checked against the database.
    await Promise.all([clientsAgreeWithDb(clients, 600), cluster.start(1)]);
  }, 120_000);

  it('Redis restarted mid-storm: nodes recover by themselves, no overlap, clients resync', async () => {
    const users = await createUsersIn(conn, { count: 10, label: 'redis' });
    const clients = await Promise.all(users.map((u) => gatewayClient(u.token)));
    let restarted: Promise<void> | null = null;
    const result = await storm({
      clients,
      resources,
      perClient: 30,
      seed: 11,
      hoursAhead: 700,
      onAck: (n) => {
        if (n === 80 && !restarted) {
          restarted = (async () => {
            await redis.stop();
            await waitFor(
              'nodes to report Redis gone',
              async () => !(await healthy(cluster.nodes[0]?.url ?? '')),
              10_000,
            );
            await redis.restart();
          })();
        }
      },
    });
    await restarted;
    await waitFor(
      'both nodes healthy again',
      async () => (await healthy(cluster.nodes[0]?.url ?? '')) && (await healthy(cluster.nodes[1]?.url ?? '')),
      30_000,
    );
    const lost = await lostAcks(result.acked);
    process.stdout.write(
      `redis restart storm: sent=${result.sent} acked=${result.sent - result.unacked} successes=${result.acked.size} ` +
        `unacked=${result.unacked} lost=${lost} refused=${JSON.stringify(result.refused)}\n`,
    );
    expect(lost).toBe(0);
    expect(await overlappingActivePairs(Booking)).toEqual([]);
    expect(await overCapacity(Booking, Resources)).toEqual([]);
    await waitFor('clients to reconnect', () => clients.every((c) => c.connected), 30_000);
    await clientsAgreeWithDb(clients, 700);
    // Broadcasts cross nodes again.
    const [u0, u1] = users;
    if (!u0 || !u1) throw new Error('no users');
    const a = await connectClient(cluster.nodes[0]?.url ?? '', u0.token);
    const b = await connectClient(cluster.nodes[1]?.url ?? '', u1.token);
    sockets.push(a, b);
    await untilBroadcastCrosses({
      what: 'a cross-node broadcast after the restart',
      from: a,
      to: b,
      resourceId: resources[0]?.id ?? '',
      slotAt: () => slot(800 + Math.floor(Math.random() * 5000)),
    });
  }, 120_000);

  it('a node paused (SIGSTOP) while holding a lock past its lifetime cannot double-book when it resumes', async () => {
    const [ua, ub] = await createUsersIn(conn, { count: 2, label: 'paused' });
    if (!ua || !ub) throw new Error('no users');
    const a = await connectClient(cluster.nodes[0]?.url ?? '', ua.token);
    const b = await connectClient(cluster.nodes[1]?.url ?? '', ub.token);
    sockets.push(a, b);
    const resourceId = resources[1]?.id ?? '';
    const lockKey = redisNames(cluster.prefix).lock(resourceId);
    const watcher = new Redis(redis.url);
    try {
      let frozen: {
        iv: { start: string; end: string };
        ack: Promise<Ack<{ booking: Booking }>>;
        lockValue: string;
      } | null = null;
      for (let attempt = 0; attempt < 40 && !frozen; attempt += 1) {
        const iv = slot(900 + attempt);
        const ack = send(a, 'booking:create', { resourceId, ...iv }, 30_000);
        // Freeze node A the moment it holds the lock.
        const deadline = Date.now() + 2000;
        let held = false;
        while (!held && Date.now() < deadline) held = (await watcher.exists(lockKey)) === 1;
        if (held) {
          cluster.signal(0, 'SIGSTOP');
          const lockValue = await watcher.get(lockKey);
          if (lockValue !== null) {
            frozen = { iv, ack, lockValue };
            break;
          }
          cluster.signal(0, 'SIGCONT');
        }
        await ack;
      }
      if (!frozen) throw new Error('never caught node A holding the lock');
      const paused = frozen;
      // The lease runs out while A is paused; B books the same slot on the other node.
      await waitFor(
        'the paused holder’s lock to expire',
        async () => (await watcher.exists(lockKey)) === 0,
        10_000,
        50,
      );
      let otherSettled = false;
      const other = send(b, 'booking:create', { resourceId, ...paused.iv }, 60_000).finally(() => {
        otherSettled = true;
      });
      // A resumes only once B is inside its critical section: B holds the lock (a value of its
      // own under the key) or has already answered.
      await waitFor(
        'B to take the lock (or answer)',
        async () => {
          if (otherSettled) return true;
          const value = await watcher.get(lockKey);
          return value !== null && value !== paused.lockValue;
        },
        20_000,
        5,
      );
      cluster.signal(0, 'SIGCONT');
      const [ackA, ackB] = await Promise.all([paused.ack, other]);
      const wins = [ackA, ackB].filter((x) => x.ok).length;
      process.stdout.write(
        `SIGSTOP: paused node ${ackA.ok ? 'won' : ackA.error.code}, other node ${ackB.ok ? 'won' : ackB.error.code}\n`,
      );
      // Exactly one: the paused holder must not double-book, and must not make both lose either.
      expect(wins).toBe(1);
      expect([ackA, ackB].every((x) => x.ok || x.error.code === 'SLOT_TAKEN' || x.error.code === 'BUSY')).toBe(true);
      expect(await dbBusy(resourceId, paused.iv.start, paused.iv.end)).toHaveLength(wins);
      expect(await overlappingActivePairs(Booking)).toEqual([]);
      expect(await overCapacity(Booking, Resources)).toEqual([]);
    } finally {
      cluster.signal(0, 'SIGCONT');
      watcher.disconnect();
    }
  }, 120_000);
});
