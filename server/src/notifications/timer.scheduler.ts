/**
 * The notifier's scheduler (docs/design.md "Time-driven work"): every reminder and no-show release is
 * a BullMQ delayed job in the `booking-timers` queue, derived from the database.
 *
 * - A timer's job id says which booking and which instant it is for: `reminder-<bookingId>-<start
 *   ms>` and `release-<bookingId>-<deadline ms>` (BullMQ refuses `:` in custom ids). A moved
 *   booking or a changed check-in window gives a new id, and adding a job whose id exists is a
 *   no-op, so scheduling is idempotent and may run any number of times.
 * - A booking moved away and back returns to an id whose job may have completed meanwhile (it fired
 *   while the booking was elsewhere and did nothing), and BullMQ keeps a completed id for days,
 *   refusing a new job under it. So a timer the database still owes (`timersOf`: not reminded for
 *   this start, not checked in, still active) whose job has completed gets that job removed and
 *   added again. A job that did its work left its mark in the booking first (`remindedFor`, the
 *   status), so its timer is no longer owed and its record stays; if a read raced the mark, the
 *   re-added job re-reads the booking and does nothing.
 * - On every committed change the relay hands the outbox entry over and asks `schedule` for the
 *   booking (a node's after-commit "relay wake" effect is what gets it there at once).
 * - The same entry names the timers the change may have left behind: the ones of the slot it was in
 *   (`start`, and `previous` of a move), of the hold it ended (`expiresAt`), and of every occurrence
 *   of a cancelled series. Those the booking no longer owes are removed at once (`dropStale`), so a
 *   booking cancelled weeks ahead does not leave its reminder waiting in Redis until then; a job
 *   running at that moment cannot be removed and finishes doing nothing.
 * - The reconciler (`reconcile`) runs at start and every `reconcileIntervalMs`: it reads the
 *   active bookings whose timers fall before now + `horizonMs` and (re)creates their jobs, so a
 *   job lost with Redis (flushed, restarted without its file) or a wake lost in a blip fires
 *   anyway, late by at most one interval.
 * - A job re-reads the booking when it fires and acts only if its timer still applies
 *   (`booking.attendance.ts`), so a stale or duplicated job does nothing.
 *
 * Time comes from the `Clock` (the delays are computed from it); BullMQ then fires on Redis' time.
 */
import type { Queue } from 'bullmq';
import { checkInDeadline } from '@booking/shared';
import type { Policy } from '@booking/shared';
import type { BookingStore, TimedBooking } from '../booking/booking.store';
import type { Clock } from '../infra/clock';
import { capEvents } from '../infra/queue';
import type { Logger } from '../infra/logger';
import type { ResourceStore } from '../resources/resource.store';
import type { OutboxDoc } from './outbox.model';
import type { TimerJobData } from './timer.job';
import { TUNABLES } from '../infra/tunables';

export interface TimerScheduler {
  /** (Re)creates the timers of these bookings; answers how many jobs were asked for. */
  schedule(bookingIds: string[]): Promise<number>;
  /**
   * The timers of the bookings these outbox entries changed (a series: its active occurrences), and
   * the removal of those the changes left behind; answers how many jobs were asked for.
   */
  scheduleFromOutbox(entries: ReadonlyArray<OutboxTouch>): Promise<number>;
  /** One reconciler pass: every timer due before now + horizon, recreated if missing. */
  reconcile(): Promise<number>;
  /** First pass, then one every interval. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  queue: Queue<TimerJobData>;
  bookings: Pick<BookingStore, 'timed' | 'timedByIds' | 'ofSeries' | 'expiring'>;
  resources: Pick<ResourceStore, 'get'>;
  /** `REMINDER_MINUTES` in ms; 0 turns reminders off. */
  reminderMs: number;
  clock: Clock;
  logger: Logger;
  /** Reconciler interval (default 60 s). */
  reconcileIntervalMs?: number;
  /** How far ahead the reconciler looks (default 10 minutes, and always past the next pass). */
  horizonMs?: number;
}

/** Jobs per reconciler batch. */
const BATCH = 500;
/** Completed timers kept at most (each ~0.7 KB in Redis); older ones go first. */
export const COMPLETED_KEPT = 200;

/**
 * The changes that can leave timers a booking no longer owes: it left its slot or its hold, or was
 * cancelled or declined. (A reminder, release or expiry is recorded by the very timer that fired:
 * nothing else is left behind by it; a check-in leaves its release, which fires within minutes.)
 */
const LEAVING: ReadonlySet<OutboxDoc['type']> = new Set([
  'booking.cancelled',
  'booking.modified',
  'booking.declined',
  'booking.confirmed',
  'booking.approved',
]);

/** A slot a change may have left timers behind in: the booking's, before or after the change. */
interface LeftSlot {
  bookingId: string;
  resourceId: string;
  start: Date;
  end: Date;
  expiresAt?: Date | undefined;
}

