import {
  AdminBookingCreate,
  AdminBookingCreateSeries,
  BookingCancel,
  BookingCancelSeries,
  BookingHistory,
  DashboardSnapshot,
  Empty,
  GroupCreate,
  GroupDelete,
  GroupUpdate,
  NotificationsRetry,
  ResourceCreate,
  ResourceDelete,
  ResourceUpdate,
  UserSetGroups,
  UserSetRole,
  UsersList,
} from '@booking/shared';
import type { AdminClientToServerEvents } from '@booking/shared';
import type { AuthService } from '../auth/auth.service';
import type { BookingCommands } from '../booking/booking.effects';
import { registerApprovalHandlers } from '../booking/booking.handlers';
import type { Clock } from '../infra/clock';
import type { ResourceService } from '../resources/resource.service';
import type { CommandOn } from '../infra/contract';
import type { AccessAdmin } from './admin.access';
import type { AdminService } from './admin.service';

type On = CommandOn<AdminClientToServerEvents>;

/** Every `/admin` command of docs/protocol.md, plus the `users:list` addition. */
export function registerAdminHandlers(
  on: On,
  deps: {
    auth: Pick<AuthService, 'groups'>;
    admin: AdminService;
    access: AccessAdmin;
    bookings: BookingCommands;
    resources: ResourceService;
    clock: Clock;
  },
): void {
  const { admin, bookings, resources } = deps;
  registerApprovalHandlers(on, bookings);
  on('dashboard:snapshot', DashboardSnapshot, async (d) => admin.snapshot(d.date));
  on('booking:create', AdminBookingCreate, async (d, { principal }) => ({
    booking: await admin.bookOnBehalf({
      principal,
      resourceId: d.resourceId,
      start: d.start,
      end: d.end,
      userId: d.userId,
      ...(d.quantity ? { quantity: d.quantity } : {}),
    }),
  }));
  on('booking:cancel', BookingCancel, async (d, { principal }) => ({
    booking: await bookings.cancel({ principal, bookingId: d.bookingId }),
  }));
  on('booking:createSeries', AdminBookingCreateSeries, async (d, { principal }) =>
    admin.seriesOnBehalf({
      principal,
      resourceId: d.resourceId,
      start: d.start,
      end: d.end,
      repeat: d.repeat,
      onConflict: d.onConflict,
      userId: d.userId,
      ...(d.quantity ? { quantity: d.quantity } : {}),
      ...(d.idempotencyKey ? { idempotencyKey: d.idempotencyKey } : {}),
    }),
  );
  on('booking:cancelSeries', BookingCancelSeries, async (d, { principal }) => ({
    bookings: await bookings.cancelSeries({ principal, seriesId: d.seriesId, ...(d.from ? { from: d.from } : {}) }),
  }));
  on('resource:create', ResourceCreate, async (d) => ({ resource: await resources.create(d) }));
  on('resource:update', ResourceUpdate, async (d) => ({ resource: await resources.update(d, deps.clock.now()) }));
  on('resource:delete', ResourceDelete, async (d) => {
    await resources.remove(d.id, deps.clock.now());
    return {};
  });
  on('notifications:retry', NotificationsRetry, async (d): Promise<Record<string, never> | { retried: number }> => {
    if ('all' in d) return { retried: await admin.retryAllNotifications() };
    await admin.retryNotification(d.jobId);
    return {};
  });
  on('users:list', UsersList, async (d) => ({ users: await admin.listUsers(d.query) }));
  on('user:setRole', UserSetRole, async (d) => ({ user: await deps.access.setRole(d.userId, d.role) }));
  const { groups } = deps.auth;
  on('group:create', GroupCreate, async (d) => ({
    group: await groups.create({ name: d.name, ...(d.externalId ? { externalId: d.externalId } : {}) }),
  }));
  on('group:update', GroupUpdate, async (d) => ({
    group: await groups.update({
      id: d.id,
      ...(d.name !== undefined ? { name: d.name } : {}),
      ...(d.externalId !== undefined ? { externalId: d.externalId } : {}),
    }),
  }));
  on('group:delete', GroupDelete, async (d) => {
    await groups.remove(d.id);
    return {};
  });
  on('group:list', Empty, async () => ({ groups: await groups.list() }));
  on('user:setGroups', UserSetGroups, async (d) => ({ user: await groups.setUserGroups(d.userId, d.groupIds) }));
  on('booking:history', BookingHistory, async (d) => ({ events: await deps.access.history(d.bookingId) }));
}
