/**
 * Zod schemas of every payload that crosses the wire (docs/protocol.md). The server validates with
 * these at the edge; the web page and admin app use them (and the inferred types) as well.
 */
import { z } from 'zod';
import { ResourceAccessSchema } from './access';
import { MAX_SERIES_OCCURRENCES } from './policy/recurrence';
import { LocaleSchema, PolicyInput, TimeZone, WEEKDAYS } from './policy/policy.schema';
import { BOOKING_RULES, bookingShapeProblem } from './time';

/** Any id: a non-empty, bounded string. Whether it names something is the service's question. */
export const Id = z.string().min(1).max(64);

/** ISO-8601 instant with a zone (`Z` or an offset), parsed to a Date. */
export const Instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

const Email = z.string().trim().toLowerCase().max(254).pipe(z.email());

// ---- HTTP bodies -------------------------------------------------------------------------------

/** `POST /api/auth/register` */
export const RegisterBody = z.object({
  name: z.string().trim().min(1).max(100),
  email: Email,
  password: z.string().min(8).max(200),
  /** (v3) Default: the best of `Accept-Language`, else `en`. */
  locale: LocaleSchema.optional(),
});
export type RegisterBody = z.infer<typeof RegisterBody>;

/** `POST /api/auth/login` */
export const LoginBody = z.object({
  email: Email,
  password: z.string().min(1).max(200),
});
export type LoginBody = z.infer<typeof LoginBody>;

/** `POST /api/auth/password` (v3 "Sessions"): the current password, and the new one (8+ characters). */
export const PasswordChangeBody = z.object({
  current: z.string().min(1).max(200),
  next: z.string().min(8).max(200),
});
export type PasswordChangeBody = z.infer<typeof PasswordChangeBody>;

/** `POST /api/auth/verify`: the one-time token from the verification link (`/#verify=<token>`). */
export const VerifyEmailBody = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });
export type VerifyEmailBody = z.infer<typeof VerifyEmailBody>;

/** How many units of a resource can be booked at once (desks in a pool, laptops in a cart). */
export const MAX_CAPACITY = 1000;
export const Capacity = z.number().int().min(1).max(MAX_CAPACITY);
/** How many people a space holds: information, and a filter of `slots:find`; null when not said. */
export const Seats = z.number().int().min(1).max(100_000).nullable();
/** How many units a booking takes (at most the resource's capacity, checked by the service). */
export const Quantity = z.number().int().min(1).max(MAX_CAPACITY);

/** `POST /api/resources` and admin `resource:create`. */
export const ResourceCreate = z.object({
  name: z.string().trim().min(1).max(100),
  type: z.string().trim().min(1).max(50),
  description: z.string().max(2000).optional(),
  timeZone: TimeZone.optional(),
  policy: PolicyInput.optional(),
  capacity: Capacity.optional(),
  seats: Seats.optional(),
  /** (v3) Who may view, book and manage it (null: everyone); replaced whole on update. */
  access: ResourceAccessSchema.nullable().optional(),
});
export type ResourceCreate = z.infer<typeof ResourceCreate>;

// ---- Commands on `/` ---------------------------------------------------------------------------

/** Commands that take no arguments still take exactly one object: `{}`. */
export const Empty = z.strictObject({});

/** A query range: `from < to`, at most 31 days. */
function checkRange(v: { from: unknown; to: unknown }, ctx: z.RefinementCtx): void {
  // Zod runs object refinements even when a field failed; only compare real dates.
  if (!(v.from instanceof Date) || !(v.to instanceof Date)) return;
  if (v.from.getTime() >= v.to.getTime())
    ctx.addIssue({ code: 'custom', message: 'from must be before to', path: ['to'] });
  else if (v.to.getTime() - v.from.getTime() > BOOKING_RULES.maxAvailabilitySpanMs) {
    ctx.addIssue({ code: 'custom', message: 'the range spans at most 31 days', path: ['to'] });
  }
}

/** `availability:get`: `from < to`, at most 31 days. */
export const AvailabilityGet = z.object({ resourceId: Id, from: Instant, to: Instant }).superRefine(checkRange);
export type AvailabilityGet = z.infer<typeof AvailabilityGet>;