/** A timer job's id: which booking, which kind, for which instant. */
export function timerJobId(kind: TimerJobData['kind'], bookingId: string, at: Date): string {
  return `${kind}-${bookingId}-${at.getTime()}`;
}

/**
 * The timers one booking is owed now: a held one only its expiry; an active one its reminder
 * (before it starts) and its release (not checked in).
 */
export function timersOf(
  b: TimedBooking,
  policy: Pick<Policy, 'checkIn'> | null,
  o: { reminderMs: number; now: Date },
): TimerJobData[] {
  if (b.expiresAt) {
    const at = b.expiresAt.toISOString();
    return [{ kind: 'expire', bookingId: b.id, at, key: at }];
  }
  const timers: TimerJobData[] = [];
  const remindAt = new Date(b.start.getTime() - o.reminderMs);
  const reminded = b.remindedFor !== null && b.remindedFor.getTime() === b.start.getTime();
  if (o.reminderMs > 0 && !reminded && b.start.getTime() > o.now.getTime()) {
    timers.push({ kind: 'reminder', bookingId: b.id, at: remindAt.toISOString(), key: b.start.toISOString() });
  }
  const deadline = policy ? checkInDeadline(b, policy.checkIn) : null;
  if (deadline && !b.checkedIn)
    timers.push({ kind: 'release', bookingId: b.id, at: deadline.toISOString(), key: deadline.toISOString() });
  return timers;
}

type OutboxTouch = Pick<
  OutboxDoc,
  'type' | 'bookingId' | 'seriesId' | 'resourceId' | 'start' | 'end' | 'previous' | 'expiresAt'
>;

/**
 * The bookings these outbox entries changed (a confirmed series: its occurrences active from a
 * day ago; a cancelled one: all of them) and the slots whose timers the changes may have left
 * (`LEAVING`, the previous slot of a move, every occurrence of a cancelled series).
 */
async function touchedBy(
  entries: ReadonlyArray<OutboxTouch>,
  bookings: Pick<BookingStore, 'ofSeries'>,
  now: Date,
): Promise<{ ids: string[]; left: LeftSlot[] }> {
  const ids = new Set<string>();
  const left: LeftSlot[] = [];
  for (const e of entries) {
    // (v3) A resource's own record has no booking to time.
    if (e.type === 'resource.updated') continue;
    if ((e.type === 'series.confirmed' || e.type === 'series.cancelled') && e.seriesId) {
      const cancelled = e.type === 'series.cancelled';
      const q = cancelled ? {} : { activeFrom: new Date(now.getTime() - 24 * 3600_000) };
      for (const d of await bookings.ofSeries(e.seriesId.toHexString(), q)) {
        const bookingId = d._id.toHexString();
        ids.add(bookingId);
        if (cancelled) left.push({ bookingId, resourceId: d.resourceId.toHexString(), start: d.start, end: d.end });
      }
      continue;
    }
    const bookingId = e.bookingId.toHexString();
    const resourceId = e.resourceId.toHexString();
    ids.add(bookingId);
    if (!LEAVING.has(e.type)) continue;
    left.push({ bookingId, resourceId, start: e.start, end: e.end, expiresAt: e.expiresAt });
    if (e.previous) left.push({ bookingId, resourceId, ...e.previous });
  }
  return { ids: [...ids], left };
}

/** The job ids these slots' timers had: a reminder at the start, a release at the check-in deadline, an expiry. */
function timerIdsOf(slots: LeftSlot[], policies: Map<string, Policy | null>, reminderMs: number): Set<string> {
  const ids = new Set<string>();
  for (const s of slots) {
    if (reminderMs > 0) ids.add(timerJobId('reminder', s.bookingId, s.start));
    const deadline = checkInDeadline(s, policies.get(s.resourceId)?.checkIn ?? null);
    if (deadline) ids.add(timerJobId('release', s.bookingId, deadline));
    if (s.expiresAt) ids.add(timerJobId('expire', s.bookingId, s.expiresAt));
  }
  return ids;
}

