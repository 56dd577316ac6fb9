/**
 * The benchmark scenarios against running booking nodes (any process layout: stack children,
 * external URLs, or in-process nodes in the smoke test). Every scenario is bounded by a count and
 * a time limit and stops by itself.
 */
import { ClientErrorCode, emitRaw } from '@booking/client';
import type { SlotChanged } from '@booking/shared';
import { closeAll, command, connectMany, hourSlot } from './client';
import type { BenchSocket } from './client';
import { closedLoop, sleep, summarize } from './stats';
import type { LatencySummary } from './stats';

/** The server's per-socket budget is 50 commands/s; each client loop stays under it. */
export const PER_SOCKET_MIN_INTERVAL_MS = 22; // ≤ 45.5 commands/s per socket

export interface MemorySample {
  name: string;
  rssBytes: number;
  heapUsedBytes?: number;
}
export type MemoryProbe = () => Promise<MemorySample[]>;

/** Failed commands by code: how many, and the first one's message (what the server said). */
export type Failures = Record<string, { count: number; message: string }>;

/** One failure, as a command's outcome or a thrown error carries it. */
export interface Failure {
  code: string;
  message: string;
}

export interface ThroughputResult {
  sockets: number;
  /** Highest rate the client pacing allows (sockets × 1000 / min interval). */
  clientCapPerSecond: number;
  ok: number;
  failed: number;
  failures: Failures;
  elapsedMs: number;
  perSecond: number;
  latency: LatencySummary;
}

function tally(into: Record<string, number>, code: string): void {
  into[code] = (into[code] ?? 0) + 1;
}

export function tallyFailure(into: Failures, failure: Failure): void {
  const seen = into[failure.code];
  if (seen) seen.count += 1;
  else into[failure.code] = { count: 1, message: failure.message };
}

export function throughput(
  sockets: number,
  run: { elapsedMs: number; latencies: number[]; ok: number; failed: number },
  failures: Failures,
  interval: number,
): ThroughputResult {
  return {
    sockets,
    clientCapPerSecond: Math.round((sockets * 1000) / interval),
    ok: run.ok,
    failed: run.failed,
    failures,
    elapsedMs: Math.round(run.elapsedMs),
    perSecond: Math.round((run.ok / run.elapsedMs) * 1000 * 10) / 10,
    latency: summarize(run.latencies),
  };
}

/**
 * One paced closed loop over sockets: worker w sends on socket w; `send` answers null for success
 * or the failure, which is tallied.
 */
async function socketLoop(
  opts: { sockets: readonly BenchSocket[]; total: number; maxMs: number; minIntervalMs?: number },
  send: (socket: BenchSocket, worker: number, seq: number) => Promise<Failure | null>,
): Promise<ThroughputResult> {
  const interval = opts.minIntervalMs ?? PER_SOCKET_MIN_INTERVAL_MS;
  const failures: Failures = {};
  const run = await closedLoop({
    workers: opts.sockets.length,
    total: opts.total,
    maxMs: opts.maxMs,
    minIntervalMs: interval,
    op: async (w, seq) => {
      const socket = opts.sockets[w];
      if (!socket) return false;
      const failure = await send(socket, w, seq);
      if (failure !== null) tallyFailure(failures, failure);
      return failure === null;
    },
  });
  return throughput(opts.sockets.length, run, failures, interval);
}

/** 1. `booking:create` on distinct resources: one resource per socket, successive hours. */
export async function distinctBookings(opts: {
  sockets: readonly BenchSocket[];
  resourceIds: readonly string[];
  total: number;
  maxMs: number;
  /** Hours after the next whole hour where this run's slots begin (phases use disjoint ranges). */
  hourBase: number;
  minIntervalMs?: number;
  warmup?: boolean;
}): Promise<ThroughputResult> {
  const failures: Failures = {};
  const interval = opts.minIntervalMs ?? PER_SOCKET_MIN_INTERVAL_MS;
  const op = async (worker: number, seq: number, offset: number): Promise<boolean> => {
    const socket = opts.sockets[worker];
    const resourceId = opts.resourceIds[worker];
    if (!socket || !resourceId) return false;
    const res = await command(socket, 'booking:create', { resourceId, ...hourSlot(offset + seq) });
    if (!res.ok) tallyFailure(failures, res);
    return res.ok;
  };
  // Warm-up: one booking per socket (connection pools, JIT, plan cache), far ahead, not measured.
  if (opts.warmup) {
    await closedLoop({
      workers: opts.sockets.length,
      total: opts.sockets.length,
      maxMs: 20_000,
      minIntervalMs: PER_SOCKET_MIN_INTERVAL_MS,
      op: (w, s) => op(w, s, 8000),
    });
    for (const k of Object.keys(failures)) delete failures[k];
  }
  const run = await closedLoop({
    workers: opts.sockets.length,
    total: opts.total,
    maxMs: opts.maxMs,
    minIntervalMs: interval,
    op: (w, s) => op(w, s, opts.hourBase),
  });
  return throughput(opts.sockets.length, run, failures, interval);
}

