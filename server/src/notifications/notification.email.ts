/**
 * Renders one notification as an email (plain text, HTML, `.ics`) and as the short live message,
 * in the recipient's language (`user.locale`, `server/src/i18n`; English when absent). Times are
 * written in the resource's own zone, with the zone named (`notification.time.ts`): the room's
 * clock is the one people plan by, and naming the zone keeps the text unambiguous for someone
 * elsewhere. The sentences and rows are `notification.body.ts`.
 *
 * Calendar files are built by `notification.calendar.ts` (ical-generator): every change of one
 * booking is the same event, a series is one recurring event, and SEQUENCE grows with each change.
 * Their SUMMARY is "Booking: <resource>" in the recipient's language.
 *
 * (v3) A booking's `title`, when the job carries one and the mail goes to the owner, names it in
 * the subject, the sentences and the SUMMARY: "<title> — <resource>".
 *
 * A waitlist offer (`waitlist.offered`) is the one mail without a calendar file: nothing is booked
 * until its person confirms it, and the confirmation mail that follows `booking:confirm` carries
 * the event. It says until when the place is held and links to the page opened on the offer
 * (`PUBLIC_URL/#offer=<bookingId>`).
 */
import type { Locale, NotificationType } from '@booking/shared';
import type { MailMessage } from '../infra/mailer';
import { serverTranslator } from '../i18n';
import type { ServerKey, ServerTranslator } from '../i18n';
import { renderCalendar } from './notification.calendar';
import { approvalHeadlines, escapeHtml, requestLinkParts } from './notification.approval';
import { composeBody, whatOf } from './notification.body';
import type { NotificationJobData } from './notification.job';
import { formatDeadline, formatInterval } from './notification.time';

/** The tests' and other callers' way to the time formats (`notification.time.ts`). */
export { formatDeadline, formatInterval } from './notification.time';

export interface EmailContext {
  job: NotificationJobData;
  /** The recipient; `locale` is their language (`en` when absent). */
  user: { name: string; email: string; locale?: Locale };
  resourceName: string;
  /** The resource's zone: times are written in it, with the zone named. */
  timeZone: string;
  /** Sender address for the ORGANIZER line. */
  from: string;
  now: Date;
  /**
   * The booking page's address (`PUBLIC_URL`, no trailing slash): an offer's mail links to the
   * page opened on the offer. The worker always passes it; without it the mail names no link.
   */
  publicUrl?: string;
  /** (v3) A request's mail goes to an approver: the name of the person who asked. */
  ownerName?: string;
}

export interface RenderedNotification {
  mail: MailMessage;
  /** One line for the live `notification` event. */
  message: string;
}

/** The link of an offer's mail: the page reads the fragment and opens the offer (with its Confirm). */
export const offerLink = (publicUrl: string, bookingId: string): string =>
  `${publicUrl}/#offer=${encodeURIComponent(bookingId)}`;

const headline: Record<NotificationType, ServerKey> = {
  'booking.confirmed': 'mail.headline.confirmed',
  'booking.modified': 'mail.headline.modified',
  'booking.cancelled': 'mail.headline.cancelled',
  'series.confirmed': 'mail.headline.seriesConfirmed',
  'series.cancelled': 'mail.headline.seriesCancelled',
  'booking.reminder': 'mail.headline.reminder',
  'booking.released': 'mail.headline.released',
  'waitlist.offered': 'mail.headline.offered',
  ...approvalHeadlines,
};

const CANCELLING: ReadonlySet<NotificationType> = new Set<NotificationType>([
  'booking.cancelled',
  'series.cancelled',
  'booking.released',
  'booking.declined',
  'booking.expired',
]);

