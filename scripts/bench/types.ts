/**
 * The shapes of a bench run: its sizes (full and tiny), what it runs against, and the report it
 * returns. Shared by run.ts (which measures), report.ts (which renders) and scripts/bench.ts.
 */
import type { CapacityResult, CapacitySizes } from './capacity';
import type { Commit, Machine } from './environment';
import type { HoldsNodes, HoldsResult, HoldsSizes } from './holds';
import type { PhaseLoopDelay } from './loop-delay';
import type { RawMongoResult } from './raw-mongo';
import type { RecoveryResult } from './recovery';
import type { ReportsBenchResult } from './reports';
import type { ContentionResult, FanoutResult, MemoryProbe, MemoryResult, ThroughputResult } from './scenarios';
import type { SeriesResult } from './series';
import type { WatchFanoutResult } from './watch-fanout';
import type { WebhooksBenchResult } from './webhooks';

export interface BenchSizes {
  /** `targetRate`: the second, latency phase offers this many commands/s in total. */
  bookings: { sockets: number; total: number; maxMs: number; targetRate: number };
  contention: { racers: number; rounds: number };
  availability: { sockets: number; resources: number; total: number; maxMs: number; targetRate: number };
  /** `slots:find` over `resources` resources for one week, `sockets` callers paced to `targetRate` in all. */
  slotsFind: { sockets: number; resources: number; total: number; maxMs: number; targetRate: number };
  idle: { sockets: number; settleMs: number };
  fanout: { rounds: number; timeoutMs: number };
  /**
   * 4w: scenario 4's `idle.sockets` clients watch one of `resources` resources each (round-robin);
   * `bookings` go round-robin over them, first with nobody watching, then watching.
   */
  watch: { resources: number; bookings: number; timeoutMs: number; maxMs: number };
  rawMongo: { total: number; maxMs: number };
  /** Scenario 7: `rounds` weekly series of `occurrences`, each next to one single booking. */
  series: { rounds: number; occurrences: number };
  /**
   * Scenario 8 (recovery): `clients` storm `resources` resources through one node, which is
   * `kill -9`ed `rounds` times at moments drawn from `seed`; probes through the other node give
   * up `giveUpMs` after a kill (far past the target, so a miss is still measured).
   */
  recovery: { clients: number; resources: number; rounds: number; seed: number; giveUpMs: number };
  /**
   * Scenario 9 (capacity): `sockets` book one unit at a time (create, then cancel) on a pool of
   * `capacity` units holding `overlapping` bookings, and on as many capacity-1 resources;
   * `racers` clients then race for a pool's last `lastUnits` units.
   */
  capacity: CapacitySizes;
  /**
   * Scenario 10 (holds, waitlist): `rounds` hold → confirm beside as many booking:create on
   * `sockets`; `expiring` holds left to run out; `cancels` cancels each offering its slot to one waiting person.
   */
  holds: HoldsSizes;
  /** Webhooks: `changes` booking changes (creates and cancels) delivered to a local receiver. */
  webhooks: { changes: number };
  /** Reports: the bookings CSV of `rows` rows against a raw cursor over them. */
  reports: { rows: number };
}

export const FULL_SIZES: BenchSizes = {
  bookings: { sockets: 32, total: 6000, maxMs: 10_000, targetRate: 500 },
  contention: { racers: 200, rounds: 10 },
  availability: { sockets: 200, resources: 8, total: 60_000, maxMs: 8000, targetRate: 5000 },
  slotsFind: { sockets: 10, resources: 200, total: 1000, maxMs: 8000, targetRate: 100 },
  idle: { sockets: 1000, settleMs: 2000 },
  fanout: { rounds: 10, timeoutMs: 5000 },
  watch: { resources: 100, bookings: 200, timeoutMs: 5000, maxMs: 60_000 },
  rawMongo: { total: 6000, maxMs: 10_000 },
  series: { rounds: 10, occurrences: 52 },
  recovery: { clients: 40, resources: 10, rounds: 3, seed: 1322, giveUpMs: 70_000 },
  capacity: { sockets: 32, capacity: 50, overlapping: 300, total: 6000, maxMs: 10_000, racers: 1000, lastUnits: 50 },
  holds: { sockets: 4, rounds: 400, expiring: 50, cancels: 100, giveUpMs: 10_000 },
  webhooks: { changes: 1000 },
  reports: { rows: 100_000 },
};