/** `slots:find`: the earliest bookable interval of `minutes` per matching resource in `[from, to)`. */
export const SlotsFind = z
  .strictObject({
    from: Instant,
    to: Instant,
    minutes: z.number().int().min(1).max(10_080),
    type: z.string().trim().min(1).max(50).optional(),
    resourceIds: z.array(Id).min(1).max(200).optional(),
    limit: z.number().int().min(1).max(100).optional(),
    /** Units wanted at once (default 1): a resource answers only where that many are free. */
    quantity: Quantity.optional(),
    /** Only spaces that hold at least this many people (resources with `seats` unset never match). */
    minSeats: z.number().int().min(1).max(100_000).optional(),
  })
  .superRefine(checkRange);
export type SlotsFind = z.infer<typeof SlotsFind>;

/** Most resources one connection may watch (docs/protocol.md `slots:watch`). */
export const MAX_WATCHED_RESOURCES = 200;

/**
 * `slots:watch`: from now on this connection hears `slot:changed` only for the listed resources
 * (an empty list: for none); `null` hears every resource again, as every connection does at first.
 * Ids that name no resource are accepted (a watch is a filter, not a read).
 */
export const SlotsWatch = z.strictObject({
  resourceIds: z.array(Id).max(MAX_WATCHED_RESOURCES).nullable(),
});
export type SlotsWatch = z.infer<typeof SlotsWatch>;

/**
 * A booking interval's shape: `end` after `start`, at most 7 days (docs/protocol.md: both are shape
 * errors, whatever the policy). Refused here, before a service does any work on the interval.
 */
function checkInterval(v: { start: unknown; end: unknown }, ctx: z.RefinementCtx): void {
  if (!(v.start instanceof Date) || !(v.end instanceof Date)) return;
  const problem = bookingShapeProblem(v.start, v.end);
  if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['end'] });
}

/**
 * (v3) Ask for approval instead of a refusal: under `approval.required: "outsidePolicy"`, a request
 * refused with `details.approvable: true` sent again with this creates a `pending` booking.
 */
const RequestApproval = z.boolean().optional();

/** (v3) What a booking is for: trimmed, at most 120 characters; empty means none. */
export const Title = z
  .string()
  .trim()
  .max(120)
  .transform((t) => (t === '' ? undefined : t));

const createFields = {
  resourceId: Id,
  start: Instant,
  end: Instant,
  quantity: Quantity.optional(),
  title: Title.optional(),
  idempotencyKey: z.string().min(1).max(128).optional(),
};

/** `booking:create` (the rules on the interval are checked by the service against its clock). */
export const BookingCreate = z.object({ ...createFields, requestApproval: RequestApproval }).superRefine(checkInterval);
export type BookingCreate = z.infer<typeof BookingCreate>;

/** `booking:hold` (v3): what `booking:create` takes; the booking is `held` until `expiresAt`. */
export const BookingHold = z.object(createFields).superRefine(checkInterval);
export type BookingHold = z.infer<typeof BookingHold>;

/** `booking:confirm` (v3): the caller's own hold or offer, before its `expiresAt`. */
export const BookingConfirm = z.object({ bookingId: Id });
export type BookingConfirm = z.infer<typeof BookingConfirm>;

/** `waitlist:join` (v3): a slot that does not fit now. */
export const WaitlistJoin = z
  .object({ resourceId: Id, start: Instant, end: Instant, quantity: Quantity.optional() })
  .superRefine(checkInterval);
export type WaitlistJoin = z.infer<typeof WaitlistJoin>;

/** `waitlist:leave` (v3): the caller's own waiting entry. */
export const WaitlistLeave = z.object({ entryId: Id });
export type WaitlistLeave = z.infer<typeof WaitlistLeave>;

/** `booking:approve` (v3): a pending request of a resource the caller approves for. */
export const BookingApprove = z.object({ bookingId: Id });
export type BookingApprove = z.infer<typeof BookingApprove>;

/** `booking:decline` (v3): as `booking:approve`, with the reason the owner is told. */
export const BookingDecline = z.object({ bookingId: Id, reason: z.string().trim().max(500).optional() });
export type BookingDecline = z.infer<typeof BookingDecline>;

/** `booking:cancel` */
export const BookingCancel = z.object({ bookingId: Id });
export type BookingCancel = z.infer<typeof BookingCancel>;