export interface ContentionResult {
  racers: number;
  rounds: number;
  winnersPerRound: number[];
  /** Outcome codes of the losers, all rounds together (`SLOT_TAKEN` expected). */
  loserOutcomes: Record<string, number>;
  loserLatency: LatencySummary;
  winnerLatency: LatencySummary;
  /** Losers answered SLOT_TAKEN within 1 s, over all losers. */
  losersSlotTakenWithin1s: number;
  losers: number;
}

/** 2. `racers` sockets send the same `booking:create` at once; repeated on fresh slots. */
export async function contention(opts: {
  sockets: readonly BenchSocket[];
  resourceId: string;
  rounds: number;
  hourOffset: number;
}): Promise<ContentionResult> {
  const winnersPerRound: number[] = [];
  const loserOutcomes: Record<string, number> = {};
  const loserMs: number[] = [];
  const winnerMs: number[] = [];
  let within = 0;
  for (let round = 0; round < opts.rounds; round += 1) {
    const payload = { resourceId: opts.resourceId, ...hourSlot(opts.hourOffset + round) };
    const t0 = performance.now();
    const results = await Promise.all(
      opts.sockets.map(async (s) => {
        const res = await command(s, 'booking:create', payload, 10_000);
        return { res, ms: performance.now() - t0 };
      }),
    );
    let winners = 0;
    for (const { res, ms } of results) {
      if (res.ok) {
        winners += 1;
        winnerMs.push(ms);
      } else {
        tally(loserOutcomes, res.code);
        loserMs.push(ms);
        if (res.code === 'SLOT_TAKEN' && ms <= 1000) within += 1;
      }
    }
    winnersPerRound.push(winners);
    await sleep(200);
  }
  return {
    racers: opts.sockets.length,
    rounds: opts.rounds,
    winnersPerRound,
    loserOutcomes,
    loserLatency: summarize(loserMs),
    winnerLatency: summarize(winnerMs),
    losersSlotTakenWithin1s: within,
    losers: loserMs.length,
  };
}

/** 3. `availability:get` with a warm cache: the same few ranges, read after one filling read each. */
export async function cachedAvailability(opts: {
  sockets: readonly BenchSocket[];
  resourceIds: readonly string[];
  total: number;
  maxMs: number;
  minIntervalMs?: number;
}): Promise<ThroughputResult> {
  const first = hourSlot(0).start;
  const from = new Date(Math.floor(Date.parse(first) / 86_400_000) * 86_400_000);
  const range = { from: from.toISOString(), to: new Date(from.getTime() + 2 * 86_400_000).toISOString() };
  const warmSocket = opts.sockets[0];
  if (!warmSocket) throw new Error('no socket');
  for (const resourceId of opts.resourceIds) await command(warmSocket, 'availability:get', { resourceId, ...range });
  return socketLoop(opts, async (socket, w, seq) => {
    const resourceId = opts.resourceIds[(w + seq) % opts.resourceIds.length];
    if (!resourceId) return { code: 'NO_RESOURCE', message: 'no resource for this worker' };
    const res = await command(socket, 'availability:get', { resourceId, ...range });
    return res.ok ? null : res;
  });
}

/**
 * 6. `slots:find` for one week over many resources of one type (every call scans them all: the
 * earliest free hour of each, from cached busy days). Its p99 is compared with 3's.
 */
export async function slotSearch(opts: {
  sockets: readonly BenchSocket[];
  type: string;
  total: number;
  maxMs: number;
  minIntervalMs?: number;
}): Promise<ThroughputResult> {
  const from = new Date(Date.parse(hourSlot(24).start));
  const query = {
    from: from.toISOString(),
    to: new Date(from.getTime() + 7 * 86_400_000).toISOString(),
    minutes: 60,
    type: opts.type,
    limit: 20,
  };
  const warmSocket = opts.sockets[0];
  if (!warmSocket) throw new Error('no socket');
  await command(warmSocket, 'slots:find', query); // fills the cache for every resource and day
  return socketLoop(opts, async (socket) => {
    const res = await command(socket, 'slots:find', query);
    return res.ok ? null : res;
  });
}