export const TINY_SIZES: BenchSizes = {
  bookings: { sockets: 3, total: 6, maxMs: 5000, targetRate: 100 },
  contention: { racers: 4, rounds: 2 },
  availability: { sockets: 2, resources: 2, total: 10, maxMs: 5000, targetRate: 50 },
  slotsFind: { sockets: 1, resources: 3, total: 3, maxMs: 5000, targetRate: 10 },
  idle: { sockets: 6, settleMs: 50 },
  fanout: { rounds: 1, timeoutMs: 5000 },
  watch: { resources: 3, bookings: 6, timeoutMs: 5000, maxMs: 20_000 },
  rawMongo: { total: 4, maxMs: 5000 },
  series: { rounds: 2, occurrences: 4 },
  recovery: { clients: 4, resources: 2, rounds: 1, seed: 1322, giveUpMs: 70_000 },
  capacity: { sockets: 3, capacity: 50, overlapping: 30, total: 12, maxMs: 5000, racers: 60, lastUnits: 50 },
  holds: { sockets: 2, rounds: 4, expiring: 4, cancels: 3, giveUpMs: 10_000 },
  webhooks: { changes: 100 },
  reports: { rows: 2_000 },
};

/** How the bench may crash a node for scenario 8: only when it runs the nodes itself. */
export interface CrashControl {
  /** The node that is killed (the storm's) and the one that lives on (the probes'). */
  victimUrl: string;
  survivorUrl: string;
  /** `kill -9` of the victim's process; resolves once it is gone. */
  kill(): Promise<void>;
  /** Resolves once the victim runs again (restarted by whoever runs it) and answers /healthz 200. */
  restarted(): Promise<void>;
}

export interface BenchTargets {
  /** Booking node base URLs (no trailing slash); sockets are spread over them round-robin. */
  nodeUrls: string[];
  /** The same MongoDB replica set, for the raw transaction baseline. */
  mongoUrl: string;
  staff: { email: string; password: string };
  /** Memory of the booking server processes (null: not measurable from here). */
  nodeMemory: MemoryProbe | null;
  /** The bare Socket.IO baseline servers. */
  bare: { urls: string[]; memory: MemoryProbe | null; layout: string };
  log?: (line: string) => void;
  /** Cumulative CPU milliseconds per process (servers, MongoDB, Redis, this process), when readable. */
  cpu?: () => Record<string, number>;
  /** The names in `cpu()` that are booking nodes (their sum is the "node CPU" of scenario 4w). */
  nodeProcesses?: string[];
  /** Bearer token for the nodes' `/metrics` (their `METRICS_TOKEN`), when they require one. */
  metricsToken?: string;
  /** Called after each scenario with its name (the CPU-profile hook of `BENCH_CPU_PROF`). */
  phaseEnded?: (phase: string) => Promise<void>;
  /** Scenario 8 runs only with it (the embedded stack's nodes); null in the report otherwise. */
  crash?: CrashControl;
  /** Scenario 10 runs only with it: starts nodes with short holds and a notifier (stopped after it). */
  holds?: () => Promise<HoldsNodes>;
  /**
   * The webhooks figure runs only with it: a node and a notifier in the bench process on `mongoUrl`
   * (a database of their own) and this Redis (a key prefix of their own). Reports run on `mongoUrl`.
   */
  redisUrl?: string;
}

/** One run of 4w's booking loop and the CPU it cost. */
export interface WatchRun {
  result: WatchFanoutResult;
  /** Every process's CPU per booked booking over the loop. */
  cpu: CpuPerOp | null;
  /** The booking nodes' CPU (sum) per booked booking, ms. */
  nodeCpuMsPerBooking: number | null;
}

/** What every bench report starts with: when, where, which commit, how it measured, at which sizes. */
export interface RunHeader {
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  commit: Commit;
  notes: string[];
  sizes: BenchSizes;
}

