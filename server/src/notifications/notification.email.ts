/**
 * Renders one notification as an email (plain text, HTML, `.ics`) and as the short live message.
 * Times are written in the resource's own zone, with the zone named ("Tue, 1 Dec 2026,
 * 09:00–10:00 CET (Europe/Berlin)"): the room's clock is the one people plan by, and naming the
 * zone keeps the text unambiguous for someone elsewhere.
 *
 * Calendar files are built by `notification.calendar.ts` (ical-generator): every change of one
 * booking is the same event, a series is one recurring event, and SEQUENCE grows with each change.
 *
 * A waitlist offer (`waitlist.offered`) is the one mail without a calendar file: nothing is booked
 * until its person confirms it, and the confirmation mail that follows `booking:confirm` carries
 * the event. It says until when the place is held and links to the page opened on the offer
 * (`PUBLIC_URL/#offer=<bookingId>`).
 */
import { DateTime } from 'luxon';
import { errorCodeSentences, policyRuleSentences } from '@booking/shared';
import type { NotificationType, PolicyRule } from '@booking/shared';
import type { MailMessage } from '../infra/mailer';
import { withQuantity } from '../calendar/calendar.ics';
import { renderCalendar } from './notification.calendar';
import { approvalBody, approvalHeadlines, isApprovalType, requestLinkParts } from './notification.approval';
import type { NotificationJobData } from './notification.job';

