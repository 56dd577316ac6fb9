/** Typed Socket.IO event maps (socket.io v4 typed events) for `/` and `/admin`. */
import type { z } from 'zod';
import type { Ack } from './errors';
import type * as S from './schemas';
import type * as I from './integrations';
import type * as W from './webhooks';
import type {
  AdminBooking,
  AuthResult,
  Availability,
  Booking,
  BookingEvent,
  Display,
  DisplayState,
  DashboardSnapshotData,
  FoundSlot,
  Group,
  Notification,
  Resource,
  SeriesResult,
  SlotChanged,
  Stats,
  User,
  WaitlistEntry,
} from './wire';

/** What a client emits: `(payload, ack)`. Payloads are typed by the schemas' *input* (strings, not Dates). */
type Command<P, D> = (payload: P, ack: (res: Ack<D>) => void) => void;
type In<T extends z.ZodType> = z.input<T>;

export interface ClientToServerEvents {
  'resources:list': Command<In<typeof S.Empty>, { resources: Resource[] }>;
  'availability:get': Command<In<typeof S.AvailabilityGet>, Availability>;
  'booking:create': Command<In<typeof S.BookingCreate>, { booking: Booking }>;
  'booking:cancel': Command<In<typeof S.BookingCancel>, { booking: Booking }>;
  'booking:modify': Command<In<typeof S.BookingModify>, { booking: Booking }>;
  'booking:checkIn': Command<In<typeof S.BookingCheckIn>, { booking: Booking }>;
  'bookings:mine': Command<In<typeof S.Empty>, { bookings: Booking[] }>;
  /** (v3) A `held` booking with `expiresAt`, checked as `booking:create` is. */
  'booking:hold': Command<In<typeof S.BookingHold>, { booking: Booking }>;
  /** (v3) One's own hold or offer becomes `active`; a repeat answers the same booking. */
  'booking:confirm': Command<In<typeof S.BookingConfirm>, { booking: Booking }>;
  'waitlist:join': Command<In<typeof S.WaitlistJoin>, { entry: WaitlistEntry }>;
  'waitlist:leave': Command<In<typeof S.WaitlistLeave>, { entry: WaitlistEntry }>;
  /** Newest first, at most 200. */
  'waitlist:mine': Command<In<typeof S.Empty>, { entries: WaitlistEntry[] }>;
  /** (v3) The pending requests the caller may decide, oldest first, with `userName` (a non-approver: none). */
  'approvals:list': Command<In<typeof S.Empty>, { bookings: AdminBooking[] }>;
  /** (v3) A pending request becomes `active` (exactly one decision wins; then INVALID_STATE). */
  'booking:approve': Command<In<typeof S.BookingApprove>, { booking: Booking }>;
  /** (v3) A pending request becomes `declined` and frees its units. */
  'booking:decline': Command<In<typeof S.BookingDecline>, { booking: Booking }>;
  'booking:createSeries': Command<In<typeof S.BookingCreateSeries>, SeriesResult>;
  'booking:cancelSeries': Command<In<typeof S.BookingCancelSeries>, { bookings: Booking[] }>;
  'slots:find': Command<In<typeof S.SlotsFind>, { slots: FoundSlot[] }>;
  /** Which resources' `slot:changed` this connection hears (`null`: every one, the default). */
  'slots:watch': Command<In<typeof S.SlotsWatch>, Record<string, never>>;
  /** Contract addition: a fresh token; this connection now lives until it expires. */
  'session:refresh': Command<In<typeof S.Empty>, AuthResult>;
  /** (v3) The caller's own booking's events, as on `/admin`. */
  'booking:history': Command<In<typeof S.BookingHistory>, { events: BookingEvent[] }>;
  /** (v3) The caller's name and language. */
  'profile:update': Command<In<typeof S.ProfileUpdate>, { user: User }>;
}

export interface ServerToClientEvents {
  'slot:changed': (event: SlotChanged) => void;
  notification: (event: Notification) => void;
  /** Contract addition: a resource was created or its settings (zone, policy, name) changed. */
  'resource:changed': (event: { resource: Resource }) => void;
}

