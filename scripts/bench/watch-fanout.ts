/**
 * 4w. Fan-out with `slots:watch`: the same clients as scenario 4 each watch one of many resources
 * (round-robin), and bookings go round-robin over those resources, so each booking reaches only
 * its resource's watchers. The same booking loop without watching (every client hears every
 * booking) is its baseline: node CPU per booking and delivery latency over as many bookings.
 */
import type { SlotChanged } from '@booking/shared';
import { command, hourSlot } from './client';
import type { BenchSocket } from './client';
import { sleep, summarize } from './stats';
import type { LatencySummary } from './stats';
import { PER_SOCKET_MIN_INTERVAL_MS, tallyFailure } from './scenarios';
import type { Failures } from './scenarios';

/** Sends `slots:watch` on every socket (`null`: every resource); throws on the first refusal. */
export async function watchAll(
  sockets: readonly BenchSocket[],
  resourceIdsOf: (i: number) => string[] | null,
  batch = 50,
): Promise<void> {
  for (let i = 0; i < sockets.length; i += batch) {
    const part = sockets.slice(i, i + batch);
    const answers = await Promise.all(
      part.map((s, j) => command(s, 'slots:watch', { resourceIds: resourceIdsOf(i + j) })),
    );
    const refused = answers.find((a) => !a.ok);
    if (refused && !refused.ok) throw new Error(`slots:watch refused: ${refused.code}: ${refused.message}`);
  }
}

export interface WatchFanoutResult {
  clients: number;
  resources: number;
  /** false: nobody watches (every client hears every booking, the default). */
  watching: boolean;
  /** Bookings sent, and acked as booked. */
  bookings: number;
  booked: number;
  failures: Failures;
  /** Deliveries that should have arrived (each booked booking × the clients that hear its resource). */
  expected: number;
  delivered: number;
  missed: number;
  /** Events a client should not have had: another resource's (when watching), or one twice. */
  extra: number;
  /** Client receipt time minus the event's `at` (stamped just before the emit). */
  fromEmit: LatencySummary;
  elapsedMs: number;
}

/**
 * Books `bookings` whole hours, booking k on `resourceIds[k % n]` from `bookers[k % bookers]`, one
 * at a time, each booker at most one command per PER_SOCKET_MIN_INTERVAL_MS: each waits until every client that hears its resource has it (or `timeoutMs`), so
 * both variants run at the same pace. Client i hears `resourceIds[i % n]` when `watching`, every
 * resource otherwise. Stops at `maxMs`.
 */
export async function watchedFanout(opts: {
  sockets: readonly BenchSocket[];
  bookers: readonly BenchSocket[];
  resourceIds: readonly string[];
  watching: boolean;
  bookings: number;
  /** Hours after the next whole hour where this run's slots begin (runs use disjoint ranges). */
  hourBase: number;
  timeoutMs: number;
  maxMs: number;
}): Promise<WatchFanoutResult> {
  const n = opts.resourceIds.length;
  if (n === 0 || opts.bookers.length === 0) throw new Error('watchedFanout needs resources and bookers');
  const ours = new Set(opts.resourceIds);
  const heardBy = (resourceId: string): number => {
    if (!opts.watching) return opts.sockets.length;
    const r = opts.resourceIds.indexOf(resourceId);
    // Clients r, r + n, r + 2n, … watch resource r.
    return r < 0 || r >= opts.sockets.length ? 0 : Math.ceil((opts.sockets.length - r) / n);
  };
  const keyOf = (resourceId: string, start: string) => `${resourceId}|${new Date(start).toISOString()}`;

  const fromEmit: number[] = [];
  /** Per client: the bookings (keys) it received. */
  const received = opts.sockets.map(() => new Map<string, number>());
  const arrivals = new Map<string, number>();
  let extra = 0;
  let waitingFor: { key: string; count: number; done: () => void } | null = null;
  const listeners = opts.sockets.map((socket, i) => {
    const watched = opts.watching ? opts.resourceIds[i % n] : null;
    const listener = (e: SlotChanged) => {
      const now = Date.now();
      // Without watching, other resources' changes are legitimately heard: not ours to count.
      if (!ours.has(e.resourceId) && watched === null) return;
      const key = keyOf(e.resourceId, e.start);
      const mine = received[i];
      if (!mine) return;
      const seen = mine.get(key) ?? 0;
      mine.set(key, seen + 1);
      if (seen > 0 || (watched !== null && e.resourceId !== watched)) {
        extra += 1;
        return;
      }
      fromEmit.push(now - Date.parse(e.at));
      const got = (arrivals.get(key) ?? 0) + 1;
      arrivals.set(key, got);
      if (waitingFor && waitingFor.key === key && got >= waitingFor.count) waitingFor.done();
    };
    socket.on('slot:changed', listener);
    return { socket, listener };
  });

  const failures: Failures = {};
  const booked: string[] = [];
  let sent = 0;
  // Each booker stays under the server's per-socket command limit (as every scenario does).
  const lastSent = new Map<BenchSocket, number>();
  const t0 = performance.now();
  const deadline = t0 + opts.maxMs;
  try {
    for (let k = 0; k < opts.bookings && performance.now() < deadline; k += 1) {
      const resourceId = opts.resourceIds[k % n] ?? '';
      const booker = opts.bookers[k % opts.bookers.length];
      if (!booker) break;
      const slot = hourSlot(opts.hourBase + k);
      const key = keyOf(resourceId, slot.start);
      const count = heardBy(resourceId);
      const allIn = new Promise<void>((resolve) => {
        waitingFor = { key, count, done: resolve };
      });
      const wait = (lastSent.get(booker) ?? -Infinity) + PER_SOCKET_MIN_INTERVAL_MS - performance.now();
      if (wait > 0) await sleep(wait);
      lastSent.set(booker, performance.now());
      sent += 1;
      const res = await command(booker, 'booking:create', { resourceId, ...slot });
      if (!res.ok) {
        tallyFailure(failures, res);
        waitingFor = null;
        continue;
      }
      booked.push(key);
      if ((arrivals.get(key) ?? 0) < count)
        await Promise.race([allIn, sleep(Math.min(opts.timeoutMs, Math.max(0, deadline - performance.now())))]);
      waitingFor = null;
    }
    // Late or duplicate deliveries of the last bookings still count (missed or extra).
    await sleep(100);
  } finally {
    for (const { socket, listener } of listeners) socket.off('slot:changed', listener);
  }
  const elapsedMs = performance.now() - t0;

  let expected = 0;
  let delivered = 0;
  for (const key of booked) {
    const resourceId = key.slice(0, key.indexOf('|'));
    expected += heardBy(resourceId);
    delivered += Math.min(heardBy(resourceId), arrivals.get(key) ?? 0);
  }
  // A delivery of a booking that was not acked as booked (a failed or timed-out command) is extra.
  const bookedKeys = new Set(booked);
  for (const [key, got] of arrivals) if (!bookedKeys.has(key)) extra += got;
  return {
    clients: opts.sockets.length,
    resources: n,
    watching: opts.watching,
    bookings: sent,
    booked: booked.length,
    failures,
    expected,
    delivered,
    missed: expected - delivered,
    extra,
    fromEmit: summarize(fromEmit),
    elapsedMs: Math.round(elapsedMs),
  };
}