/** Every timer job's options. */
const JOB_OPTS = {
  // A failing pass (MongoDB away, a timer that fired a moment early) is tried again soon.
  attempts: 100,
  backoff: { type: 'fixed' as const, delay: 2000 },
  // A finished job stays for a look (a day, the newest COMPLETED_KEPT); nothing depends on it:
  // the booking's own marks (remindedFor, status) keep a re-added timer from acting twice.
  removeOnComplete: { age: 24 * 3600, count: COMPLETED_KEPT },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export function createTimerScheduler(opts: SchedulerOptions): TimerScheduler {
  const log = opts.logger.child({ part: 'scheduler' });
  const intervalMs = opts.reconcileIntervalMs ?? TUNABLES.timerReconcileIntervalMs;
  const horizonMs = Math.max(opts.horizonMs ?? 10 * 60_000, 2 * intervalMs);
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let stopped = false;

  /** The resources' policies, read once per call. */
  async function policiesOf(resourceIds: Iterable<string>): Promise<Map<string, Policy | null>> {
    const policies = new Map<string, Policy | null>();
    for (const id of new Set(resourceIds)) policies.set(id, (await opts.resources.get(id))?.policy ?? null);
    return policies;
  }

  /** Adds the timers these bookings are owed; answers their job ids. */
  async function add(bookings: TimedBooking[]): Promise<string[]> {
    if (bookings.length === 0) return [];
    const policies = await policiesOf(bookings.map((b) => b.resourceId));
    const now = opts.clock.now();
    const jobs = bookings.flatMap((b) =>
      timersOf(b, policies.get(b.resourceId) ?? null, { reminderMs: opts.reminderMs, now }),
    );
    if (jobs.length === 0) return [];
    const named = jobs.map((data) => ({ data, jobId: timerJobId(data.kind, data.bookingId, new Date(data.key)) }));
    const ids = named.map((j) => j.jobId);
    await clearCompleted(ids);
    await opts.queue.addBulk(
      named.map(({ data, jobId }) => ({
        name: data.kind,
        data,
        opts: { ...JOB_OPTS, jobId, delay: Math.max(0, Date.parse(data.at) - now.getTime()) },
      })),
    );
    return ids;
  }

  /**
   * Removes the timers these slots had that are not among `owed` (the header): a reminder at the
   * slot's start, a release at its check-in deadline, an expiry at its `expiresAt`. An id with no
   * job costs one no-op call; a running job refuses removal and finishes doing nothing.
   */
  async function dropStale(slots: LeftSlot[], owed: ReadonlySet<string>): Promise<number> {
    if (slots.length === 0) return 0;
    const policies = await policiesOf(slots.map((s) => s.resourceId));
    const ids = timerIdsOf(slots, policies, opts.reminderMs);
    const stale = [...ids].filter((id) => !owed.has(id));
    const removed = await Promise.all(
      stale.map((id) =>
        opts.queue.remove(id).catch((err: unknown) => {
          log.debug({ err, jobId: id }, 'stale timer not removed (running); it finishes doing nothing');
          return 0;
        }),
      ),
    );
    const count = removed.reduce((a, b) => a + b, 0);
    if (count > 0) log.debug({ removed: count }, 'stale timers removed');
    return count;
  }

  /** Removes the completed jobs among these ids: each is owed again (see the header). */
  async function clearCompleted(ids: string[]): Promise<void> {
    const states = await Promise.all(ids.map((id) => opts.queue.getJobState(id)));
    const done = ids.filter((_id, i) => states[i] === 'completed');
    if (done.length === 0) return;
    await Promise.all(done.map((id) => opts.queue.remove(id)));
    log.debug({ jobIds: done }, 'completed timers owed again; re-adding');
  }

  async function reconcileOnce(): Promise<number> {
    const now = opts.clock.now();
    // A timer fires at most `reminderMs` before the start: look that much further for starts.
    const startsBy = new Date(now.getTime() + horizonMs + opts.reminderMs);
    let total = 0;
    let after: TimedBooking | undefined;
    for (;;) {
      const page = await opts.bookings.timed({
        now,
        startsBy,
        limit: BATCH,
        ...(after ? { after: { start: after.start, id: after.id } } : {}),
      });
      total += (await add(page)).length;
      after = page[page.length - 1];
      if (page.length < BATCH || stopped) break;
    }
    // Holds and offers by when they run out, overdue ones included (a timer a crash or a flush lost).
    let afterHold: TimedBooking | undefined;
    for (;;) {
      const page = await opts.bookings.expiring({
        by: new Date(now.getTime() + horizonMs),
        limit: BATCH,
        ...(afterHold?.expiresAt ? { after: { expiresAt: afterHold.expiresAt, id: afterHold.id } } : {}),
      });
      total += (await add(page)).length;
      afterHold = page[page.length - 1];
      if (page.length < BATCH || stopped) break;
    }
    if (total > 0) log.debug({ timers: total }, 'reconciled');
    // A Redis that lost its data forgot the queue's events cap (infra/queue.ts).
    await capEvents(opts.queue);
    return total;
  }

  function reconcile(): Promise<number> {
    if (running) return running;
    const run = reconcileOnce().finally(() => {
      if (running === run) running = null;
    });
    running = run;
    return run;
  }

  const owedOf = async (bookingIds: string[]): Promise<string[]> =>
    add(await opts.bookings.timedByIds(bookingIds, opts.clock.now()));

  return {
    schedule: async (bookingIds) => (await owedOf(bookingIds)).length,
    async scheduleFromOutbox(entries) {
      const { ids, left } = await touchedBy(entries, opts.bookings, opts.clock.now());
      const owed = await owedOf(ids);
      await dropStale(left, new Set(owed));
      return owed.length;
    },
    reconcile,
    async start() {
      const count = await reconcile();
      timer = setInterval(() => {
        if (stopped) return;
        reconcile().catch((err: unknown) => log.warn({ err }, 'reconciler pass failed; the next one retries'));
      }, intervalMs);
      log.info({ timers: count, intervalMs, horizonMs, reminderMs: opts.reminderMs }, 'scheduler started');
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