export interface AdminClientToServerEvents {
  'dashboard:snapshot': Command<In<typeof S.DashboardSnapshot>, DashboardSnapshotData>;
  'booking:create': Command<In<typeof S.AdminBookingCreate>, { booking: Booking }>;
  'booking:cancel': Command<In<typeof S.BookingCancel>, { booking: Booking }>;
  'booking:createSeries': Command<In<typeof S.AdminBookingCreateSeries>, SeriesResult>;
  /** Contract addition: staff cancel a series (any owner's) from a date on, as on `/`. */
  'booking:cancelSeries': Command<In<typeof S.BookingCancelSeries>, { bookings: Booking[] }>;
  'resource:create': Command<In<typeof S.ResourceCreate>, { resource: Resource }>;
  'resource:update': Command<In<typeof S.ResourceUpdate>, { resource: Resource }>;
  'resource:delete': Command<In<typeof S.ResourceDelete>, Record<string, never>>;
  /** `{jobId}` answers `{}`; `{all: true}` answers how many failed jobs were sent again. */
  'notifications:retry': Command<In<typeof S.NotificationsRetry>, Record<string, never> | { retried: number }>;
  /** Contract addition: users (newest first, at most 200) for booking on behalf of someone. */
  'users:list': Command<In<typeof S.UsersList>, { users: User[] }>;
  'user:setRole': Command<In<typeof S.UserSetRole>, { user: User }>;
  /** (v3) Groups of people (staff). */
  'group:create': Command<In<typeof S.GroupCreate>, { group: Group }>;
  'group:update': Command<In<typeof S.GroupUpdate>, { group: Group }>;
  'group:delete': Command<In<typeof S.GroupDelete>, Record<string, never>>;
  'group:list': Command<In<typeof S.Empty>, { groups: Group[] }>;
  'user:setGroups': Command<In<typeof S.UserSetGroups>, { user: User }>;
  'booking:history': Command<In<typeof S.BookingHistory>, { events: BookingEvent[] }>;
  /** (v3) As on `/`. */
  'approvals:list': Command<In<typeof S.Empty>, { bookings: AdminBooking[] }>;
  'booking:approve': Command<In<typeof S.BookingApprove>, { booking: Booking }>;
  'booking:decline': Command<In<typeof S.BookingDecline>, { booking: Booking }>;
  /** Contract addition: a fresh token; this connection now lives until it expires. */
  'session:refresh': Command<In<typeof S.Empty>, AuthResult>;
  /** (v3) API keys for integrations (staff only): the secret is in the create answer only. */
  'apiKey:create': Command<In<typeof I.ApiKeyCreate>, { key: I.ApiKey; secret: string }>;
  'apiKey:list': Command<In<typeof I.ApiKeyList>, { keys: I.ApiKey[] }>;
  'apiKey:revoke': Command<In<typeof I.ApiKeyRevoke>, Record<string, never>>;
  /** (v3) Webhook endpoints (staff only): the secret is in the create answer only. */
  'webhook:create': Command<In<typeof W.WebhookCreate>, { webhook: W.Webhook; secret: string }>;
  'webhook:list': Command<In<typeof W.WebhookList>, { webhooks: W.Webhook[] }>;
  'webhook:delete': Command<In<typeof W.WebhookDelete>, Record<string, never>>;
  'webhook:deliveries': Command<In<typeof W.WebhookDeliveries>, { deliveries: W.WebhookDelivery[] }>;
  'webhook:replay': Command<In<typeof W.WebhookReplay>, { queued: number }>;
  /** (v3) Room displays (staff only): the token is in the create answer's `url` only. */
  'display:create': Command<In<typeof S.DisplayCreate>, { display: Display; url: string }>;
  'display:list': Command<In<typeof S.Empty>, { displays: Display[] }>;
  'display:revoke': Command<In<typeof S.DisplayRevoke>, Record<string, never>>;
  /** Contract addition (as on `/`): the dashboard saves its person's language. */
  'profile:update': Command<In<typeof S.ProfileUpdate>, { user: User }>;
}

/** (v3) What a room display emits on `/display`. */
export interface DisplayClientToServerEvents {
  'display:checkIn': Command<In<typeof S.DisplayBookingRef>, { booking: Booking }>;
  'display:bookNow': Command<In<typeof S.DisplayBookNow>, { booking: Booking }>;
  'display:extend': Command<In<typeof S.DisplayExtend>, { booking: Booking }>;
  'display:endEarly': Command<In<typeof S.DisplayBookingRef>, { booking: Booking }>;
}

export interface DisplayServerToClientEvents {
  'display:state': (state: DisplayState) => void;
}

export interface AdminServerToClientEvents {
  'slot:changed': (event: SlotChanged) => void;
  stats: (stats: Stats) => void;
}

/** The payload a client sends for event E. */
export type PayloadOf<M, E extends keyof M> = M[E] extends (payload: infer P, ack: never) => void ? P : never;
/** The `data` an ack carries on success for event E. */
export type DataOf<M, E extends keyof M> = M[E] extends (payload: never, ack: (res: Ack<infer D>) => void) => void
  ? D
  : never;
