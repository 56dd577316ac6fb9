/**
 * Redis faults against real processes: two nodes behind the HAProxy gateway on a Redis of this
 * suite's own, stopped in the middle of a storm (with locks on, then off), and nodes started
 * while Redis is away. Booking goes on without Redis (the fence in MongoDB is the guarantee;
 * locks are skipped, broadcasts and relay wakes are dropped and counted), no node exits, and
 * everything heals when Redis returns.
 */
import mongoose from 'mongoose';
import type { Resource } from '@booking/shared';
import { startRedis } from '../../scripts/lib/embedded-redis';
import type { EmbeddedRedis } from '../../scripts/lib/embedded-redis';
import { registerBookingModel } from '../src/booking/booking.model';
import type { BookingModel } from '../src/booking/booking.model';
import { registerResourceModel } from '../src/resources/resource.model';
import type { ResourceModel } from '../src/resources/resource.model';
import { healthy, startCluster } from '../../test/support/cluster';
import type { Cluster } from '../../test/support/cluster';
import { uniqueName } from '../../test/support/env';
import { overCapacity, overlappingActivePairs } from '../../test/support/invariants';
import {
  connectClient,
  createResource,
  loginStaff,
  registerUser,
  send,
  slot,
  unwrap,
} from '../../test/support/harness';
import type { ClientSocket } from '../../test/support/harness';
import { nextSlotChange, untilBroadcastCrosses } from '../../test/support/broadcast';
import { spawnServerProcess } from '../../test/support/spawn';
import { clientsAgreeWithDb, lostAcks, reconnectingClient, storm } from '../../test/support/storm';
import { waitFor } from '../../test/support/wait';

const sockets: ClientSocket[] = [];
const cleanups: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const s of sockets) s.close();
  for (const clean of cleanups.reverse()) await clean().catch(() => undefined);
}, 60_000);

/** A sample of one node's /metrics (0 when absent). */
async function metric(url: string, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return Number(line?.split(' ')[1] ?? 0);
}

/** Nodes report the fault: 503 on /healthz from both. */
async function bothUnhealthy(cluster: Cluster): Promise<boolean> {
  const states = await Promise.all(cluster.nodes.map((n) => healthy(n.url)));
  return states.every((ok) => !ok);
}

async function bothHealthy(cluster: Cluster): Promise<boolean> {
  const states = await Promise.all(cluster.nodes.map((n) => healthy(n.url)));
  return states.every(Boolean);
}

