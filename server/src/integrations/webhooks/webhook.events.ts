/**
 * Which webhook event each committed change is, and what it says: an outbox entry (written in the
 * change's own transaction) becomes at most one event, its `data.booking` built from the entry, so
 * it is the booking as it was at that change (not as it is when the delivery runs).
 */
import { createHash } from 'node:crypto';
import type { Booking, BookingStatus, WebhookEvent } from '@booking/shared';
import type { OutboxDoc } from '../../notifications/outbox.model';

/** Outbox type → webhook event; types absent here (reminders, timer-only records) are not events. */
const EVENT_OF: Partial<Record<OutboxDoc['type'], WebhookEvent>> = {
  'booking.confirmed': 'booking.created',
  'series.confirmed': 'booking.created',
  'booking.cancelled': 'booking.cancelled',
  'series.cancelled': 'booking.cancelled',
  'booking.modified': 'booking.modified',
  'booking.released': 'booking.released',
  'booking.requested': 'booking.requested',
  'booking.approved': 'booking.approved',
  'booking.declined': 'booking.declined',
  'booking.expired': 'booking.expired',
  'waitlist.offered': 'waitlist.offered',
  'booking.checkedIn': 'booking.checkedIn',
  'resource.updated': 'resource.updated',
};

/** The status a booking has after each event. */
const STATUS_AFTER: Record<Exclude<WebhookEvent, 'resource.updated'>, BookingStatus> = {
  'booking.created': 'active',
  'booking.cancelled': 'cancelled',
  'booking.modified': 'active',
  'booking.checkedIn': 'active',
  'booking.released': 'cancelled',
  'booking.requested': 'pending',
  'booking.approved': 'active',
  'booking.declined': 'declined',
  'booking.expired': 'expired',
  'waitlist.offered': 'held',
};

export function eventOf(doc: Pick<OutboxDoc, 'type'>): WebhookEvent | null {
  return EVENT_OF[doc.type] ?? null;
}

/**
 * The event's key, unique per event: the outbox id, except a request, which has one entry per
 * approver told (same booking, same version) and is one event.
 */
export function eventKey(doc: OutboxDoc): string {
  if (doc.type === 'booking.requested') return `req.${doc.bookingId.toHexString()}.${doc.version}`;
  return doc._id.toHexString();
}

/** The `webhook-id`: deterministic per (endpoint, event), so every retry and replay carries the same one. */
export function messageId(endpointId: string, key: string): string {
  return `msg_${createHash('sha256').update(`${endpointId}:${key}`).digest('base64url').slice(0, 32)}`;
}

/** The booking as the change left it (the entry's fields; the status follows from the event). */
export function bookingAt(doc: OutboxDoc, type: Exclude<WebhookEvent, 'resource.updated'>): Partial<Booking> {
  const at = doc.createdAt.toISOString();
  return {
    id: doc.bookingId.toHexString(),
    resourceId: doc.resourceId.toHexString(),
    userId: doc.userId.toHexString(),
    start: doc.start.toISOString(),
    end: doc.end.toISOString(),
    status: STATUS_AFTER[type],
    quantity: doc.quantity ?? 1,
    updatedAt: at,
    ...(doc.seriesId ? { seriesId: doc.seriesId.toHexString() } : {}),
    ...(doc.expiresAt && (type === 'booking.requested' || type === 'waitlist.offered' || type === 'booking.expired')
      ? { expiresAt: doc.expiresAt.toISOString() }
      : {}),
    ...(type === 'booking.released' ? { cancelReason: 'no-show' as const } : {}),
    ...(type === 'booking.checkedIn' ? { checkedInAt: at } : {}),
    // (v3) A webhook is the integration's (staff's) view: the title as the change left it.
    ...(doc.title ? { title: doc.title } : {}),
  };
}

/** The event's `data`: the booking as the change left it, or (`resource.updated`) the resource. */
export function eventData(doc: OutboxDoc, type: WebhookEvent): Record<string, unknown> {
  if (type === 'resource.updated') return { resource: doc.resource ?? { id: doc.resourceId.toHexString() } };
  return { booking: bookingAt(doc, type) };
}

/** The body of a delivery (the same bytes on every attempt): `{type, timestamp, data}`. */
export function eventBody(type: WebhookEvent, at: Date, data: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}
