/**
 * THE registry the API documents are generated from: every Socket.IO event of the shared event
 * maps (payload schema, the `data` of a successful ack, an example); the HTTP routes are in
 * `api.routes.ts`. The compile-time checks at the bottom fail the build when a command or
 * server event is added to `shared/src/events.ts` without an entry here, or when an entry's
 * payload schema is not the one the event map types the command with.
 */
import { z } from 'zod';
import * as S from '@booking/shared';
import type {
  AdminClientToServerEvents,
  AdminServerToClientEvents,
  ClientToServerEvents,
  DataOf,
  PayloadOf,
  ServerToClientEvents,
} from '@booking/shared';
import * as O from './wire.schemas';
import { approvalCommands, EXAMPLE_IDS, groupCommands } from './api.v3-commands';
import { webhookCommands } from './api.webhooks';
import type { CommandDoc } from './api.v3-commands';
import { apiKeyCommands } from './api.integrations';
import { displayAdminCommands } from './api.displays';
import { profileAdminCommands, profileRootCommands } from './api.profile';

export { EXAMPLE_IDS } from './api.v3-commands';
export type { CommandDoc } from './api.v3-commands';

const R = EXAMPLE_IDS.resource;

export interface EventDoc {
  summary: string;
  payload: z.ZodType;
}

const booking = z.object({ booking: O.BookingOut });
/** On `/admin` a booking may carry its owner's name. */
const adminBooking = z.object({ booking: O.BookingOut.extend({ userName: z.string().optional() }) });
const bookings = z.object({ bookings: z.array(O.BookingOut) });
const at = (day: string, hm: string) => `2030-01-${day}T${hm}:00Z`;