export function renderNotification(ctx: EmailContext): RenderedNotification {
  const { job, user, resourceName, timeZone } = ctx;
  const tr = serverTranslator(user.locale ?? 'en');
  const t: ServerTranslator['t'] = (key, values) => tr.t(key, values);
  // The title is the owner's: an approver's request mail names the resource alone.
  const what = whatOf(resourceName, job.quantity, job.recipientId ? undefined : job.title, tr);
  const first = job.type === 'series.confirmed' ? job.occurrences?.[0] : undefined;
  const when = formatInterval(first?.start ?? job.start, first?.end ?? job.end, timeZone, tr.locale);
  const offer = job.type === 'waitlist.offered' ? offerParts(ctx, tr) : null;
  const subject = t('mail.subject', { headline: offer?.headline ?? t(headline[job.type]), what, when });
  const { message, rows, lists } = composeBody(
    { job, resourceName, timeZone, what, ...(ctx.ownerName !== undefined ? { ownerName: ctx.ownerName } : {}) },
    tr,
  );
  const cancelling = CANCELLING.has(job.type);
  // A request is the approver's to decide, not an event of theirs: a link, no calendar file.
  const request = job.type === 'booking.requested' ? requestLinkParts(ctx.publicUrl, tr) : null;

  const lines = [
    t('mail.hello', { name: user.name }),
    '',
    message,
    '',
    // At least one space after the label, also for the long ones ("Check in by:", "Held until:").
    ...rows.map(([label, value]) => `${`${label}: `.padEnd(10)}${value}`),
    ...lists.flatMap((l) => ['', `${l.title}:`, ...l.items.map((i) => `  - ${i}`)]),
    '',
    ...(request?.text ?? []),
    ...(offer || request ? (offer?.text ?? []) : [cancelling ? t('mail.ics.cancel') : t('mail.ics.update')]),
  ];
  const html = [
    `<!doctype html><html lang="${tr.locale}"><body style="font-family:sans-serif">`,
    `<p>${escapeHtml(t('mail.hello', { name: user.name }))}</p>`,
    `<p><strong>${escapeHtml(message)}</strong></p>`,
    '<table>',
    ...rows.map(
      ([label, value, struck]) =>
        `<tr><th align="left">${escapeHtml(label)}</th><td>${struck ? `<s>${escapeHtml(value)}</s>` : escapeHtml(value)}</td></tr>`,
    ),
    '</table>',
    ...lists.flatMap((l) => [
      `<h3>${escapeHtml(l.title)}</h3>`,
      '<ul>',
      ...l.items.map((i) => `<li>${escapeHtml(i)}</li>`),
      '</ul>',
    ]),
    ...(offer ? offer.html : []),
    ...(request ? request.html : []),
    '</body></html>',
  ].join('\n');

  const method = cancelling ? 'CANCEL' : 'REQUEST';
  // An offer books nothing yet: no calendar file (the confirmation mail after `booking:confirm` has it).
  const ics =
    offer || request
      ? null
      : renderCalendar({
          job,
          method,
          summary: t('ics.summary', { what }),
          location: resourceName,
          organizerName: t('ics.organizer'),
          timeZone,
          from: ctx.from,
          user,
          now: ctx.now,
        });
  return {
    message,
    mail: {
      to: user.email,
      subject,
      text: `${lines.join('\n')}\n`,
      html,
      headers: {
        'X-Booking-Id': job.bookingId,
        'X-Notification-Id': job.outboxId,
        'X-Notification-Type': job.type,
        ...(job.seriesId ? { 'X-Series-Id': job.seriesId } : {}),
      },
      attachments: ics
        ? [
            {
              filename: cancelling ? 'cancel.ics' : 'invite.ics',
              content: ics,
              contentType: `text/calendar; charset=utf-8; method=${method}`,
            },
          ]
        : [],
    },
  };
}

/**
 * What an offer's mail has instead of a calendar file: the subject's headline with until when the
 * place is held, and the link that opens the page on the offer (Confirm there), in text and HTML.
 */
function offerParts(ctx: EmailContext, tr: ServerTranslator): { headline: string; text: string[]; html: string[] } {
  const { job, timeZone } = ctx;
  const t: ServerTranslator['t'] = (key, values) => tr.t(key, values);
  // The subject names the zone once, at the end of the slot's interval; the deadline is in the same zone.
  const until = job.expiresAt ? formatDeadline(job.expiresAt, job.start, timeZone, false, tr.locale) : null;
  const link = ctx.publicUrl !== undefined ? offerLink(ctx.publicUrl, job.bookingId) : null;
  const lapse = t('mail.offer.lapse');
  const booked = t('mail.offer.booked');
  return {
    headline: until ? t('mail.headline.offeredUntil', { until }) : t('mail.headline.offered'),
    text: [...(link ? [t('mail.offer.open'), link] : [t('mail.offer.onPage')]), '', lapse, booked],
    html: [
      link
        ? `<p><a href="${escapeHtml(link)}">${escapeHtml(t('mail.offer.button'))}</a></p>`
        : `<p>${escapeHtml(t('mail.offer.onPage'))}</p>`,
      `<p>${escapeHtml(lapse)} ${escapeHtml(booked)}</p>`,
    ],
  };
}
