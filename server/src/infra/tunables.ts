/**
 * Timeouts, periods and sizes of the processes' background work, in one place, each with the reason
 * for its value (BullMQ documents its worker options the same way). A part takes its value from
 * its options when given one (tests shorten periods) and from here otherwise. Values that the
 * contract names (budgets, limits, token lifetimes) live with the rule they implement; the
 * environment's settings are in `config.ts`.
 */
export const TUNABLES = {
  /** How often a node refreshes its presence record for the dashboard's node list (ms). */
  presenceIntervalMs: 2000,
  /** How often `/admin` pushes `stats` (ms); the contract asks for at most 5 s. */
  statsIntervalMs: 3000,
  /** How many outbox entries one relay pass hands to the queue. */
  relayBatchSize: 500,
  /**
   * How often the relay sweeps the outbox without a wake (ms): it covers wakes that Redis lost
   * (while it was away, or a publish the adapter dropped).
   */
  relaySweepIntervalMs: 5000,
  /** How often the notifier looks for verification mails to send (ms). */
  verificationMailIntervalMs: 1000,
  /**
   * BullMQ lock of a running job (ms): a worker that died (kill -9) is noticed once it lapses,
   * and its job handed to another worker; long enough for one SMTP send on a busy machine.
   */
  jobLockDurationMs: 5000,
  /** How often BullMQ looks for jobs whose lock lapsed (ms). */
  jobStalledIntervalMs: 3000,
  /** How long the dashboard waits for the queue's counts before showing zeros (ms): Redis may be away. */
  queueCountsWithinMs: 2000,
  /**
   * How often the timer scheduler reconciles the database's owed timers with the queue (ms): it
   * repairs timers that Redis lost; every change schedules its own timers at once anyway.
   */
  timerReconcileIntervalMs: 60_000,
  /** How long a node keeps the resource directory before it reads it again (ms); changes also invalidate it at once. */
  directoryTtlMs: 5000,
  /**
   * On stop, how long a node waits for commands in flight to be answered, then for its clients to
   * leave (ms each): the whole stop must fit in 10 s with the drain delay.
   */
  drainGraceMs: 2000,
  /** How long one SMTP send may take before it counts as failed and is retried (ms). */
  smtpSendTimeoutMs: 30_000,
  /**
   * How long a lock request waits for Redis' answer before the booking goes on without the lock
   * (ms): the fence in the transaction is the guarantee, the lock only cuts contention.
   */
  lockAnswerWithinMs: 500,
  /**
   * The resource lock's lease (ms), and the longest a command holds its node's queue for a
   * resource: a holder stuck longer (MongoDB failing over) lets the next one try, as the lease does.
   */
  lockLeaseMs: 3000,
  /** Pause between two probes of the stores behind `/healthz` (ms). */
  healthProbeIntervalMs: 1000,
  /** How long one probe of the stores may take before it counts as failed (ms). */
  healthProbeTimeoutMs: 2000,
  /**
   * Consecutive failed probes before `/healthz` answers 503: one slow answer on a starved CPU must
   * not take a working node out of rotation; a store that is really away fails every probe at once.
   */
  healthFailuresBeforeUnhealthy: 3,
} as const;
