import { Schema } from 'mongoose';
import type { Connection, Model, Types } from 'mongoose';
import type { NotificationType, Repeat } from '@booking/shared';

/** What a series confirmation needs to write the whole series as one calendar event. */
export interface SeriesOutline {
  repeat: Repeat;
  /** How many occurrences the rule expands to. */
  count: number;
  skipped: Array<{ start: Date; end: Date; code: string; rule?: string }>;
}

/**
 * One entry per committed booking change, written in the booking's own transaction, so a
 * committed change always has its notification recorded. The notification relay hands entries
 * to BullMQ (jobId = outbox id) and stamps `handedOverAt`; the worker stamps `sentAt` once the
 * SMTP server accepted the mail (or `failedAt` when the job parks in the failed set). An entry
 * handed over long ago and neither sent nor failed is handed over again (Redis lost the job).
 * Sent entries expire `OUTBOX_RETENTION_SEC` after `sentAt` (a TTL index); unsent ones stay.
 */
export interface OutboxDoc {
  _id: Types.ObjectId;
  type: OutboxType;
  bookingId: Types.ObjectId;
  userId: Types.ObjectId;
  resourceId: Types.ObjectId;
  start: Date;
  end: Date;
  previous?: { start: Date; end: Date };
  /** The resource version the change produced. */
  version: number;
  createdAt: Date;
  seriesId?: Types.ObjectId;
  recurrenceId?: Date;
  occurrences?: Array<{ start: Date; end: Date; recurrenceId: Date }>;
  series?: SeriesOutline;
  /** `booking.reminder` on a resource with check-in, `booking.released`: when the check-in window closes (closed). */
  checkInBy?: Date;
  /** Units the booking takes (after the change); absent on entries written before capacity (one unit). */
  quantity?: number;
  /** (v3) A hold or waitlist offer: until when it is held; a request: when it expires undecided. */
  expiresAt?: Date;
  /** (v3) Who is told, when not the owner: an approver of a `booking.requested`. */
  recipientId?: Types.ObjectId;
  /** (v3) `booking.declined`: the approver's reason, when given. */
  declineReason?: string;
  /** (v3) The booking's title, when it has one (its owner's mails name it); written by the booking side. */
  title?: string;
  /** (v3) `resource.updated`: the resource (wire form) as the change left it. */
  resource?: Record<string, unknown>;
  handedOverAt: Date | null;
  /** When the SMTP server accepted its mail (absent on entries written before this field). */
  sentAt?: Date | null;
  /** When its job parked in the failed set (a permanent refusal, or retries used up). */
  failedAt?: Date | null;
}

/** Every notification type (docs/protocol.md): one outbox entry and one email each. */
export const NOTIFICATION_TYPES = [
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
] as const satisfies readonly NotificationType[];

/**
 * What an outbox entry records: a notification, or a record nobody is mailed about: (v3)
 * `booking.held`, a hold taken (or a request nobody can be told of): only its booking's expiry
 * timer to schedule; (v3) `booking.checkedIn` and `resource.updated`: only a webhook event. Such an
 * entry is written already sent, so the relay hands it over once (webhooks, scheduler) and never to
 * the notification queue. A `resource.updated` has no booking: its `bookingId` and `userId` are the
 * resource's id, `start`/`end` its commit time, and `resource` the resource as the change left it.
 */
export type OutboxType = NotificationType | 'booking.held' | 'booking.checkedIn' | 'resource.updated';
export const OUTBOX_TYPES = [
  ...NOTIFICATION_TYPES,
  'booking.held',
  'booking.checkedIn',
  'resource.updated',
] as const satisfies readonly OutboxType[];

const RECORDS_ONLY: ReadonlySet<OutboxType> = new Set(['booking.held', 'booking.checkedIn', 'resource.updated']);

/** Whether an entry is a notification (mailed and pushed), not a record only (timer, webhook). */
export const isNotification = (doc: Pick<OutboxDoc, 'type'>): doc is OutboxDoc & { type: NotificationType } =>
  !RECORDS_ONLY.has(doc.type);

/** How long a sent outbox entry is kept (30 days). */
export const OUTBOX_RETENTION_SEC = 30 * 24 * 3600;

const outboxSchema = new Schema<OutboxDoc>(
  {
    type: { type: String, enum: OUTBOX_TYPES, required: true },
    bookingId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    resourceId: { type: Schema.Types.ObjectId, required: true },
    start: { type: Date, required: true },
    end: { type: Date, required: true },
    previous: { type: new Schema({ start: Date, end: Date }, { _id: false }), required: false },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    seriesId: { type: Schema.Types.ObjectId, required: false },
    recurrenceId: { type: Date, required: false },
    occurrences: {
      type: [new Schema({ start: Date, end: Date, recurrenceId: Date }, { _id: false })],
      default: undefined,
    },
    series: { type: Schema.Types.Mixed, required: false },
    checkInBy: { type: Date, required: false },
    quantity: { type: Number, required: false },
    expiresAt: { type: Date, required: false },
    recipientId: { type: Schema.Types.ObjectId, required: false },
    declineReason: { type: String, required: false },
    title: { type: String, required: false },
    resource: { type: Schema.Types.Mixed, required: false },
    handedOverAt: { type: Date, default: null },
    sentAt: { type: Date, default: null },
    failedAt: { type: Date, default: null },
  },
  { collection: 'outbox', versionKey: false },
);
outboxSchema.index({ handedOverAt: 1, createdAt: 1 });
// The re-hand scan: handed over, neither sent nor failed, handed over before a cutoff.
outboxSchema.index({ sentAt: 1, failedAt: 1, handedOverAt: 1 });
// MongoDB ignores documents whose sentAt is null or missing: only sent entries expire.
outboxSchema.index({ sentAt: 1 }, { expireAfterSeconds: OUTBOX_RETENTION_SEC, name: 'sentAt_ttl' });
outboxSchema.index({ bookingId: 1, createdAt: 1 });

export type OutboxModel = Model<OutboxDoc>;

export function registerOutboxModel(conn: Connection): OutboxModel {
  return conn.models.Outbox ? (conn.models.Outbox as OutboxModel) : conn.model<OutboxDoc>('Outbox', outboxSchema);
}
