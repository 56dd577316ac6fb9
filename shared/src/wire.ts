/** Shapes the server sends (docs/protocol.md). Times are ISO-8601 UTC strings ending in `Z`. */
import type { Locale, Policy, PolicyRule } from './policy/policy.schema';
import type { ResourceAccess } from './access';

export type Role = 'user' | 'staff';

export interface User {
  id: string;
  name: string;
  email: string;
  role: Role;
  /**
   * Contract addition (v3, `EMAIL_VERIFICATION`): false while a new password account has not
   * followed its mailed link (its booking commands answer FORBIDDEN `unverified`); the server
   * always sends it.
   */
  emailVerified?: boolean;
  /** (v3) The ids of the person's groups; always sent. */
  groups: string[];
  /** (v3) The person's language: pages, emails and `.ics` speak it (`profile:update` changes it). */
  locale: Locale;
}

/** (v3) A group of people; `externalId` is the value of the sign-in provider's groups claim it stands for. */
export interface Group {
  id: string;
  name: string;
  externalId?: string;
}

/** (v3) `GET /api/auth/config`: which sign-in buttons to show. */
export interface AuthConfig {
  password: boolean;
  oidc: null | { name: string };
}

export interface AuthResult {
  token: string;
  user: User;
}

/** Who made a change (`booking:history`); null for the system (no-show release). */
export interface Actor {
  id: string;
  name: string;
  role: Role;
}

/** What a change of a booking was (`booking:history`), every value once: the stores and the documents use the list. */
export const BOOKING_EVENT_ACTIONS = [
  'create',
  'modify',
  'cancel',
  'checkIn',
  'hold',
  'offer',
  'confirm',
  'expire',
  'request',
  'approve',
  'decline',
] as const;
export type BookingEventAction = (typeof BOOKING_EVENT_ACTIONS)[number];

/** One change of a booking, as `booking:history` lists it. */
export interface BookingEvent {
  at: string;
  /**
   * Contract addition: `checkIn` records the owner's check-in; (v3) `hold` a hold taken, `offer` a
   * waitlist offer made by the system, `confirm` a hold or offer confirmed, `expire` one (or an
   * undecided request) that ran out, `request` a booking made or moved as a request awaiting
   * approval, `approve` / `decline` an approver's decision.
   */
  action: BookingEventAction;
  actor: Actor | null;
  /** The booking's interval and status after the change. */
  start: string;
  end: string;
  status: BookingStatus;
}

export interface Resource {
  id: string;
  name: string;
  type: string;
  description: string;
  /** IANA zone of its opening hours, grid and days (default `UTC`). */
  timeZone: string;
  /** Always whole (defaults filled in). */
  policy: Policy;
  /** Units that can be booked at once (1 for a room). */
  capacity: number;
  /** People the space holds, when said. */
  seats: number | null;
  /** (v3) Who may view, book and manage it; null: every signed-in person may view and book. */
  access: ResourceAccess | null;
}

/** An interval `[start, end)` as ISO instants. */
export interface Stretch {
  start: string;
  end: string;
}

/** One `slots:find` answer: the earliest bookable interval of one resource. */
export interface FoundSlot {
  resourceId: string;
  start: string;
  end: string;
}

/**
 * A booking's status. `held` (v3) occupies its units until `expiresAt` and is free from that
 * instant on, whatever any timer does; a hold that ran out (or a waitlist offer that was not taken)
 * becomes `expired`. `pending` (v3) is a request awaiting approval: it occupies its units until it is
 * decided (`active` or `declined`) or its `expiresAt` passes (then `expired`, like a hold).
 * `completed` is derived: an active booking whose end has passed.
 */
export type BookingStatus = 'active' | 'cancelled' | 'completed' | 'held' | 'expired' | 'pending' | 'declined';

