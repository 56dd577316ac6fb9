/**
 * What staff can see and do beyond a user: the day snapshot with owners' names, cluster stats,
 * the user list, bookings on behalf of someone, and the failed-notification list and retry.
 */
import { ErrorCode } from '@booking/shared';
import type {
  AdminBooking,
  DashboardSnapshotData,
  FailedJob,
  QueueCounts,
  SeriesResult,
  Stats,
  User,
} from '@booking/shared';
import type { Principal } from '../auth/auth.service';
import type { UserStore } from '../auth/user.store';
import type { BookingCommands } from '../booking/booking.effects';
import { toWireBooking } from '../booking/booking.store';
import type { BookingStore } from '../booking/booking.store';
import type { Clock } from '../infra/clock';
import { AppError } from '../infra/errors';
import type { Logger } from '../infra/logger';
import type { ResourceService } from '../resources/resource.service';
import type { ResourceStore } from '../resources/resource.store';
import type { NodePresence } from './admin.presence';
import { restrictStats } from './admin.scope';
import { computeDayStats, dayRange, utcDate, waitlistFigure } from './admin.stats';
import type { WaitlistCounts } from './admin.stats';

/** The notification queue as the dashboard needs it (`notifications/notification.admin.ts`). */
export interface NotificationAdminPort {
  counts(): Promise<QueueCounts>;
  failedJobs(limit?: number): Promise<FailedJob[]>;
  retry(jobId: string): Promise<void>;
  /** Every failed job again; resolves with how many. */
  retryAll(): Promise<number>;
}

const EMPTY_QUEUE: QueueCounts = { waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 };
const FAILED_LIST_LIMIT = 50;
const USERS_LIMIT = 200;
const SNAPSHOT_LIMIT = 5000;

export interface AdminService {
  /** (v3) `managed`: null for staff (everything); a manager's resource ids otherwise (only those, their bookings and figures). */
  snapshot(date?: string, managed?: readonly string[] | null): Promise<DashboardSnapshotData>;
  /** Stats for a UTC day (default today). */
  stats(date?: string): Promise<Stats>;
  /** (v3) `full` (stats of `date`, default today) as a manager of `resourceIds` sees them (`admin.scope.ts`). */
  restrict(full: Stats, resourceIds: readonly string[], date?: string): Promise<Stats>;
  listUsers(query?: string): Promise<User[]>;
  bookOnBehalf(input: {
    principal: Principal;
    resourceId: string;
    start: Date;
    end: Date;
    userId: string;
    /** Units it takes (default 1). */
    quantity?: number;
    /** (v3) What it is for. */
    title?: string;
  }): Promise<AdminBooking>;
  /** A series on behalf of a user: the same checks as the user's own, under staff's policy exemptions. */
  seriesOnBehalf(
    input: Omit<Parameters<BookingCommands['createSeries']>[0], 'forUserId'> & { userId: string },
  ): Promise<SeriesResult>;
  retryNotification(jobId: string): Promise<void>;
  retryAllNotifications(): Promise<number>;
}