/** `booking:checkIn`: the caller's own active booking, from 10 minutes before its start until its end. */
export const BookingCheckIn = z.object({ bookingId: Id });
/** How long before its start a booking may be checked in (docs/protocol.md). */
export const CHECK_IN_EARLY_MINUTES = 10;

/**
 * When an active booking that is not checked in is released as a no-show: start + the window of
 * its resource's `checkIn` policy; null when the resource asks for no check-in, or when the
 * window would close only after the booking's end (then nothing is released).
 */
export function checkInDeadline(
  booking: { start: Date; end: Date },
  checkIn: { windowMinutes: number } | null,
): Date | null {
  if (!checkIn) return null;
  const at = booking.start.getTime() + checkIn.windowMinutes * 60_000;
  return at < booking.end.getTime() ? new Date(at) : null;
}
export type BookingCheckIn = z.infer<typeof BookingCheckIn>;

/** `booking:modify` */
export const BookingModify = z
  .object({
    bookingId: Id,
    start: Instant,
    end: Instant,
    quantity: Quantity.optional(),
    /** Omitted: kept; `""` or `null`: cleared. */
    title: Title.nullable().optional(),
    requestApproval: RequestApproval,
  })
  .superRefine(checkInterval);
export type BookingModify = z.infer<typeof BookingModify>;

/**
 * The `repeat` of a series: every day or week (every `interval` of them), optionally only on
 * some local weekdays, ending after `count` occurrences or on the local date `until`
 * (inclusive); exactly one of the two. At most 100 occurrences however it is said.
 */
export const Repeat = z
  .object({
    every: z.enum(['day', 'week']),
    interval: z.number().int().min(1).max(4).optional(),
    weekdays: z.array(z.enum(WEEKDAYS)).min(1).max(7).optional(),
    count: z.number().int().min(1).max(MAX_SERIES_OCCURRENCES).optional(),
    until: z.iso.date().optional(),
  })
  .refine((r) => (r.count === undefined) !== (r.until === undefined), {
    message: 'give exactly one of count and until',
    path: ['count'],
  });
export type Repeat = z.infer<typeof Repeat>;

const seriesFields = {
  resourceId: Id,
  start: Instant,
  end: Instant,
  repeat: Repeat,
  /** `fail`: all occurrences or none; `skip`: those that fit, the rest listed in `skipped`. */
  onConflict: z.enum(['fail', 'skip']),
  quantity: Quantity.optional(),
  title: Title.optional(),
  idempotencyKey: z.string().min(1).max(128).optional(),
  requestApproval: RequestApproval,
};

/** `booking:createSeries`: `[start, end)` is the first occurrence. */
export const BookingCreateSeries = z.object(seriesFields).superRefine(checkInterval);
export type BookingCreateSeries = z.infer<typeof BookingCreateSeries>;

/** `booking:cancelSeries`: the active occurrences that start at or after `from` (default now). */
export const BookingCancelSeries = z.object({ seriesId: Id, from: Instant.optional() });
export type BookingCancelSeries = z.infer<typeof BookingCancelSeries>;

// ---- Commands on `/admin` ----------------------------------------------------------------------

/** `dashboard:snapshot` */
export const DashboardSnapshot = z.object({ date: z.iso.date().optional() });
export type DashboardSnapshot = z.infer<typeof DashboardSnapshot>;

/** Admin `booking:create` on behalf of a user. */
export const AdminBookingCreate = z
  .object({
    resourceId: Id,
    start: Instant,
    end: Instant,
    userId: Id,
    quantity: Quantity.optional(),
    title: Title.optional(),
  })
  .superRefine(checkInterval);
export type AdminBookingCreate = z.infer<typeof AdminBookingCreate>;

/** Admin `booking:createSeries` on behalf of a user: the same shape plus `userId`. */
export const AdminBookingCreateSeries = z.object({ ...seriesFields, userId: Id }).superRefine(checkInterval);
export type AdminBookingCreateSeries = z.infer<typeof AdminBookingCreateSeries>;

/** `resource:update` */
export const ResourceUpdate = z.object({
  id: Id,
  name: z.string().trim().min(1).max(100).optional(),
  type: z.string().trim().min(1).max(50).optional(),
  description: z.string().max(2000).optional(),
  timeZone: TimeZone.optional(),
  policy: PolicyInput.optional(),
  capacity: Capacity.optional(),
  seats: Seats.optional(),
  access: ResourceAccessSchema.nullable().optional(),
  /** Lower the capacity below what is already booked anyway (every booking is kept). */
  force: z.boolean().optional(),
});
export type ResourceUpdate = z.infer<typeof ResourceUpdate>;

