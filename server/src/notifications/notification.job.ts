import { z } from 'zod';
import type { OutboxDoc } from './outbox.model';

const Iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date');
const ObjectIdHex = z.string().regex(/^[0-9a-f]{24}$/);

/**
 * What the relay puts in a `notifications` job: a copy of the outbox entry (so the dashboard can
 * show the failed list without reading MongoDB). The job id is the outbox id. The worker parses
 * it with this schema before anything else: data in Redis is an edge like any other.
 */
export const NotificationJobData = z.object({
  outboxId: ObjectIdHex,
  type: z.enum(['booking.confirmed', 'booking.cancelled', 'booking.modified']),
  bookingId: ObjectIdHex,
  userId: ObjectIdHex,
  resourceId: ObjectIdHex,
  start: Iso,
  end: Iso,
  previous: z.object({ start: Iso, end: Iso }).optional(),
  /** The resource version the change produced; it orders one booking's changes (ICS SEQUENCE). */
  version: z.number().int().nonnegative(),
  createdAt: Iso,
});
export type NotificationJobData = z.infer<typeof NotificationJobData>;

export function jobDataFromOutbox(doc: OutboxDoc): NotificationJobData {
  return {
    outboxId: doc._id.toHexString(),
    type: doc.type,
    bookingId: doc.bookingId.toHexString(),
    userId: doc.userId.toHexString(),
    resourceId: doc.resourceId.toHexString(),
    start: doc.start.toISOString(),
    end: doc.end.toISOString(),
    ...(doc.previous ? { previous: { start: doc.previous.start.toISOString(), end: doc.previous.end.toISOString() } } : {}),
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
  };
}

/** Retry policy of notification jobs (exponential backoff: delay, 2·delay, 4·delay, …). */
export interface RetryPolicy {
  /** Total attempts, the first included (default 8). */
  attempts: number;
  /** First backoff delay in ms (default 2000; tests use short ones). */
  backoffMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 8, backoffMs: 2000 };