export interface Booking {
  id: string;
  resourceId: string;
  userId: string;
  start: string;
  end: string;
  status: BookingStatus;
  /** Units it takes (1 unless booked with a quantity). */
  quantity: number;
  createdAt: string;
  updatedAt: string;
  /** The series this booking is an occurrence of. */
  seriesId?: string;
  /** When its owner checked in (`booking:checkIn`). */
  checkedInAt?: string;
  /** Why it was cancelled (only when cancelled): by its owner, by staff, or released as a no-show. */
  cancelReason?: CancelReason;
  /**
   * (v3) A hold's or offer's end, or (contract addition) when an undecided request expires (the
   * earlier of its start and creation + `expireHours`): until this instant it occupies its units
   * (only while `held` or `pending`, and kept once `expired`).
   */
  expiresAt?: string;
  /** (v3, contract addition) The waitlist entry a `held` offer was made for. */
  waitlistEntryId?: string;
  /** (v3) Who approved or declined the request (a user id). */
  decidedBy?: string;
  /**
   * (v3, contract addition) It was made (or moved) as a request for approval: true from then on,
   * whatever became of it, so an `expired` request reads apart from an `expired` hold.
   */
  requested?: true;
  /** (v3) Why it was declined, as the approver wrote it (only when `declined`, and only if given). */
  declineReason?: string;
  /**
   * (v3) What it is for (at most 120 characters): sent to its owner, staff and the resource's
   * managers, and to everyone who may view the resource when its policy has `publicTitles`.
   */
  title?: string;
}

/** (v3) A waitlist entry's status; `waiting` entries whose start has passed answer `expired`. */
export type WaitlistStatus = 'waiting' | 'offered' | 'booked' | 'left' | 'expired';

/** (v3) A person's wish for `[start, end)` of a resource that was full when they asked. */
export interface WaitlistEntry {
  id: string;
  resourceId: string;
  userId: string;
  start: string;
  end: string;
  quantity: number;
  createdAt: string;
  status: WaitlistStatus;
  /** The offer (a `held` booking) once one was made. */
  bookingId?: string;
}

/** `ended-early` (v3) is reserved by the contract; a display's `display:endEarly` shortens the booking and leaves it unset. */
export type CancelReason = 'user' | 'staff' | 'no-show' | 'ended-early';

/** An occurrence of a series that was not booked, and why (an error code of docs/protocol.md). */
export interface SkippedOccurrence {
  start: string;
  end: string;
  code: 'SLOT_TAKEN' | 'POLICY_VIOLATION' | 'QUOTA_EXCEEDED';
  /** Contract addition: the broken rule when `code` is POLICY_VIOLATION. */
  rule?: PolicyRule;
}

/** What `booking:createSeries` answers. */
export interface SeriesResult {
  seriesId: string;
  bookings: Booking[];
  skipped: SkippedOccurrence[];
}

/** A booking as the admin snapshot lists it (and, v3, `approvals:list`). */
export interface AdminBooking extends Booking {
  userName: string;
}

export interface BusyInterval {
  bookingId: string;
  start: string;
  end: string;
  /** Units the booking takes. */
  quantity: number;
  /** Its status: a holding one (`active`, or v3's `held` and `pending`). */
  status: BookingStatus;
  /** (v3, contract addition) A `held` or `pending` entry's end: from this instant its units are free. */
  expiresAt?: string;
  /** (v3) The booking's title, only when the resource's policy has `publicTitles`. */
  title?: string;
}

/** A stretch of `[from, to)` in which `used > 0` units are occupied (bookings plus their buffers), use constant. */
export interface OccupancyStretch {
  start: string;
  end: string;
  used: number;
}

export interface Availability {
  resourceId: string;
  from: string;
  to: string;
  /** The resource's zone: the days and opening hours are local to it. */
  timeZone: string;
  busy: BusyInterval[];
  /** The stretches of `[from, to)` open by the policy. */
  open: Stretch[];
  version: number;
  /** Units that can be booked at once. */
  capacity: number;
  /** The policy's buffer: each booking occupies `[start, end + bufferMinutes)` (a client patches `occupancy` with it). */
  bufferMinutes: number;
  /** Where units are occupied over `[start, end + bufferMinutes)`, in order; free units = capacity - used. */
  occupancy: OccupancyStretch[];
}

/** (v3) `held`: a hold or waitlist offer took units; `confirmed`: a hold became a booking (nothing moved). */
export type SlotChange = 'booked' | 'released' | 'moved' | 'held' | 'confirmed';