/** The bare Socket.IO counterpart of 3: an `echo` command acked straight back. */
export async function bareEcho(opts: {
  sockets: readonly BenchSocket[];
  total: number;
  maxMs: number;
  minIntervalMs?: number;
}): Promise<ThroughputResult> {
  const payload = {
    resourceId: '0123456789abcdef01234567',
    from: new Date().toISOString(),
    to: new Date().toISOString(),
  };
  // `echo` is the bare server's own event, outside the booking event maps.
  return socketLoop(opts, async (socket) =>
    (await emitRaw(socket, 'echo', [payload], 10_000)).answered
      ? null
      : { code: ClientErrorCode.TIMEOUT, message: 'no echo within 10000 ms' },
  );
}

export interface MemoryResult {
  idleSockets: number;
  before: MemorySample[];
  after: MemorySample[];
  rssDeltaBytes: number;
  /** Total RSS growth over all server processes divided by the sockets connected. */
  rssBytesPerSocket: number;
  heapBytesPerSocket: number | null;
}

/** 5. Server memory before and after connecting `count` idle sockets (kept open for 4.). */
export async function idleMemory(opts: {
  probe: MemoryProbe;
  connect: (count: number) => Promise<BenchSocket[]>;
  count: number;
  settleMs: number;
}): Promise<{ result: MemoryResult; sockets: BenchSocket[] }> {
  await sleep(opts.settleMs);
  const before = await opts.probe();
  const sockets = await opts.connect(opts.count);
  await sleep(opts.settleMs);
  const after = await opts.probe();
  const sum = (xs: MemorySample[], f: (m: MemorySample) => number | undefined) =>
    xs.reduce((a, m) => a + (f(m) ?? 0), 0);
  const rssDelta = sum(after, (m) => m.rssBytes) - sum(before, (m) => m.rssBytes);
  const hasHeap = after.every((m) => m.heapUsedBytes !== undefined);
  const heapDelta = sum(after, (m) => m.heapUsedBytes) - sum(before, (m) => m.heapUsedBytes);
  return {
    sockets,
    result: {
      idleSockets: sockets.length,
      before,
      after,
      rssDeltaBytes: rssDelta,
      rssBytesPerSocket: Math.round(rssDelta / Math.max(1, sockets.length)),
      heapBytesPerSocket: hasHeap ? Math.round(heapDelta / Math.max(1, sockets.length)) : null,
    },
  };
}

export interface FanoutResult {
  clients: number;
  rounds: number;
  /** Deliveries seen over all rounds (clients × rounds when none was missed). */
  delivered: number;
  missed: number;
  /** From the server's `at` stamp (taken just before the emit) to each client's receipt. */
  fromEmit: LatencySummary;
  /** From the moment the trigger was sent (booking:create, or POST /emit) to each receipt. */
  fromTrigger: LatencySummary;
}

/**
 * 4. Fan-out: `trigger(round)` causes one `slot:changed` whose `start` is `key`; every socket
 * notes when it arrives. Latency is receipt time minus the event's `at` (same machine clock, ms).
 */
export async function fanout(opts: {
  sockets: readonly BenchSocket[];
  rounds: number;
  timeoutMs: number;
  trigger: (round: number) => Promise<{ start: string }>;
  keyOf: (round: number) => string;
}): Promise<FanoutResult> {
  const fromEmit: number[] = [];
  const fromTrigger: number[] = [];
  let missed = 0;
  for (let round = 0; round < opts.rounds; round += 1) {
    const key = opts.keyOf(round);
    let got = 0;
    let sentAt = 0;
    let allIn: () => void = () => {};
    const done = new Promise<void>((r) => {
      allIn = r;
    });
    const listener = (e: SlotChanged) => {
      if (e.start !== key) return;
      const now = Date.now();
      fromEmit.push(now - Date.parse(e.at));
      fromTrigger.push(now - sentAt);
      got += 1;
      if (got === opts.sockets.length) allIn();
    };
    for (const s of opts.sockets) s.on('slot:changed', listener);
    sentAt = Date.now();
    await opts.trigger(round);
    await Promise.race([done, sleep(opts.timeoutMs)]);
    for (const s of opts.sockets) s.off('slot:changed', listener);
    missed += opts.sockets.length - got;
    await sleep(100);
  }
  return {
    clients: opts.sockets.length,
    rounds: opts.rounds,
    delivered: fromEmit.length,
    missed,
    fromEmit: summarize(fromEmit),
    fromTrigger: summarize(fromTrigger),
  };
}

export { closeAll, connectMany };
