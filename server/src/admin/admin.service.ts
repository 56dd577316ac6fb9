/**
 * What staff can see and do beyond a user: the day snapshot with owners' names, cluster stats,
 * the user list, bookings on behalf of someone, and the failed-notification list and retry.
 */
import { ErrorCode } from '@booking/shared';
import type { AdminBooking, DashboardSnapshotData, FailedJob, QueueCounts, Stats, User } from '@booking/shared';
import type { Principal } from '../auth/auth.service';
import { toWireUser } from '../auth/auth.service';
import type { UserDoc } from '../auth/user.model';
import type { BookingDoc } from '../booking/booking.model';
import type { BookingService, Clock } from '../booking/booking.service';
import { toWireBooking } from '../booking/booking.service';
import { AppError } from '../infra/errors';
import { objectIdOrNull } from '../infra/ids';
import type { Logger } from '../infra/logger';
import type { Models } from '../infra/models';
import type { ResourceService } from '../resources/resource.service';
import type { NodePresence } from './admin.presence';
import { computeDayStats, dayRange, utcDate } from './admin.stats';

/**
 * The notification queue as the dashboard needs it. `server/src/notifications/notification.admin.ts`
 * implements it; a node without one reports an empty queue and refuses retries.
 */
export interface NotificationAdminPort {
  counts(): Promise<QueueCounts>;
  failedJobs(limit?: number): Promise<FailedJob[]>;
  retry(jobId: string): Promise<void>;
}

const EMPTY_QUEUE: QueueCounts = { waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 };
const FAILED_LIST_LIMIT = 50;
const USERS_LIMIT = 200;

export interface AdminService {
  snapshot(date?: string): Promise<DashboardSnapshotData>;
  /** Stats for a UTC day (default today). */
  stats(date?: string): Promise<Stats>;
  listUsers(query?: string): Promise<User[]>;
  bookOnBehalf(input: { principal: Principal; resourceId: string; start: Date; end: Date; userId: string }): Promise<AdminBooking>;
  retryNotification(jobId: string): Promise<void>;
}

export function createAdminService(deps: {
  models: Models;
  resources: ResourceService;
  bookings: BookingService;
  presence: NodePresence;
  notifications: NotificationAdminPort | null;
  clock: Clock;
  logger: Logger;
}): AdminService {
  const { models, clock, logger } = deps;

  const queueFigures = async (): Promise<{ queue: QueueCounts; failedJobs: FailedJob[] }> => {
    if (!deps.notifications) return { queue: EMPTY_QUEUE, failedJobs: [] };
    try {
      const [queue, failedJobs] = await Promise.all([deps.notifications.counts(), deps.notifications.failedJobs(FAILED_LIST_LIMIT)]);
      return { queue, failedJobs };
    } catch (err) {
      // Stats keep flowing while the queue is unreachable; the queue figures just read zero.
      logger.warn({ err }, 'queue figures unavailable');
      return { queue: EMPTY_QUEUE, failedJobs: [] };
    }
  };

  const stats = async (date?: string): Promise<Stats> => {
    const day = date ?? utcDate(clock.now());
    const [dayStats, nodes, queued] = await Promise.all([
      computeDayStats({ bookings: models.Booking, resources: models.Resource, date: day }),
      deps.presence.list(),
      queueFigures(),
    ]);
    return {
      ...dayStats,
      connectedClients: nodes.reduce((sum, n) => sum + n.clients, 0),
      nodes,
      queue: queued.queue,
      failedJobs: queued.failedJobs,
    };
  };

  const names = async (userIds: string[]): Promise<Map<string, string>> => {
    const ids = [...new Set(userIds)].flatMap((id) => {
      const oid = objectIdOrNull(id);
      return oid ? [oid] : [];
    });
    const users = await models.User.find({ _id: { $in: ids } }, { name: 1 }).lean<Array<Pick<UserDoc, '_id' | 'name'>>>();
    return new Map(users.map((u) => [u._id.toHexString(), u.name]));
  };

  return {
    stats,
    async snapshot(date) {
      const day = date ?? utcDate(clock.now());
      const { from, to } = dayRange(day);
      const [resources, docs, dayStats] = await Promise.all([
        deps.resources.list(),
        models.Booking.find({ start: { $lt: to }, end: { $gt: from } }).sort({ start: 1 }).limit(5000).lean<BookingDoc[]>(),
        stats(day),
      ]);
      const now = clock.now();
      const byId = await names(docs.map((d) => d.userId.toHexString()));
      const bookings = docs.map((d) => {
        const b = toWireBooking(d, now);
        return { ...b, userName: byId.get(b.userId) ?? '(deleted user)' };
      });
      return { resources, bookings, stats: dayStats };
    },
    async listUsers(query) {
      const filter = query
        ? { $or: [{ name: { $regex: escapeRegex(query), $options: 'i' } }, { email: { $regex: escapeRegex(query), $options: 'i' } }] }
        : {};
      const docs = await models.User.find(filter, { name: 1, email: 1, role: 1 }).sort({ createdAt: -1 }).limit(USERS_LIMIT).lean<UserDoc[]>();
      return docs.map(toWireUser);
    },
    async bookOnBehalf({ principal, resourceId, start, end, userId }) {
      const oid = objectIdOrNull(userId);
      const owner = oid ? await models.User.findById(oid, { name: 1 }).lean<Pick<UserDoc, '_id' | 'name'>>() : null;
      if (!owner) throw new AppError(ErrorCode.NOT_FOUND, 'no such user');
      const booking = await deps.bookings.create({ principal, resourceId, start, end, forUserId: userId });
      return { ...booking, userName: owner.name };
    },
    async retryNotification(jobId) {
      if (!deps.notifications) throw new AppError(ErrorCode.INVALID_STATE, 'this node has no notification queue');
      await deps.notifications.retry(jobId);
    },
  };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
