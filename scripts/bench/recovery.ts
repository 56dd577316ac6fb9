/**
 * Recovery after a crash (docs/design.md "Performance targets": every resource a `kill -9`ed node was
 * booking is bookable again within 5 s). Per round: a storm of bookings and cancellations on a
 * few resources through the node that will die, `kill -9` of that node at a seeded moment, then
 * one booking per resource through the surviving node, retried on `BUSY` (and on no answer) with
 * the same idempotency key as a client library does, timed from the kill to its first `ok`. The
 * dead node is started again before the next round, so a round also meets what the previous
 * kill left behind. Used by `npm run bench` (`BENCH_ONLY=recovery` runs it alone) and by
 * server/test/crash-recovery.test.ts, which asserts the bound.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { closeAll, command, connectMany, hourSlot } from './client';
import type { BenchSocket } from './client';

/** docs/design.md's bound: from the kill to the first successful booking of each resource. */
export const RECOVERY_TARGET_MS = 5000;

export interface RecoveryRound {
  /** From the storm's start to the kill (the storm's first answers, then a seeded 0-2 s). */
  killAfterMs: number;
  /** Storm commands answered before the kill. */
  stormAnswered: number;
  /** The storm's outcomes before the kill (`ok`, error code or TIMEOUT → count). */
  stormOutcomes: Record<string, number>;
  /** From the kill to each resource's first successful booking through the survivor, in resource order; null: none within `giveUpMs`. */
  perResourceMs: Array<number | null>;
  /** The slowest resource (null when one was not booked at all). */
  maxMs: number | null;
  /** Why probe attempts were sent again: BUSY, or TIMEOUT (no answer) → count. */
  retried: Record<string, number>;
  /** Probe answers that were neither ok nor worth retrying (a bug if any): code → count. */
  refused: Record<string, number>;
}

export interface RecoveryResult {
  resources: number;
  clients: number;
  seed: number;
  rounds: RecoveryRound[];
  /** The slowest resource over every round; null when one was never booked again. */
  maxMs: number | null;
  targetMs: number;
  /** How long after a kill the probes kept trying. */
  giveUpMs: number;
  meets: boolean;
}

export interface RecoveryOptions {
  /** The node that is killed: the storm's clients connect to it. */
  victimUrl: string;
  /** The node that lives on: the probes book through it. */
  survivorUrl: string;
  /** Users for the storm's sockets (round-robin; a user may hold 20 connections per node). */
  stormTokens: string[];
  /** Users for the probes, one per resource (round-robin when fewer). */
  probeTokens: string[];
  resourceIds: string[];
  clients: number;
  rounds: number;
  seed: number;
  /** The storm books in the week from this many hours ahead (each round a week of its own), the probes after them; all within the default policy's 365 days. */
  hourBase: number;
  /** `kill -9` of the victim; resolves once it is gone. */
  kill(): Promise<void>;
  /** Resolves once the victim (started again) answers /healthz 200. */
  restarted(): Promise<void>;
  /** Probes stop retrying this long after the kill (the test: the target; the bench: longer, to measure). */
  giveUpMs: number;
  log?: (line: string) => void;
}

/** Deterministic 0..1 sequence (mulberry32), so a seed names the same kill moments every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const QUARTER_MS = 15 * 60_000;
const count = (into: Record<string, number>, code: string) => {
  into[code] = (into[code] ?? 0) + 1;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Storm {
  /** Commands answered so far. */
  answered(): number;
  /** Every outcome so far: `ok`, an error code, or TIMEOUT (no answer within 4 s) → count. */
  outcomes(): Record<string, number>;
  /** Stops sending; resolves once every client's loop ended (those on a dead node end at once). */
  stop(): Promise<void>;
}

/**
 * Every socket books and cancels (30% of its commands cancel one of its own bookings) on random
 * resources and quarter-hours of one week, back to back, until stopped or disconnected.
 */