describe.each([
  { locks: 'on', seed: 31 },
  { locks: 'off', seed: 37 },
])('Redis stopped mid-storm, two nodes, locks $locks', ({ locks, seed }) => {
  let redis: EmbeddedRedis;
  let cluster: Cluster;
  let conn: mongoose.Connection;
  let Booking: BookingModel;
  let Resources: ResourceModel;
  let resources: Resource[];

  beforeAll(async () => {
    redis = await startRedis();
    cleanups.push(() => redis.stop());
    cluster = await startCluster({
      label: `faults-${locks}`,
      count: 2,
      redisUrl: redis.url,
      env: { BOOKING_LOCKS: locks },
    });
    cleanups.push(() => cluster.stop());
    conn = await mongoose.createConnection(cluster.mongoUrl).asPromise();
    cleanups.push(() => conn.close());
    Booking = registerBookingModel(conn);
    Resources = registerResourceModel(conn);
    const staff = await loginStaff(cluster.gateway.url);
    resources = await Promise.all(
      [0, 1, 2].map((i) => createResource(cluster.gateway.url, staff.token, `Faulty ${locks} ${i}`)),
    );
  }, 120_000);

  it('no node exits, no overlap, every acked booking stored, and nodes and clients recover', async () => {
    const users = await Promise.all(
      Array.from({ length: 10 }, (_, i) => registerUser(cluster.gateway.url, `rd${locks}${i}`)),
    );
    const clients = await Promise.all(users.map((u) => reconnectingClient(cluster.gateway.url, u.token)));
    sockets.push(...clients);

    // The outage: Redis stops at the 60th ack and returns once 80 commands succeeded without it.
    let phase: 'before' | 'down' | 'after' = 'before';
    const okBy = { before: 0, down: 0, after: 0 };
    let outage: Promise<void> | null = null;
    const result = await storm({
      clients,
      resources,
      perClient: 40,
      seed,
      hoursAhead: 1000,
      onAck: (n, ok) => {
        if (ok) okBy[phase] += 1;
        if (n === 60 && !outage) {
          outage = (async () => {
            await redis.stop();
            phase = 'down';
            await waitFor('both nodes to report Redis gone (503)', () => bothUnhealthy(cluster), 10_000, 100);
            await waitFor('bookings to succeed while Redis is away', () => okBy.down >= 80, 60_000, 50);
            await redis.restart();
            phase = 'after';
          })();
        }
      },
    });
    await outage;
    await waitFor('both nodes healthy again', () => bothHealthy(cluster), 30_000, 100);

    const exits = cluster.nodes.filter((n) => !n.proc?.running()).length;
    const lost = await lostAcks(Booking, result.acked);
    const published = await Promise.all(
      cluster.nodes.map((n) => metric(n.url, 'booking_faults_total', 'kind="publish"')),
    );
    process.stdout.write(
      `redis-down storm (locks ${locks}): sent=${result.sent} acked=${result.sent - result.unacked} successes=${result.acked.size} ` +
        `ok before/during/after the outage=${okBy.before}/${okBy.down}/${okBy.after} unacked=${result.unacked} lost=${lost} ` +
        `node exits=${exits} refused=${JSON.stringify(result.refused)} publishes dropped=${published.join('+')}\n`,
    );
    expect(exits).toBe(0);
    expect(lost).toBe(0);
    expect(okBy.down).toBeGreaterThanOrEqual(80);
    expect(await overlappingActivePairs(Booking)).toEqual([]);
    expect(await overCapacity(Booking, Resources)).toEqual([]);
    // The outage was survived, not avoided: the nodes counted the broadcasts Redis did not take.
    expect(published.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    // Clients recover: connected, their availability equals the database's, and a booking on one
    // node reaches a client on the other through Redis again.
    await waitFor('clients to be connected', () => clients.every((c) => c.connected), 30_000);
    await clientsAgreeWithDb({ bookings: Booking, clients, resources, hoursAhead: 1000 });
    const [u0, u1] = users;
    if (!u0 || !u1) throw new Error('no users');
    const a = await connectClient(cluster.nodes[0]?.url ?? '', u0.token);
    const b = await connectClient(cluster.nodes[1]?.url ?? '', u1.token);
    sockets.push(a, b);
    let hour = 1100;
    await untilBroadcastCrosses({
      what: 'a cross-node broadcast after Redis returned',
      from: a,
      to: b,
      resourceId: resources[0]?.id ?? '',
      slotAt: () => slot((hour += 1)),
    });
  }, 180_000);
});

describe('a node started while Redis is away', () => {
  it('answers 503 until Redis is up, then 200, and its broadcasts reach the other node', async () => {
    const redis = await startRedis();
    cleanups.push(() => redis.stop());
    await redis.stop();
    const db = uniqueName('redisless');
    const env = { REDIS_URL: redis.url, LOG_LEVEL: 'info' };
    const [n0, n1] = await Promise.all(
      [0, 1].map((i) => spawnServerProcess({ kind: 'node', db, nodeId: `${db}-n${i}`, env, waitReady: false })),
    );
    if (!n0 || !n1) throw new Error('no nodes');
    cleanups.push(async () => void (await Promise.all([n0.stop(), n1.stop()])));
    for (const n of [n0, n1]) {
      await n.waitForLine('"starting without Redis"', (l) => l.line.includes('starting without Redis'), 60_000);
      const res = await waitFor(
        `${n.nodeId} to answer /healthz`,
        () => fetch(`${n.url}/healthz`).catch(() => null),
        30_000,
        100,
      );
      expect(res.status).toBe(503);
    }
    // It serves what needs no Redis meanwhile: a staff login.
    const staff = await loginStaff(n0.url);

    await redis.restart();
    await Promise.all([n0.ready(30_000), n1.ready(30_000)]);
    expect(n0.running() && n1.running()).toBe(true);

    const resource = await createResource(n0.url, staff.token, 'Late Redis');
    const [ua, ub] = await Promise.all([registerUser(n0.url, 'late-a'), registerUser(n1.url, 'late-b')]);
    const a = await connectClient(n0.url, ua.token);
    const b = await connectClient(n1.url, ub.token);
    sockets.push(a, b);
    // The adapter subscribed while Redis was away; its subscription must be live now.
    const seen = nextSlotChange(b);
    const booking = unwrap(await send(a, 'booking:create', { resourceId: resource.id, ...slot(30) })).booking;
    expect((await seen).bookingId).toBe(booking.id);
  }, 120_000);
});
