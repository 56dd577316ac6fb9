/**
 * Zod schemas of what the server *answers* (the shapes of `shared/src/wire.ts`), for the API
 * documents only: the server builds these values itself and never parses them. Each is checked
 * at compile time to produce a value of its wire type, so the documents cannot promise a field
 * the type does not have (a new optional wire field may be added here after it lands).
 */
import { z } from 'zod';
import { BOOKING_EVENT_ACTIONS, ErrorCode, LOCALES, PolicySchema } from '@booking/shared';
import type * as W from '@booking/shared';

const Iso = z.iso.datetime().describe('ISO-8601 instant in UTC, ending in `Z`');
const Role = z.enum(['user', 'staff']);

export const UserOut = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: Role,
  emailVerified: z
    .boolean()
    .describe('false while an account created under EMAIL_VERIFICATION=required has not followed its link'),
  groups: z.array(z.string()).describe('ids of the person’s groups (v3)'),
  locale: z.enum(LOCALES).describe('(v3) the person’s language: pages, emails and .ics speak it'),
});
/** (v3) A group of people. */
export const GroupOut = z.object({
  id: z.string(),
  name: z.string(),
  externalId: z.string().optional().describe('the value of the sign-in provider’s groups claim it stands for'),
});
/** (v3) `GET /api/auth/config`. */
export const AuthConfigOut = z.object({
  password: z.boolean().describe('whether password sign-in is on (AUTH_PASSWORD)'),
  oidc: z.object({ name: z.string().describe('the single sign-on button’s label (OIDC_NAME)') }).nullable(),
});
export const AuthResultOut = z.object({ token: z.string().describe('JWT, valid for 1 hour'), user: UserOut });
export const ResourceOut = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  description: z.string(),
  timeZone: z.string().describe('IANA zone, default `UTC`'),
  policy: PolicySchema,
  capacity: z.number().int().describe('units that can be booked at once (1-1000)'),
  seats: z.number().int().nullable().describe('people the space holds, when said'),
  access: z
    .object({
      visibleTo: z.array(z.string()).nullable().describe('groups that may view it; null: everyone'),
      bookableBy: z.array(z.string()).nullable().describe('groups that may book it; null: everyone who may view it'),
      managers: z.array(z.string()).describe('groups whose members act as staff for it on /admin'),
    })
    .nullable()
    .describe('(v3) who may view, book and manage it; null: every signed-in person may view and book'),
});
const STATUSES = ['active', 'cancelled', 'completed', 'held', 'expired', 'pending', 'declined'] as const;
export const BookingOut = z.object({
  id: z.string(),
  resourceId: z.string(),
  userId: z.string(),
  start: Iso,
  end: Iso,
  status: z.enum(STATUSES),
  quantity: z.number().int().describe('units the booking takes'),
  createdAt: Iso,
  updatedAt: Iso,
  seriesId: z.string().optional(),
  checkedInAt: Iso.optional(),
  cancelReason: z.enum(['user', 'staff', 'no-show', 'ended-early']).optional(),
  expiresAt: Iso.optional().describe('a hold, offer or undecided request occupies its units until this instant'),
  waitlistEntryId: z.string().optional().describe('contract addition: the waitlist entry a held offer was made for'),
  decidedBy: z.string().optional().describe('v3: the user who approved or declined the request'),
  requested: z.literal(true).optional().describe('contract addition: made or moved as a request for approval'),
  declineReason: z.string().optional().describe('v3: why the request was declined, when given'),
  title: z
    .string()
    .optional()
    .describe(
      'v3: what it is for (≤ 120 characters); to others than its owner, staff and managers only under publicTitles',
    ),
});
export const WaitlistEntryOut = z.object({
  id: z.string(),
  resourceId: z.string(),
  userId: z.string(),
  start: Iso,
  end: Iso,
  quantity: z.number().int(),
  createdAt: Iso,
  status: z.enum(['waiting', 'offered', 'booked', 'left', 'expired']),
  bookingId: z.string().optional().describe('the offer, once one was made'),
});
const Stretch = z.object({ start: Iso, end: Iso });
const StatusOut = z.enum(STATUSES);
export const AvailabilityOut = z.object({
  resourceId: z.string(),
  from: Iso,
  to: Iso,
  timeZone: z.string(),
  busy: z.array(
    z.object({
      bookingId: z.string(),
      start: Iso,
      end: Iso,
      quantity: z.number().int().describe('units the booking takes'),
      status: StatusOut,
      expiresAt: Iso.optional().describe('contract addition: a held entry is free from this instant'),
      title: z.string().optional().describe('v3: the booking’s title, only under the policy’s publicTitles'),
    }),
  ),
  open: z.array(Stretch),
  version: z.number().int(),
  capacity: z.number().int().describe('units that can be booked at once'),
  bufferMinutes: z.number().int().describe('contract addition: each booking occupies [start, end + bufferMinutes)'),
  occupancy: z
    .array(z.object({ start: Iso, end: Iso, used: z.number().int() }))
    .describe('the stretches of [from, to) where used > 0 units are occupied, in order'),
});
export const FoundSlotOut = z.object({ resourceId: z.string(), start: Iso, end: Iso });
const PolicyRule = z.enum(['openingHours', 'closure', 'grid', 'duration', 'notice', 'past', 'advance', 'buffer']);
export const SeriesResultOut = z.object({
  seriesId: z.string(),
  bookings: z.array(BookingOut),
  skipped: z.array(
    z.object({
      start: Iso,
      end: Iso,
      code: z.enum(['SLOT_TAKEN', 'POLICY_VIOLATION', 'QUOTA_EXCEEDED']),
      rule: PolicyRule.optional(),
    }),
  ),
});
export const AdminBookingOut = BookingOut.extend({ userName: z.string() });
const QueueCounts = z.object({
  waiting: z.number(),
  active: z.number(),
  completed: z.number(),
  failed: z.number(),
  delayed: z.number(),
});
const NotificationType = z.enum([
  'booking.confirmed',
  'booking.cancelled',
  'booking.modified',
  'series.confirmed',
  'series.cancelled',
  'booking.reminder',
  'booking.released',
  'booking.requested',
  'booking.approved',
  'booking.declined',
  'booking.expired',
  'waitlist.offered',
]);
export const StatsOut = z.object({
  activeToday: z.number(),
  cancelledToday: z.number(),
  utilization: z.record(z.string(), z.number().min(0).max(1)),
  connectedClients: z.number(),
  nodes: z.array(z.object({ nodeId: z.string(), clients: z.number(), startedAt: Iso })),
  queue: QueueCounts,
  failedJobs: z
    .array(
      z.object({
        jobId: z.string(),
        bookingId: z.string(),
        type: NotificationType,
        failedReason: z.string(),
        attemptsMade: z.number(),
        at: Iso,
      }),
    )
    .optional(),
  noShows: z.record(z.string(), z.object({ released: z.number(), rate: z.number() })).optional(),
  waitlist: z
    .record(z.string(), z.number().int())
    .optional()
    .describe('contract addition: waiting waitlist entries by resource id'),
  pendingApprovals: z.number().int().optional().describe('v3: pending requests the receiver may decide'),
  webhooksFailing: z
    .number()
    .int()
    .optional()
    .describe('v3: webhook endpoints failing or disabled (staff only; absent for managers)'),
});
export const DashboardSnapshotOut = z.object({
  resources: z.array(ResourceOut),
  bookings: z.array(AdminBookingOut),
  stats: StatsOut,
});
export const BookingEventOut = z.object({
  at: Iso,
  action: z.enum(BOOKING_EVENT_ACTIONS),
  actor: z.object({ id: z.string(), name: z.string(), role: Role }).nullable(),
  start: Iso,
  end: Iso,
  status: StatusOut,
});
export const SlotChangedOut = z.object({
  resourceId: z.string(),
  bookingId: z.string(),
  change: z.enum(['booked', 'released', 'moved', 'held', 'confirmed']),
  start: Iso,
  end: Iso,
  previous: Stretch.optional(),
  version: z.number().int(),
  at: Iso,
  userId: z.string().optional().describe('present only on `/admin`'),
  quantity: z.number().int().describe('units the booking takes'),
  status: StatusOut.describe("the booking's status after the change"),
  expiresAt: Iso.optional().describe('contract addition: a held change is free from this instant'),
  title: z.string().optional().describe('contract addition: the title, under publicTitles (always on /admin)'),
});
export const NotificationOut = z.object({
  id: z.string(),
  type: NotificationType,
  bookingId: z.string(),
  message: z.string(),
  at: Iso,
  seriesId: z.string().optional(),
  /** What the person can do about it; a UI decides from this, never from `message`. */
  action: z.enum(['checkIn', 'confirm', 'decide']).optional(),
});