/** `resource:delete` */
export const ResourceDelete = z.object({ id: Id });
export type ResourceDelete = z.infer<typeof ResourceDelete>;

/** `notifications:retry` */
export const NotificationsRetry = z.union([
  z.object({ jobId: z.string().min(1).max(128) }),
  /** (new in v2) Every job in the failed set at once; answers `{retried: n}`. */
  z.object({ all: z.literal(true) }).strict(),
]);
export type NotificationsRetry = z.infer<typeof NotificationsRetry>;

/** `users:list` (admin; a contract addition): the people staff may book on behalf of. */
export const UsersList = z.object({ query: z.string().trim().max(100).optional() });
export type UsersList = z.infer<typeof UsersList>;

/** `user:setRole` (admin): a change revokes the user's tokens and disconnects their sockets. */
export const UserSetRole = z.object({ userId: Id, role: z.enum(['user', 'staff']) });
export type UserSetRole = z.infer<typeof UserSetRole>;

/** (v3) `group:create` (admin): `externalId` ties the group to a value of the provider's groups claim. */
const GroupName = z.string().trim().min(1).max(100);
const ExternalId = z.string().trim().min(1).max(256);
export const GroupCreate = z.object({ name: GroupName, externalId: ExternalId.optional() });
export type GroupCreate = z.infer<typeof GroupCreate>;

/** (v3) `group:update` (admin): `externalId: null` unties it from the provider. */
export const GroupUpdate = z.object({
  id: Id,
  name: GroupName.optional(),
  externalId: ExternalId.nullable().optional(),
});
export type GroupUpdate = z.infer<typeof GroupUpdate>;

/** (v3) `group:delete` (admin): also removes it from every person. */
export const GroupDelete = z.object({ id: Id });
export type GroupDelete = z.infer<typeof GroupDelete>;

/** (v3) `user:setGroups` (admin): only groups without an `externalId` (those come from the provider). */
export const UserSetGroups = z.object({ userId: Id, groupIds: z.array(Id).max(200) });
export type UserSetGroups = z.infer<typeof UserSetGroups>;

/** (v3) `POST /api/auth/oidc/exchange`: the one-time code from the callback's `#signin=` fragment. */
export const OidcExchangeBody = z.object({ code: z.string().min(16).max(128) });
export type OidcExchangeBody = z.infer<typeof OidcExchangeBody>;

/** `booking:history` (admin): every change of one booking, oldest first. */
export const BookingHistory = z.object({ bookingId: Id });
export type BookingHistory = z.infer<typeof BookingHistory>;

// ---- (v3) profile and room displays ---------------------------------------------------------------

/** `profile:update` on `/`: the caller's own name and language. */
export const ProfileUpdate = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  locale: LocaleSchema.optional(),
});
export type ProfileUpdate = z.infer<typeof ProfileUpdate>;

/** `display:create` on `/admin` (staff): a display for one resource. */
export const DisplayCreate = z.strictObject({ resourceId: Id, name: z.string().trim().min(1).max(100) });
export type DisplayCreate = z.infer<typeof DisplayCreate>;

/** `display:revoke` on `/admin` (staff). */
export const DisplayRevoke = z.strictObject({ id: Id });
export type DisplayRevoke = z.infer<typeof DisplayRevoke>;

/** `display:checkIn` / `display:endEarly` on `/display`: the current booking. */
export const DisplayBookingRef = z.strictObject({ bookingId: Id });
export type DisplayBookingRef = z.infer<typeof DisplayBookingRef>;

/** Minutes a display books or extends by (rounded up to the resource's grid by the server). */
const DisplayMinutes = z.number().int().min(1).max(1440);

/** `display:bookNow` on `/display`: a walk-in booking from now. */
export const DisplayBookNow = z.strictObject({ minutes: DisplayMinutes });
export type DisplayBookNow = z.infer<typeof DisplayBookNow>;

/** `display:extend` on `/display`: the current booking, `minutes` longer. */
export const DisplayExtend = z.strictObject({ bookingId: Id, minutes: DisplayMinutes });
export type DisplayExtend = z.infer<typeof DisplayExtend>;