export const rootCommands = {
  'resources:list': {
    summary: 'Every resource.',
    payload: S.Empty,
    data: z.object({ resources: z.array(O.ResourceOut) }),
    errors: [],
    example: {},
  },
  'availability:get': {
    summary:
      'Busy and open stretches of one resource in `[from, to)` (at most 31 days) and its version; (v3) a busy entry ' +
      "carries its booking's `title` only when the resource's `policy.publicTitles` is on (switching it off hides them at once).",
    payload: S.AvailabilityGet,
    data: O.AvailabilityOut,
    errors: ['NOT_FOUND'],
    example: { resourceId: R, from: at('07', '00:00'), to: at('08', '00:00') },
  },
  'booking:create': {
    summary:
      'Books `[start, end)`; the same `idempotencyKey` answers the first result again (the same request, `title` included). ' +
      '(v3) `title?`: what it is for (trimmed, at most 120 characters), shown to its owner, staff and managers, and to ' +
      "others only under the resource's `policy.publicTitles`.",
    payload: S.BookingCreate,
    data: booking,
    errors: ['NOT_FOUND', 'SLOT_TAKEN', 'POLICY_VIOLATION', 'QUOTA_EXCEEDED', 'BUSY'],
    example: { resourceId: R, start: at('07', '09:00'), end: at('07', '10:00'), idempotencyKey: 'k-1' },
  },
  'booking:cancel': {
    summary: "Cancels one of the caller's active bookings (staff: any).",
    payload: S.BookingCancel,
    data: booking,
    errors: ['NOT_FOUND', 'FORBIDDEN', 'INVALID_STATE', 'BUSY'],
    example: { bookingId: EXAMPLE_IDS.booking },
  },
  'booking:modify': {
    summary:
      'Moves a booking atomically to a new interval. (v3) `title`: omitted keeps it, a string replaces it, `null` or `""` ' +
      'clears it; a change of the title alone (same interval) is allowed.',
    payload: S.BookingModify,
    data: booking,
    errors: ['NOT_FOUND', 'FORBIDDEN', 'INVALID_STATE', 'SLOT_TAKEN', 'POLICY_VIOLATION', 'BUSY'],
    example: { bookingId: EXAMPLE_IDS.booking, start: at('07', '11:00'), end: at('07', '12:00') },
  },
  'bookings:mine': {
    summary: "The caller's bookings, upcoming first (at most 500).",
    payload: S.Empty,
    data: bookings,
    errors: [],
    example: {},
  },
  'booking:createSeries': {
    summary:
      'A repeating booking; `onConflict` `fail` books all or none, `skip` books those that fit. (v3) `title?` is every ' +
      'occurrence’s title.',
    payload: S.BookingCreateSeries,
    data: O.SeriesResultOut,
    errors: ['NOT_FOUND', 'SLOT_TAKEN', 'POLICY_VIOLATION', 'QUOTA_EXCEEDED', 'BUSY'],
    example: {
      resourceId: R,
      start: at('07', '13:00'),
      end: at('07', '14:00'),
      repeat: { every: 'week', count: 3 },
      onConflict: 'skip',
    },
  },
  'booking:cancelSeries': {
    summary: 'Cancels the active occurrences of a series from `from` (default now) on.',
    payload: S.BookingCancelSeries,
    data: bookings,
    errors: ['NOT_FOUND', 'FORBIDDEN', 'BUSY'],
    example: { seriesId: EXAMPLE_IDS.series },
  },
  'booking:hold': {
    summary:
      'Holds `[start, end)` while the person decides: checked as `booking:create` (`title?` included), `held` until `expiresAt`.',
    payload: S.BookingHold,
    data: booking,
    errors: ['NOT_FOUND', 'SLOT_TAKEN', 'POLICY_VIOLATION', 'QUOTA_EXCEEDED', 'BUSY'],
    example: { resourceId: R, start: at('07', '09:00'), end: at('07', '10:00') },
  },
  'booking:confirm': {
    summary:
      "Makes one's own hold or waitlist offer `active` before its `expiresAt`; a repeat answers the same booking.",
    payload: S.BookingConfirm,
    data: booking,
    errors: ['NOT_FOUND', 'FORBIDDEN', 'INVALID_STATE', 'BUSY'],
    example: { bookingId: EXAMPLE_IDS.booking },
  },
  ...approvalCommands,
  'waitlist:join': {
    summary: 'Waits for `[start, end)` of a resource that is full now; freed units are offered in join order.',
    payload: S.WaitlistJoin,
    data: z.object({ entry: O.WaitlistEntryOut }),
    errors: ['NOT_FOUND', 'INVALID_STATE', 'POLICY_VIOLATION', 'QUOTA_EXCEEDED', 'BUSY'],
    example: { resourceId: R, start: at('07', '09:00'), end: at('07', '10:00') },
  },
  'waitlist:leave': {
    summary: "Leaves one's own waiting entry.",
    payload: S.WaitlistLeave,
    data: z.object({ entry: O.WaitlistEntryOut }),
    errors: ['NOT_FOUND', 'FORBIDDEN', 'INVALID_STATE'],
    example: { entryId: EXAMPLE_IDS.booking },
  },
  'waitlist:mine': {
    summary: "The caller's waitlist entries, newest first (at most 200).",
    payload: S.Empty,
    data: z.object({ entries: z.array(O.WaitlistEntryOut) }),
    errors: [],
    example: {},
  },
  'booking:checkIn': {
    summary:
      "Checks in to one's own active booking, from 10 minutes before its start until its end. Not checked in by start + " +
      '`policy.checkIn.windowMinutes`, it is released as a no-show; (v3) with `checkIn.strikes: n`, n consecutive no-show ' +
      "releases of one series' occurrences (a check-in resets the count) cancel its remaining occurrences " +
      '(`cancelReason: "no-show"`) and its owner gets one `series.cancelled`.',
    payload: S.BookingCheckIn,
    data: booking,
    errors: ['NOT_FOUND', 'FORBIDDEN', 'INVALID_STATE'],
    example: { bookingId: EXAMPLE_IDS.booking },
  },
  'slots:find': {
    summary: 'The earliest bookable interval of `minutes` per matching resource, sorted by start.',
    payload: S.SlotsFind,
    data: z.object({ slots: z.array(O.FoundSlotOut) }),
    errors: [],
    example: { from: at('07', '08:00'), to: at('08', '18:00'), minutes: 60, limit: 5 },
  },
  'slots:watch': {
    summary:
      'From now on this connection hears `slot:changed` only for the listed resources (at most 200; `[]`: none); ' +
      '`null` hears every resource again, the default of a new connection.',
    payload: S.SlotsWatch,
    data: O.EmptyOut,
    errors: [],
    example: { resourceIds: [R] },
  },
  'session:refresh': {
    summary: 'A fresh token; this connection now lives until it expires.',
    payload: S.Empty,
    data: O.AuthResultOut,
    errors: ['UNAUTHORIZED'],
    example: {},
  },
  ...profileRootCommands,
} as const satisfies Record<string, CommandDoc>;