/** Every error code (`shared/src/errors.ts`), on HTTP and in acks. */
export const ErrorCodeSchema = z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]);
export const ErrorBodyOut = z.object({ code: ErrorCodeSchema, message: z.string(), details: z.unknown().optional() });
export const HttpErrorOut = z.object({ error: ErrorBodyOut });
export const EmptyOut = z.strictObject({});

// ---- compile-time: each schema produces a value of its wire type --------------------------------
type Produces<S extends z.ZodType, T> = z.output<S> extends T ? true : false;
const checks: [
  Produces<typeof UserOut, W.User>,
  Produces<typeof AuthResultOut, W.AuthResult>,
  Produces<typeof ResourceOut, W.Resource>,
  Produces<typeof BookingOut, W.Booking>,
  Produces<typeof AvailabilityOut, W.Availability>,
  Produces<typeof FoundSlotOut, W.FoundSlot>,
  Produces<typeof SeriesResultOut, W.SeriesResult>,
  Produces<typeof AdminBookingOut, W.AdminBooking>,
  Produces<typeof StatsOut, W.Stats>,
  Produces<typeof DashboardSnapshotOut, W.DashboardSnapshotData>,
  Produces<typeof BookingEventOut, W.BookingEvent>,
  Produces<typeof SlotChangedOut, W.SlotChanged>,
  Produces<typeof NotificationOut, W.Notification>,
  Produces<typeof ErrorBodyOut, W.ErrorBody>,
  Produces<typeof WaitlistEntryOut, W.WaitlistEntry>,
  Produces<typeof GroupOut, W.Group>,
  Produces<typeof AuthConfigOut, W.AuthConfig>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];
void checks;
