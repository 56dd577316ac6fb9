/**
 * (v3) Managers on `/admin` (docs/protocol.md "Identity, groups and access"): a non-staff person in
 * one of a resource's `access.managers` groups acts as staff for the resources they manage, and
 * only those. Every command that names a resource (directly, or through the booking or series it
 * names) asks `resolve` first: staff pass as they are; a manager gets NOT_FOUND for any resource
 * they do not manage (whether or not they may view it: the contract's "others: NOT_FOUND") and
 * otherwise runs the command as staff (on-behalf booking, anyone's booking of the resource,
 * staff's policy exemptions). Staff-only commands answer FORBIDDEN to a manager.
 *
 * The dashboard's figures are restricted the same way: only the managed resources' ids, their
 * bookings and failed notifications, counts over them; node and queue figures stay whole.
 */
import { ErrorCode } from '@booking/shared';
import type { FailedJob, Stats } from '@booking/shared';
import type { BookingStore } from '../booking/booking.store';
import { AppError } from '../infra/errors';
import type { Principal } from '../infra/contract';
import type { ResourceDirectory } from '../resources/resource.directory';
import { allowed, managesAny } from '../access/resource-access';
import type { AccessGate } from '../access/resource-access';
import { dayRange } from './admin.stats';

const SCOPE_DAY_LIMIT = 5000;

export interface AdminScope {
  /** Null for staff (every resource); otherwise the ids of the resources the person manages now. */
  managed(principal: Principal): Promise<string[] | null>;
  /** Whether the person may open `/admin` now: staff, or a manager of at least one resource. */
  admits(principal: Pick<Principal, 'role' | 'groups'>): Promise<boolean>;
  /** The principal a command on this resource runs as (staff for a manager of it); NOT_FOUND otherwise. */
  onResource(principal: Principal, resourceId: string): Promise<Principal>;
  /** As `onResource`, for the resource of a booking (NOT_FOUND for an unknown booking). */
  onBooking(principal: Principal, bookingId: string): Promise<Principal>;
  /** As `onResource`, for the resource of a series (NOT_FOUND for an unknown series). */
  onSeries(principal: Principal, seriesId: string): Promise<Principal>;
  /** FORBIDDEN unless staff. */
  staffOnly(principal: Principal): void;
}

const notFound = (what: string) => new AppError(ErrorCode.NOT_FOUND, `no such ${what}`);

export function createAdminScope(deps: {
  directory: Pick<ResourceDirectory, 'all'>;
  gate: Pick<AccessGate, 'require'>;
  bookings: Pick<BookingStore, 'findById' | 'ofSeries'>;
}): AdminScope {
  const onResource = async (principal: Principal, resourceId: string): Promise<Principal> => {
    if (principal.role === 'staff') return principal;
    try {
      await deps.gate.require(principal, resourceId, 'manage');
    } catch (err) {
      // May view but not manage: to a manager on /admin it is not there at all.
      if (err instanceof AppError && err.code === ErrorCode.FORBIDDEN) throw notFound('resource');
      throw err;
    }
    return { ...principal, role: 'staff' };
  };
  return {
    async managed(principal) {
      if (principal.role === 'staff') return null;
      return allowed(principal, await deps.directory.all(), 'manage').map((r) => r.id);
    },
    admits: async (principal) => principal.role === 'staff' || managesAny(principal, await deps.directory.all()),
    onResource,
    async onBooking(principal, bookingId) {
      if (principal.role === 'staff') return principal;
      const found = await deps.bookings.findById(bookingId);
      if (!found) throw notFound('booking');
      try {
        return await onResource(principal, found.resourceId.toHexString());
      } catch (err) {
        if (err instanceof AppError && err.code === ErrorCode.NOT_FOUND) throw notFound('booking');
        throw err;
      }
    },
    async onSeries(principal, seriesId) {
      if (principal.role === 'staff') return principal;
      const [first] = await deps.bookings.ofSeries(seriesId, {});
      if (!first) throw notFound('series');
      try {
        return await onResource(principal, first.resourceId.toHexString());
      } catch (err) {
        if (err instanceof AppError && err.code === ErrorCode.NOT_FOUND) throw notFound('series');
        throw err;
      }
    },
    staffOnly(principal) {
      if (principal.role !== 'staff') throw new AppError(ErrorCode.FORBIDDEN, 'staff only');
    },
  };
}

/** Keeps the entries of a record keyed by the given ids. */
function pick<T>(record: Record<string, T>, ids: ReadonlySet<string>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([id]) => ids.has(id)));
}

/**
 * The figures of `full` (a day's stats for staff) as a manager of `resourceIds` may see them: the
 * per-resource figures of those resources, the day's counts and pending requests over them, the
 * failed notifications of their bookings; node and queue figures as they are.
 */
export async function restrictStats(
  deps: { bookings: Pick<BookingStore, 'overlapping' | 'countPending' | 'findById'>; now: Date },
  full: Stats,
  resourceIds: readonly string[],
  date: string,
): Promise<Stats> {
  const ids = new Set(resourceIds);
  const { from, to } = dayRange(date);
  const failed = full.failedJobs ?? [];
  const [day, pendingApprovals, failedJobs] = await Promise.all([
    ids.size === 0 ? Promise.resolve([]) : deps.bookings.overlapping(from, to, SCOPE_DAY_LIMIT),
    ids.size === 0 ? Promise.resolve(0) : deps.bookings.countPending({ now: deps.now, resourceIds: [...ids] }),
    ids.size === 0 ? Promise.resolve([]) : failedOf(deps.bookings, failed, ids),
  ]);
  const mine = day.filter((d) => ids.has(d.resourceId.toHexString()));
  // (v3) Webhook endpoints are staff's: a manager's stats leave the figure out.
  const { waitlist, noShows, webhooksFailing: _staffOnly, ...rest } = full;
  return {
    ...rest,
    activeToday: mine.filter((d) => d.status === 'active').length,
    cancelledToday: mine.filter((d) => d.status === 'cancelled').length,
    utilization: pick(full.utilization, ids),
    ...(noShows ? { noShows: pick(noShows, ids) } : {}),
    ...(waitlist ? { waitlist: pick(waitlist, ids) } : {}),
    pendingApprovals,
    failedJobs,
  };
}

async function failedOf(
  bookings: Pick<BookingStore, 'findById'>,
  jobs: readonly FailedJob[],
  ids: ReadonlySet<string>,
): Promise<FailedJob[]> {
  const owners = await Promise.all(jobs.map((j) => bookings.findById(j.bookingId)));
  return jobs.filter((_j, i) => {
    const doc = owners[i];
    return doc !== null && doc !== undefined && ids.has(doc.resourceId.toHexString());
  });
}
