import { Repeat } from '@booking/shared';
import type { NotificationType } from '@booking/shared';
import { z } from 'zod';
import { NOTIFICATION_TYPES } from './outbox.model';
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
  type: z.enum(NOTIFICATION_TYPES),
  bookingId: ObjectIdHex,
  userId: ObjectIdHex,
  resourceId: ObjectIdHex,
  start: Iso,
  end: Iso,
  previous: z.object({ start: Iso, end: Iso }).optional(),
  /** The resource version the change produced; it orders one booking's changes (ICS SEQUENCE). */
  version: z.number().int().nonnegative(),
  createdAt: Iso,
  seriesId: ObjectIdHex.optional(),
  /** The occurrence's original start (RECURRENCE-ID) when the booking belongs to a series. */
  recurrenceId: Iso.optional(),
  /** When the check-in window closes (a reminder on a resource with check-in) or closed (a no-show release). */
  checkInBy: Iso.optional(),
  /** Units the booking takes (each occurrence of a series); absent on entries from before capacity: one. */
  quantity: z.number().int().min(1).optional(),
  /** A waitlist offer: until when it is held for its person; (v3) a request: when it expires undecided. */
  expiresAt: Iso.optional(),
  /** (v3) Who is told, when not the owner (`userId`): an approver of a `booking.requested`. */
  recipientId: ObjectIdHex.optional(),
  /** (v3) `booking.declined`: the approver's reason, when given. */
  declineReason: z.string().max(500).optional(),
  /** (v3) The booking's title, when it has one: its owner's mails name it (`notification.email.ts`). */
  title: z.string().max(120).optional(),
  occurrences: z
    .array(z.object({ start: Iso, end: Iso, recurrenceId: Iso }))
    .max(100)
    .optional(),
  series: z
    .object({
      repeat: Repeat,
      count: z.number().int().min(1).max(100),
      skipped: z.array(z.object({ start: Iso, end: Iso, code: z.string(), rule: z.string().optional() })).max(100),
    })
    .optional(),
});
export type NotificationJobData = z.infer<typeof NotificationJobData>;

export function jobDataFromOutbox(doc: OutboxDoc & { type: NotificationType }): NotificationJobData {
  return {
    outboxId: doc._id.toHexString(),
    type: doc.type,
    bookingId: doc.bookingId.toHexString(),
    userId: doc.userId.toHexString(),
    resourceId: doc.resourceId.toHexString(),
    start: doc.start.toISOString(),
    end: doc.end.toISOString(),
    ...(doc.previous
      ? { previous: { start: doc.previous.start.toISOString(), end: doc.previous.end.toISOString() } }
      : {}),
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
    ...(doc.seriesId ? { seriesId: doc.seriesId.toHexString() } : {}),
    ...(doc.recurrenceId ? { recurrenceId: doc.recurrenceId.toISOString() } : {}),
    ...(doc.checkInBy ? { checkInBy: doc.checkInBy.toISOString() } : {}),
    ...(doc.quantity ? { quantity: doc.quantity } : {}),
    ...(doc.expiresAt ? { expiresAt: doc.expiresAt.toISOString() } : {}),
    ...(doc.recipientId ? { recipientId: doc.recipientId.toHexString() } : {}),
    ...(doc.declineReason ? { declineReason: doc.declineReason } : {}),
    ...(doc.title ? { title: doc.title } : {}),
    ...(doc.occurrences
      ? {
          occurrences: doc.occurrences.map((o) => ({
            start: iso(o.start),
            end: iso(o.end),
            recurrenceId: iso(o.recurrenceId),
          })),
        }
      : {}),
    ...(doc.series
      ? {
          series: {
            repeat: doc.series.repeat,
            count: doc.series.count,
            skipped: doc.series.skipped.map((k) => ({
              start: iso(k.start),
              end: iso(k.end),
              code: k.code,
              ...(k.rule ? { rule: k.rule } : {}),
            })),
          },
        }
      : {}),
  };
}

const iso = (d: Date | string): string => new Date(d).toISOString();

/**
 * Retry policy of notification jobs: exponential backoff (delay, 2·delay, 4·delay, …) capped at
 * `maxBackoffMs`, for `attempts` attempts. The default keeps retrying a transient failure (SMTP
 * down, a 4xx, MongoDB away) for at least 24 hours; only then, or at once on a permanent refusal,
 * does a job park in the failed set.
 */
export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  /** First backoff delay in ms (tests use short ones). */
  backoffMs: number;
  /** Largest delay between two attempts. */
  maxBackoffMs: number;
}

/** The BullMQ backoff type of notification jobs; the worker implements it (`backoffDelay`). */
export const CAPPED_BACKOFF = 'capped-exponential';

/** The delay before the attempt that follows attempt number `attemptsMade` (1-based). */
export function backoffDelay(policy: Pick<RetryPolicy, 'backoffMs' | 'maxBackoffMs'>, attemptsMade: number): number {
  const exponent = Math.min(Math.max(attemptsMade - 1, 0), 40);
  return Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** exponent);
}

/** How long a job keeps being retried before it parks: the sum of every delay between its attempts. */
export function retryWindowMs(policy: RetryPolicy): number {
  let total = 0;
  for (let made = 1; made < policy.attempts; made += 1) total += backoffDelay(policy, made);
  return total;
}

/** The fewest attempts whose delays add up to at least `windowMs`. */
export function attemptsCovering(windowMs: number, backoff: Pick<RetryPolicy, 'backoffMs' | 'maxBackoffMs'>): number {
  let attempts = 1;
  let total = 0;
  while (total < windowMs) {
    total += backoffDelay(backoff, attempts);
    attempts += 1;
  }
  return attempts;
}

const DAY_MS = 24 * 3600 * 1000;
const defaultBackoff = { backoffMs: 2000, maxBackoffMs: 10 * 60_000 };

/** 2 s doubling up to 10 minutes, for a little over 24 hours (about 155 attempts). */
export const defaultRetryPolicy: RetryPolicy = {
  ...defaultBackoff,
  attempts: attemptsCovering(DAY_MS, defaultBackoff),
};
