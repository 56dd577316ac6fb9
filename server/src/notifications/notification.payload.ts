/**
 * The live `notification` event of one handled outbox entry (protocol "Events from the server
 * on /"). `action` says what the person can do about it, so no UI has to read `message` to
 * decide: a reminder of a booking on a resource with check-in (the job carries when its window
 * closes) invites a check-in; a waitlist offer (a held booking for its person) invites a confirm
 * (`booking:confirm` of `bookingId`).
 */
import type { Notification, NotificationAction } from '@booking/shared';
import type { NotificationJobData } from './notification.job';

/** What the notification invites its recipient to do, if anything. */
export function notificationAction(
  job: Pick<NotificationJobData, 'type' | 'checkInBy'>,
): NotificationAction | undefined {
  if (job.type === 'booking.reminder' && job.checkInBy !== undefined) return 'checkIn';
  if (job.type === 'waitlist.offered') return 'confirm';
  // (v3) A request invites its approver to decide (`booking:approve` / `booking:decline` of `bookingId`).
  if (job.type === 'booking.requested') return 'decide';
  return undefined;
}

export function notificationPayload(job: NotificationJobData, message: string, at: Date): Notification {
  const action = notificationAction(job);
  return {
    id: job.outboxId,
    type: job.type,
    bookingId: job.bookingId,
    message,
    at: at.toISOString(),
    ...(job.seriesId ? { seriesId: job.seriesId } : {}),
    ...(action ? { action } : {}),
  };
}
