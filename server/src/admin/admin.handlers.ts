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
import type { AdminScope } from './admin.scope';
import type { AdminService } from './admin.service';

type On = CommandOn<AdminClientToServerEvents>;

/** (v3) More `/admin` commands registered by a capability of their own (e.g. integrations' `apiKey:*`). */
export type AdminCommandSet = (on: On, scope: AdminScope) => void;

/**
 * Every `/admin` command of docs/protocol.md, plus the `users:list` addition. (v3) A manager's
 * command runs through `scope` (`admin.scope.ts`): as staff on the resources they manage, NOT_FOUND
 * on any other; the staff-only commands answer them FORBIDDEN.
 */
export function registerAdminHandlers(
  on: On,
  deps: {
    auth: Pick<AuthService, 'groups'>;
    admin: AdminService;
    access: AccessAdmin;
    bookings: BookingCommands;
    resources: ResourceService;
    clock: Clock;
    scope: AdminScope;
    commandSets?: readonly AdminCommandSet[];
  },
): void {
  const { admin, bookings, resources, scope } = deps;
  for (const set of deps.commandSets ?? []) set(on, scope);
  registerApprovalHandlers(on, {
    // Managers approve the resources they manage (`isApprover`): the list filters itself.
    approvals: (principal) => bookings.approvals(principal),
    approve: async (input) =>
      bookings.approve({ ...input, principal: await scope.onBooking(input.principal, input.bookingId) }),
    decline: async (input) =>
      bookings.decline({ ...input, principal: await scope.onBooking(input.principal, input.bookingId) }),
  });
  on('dashboard:snapshot', DashboardSnapshot, async (d, { principal }) =>
    admin.snapshot(d.date, await scope.managed(principal)),
  );
  on('booking:create', AdminBookingCreate, async (d, { principal }) => ({
    booking: await admin.bookOnBehalf({
      principal: await scope.onResource(principal, d.resourceId),
      resourceId: d.resourceId,
      start: d.start,
      end: d.end,
      userId: d.userId,
      ...(d.quantity ? { quantity: d.quantity } : {}),
      ...(d.title ? { title: d.title } : {}),
    }),
  }));
  on('booking:cancel', BookingCancel, async (d, { principal }) => ({
    booking: await bookings.cancel({
      principal: await scope.onBooking(principal, d.bookingId),
      bookingId: d.bookingId,
    }),
  }));
  on('booking:createSeries', AdminBookingCreateSeries, async (d, { principal }) =>
    admin.seriesOnBehalf({
      principal: await scope.onResource(principal, d.resourceId),
      resourceId: d.resourceId,
      start: d.start,
      end: d.end,
      repeat: d.repeat,
      onConflict: d.onConflict,
      userId: d.userId,
      ...(d.quantity ? { quantity: d.quantity } : {}),
      ...(d.title ? { title: d.title } : {}),
      ...(d.idempotencyKey ? { idempotencyKey: d.idempotencyKey } : {}),
    }),
  );
  on('booking:cancelSeries', BookingCancelSeries, async (d, { principal }) => ({
    bookings: await bookings.cancelSeries({
      principal: await scope.onSeries(principal, d.seriesId),
      seriesId: d.seriesId,
      ...(d.from ? { from: d.from } : {}),
    }),
  }));
  on('resource:create', ResourceCreate, async (d, { principal }) => {
    scope.staffOnly(principal);
    return { resource: await resources.create(d) };
  });
  on('resource:update', ResourceUpdate, async (d, { principal }) => {
    await scope.onResource(principal, d.id);
    // A manager may not hand the resource to other groups (or take it from their own).
    if (principal.role !== 'staff' && d.access !== undefined) scope.staffOnly(principal);
    return { resource: await resources.update(d, deps.clock.now()) };
  });
  on('resource:delete', ResourceDelete, async (d, { principal }) => {
    await scope.onResource(principal, d.id);
    await resources.remove(d.id, deps.clock.now());
    return {};
  });
  on(
    'notifications:retry',
    NotificationsRetry,
    async (d, { principal }): Promise<Record<string, never> | { retried: number }> => {
      scope.staffOnly(principal);
      if ('all' in d) return { retried: await admin.retryAllNotifications() };
      await admin.retryNotification(d.jobId);
      return {};
    },
  );
  on('users:list', UsersList, async (d) => ({ users: await admin.listUsers(d.query) }));
  on('user:setRole', UserSetRole, async (d, { principal }) => {
    scope.staffOnly(principal);
    return { user: await deps.access.setRole(d.userId, d.role) };
  });
  const { groups } = deps.auth;
  on('group:create', GroupCreate, async (d, { principal }) => {
    scope.staffOnly(principal);
    return { group: await groups.create({ name: d.name, ...(d.externalId ? { externalId: d.externalId } : {}) }) };
  });
  on('group:update', GroupUpdate, async (d, { principal }) => {
    scope.staffOnly(principal);
    return {
      group: await groups.update({
        id: d.id,
        ...(d.name !== undefined ? { name: d.name } : {}),
        ...(d.externalId !== undefined ? { externalId: d.externalId } : {}),
      }),
    };
  });
  on('group:delete', GroupDelete, async (d, { principal }) => {
    scope.staffOnly(principal);
    await groups.remove(d.id);
    return {};
  });
  on('group:list', Empty, async (_d, { principal }) => {
    scope.staffOnly(principal);
    return { groups: await groups.list() };
  });
  on('user:setGroups', UserSetGroups, async (d, { principal }) => {
    scope.staffOnly(principal);
    return { user: await groups.setUserGroups(d.userId, d.groupIds) };
  });
  on('booking:history', BookingHistory, async (d, { principal }) => {
    await scope.onBooking(principal, d.bookingId);
    return { events: await deps.access.history(d.bookingId) };
  });
}