export const adminCommands = {
  'dashboard:snapshot': {
    summary: 'Resources, the local day’s bookings with user names, and stats.',
    payload: S.DashboardSnapshot,
    data: O.DashboardSnapshotOut,
    errors: [],
    example: { date: '2030-01-07' },
  },
  'booking:create': {
    summary: 'Books on behalf of a user (notice, advance and quotas do not apply to staff); (v3) `title?` as on `/`.',
    payload: S.AdminBookingCreate,
    data: adminBooking,
    errors: ['NOT_FOUND', 'SLOT_TAKEN', 'POLICY_VIOLATION', 'BUSY'],
    example: { resourceId: R, start: at('08', '09:00'), end: at('08', '10:00'), userId: EXAMPLE_IDS.user },
  },
  'booking:cancel': {
    summary: 'Cancels any active booking.',
    payload: S.BookingCancel,
    data: adminBooking,
    errors: ['NOT_FOUND', 'INVALID_STATE', 'BUSY'],
    example: { bookingId: EXAMPLE_IDS.booking },
  },
  'booking:createSeries': {
    summary: 'A repeating booking on behalf of a user; (v3) `title?` is every occurrence’s.',
    payload: S.AdminBookingCreateSeries,
    data: O.SeriesResultOut,
    errors: ['NOT_FOUND', 'SLOT_TAKEN', 'POLICY_VIOLATION', 'BUSY'],
    example: {
      resourceId: R,
      start: at('08', '13:00'),
      end: at('08', '14:00'),
      repeat: { every: 'day', count: 2 },
      onConflict: 'fail',
      userId: EXAMPLE_IDS.user,
    },
  },
  'booking:cancelSeries': {
    summary: "Cancels any owner's series from `from` on.",
    payload: S.BookingCancelSeries,
    data: bookings,
    errors: ['NOT_FOUND', 'BUSY'],
    example: { seriesId: EXAMPLE_IDS.series },
  },
  'resource:create': {
    summary: 'Creates a resource.',
    payload: S.ResourceCreate,
    data: z.object({ resource: O.ResourceOut }),
    errors: [],
    example: { name: 'Board room', type: 'room', timeZone: 'Europe/Berlin', policy: { slotMinutes: 30 } },
  },
  'resource:update': {
    summary:
      "Changes a resource's settings (never cancels bookings). Lowering `capacity` below what is already booked is " +
      'refused with INVALID_STATE `details: {at, capacity}` unless `force: true`, which keeps every booking.',
    payload: S.ResourceUpdate,
    data: z.object({ resource: O.ResourceOut }),
    errors: ['NOT_FOUND', 'INVALID_STATE'],
    example: { id: R, description: 'Second floor' },
  },
  'resource:delete': {
    summary: 'Deletes a resource without future active bookings.',
    payload: S.ResourceDelete,
    data: O.EmptyOut,
    errors: ['NOT_FOUND', 'INVALID_STATE'],
    example: { id: '665f1c2e8b3a4d00123456ff' },
  },
  'notifications:retry': {
    summary: 'Sends a failed notification job again, or every failed one (`{all: true}`).',
    payload: S.NotificationsRetry,
    data: z.union([O.EmptyOut, z.object({ retried: z.number().int() })]),
    errors: ['NOT_FOUND'],
    example: { all: true },
  },
  'users:list': {
    summary: 'Users by name or email match, newest first (at most 200).',
    payload: S.UsersList,
    data: z.object({ users: z.array(O.UserOut) }),
    errors: [],
    example: { query: 'alice' },
  },
  'user:setRole': {
    summary: "Sets a user's role; revokes their tokens and disconnects them.",
    payload: S.UserSetRole,
    data: z.object({ user: O.UserOut }),
    errors: ['NOT_FOUND'],
    example: { userId: EXAMPLE_IDS.user, role: 'user' },
  },
  ...groupCommands,
  ...approvalCommands,
  ...apiKeyCommands,
  ...webhookCommands,
  ...profileAdminCommands,
  ...displayAdminCommands,
  'booking:history': {
    summary: 'Every change of one booking with its actor, oldest first.',
    payload: S.BookingHistory,
    data: z.object({ events: z.array(O.BookingEventOut) }),
    errors: ['NOT_FOUND'],
    example: { bookingId: EXAMPLE_IDS.booking },
  },
  'session:refresh': {
    summary: 'A fresh token; this connection now lives until it expires.',
    payload: S.Empty,
    data: O.AuthResultOut,
    errors: ['UNAUTHORIZED'],
    example: {},
  },
} as const satisfies Record<string, CommandDoc>;