export interface BenchReport extends RunHeader {
  scenarios: {
    /** `max`: every socket as fast as the rate limit allows; `atTarget`: paced to the target rate. */
    bookings: Phases<ThroughputResult>;
    contention: ContentionResult;
    availability: Phases<ThroughputResult>;
    slotsFind: ThroughputResult;
    idleMemory: MemoryResult | null;
    fanout: FanoutResult;
    /** 4w: the same clients, as many bookings: nobody watching (every client hears each), then watching one resource each. */
    watch: { allHear: WatchRun; watching: WatchRun };
    /** A weekly series against one booking's ack in the same run (target ≤ 10× its p50). */
    series: SeriesResult;
    /** 8: time until each resource books again through the other node after a `kill -9` (target ≤ 5 s); null when not run. */
    recovery: RecoveryResult | null;
    /** 9: unit bookings on a filled pool against distinct capacity-1 resources, and the race for its last units. */
    capacity: CapacityResult;
    /** 10: hold → confirm beside booking:create, a hold's expiry broadcast, a waitlist offer's notification; null when not run. */
    holds: HoldsResult | null;
    /** Webhooks: commit → delivery to a local receiver, and each event exactly once; null when not run. */
    webhooks: WebhooksBenchResult | null;
    /** Reports: the bookings CSV against a raw cursor over the same rows, time and peak memory. */
    reports: ReportsBenchResult;
  };
  baselines: {
    mongoTransaction: Phases<RawMongoResult>;
    socketIoEcho: Phases<ThroughputResult>;
    socketIoIdleMemory: MemoryResult | null;
    socketIoBroadcast: FanoutResult;
  };
  /** CPU cost per operation: scenario 1 (max phase) and the raw MongoDB transaction (max phase). */
  cpu: { bookings: CpuPerOp | null; mongoTransaction: CpuPerOp | null };
  /** Event-loop delay of the nodes and of the load generator, by phase (in run order). */
  loopDelay: Record<string, PhaseLoopDelay>;
  rows: TableRow[];
  /** docs/design.md's targets that are ratios to a primitive of the same run, each with its verdict. */
  ratios: RatioTarget[];
}

/** What scenario 1's rows and ratio targets read: the full report, or `BENCH_ONLY=bookings`'s. */
export interface BookingsPart {
  sizes: Pick<BenchSizes, 'bookings'>;
  scenarios: Pick<BenchReport['scenarios'], 'bookings'>;
  baselines: Pick<BenchReport['baselines'], 'mongoTransaction'>;
}

/** What scenario 6's rows read: its result and scenario 3's paced phase (its baseline). */
export interface SlotsFindPart {
  sizes: Pick<BenchSizes, 'slotsFind'>;
  scenarios: Pick<BenchReport['scenarios'], 'slotsFind'> & { availability: Pick<Phases<ThroughputResult>, 'atTarget'> };
}

/** CPU milliseconds each process spent per completed operation during a phase. */
export interface CpuPerOp {
  ops: number;
  msPerOp: Record<string, number>;
  totalMsPerOp: number;
  /** The rate at which all cores would be busy: nproc × 1000 / totalMsPerOp. */
  cpuBoundCeilingPerSecond: number;
}

export interface Phases<T> {
  max: T;
  atTarget: T;
}

/** What `BENCH_ONLY=recovery` writes: scenario 8 alone, with its rows. */
export interface RecoveryReport {
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  commit: Commit;
  sizes: BenchSizes['recovery'];
  recovery: RecoveryResult;
  rows: TableRow[];
}

export interface TableRow {
  scenario: string;
  figure: string;
  value: number;
  unit: string;
  baseline: string;
  baselineValue: number | null;
  ratio: number | null;
  target: string;
  meets: boolean | null;
}

/** A docs/design.md target stated as a ratio to a primitive measured in the same run. */
export interface RatioTarget {
  target: string;
  figure: string;
  value: number;
  unit: string;
  baseline: string;
  baselineValue: number;
  /** value ÷ baselineValue (null when the baseline is 0). */
  ratio: number | null;
  /** The bound on `ratio`: at least (`≥`) or at most (`≤`) `limit`. */
  bound: '≥' | '≤';
  limit: number;
  /** null when the ratio could not be formed, or a figure it depends on is missing. */
  meets: boolean | null;
}