export function createAdminService(deps: {
  users: Pick<UserStore, 'names' | 'list'>;
  bookingStore: Pick<BookingStore, 'overlapping' | 'dayFigures' | 'countPending' | 'findById'>;
  resourceStore: Pick<ResourceStore, 'capacities'>;
  resources: ResourceService;
  bookings: BookingCommands;
  presence: NodePresence;
  notifications: NotificationAdminPort;
  /** (v3) The waiting entries by resource, for `stats.waitlist`; without it the figure is left out. */
  waitlist?: WaitlistCounts;
  /** (v3) Webhook endpoints failing or disabled, for `stats.webhooksFailing`; without it the figure is left out. */
  webhooksFailing?: () => Promise<number>;
  clock: Clock;
  logger: Logger;
}): AdminService {
  const { clock, logger } = deps;

  const queueFigures = async (): Promise<{ queue: QueueCounts; failedJobs: FailedJob[] }> => {
    try {
      const [queue, failedJobs] = await Promise.all([
        deps.notifications.counts(),
        deps.notifications.failedJobs(FAILED_LIST_LIMIT),
      ]);
      return { queue, failedJobs };
    } catch (err) {
      // Stats keep flowing while the queue is unreachable; the queue figures just read zero.
      logger.warn({ err }, 'queue figures unavailable');
      return { queue: EMPTY_QUEUE, failedJobs: [] };
    }
  };

  const stats = async (date?: string): Promise<Stats> => {
    const day = date ?? utcDate(clock.now());
    const [dayStats, nodes, queued, waitlist, pendingApprovals, webhooksFailing] = await Promise.all([
      computeDayStats({ bookings: deps.bookingStore, resources: deps.resourceStore, date: day }),
      deps.presence.list(),
      queueFigures(),
      // Not a figure of `day`: who waits now, whatever day the dashboard shows.
      deps.waitlist ? waitlistFigure(deps.waitlist, clock.now(), deps.resourceStore) : undefined,
      // (v3) Staff decide every request: all the undecided ones, whatever their date.
      deps.bookingStore.countPending({ now: clock.now(), resourceIds: null }),
      // (v3) A count query on the endpoints (failingSince or disabledAt set).
      deps.webhooksFailing?.(),
    ]);
    return {
      ...dayStats,
      ...(waitlist ? { waitlist } : {}),
      pendingApprovals,
      ...(webhooksFailing !== undefined ? { webhooksFailing } : {}),
      connectedClients: nodes.reduce((sum, n) => sum + n.clients, 0),
      nodes,
      queue: queued.queue,
      failedJobs: queued.failedJobs,
    };
  };

  const restrict = (full: Stats, resourceIds: readonly string[], date?: string): Promise<Stats> =>
    restrictStats({ bookings: deps.bookingStore, now: clock.now() }, full, resourceIds, date ?? utcDate(clock.now()));

  return {
    stats,
    restrict,
    async snapshot(date, managed = null) {
      const day = date ?? utcDate(clock.now());
      const { from, to } = dayRange(day);
      const [all, everyBooking, full] = await Promise.all([
        deps.resources.list(),
        deps.bookingStore.overlapping(from, to, SNAPSHOT_LIMIT),
        stats(day),
      ]);
      const mine = managed ? new Set(managed) : null;
      const resources = mine ? all.filter((r) => mine.has(r.id)) : all;
      const docs = mine ? everyBooking.filter((d) => mine.has(d.resourceId.toHexString())) : everyBooking;
      const dayStats = managed ? await restrict(full, managed, day) : full;
      const now = clock.now();
      const byId = await deps.users.names(docs.map((d) => d.userId.toHexString()));
      const bookings = docs.map((d) => {
        const b = toWireBooking(d, now);
        return { ...b, userName: byId.get(b.userId) ?? '(deleted user)' };
      });
      return { resources, bookings, stats: dayStats };
    },
    listUsers: (query) => deps.users.list({ ...(query ? { query } : {}), limit: USERS_LIMIT }),
    async bookOnBehalf({ userId, ...input }) {
      const owner = (await deps.users.names([userId])).get(userId);
      if (owner === undefined) throw new AppError(ErrorCode.NOT_FOUND, 'no such user');
      const booking = await deps.bookings.create({ ...input, forUserId: userId });
      return { ...booking, userName: owner };
    },
    async seriesOnBehalf({ userId, ...input }) {
      if (!(await deps.users.names([userId])).has(userId)) throw new AppError(ErrorCode.NOT_FOUND, 'no such user');
      return deps.bookings.createSeries({ ...input, forUserId: userId });
    },
    async retryNotification(jobId) {
      await deps.notifications.retry(jobId);
    },
    retryAllNotifications: () => deps.notifications.retryAll(),
  };
}