export const rootEvents = {
  'slot:changed': {
    summary:
      'A committed change of a resource’s bookings (after `slots:watch`, only watched resources); (v3) with the ' +
      "booking's `title` only under the resource's `policy.publicTitles`.",
    payload: O.SlotChangedOut,
  },
  notification: {
    summary: 'To every connection of the booking’s owner, when the notification service handled the event.',
    payload: O.NotificationOut,
  },
  'resource:changed': {
    summary: 'A resource was created or its settings changed.',
    payload: z.object({ resource: O.ResourceOut }),
  },
} as const satisfies Record<string, EventDoc>;

export const adminEvents = {
  'slot:changed': {
    summary: 'Every committed change, with `userId` and (v3) the booking’s `title`.',
    payload: O.SlotChangedOut,
  },
  stats: { summary: 'Dashboard figures, at least every 5 seconds.', payload: O.StatsOut },
} as const satisfies Record<string, EventDoc>;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Events of the map without an entry (must be never). */
type Missing<M, Reg> = Exclude<keyof M, keyof Reg>;
/** Commands whose entry's payload schema is not the one the map types the command with. */
type WrongPayload<M, Reg> = {
  [E in keyof M & keyof Reg & string]: Reg[E] extends { payload: infer P extends z.ZodType }
    ? Same<z.input<P>, PayloadOf<M, E>> extends true
      ? never
      : E
    : E;
}[keyof M & keyof Reg & string];
/** Commands whose documented `data` is not something the map's ack type accepts. */
type WrongData<M, Reg> = {
  [E in keyof M & keyof Reg & string]: Reg[E] extends { data: infer D extends z.ZodType }
    ? z.output<D> extends DataOf<M, E>
      ? never
      : E
    : E;
}[keyof M & keyof Reg & string];
type Payload<F> = F extends (event: infer P) => void ? P : never;
type WrongEvent<M, Reg> = {
  [E in keyof M & keyof Reg]: Reg[E] extends { payload: infer P extends z.ZodType }
    ? z.output<P> extends Payload<M[E]>
      ? never
      : E
    : E;
}[keyof M & keyof Reg];
/** `true` only when T is never; otherwise the offending names show in the error. */
type None<T> = [T] extends [never] ? true : T;

const complete: [
  None<Missing<ClientToServerEvents, typeof rootCommands>>,
  None<Missing<AdminClientToServerEvents, typeof adminCommands>>,
  None<Missing<ServerToClientEvents, typeof rootEvents>>,
  None<Missing<AdminServerToClientEvents, typeof adminEvents>>,
  None<WrongPayload<ClientToServerEvents, typeof rootCommands>>,
  None<WrongPayload<AdminClientToServerEvents, typeof adminCommands>>,
  None<WrongData<ClientToServerEvents, typeof rootCommands>>,
  None<WrongData<AdminClientToServerEvents, typeof adminCommands>>,
  None<WrongEvent<ServerToClientEvents, typeof rootEvents>>,
  None<WrongEvent<AdminServerToClientEvents, typeof adminEvents>>,
] = [true, true, true, true, true, true, true, true, true, true];
void complete;