export function startStorm(opts: {
  sockets: BenchSocket[];
  resourceIds: string[];
  hourBase: number;
  random: () => number;
}): Storm {
  let stopped = false;
  let answered = 0;
  const outcomes: Record<string, number> = {};
  const note = (res: { ok: true } | { ok: false; code: string }) => {
    count(outcomes, res.ok ? 'ok' : res.code);
    if (res.ok || res.code !== 'TIMEOUT') answered += 1;
  };
  const base = Date.parse(hourSlot(opts.hourBase).start);
  const loops = opts.sockets.map(async (socket) => {
    const mine: string[] = [];
    while (!stopped && socket.connected) {
      const cancel = mine.length > 0 && opts.random() < 0.3;
      if (cancel) {
        const bookingId = mine.splice(Math.floor(opts.random() * mine.length), 1)[0] ?? '';
        note(await command(socket, 'booking:cancel', { bookingId }, 4000));
        continue;
      }
      const start = base + Math.floor(opts.random() * 7 * 96) * QUARTER_MS;
      const end = start + QUARTER_MS * (1 + Math.floor(opts.random() * 4));
      const resourceId = opts.resourceIds[Math.floor(opts.random() * opts.resourceIds.length)] ?? '';
      const res = await command(
        socket,
        'booking:create',
        { resourceId, start: new Date(start).toISOString(), end: new Date(end).toISOString() },
        4000,
      );
      note(res);
      if (res.ok) mine.push(res.data.booking.id);
    }
  });
  return {
    answered: () => answered,
    outcomes: () => ({ ...outcomes }),
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

/** Books `resourceId` through `socket` from `t0` on, retrying BUSY and silence with one key; ms from `t0` to the ok. */
async function probe(opts: {
  socket: BenchSocket;
  resourceId: string;
  slot: { start: string; end: string };
  t0: number;
  giveUpMs: number;
  retried: Record<string, number>;
  refused: Record<string, number>;
}): Promise<number | null> {
  const payload = { resourceId: opts.resourceId, ...opts.slot, idempotencyKey: randomUUID() };
  for (let attempt = 0; ; attempt += 1) {
    const left = opts.t0 + opts.giveUpMs - performance.now();
    if (left <= 0) return null;
    // An attempt may outlive the deadline by its own answer time: measured, not cut off.
    const res = await command(opts.socket, 'booking:create', payload, Math.max(left, 2000));
    if (res.ok) return Math.round(performance.now() - opts.t0);
    if (res.code !== 'BUSY' && res.code !== 'TIMEOUT') {
      count(opts.refused, res.code);
      return null;
    }
    count(opts.retried, res.code);
    // The client library's pause after BUSY, kept short here: the figure is the store's recovery.
    await sleep(Math.min(25 * 2 ** attempt, 200));
  }
}

export async function crashRecovery(opts: RecoveryOptions): Promise<RecoveryResult> {
  const log = opts.log ?? (() => {});
  // The kill moments come from the seed alone; the storm's choices from a sequence of their own
  // (how far a storm gets depends on the machine, and must not shift the next round's moment).
  const moments = seeded(opts.seed);
  const probes = await connectMany([opts.survivorUrl], opts.probeTokens, opts.resourceIds.length);
  const rounds: RecoveryRound[] = [];
  try {
    // Warm the survivor's path to every resource (its directory, pools) before any figure.
    const warm = hourSlot(opts.hourBase - 1);
    await Promise.all(
      opts.resourceIds.map(
        (resourceId, i) => probes[i] && command(probes[i], 'booking:create', { resourceId, ...warm }),
      ),
    );
    for (let round = 0; round < opts.rounds; round += 1) {
      const sockets = await connectMany([opts.victimUrl], opts.stormTokens, opts.clients);
      const storm = startStorm({
        sockets,
        resourceIds: opts.resourceIds,
        hourBase: opts.hourBase + round * 7 * 24,
        random: seeded(opts.seed * 31 + round + 1),
      });
      // The seeded moment: 0 to 2 s after every storm socket could have been answered once (a
      // node just started is slow at first), so transactions are in flight on every resource.
      const extraMs = Math.round(moments() * 2000);
      const stormStart = performance.now();
      while (storm.answered() < opts.clients && performance.now() - stormStart < 30_000) await sleep(20);
      await sleep(extraMs);
      const stormAnswered = storm.answered();
      const stormOutcomes = storm.outcomes();
      const t0 = performance.now();
      const retried: Record<string, number> = {};
      const refused: Record<string, number> = {};
      const killed = opts.kill();
      const slot = hourSlot(opts.hourBase + (opts.rounds + 1) * 7 * 24 + round);
      const perResourceMs = await Promise.all(
        opts.resourceIds.map((resourceId, i) => {
          const socket = probes[i];
          return socket
            ? probe({ socket, resourceId, slot, t0, giveUpMs: opts.giveUpMs, retried, refused })
            : Promise.resolve(null);
        }),
      );
      await killed;
      await storm.stop();
      closeAll(sockets);
      const maxMs = perResourceMs.some((ms) => ms === null) ? null : Math.max(...perResourceMs.map((ms) => ms ?? 0));
      rounds.push({
        killAfterMs: Math.round(t0 - stormStart),
        stormAnswered,
        stormOutcomes,
        perResourceMs,
        maxMs,
        retried,
        refused,
      });
      log(
        `recovery round ${round + 1}: kill -9 ${Math.round(t0 - stormStart)} ms into the storm ` +
          `(answered before it: ${JSON.stringify(stormOutcomes)}); ms to book each resource again: ` +
          `[${perResourceMs.map((ms) => ms ?? 'never').join(', ')}] max ${maxMs ?? 'never'}; retried ${JSON.stringify(retried)}`,
      );
      await opts.restarted();
    }
  } finally {
    closeAll(probes);
  }
  const maxMs = rounds.some((r) => r.maxMs === null) ? null : Math.max(...rounds.map((r) => r.maxMs ?? 0));
  return {
    resources: opts.resourceIds.length,
    clients: opts.clients,
    seed: opts.seed,
    rounds,
    maxMs,
    targetMs: RECOVERY_TARGET_MS,
    giveUpMs: opts.giveUpMs,
    meets: maxMs !== null && maxMs <= RECOVERY_TARGET_MS && rounds.every((r) => Object.keys(r.refused).length === 0),
  };
}