export interface EmailContext {
  job: NotificationJobData;
  user: { name: string; email: string };
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

/** A short name for the zone's offset at that instant: CET, CEST, EST, … (GMT+5:30 where none exists). */
function zoneAbbreviation(at: DateTime): string {
  const british = at.setLocale('en-GB').toFormat('ZZZZ');
  if (!british.startsWith('GMT') && !british.startsWith('UTC+') && !british.startsWith('UTC-')) return british;
  const american = at.setLocale('en-US').toFormat('ZZZZ');
  return american.startsWith('GMT') ? british : american;
}

/**
 * "Tue, 1 Dec 2026, 09:00–10:00 CET (Europe/Berlin)" in the resource's zone, or both dates when
 * the interval crosses local midnight; in UTC simply "… 09:00–10:00 UTC".
 */
export function formatInterval(startIso: string, endIso: string, zone = 'UTC'): string {
  const start = DateTime.fromISO(startIso, { zone }).setLocale('en-GB');
  const end = DateTime.fromISO(endIso, { zone }).setLocale('en-GB');
  const day = (d: DateTime) => d.toFormat('ccc, d LLL yyyy');
  const time = (d: DateTime) => d.toFormat('HH:mm');
  const name = zone === 'UTC' ? 'UTC' : `${zoneAbbreviation(end)} (${zone})`;
  if (day(start) === day(end)) return `${day(start)}, ${time(start)}–${time(end)} ${name}`;
  const startName =
    zone === 'UTC' || zoneAbbreviation(start) === zoneAbbreviation(end) ? '' : ` ${zoneAbbreviation(start)}`;
  return `${day(start)}, ${time(start)}${startName} – ${day(end)}, ${time(end)} ${name}`;
}

/** The link of an offer's mail: the page reads the fragment and opens the offer (with its Confirm). */
export const offerLink = (publicUrl: string, bookingId: string): string =>
  `${publicUrl}/#offer=${encodeURIComponent(bookingId)}`;

/**
 * Until when an offer is held, in the resource's zone: the time alone on the slot's own day
 * ("09:15"), with its date on another ("Sun, 6 Dec 2026, 09:15"); `named` adds the zone as
 * `formatInstant` does. An offer usually runs out the day it was made, days before its slot.
 */
export function formatDeadline(iso: string, dayOf: string, zone = 'UTC', named = true): string {
  const at = DateTime.fromISO(iso, { zone }).setLocale('en-GB');
  const sameDay = at.toISODate() === DateTime.fromISO(dayOf, { zone }).toISODate();
  const time = sameDay ? at.toFormat('HH:mm') : at.toFormat('ccc, d LLL yyyy, HH:mm');
  if (!named) return time;
  return `${time} ${zone === 'UTC' ? 'UTC' : `${zoneAbbreviation(at)} (${zone})`}`;
}

/** "09:05 CET (Europe/Berlin)" (or "09:05 UTC"): one instant on the booking's day. */
export function formatInstant(iso: string, zone = 'UTC'): string {
  const at = DateTime.fromISO(iso, { zone }).setLocale('en-GB');
  return `${at.toFormat('HH:mm')} ${zone === 'UTC' ? 'UTC' : `${zoneAbbreviation(at)} (${zone})`}`;
}

const headline: Record<NotificationType, string> = {
  'booking.confirmed': 'Booking confirmed',
  'booking.modified': 'Booking changed',
  'booking.cancelled': 'Booking cancelled',
  'series.confirmed': 'Series confirmed',
  'series.cancelled': 'Series cancelled',
  'booking.reminder': 'Reminder',
  'booking.released': 'Booking released',
  'waitlist.offered': 'A place is held for you',
  ...approvalHeadlines,
};

const DAY_NAMES = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' } as const;

/** "every week on Mon, Wed", "every 2 days". */
export function repeatText(repeat: NonNullable<NotificationJobData['series']>['repeat']): string {
  const n = repeat.interval ?? 1;
  const unit = repeat.every === 'day' ? 'day' : 'week';
  const every = n === 1 ? `every ${unit}` : `every ${n} ${unit}s`;
  return repeat.weekdays && repeat.weekdays.length > 0
    ? `${every} on ${repeat.weekdays.map((d) => DAY_NAMES[d]).join(', ')}`
    : every;
}

/** Why an occurrence was skipped, in the page's words. */
function skippedReason(k: { code: string; rule?: string | undefined }): string {
  if (k.rule && k.rule in policyRuleSentences) return policyRuleSentences[k.rule as PolicyRule];
  if (k.code === 'SLOT_TAKEN') return 'Already booked by someone else.';
  return k.code in errorCodeSentences ? errorCodeSentences[k.code as keyof typeof errorCodeSentences] : k.code;
}

/** The row of the text and HTML bodies that says how many units, where more than one. */
const quantityRow = (units: number): Array<[string, string]> => (units > 1 ? [['Quantity', String(units)]] : []);

interface Body {
  message: string;
  /** Label / value rows of the text and HTML bodies. */
  rows: Array<[string, string]>;
  /** Lists under the table: occurrences, skipped dates. */
  lists: Array<{ title: string; items: string[] }>;
}

function composeBody(ctx: EmailContext): Body {
  const { job, resourceName, timeZone } = ctx;
  // Several units of one resource: "Hot desks × 3" in the sentence, and a row of its own.
  const what = withQuantity(resourceName, job.quantity);
  const units = job.quantity ?? 1;
  const resource: Array<[string, string]> = [['Resource', resourceName], ...quantityRow(units)];
  const when = formatInterval(job.start, job.end, timeZone);
  const was = job.previous ? formatInterval(job.previous.start, job.previous.end, timeZone) : null;
  const each = (list: Array<{ start: string; end: string }>) =>
    list.map((o) => formatInterval(o.start, o.end, timeZone));
  const ref: Array<[string, string]> = job.seriesId ? [['Series', job.seriesId]] : [['Booking', job.bookingId]];
  if (isApprovalType(job.type))
    return approvalBody(
      { ...job, type: job.type },
      {
        what,
        when,
        until: job.expiresAt ? formatDeadline(job.expiresAt, job.start, timeZone) : null,
        ownerName: ctx.ownerName ?? 'Someone',
        occurrences: each(job.occurrences ?? []),
        rows: [...resource, ['When', when], ...ref],
      },
    );
  switch (job.type) {
    case 'booking.confirmed':
      return {
        message: `Your booking of ${what} on ${when} is confirmed.`,
        rows: [...resource, ['When', when], ...ref],
        lists: [],
      };
    case 'booking.modified':
      return {
        message: `Your booking of ${what} moved to ${when}${was ? ` (was ${was})` : ''}.`,
        rows: [...resource, ['When', when], ...(was ? [['Was', was] as [string, string]] : []), ...ref],
        lists: [],
      };
    case 'booking.cancelled':
      return {
        message: `Your booking of ${what} on ${when} is cancelled.`,
        rows: [...resource, ['When', when], ...ref],
        lists: [],
      };
    case 'booking.reminder': {
      const by = job.checkInBy ? formatInstant(job.checkInBy, timeZone) : null;
      const checkIn = by ? ` Check in from 10 minutes before the start until ${by}, or the booking is released.` : '';
      return {
        message: `Reminder: your booking of ${what} on ${when} starts soon.${checkIn}`,
        rows: [...resource, ['When', when], ...(by ? [['Check in by', by] as [string, string]] : []), ...ref],
        lists: [],
      };
    }
    case 'booking.released': {
      const by = job.checkInBy ? formatInstant(job.checkInBy, timeZone) : 'the end of its check-in window';
      return {
        message: `Your booking of ${what} on ${when} was released because nobody checked in by ${by}.`,
        rows: [...resource, ['When', when], ['Released', `nobody checked in by ${by}`], ...ref],
        lists: [],
      };
    }
    case 'series.confirmed': {
      const booked = job.occurrences ?? [];
      const skipped = job.series?.skipped ?? [];
      const rule = job.series ? repeatText(job.series.repeat) : 'recurring';
      const first = booked[0] ? formatInterval(booked[0].start, booked[0].end, timeZone) : when;
      const skippedNote =
        skipped.length > 0 ? `; ${skipped.length} date${skipped.length === 1 ? ' was' : 's were'} skipped` : '';
      return {
        message:
          `Your booking of ${what}, ${rule}, ${booked.length} occurrence${booked.length === 1 ? '' : 's'} ` +
          `from ${first}, is confirmed${skippedNote}.`,
        rows: [...resource, ['Repeats', rule], ['First', first], ...ref],
        lists: [
          { title: 'Booked', items: each(booked) },
          ...(skipped.length > 0
            ? [
                {
                  title: 'Skipped',
                  items: skipped.map((k) => `${formatInterval(k.start, k.end, timeZone)}: ${skippedReason(k)}`),
                },
              ]
            : []),
        ],
      };
    }
    case 'waitlist.offered': {
      const until = job.expiresAt ? formatDeadline(job.expiresAt, job.start, timeZone) : null;
      const held = until ? `it is held for you until ${until}` : 'it is held for you for a short while';
      return {
        message: `A place on ${what} on ${when} is free for you: ${held}. Confirm it to book it.`,
        rows: [...resource, ['When', when], ...(until ? [['Held until', until] as [string, string]] : []), ...ref],
        lists: [],
      };
    }
    case 'series.cancelled': {
      const cancelled = job.occurrences ?? [];
      return {
        message:
          `${cancelled.length} occurrence${cancelled.length === 1 ? '' : 's'} of your booking of ${what} ` +
          `from ${when} on ${cancelled.length === 1 ? 'is' : 'are'} cancelled.`,
        rows: [...resource, ['From', when], ...ref],
        lists: [{ title: 'Cancelled', items: each(cancelled) }],
      };
    }
  }
}

export function renderNotification(ctx: EmailContext): RenderedNotification {
  const { job, user, resourceName, timeZone } = ctx;
  const when =
    job.type === 'series.confirmed' && job.occurrences?.[0]
      ? formatInterval(job.occurrences[0].start, job.occurrences[0].end, timeZone)
      : formatInterval(job.start, job.end, timeZone);
  const offer = job.type === 'waitlist.offered' ? offerParts(ctx) : null;
  const subject = `${offer?.headline ?? headline[job.type]}: ${withQuantity(resourceName, job.quantity)}, ${when}`;
  const { message, rows, lists } = composeBody(ctx);
  const cancelling =
    job.type === 'booking.cancelled' ||
    job.type === 'series.cancelled' ||
    job.type === 'booking.released' ||
    job.type === 'booking.declined' ||
    job.type === 'booking.expired';
  // A request is the approver's to decide, not an event of theirs: a link, no calendar file.
  const request = job.type === 'booking.requested' ? requestLinkParts(ctx.publicUrl) : null;

  const lines = [
    `Hello ${user.name},`,
    '',
    message,
    '',
    // At least one space after the label, also for the long ones ("Check in by:", "Held until:").
    ...rows.map(([label, value]) => `${`${label}: `.padEnd(10)}${value}`),
    ...lists.flatMap((l) => ['', `${l.title}:`, ...l.items.map((i) => `  - ${i}`)]),
    '',
    ...(request?.text ?? []),
    ...(offer || request
      ? (offer?.text ?? [])
      : [
          cancelling
            ? 'The attached calendar file removes the event from your calendar.'
            : 'The attached calendar file adds or updates the event in your calendar.',
        ]),
  ];
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<p>Hello ${escapeHtml(user.name)},</p>`,
    `<p><strong>${escapeHtml(message)}</strong></p>`,
    '<table>',
    ...rows.map(
      ([label, value]) =>
        `<tr><th align="left">${escapeHtml(label)}</th><td>${label === 'Was' ? `<s>${escapeHtml(value)}</s>` : escapeHtml(value)}</td></tr>`,
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
          summary: withQuantity(resourceName, job.quantity),
          location: resourceName,
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
function offerParts(ctx: EmailContext): { headline: string; text: string[]; html: string[] } {
  const { job, timeZone } = ctx;
  // The subject names the zone once, at the end of the slot's interval; the deadline is in the same zone.
  const until = job.expiresAt ? ` until ${formatDeadline(job.expiresAt, job.start, timeZone, false)}` : '';
  const link = ctx.publicUrl !== undefined ? offerLink(ctx.publicUrl, job.bookingId) : null;
  const lapse = 'If you do not confirm it in time, the place goes to the next person waiting.';
  const booked = 'Nothing is booked until you confirm; the confirmation email brings the calendar file.';
  return {
    headline: `A place is held for you${until}`,
    text: [
      ...(link ? ['Open this link to see the offer and confirm it:', link] : ['Confirm it on the booking page.']),
      '',
      lapse,
      booked,
    ],
    html: [
      link ? `<p><a href="${escapeHtml(link)}">Confirm this place</a></p>` : '<p>Confirm it on the booking page.</p>',
      `<p>${escapeHtml(lapse)} ${escapeHtml(booked)}</p>`,
    ],
  };
}

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