/** Broadcast after every committed change of a resource's bookings. */
export interface SlotChanged {
  resourceId: string;
  bookingId: string;
  change: SlotChange;
  start: string;
  end: string;
  previous?: { start: string; end: string };
  version: number;
  at: string;
  /** Present only on `/admin`. */
  userId?: string;
  /** Units the booking takes. */
  quantity: number;
  /** The booking's status after the change (`cancelled` for a `released`). */
  status: BookingStatus;
  /** (v3, contract addition) A `held` or `pending` change: the instant from which its units are free. */
  expiresAt?: string;
  /** (v3, contract addition) The booking's title, when the policy has `publicTitles` (and always on `/admin`). */
  title?: string;
}

export type NotificationType =
  | 'booking.confirmed'
  | 'booking.cancelled'
  | 'booking.modified'
  | 'series.confirmed'
  | 'series.cancelled'
  | 'booking.reminder'
  | 'booking.released'
  | 'booking.requested'
  | 'booking.approved'
  | 'booking.declined'
  | 'booking.expired'
  | 'waitlist.offered';

/** Pushed by the notification service to the booking owner's sockets. */
export interface Notification {
  id: string;
  type: NotificationType;
  bookingId: string;
  message: string;
  at: string;
  /** For a series notification, or a change of one occurrence of a series. */
  seriesId?: string;
  /** What the person can do about it (a reminder of a booking with check-in: `checkIn`); no UI reads `message` to decide. */
  action?: NotificationAction;
}

/** What a notification invites its recipient to do (protocol v3). */
export type NotificationAction = 'checkIn' | 'confirm' | 'decide';

export interface QueueCounts {
  waiting: number;
  active: number;
  completed: number;
  failed: number;
  delayed: number;
}

export interface NodeInfo {
  nodeId: string;
  clients: number;
  startedAt: string;
}

export interface Stats {
  activeToday: number;
  cancelledToday: number;
  utilization: Record<string, number>;
  connectedClients: number;
  nodes: NodeInfo[];
  queue: QueueCounts;
  /**
   * Contract addition: no-show releases of the day by resource id (bookings released because
   * nobody checked in), and the no-show rate: releases over the day's bookings whose check-in
   * window has closed (released + checked in), 0..1.
   */
  noShows?: Record<string, { released: number; rate: number }>;
  /** Failed notification jobs, newest first (for the retry list). */
  failedJobs?: FailedJob[];
  /** (v3) Contract addition: waiting waitlist entries (start not passed) by resource id; absent ids have none. */
  waitlist?: Record<string, number>;
  /** (v3) Pending requests (not yet expired) the receiving staff member may decide, whatever their date. */
  pendingApprovals?: number;
  /** (v3) Webhook endpoints failing now or disabled (staff only: managers' stats leave it out). */
  webhooksFailing?: number;
}

export interface FailedJob {
  jobId: string;
  bookingId: string;
  type: NotificationType;
  failedReason: string;
  attemptsMade: number;
  at: string;
}

export interface DashboardSnapshotData {
  resources: Resource[];
  bookings: AdminBooking[];
  stats: Stats;
}

/** (v3) A room display: a screen outside a room, signed in with its own revocable token. */
export interface Display {
  id: string;
  resourceId: string;
  name: string;
  createdAt: string;
  /** When it last connected (contract addition). */
  lastSeenAt?: string;
  /** Set once revoked; a revoked display cannot connect again. */
  revokedAt?: string;
}

/** (v3) What a display shows: free (green), awaiting check-in (amber), in use (red), closed (grey). */
export type DisplayStateName = 'free' | 'awaiting-check-in' | 'in-use' | 'closed';

/** (v3) A booking as a display shows it (`title` only under `publicTitles`). */
export interface DisplayBooking {
  bookingId: string;
  start: string;
  end: string;
  title?: string;
}

/** (v3) `display:state`: sent on connect and within a second of any change of the resource or its bookings. */
export interface DisplayState {
  /** `locale` (contract addition): the policy's language the display speaks. */
  resource: { id: string; name: string; timeZone: string; capacity: number; locale: Locale };
  at: string;
  state: DisplayStateName;
  current: null | (DisplayBooking & { checkedInAt?: string; checkInDeadline?: string });
  /** The rest of the local day, at most 5. */
  next: DisplayBooking[];
  /** When the resource is next taken or closes, while `free` (null: free for the rest of the day or when not free). */
  freeUntil: string | null;
}
