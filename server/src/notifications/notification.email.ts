/**
 * Renders one notification as an email (plain text, HTML, `.ics`) and as the short live message.
 * Times are written in the resource's own zone, with the zone named ("Tue, 1 Dec 2026,
 * 09:00–10:00 CET (Europe/Berlin)"): the room's clock is the one people plan by, and naming the
 * zone keeps the text unambiguous for someone elsewhere.
 *
 * Calendar: every change of one booking is the same event (UID = `<bookingId>@booking`);
 * confirmations and moves are METHOD:REQUEST, a cancellation METHOD:CANCEL with STATUS:CANCELLED.
 * SEQUENCE is the resource version the change produced, which grows with each committed change,
 * so calendar clients apply them in order.
 */
import { DateTime } from 'luxon';
import type { NotificationType } from '@booking/shared';
import type { MailMessage } from '../infra/mailer';
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
  const startName = zone === 'UTC' || zoneAbbreviation(start) === zoneAbbreviation(end) ? '' : ` ${zoneAbbreviation(start)}`;
  return `${day(start)}, ${time(start)}${startName} – ${day(end)}, ${time(end)} ${name}`;
}

const headline: Record<NotificationType, string> = {
  'booking.confirmed': 'Booking confirmed',
  'booking.modified': 'Booking changed',
  'booking.cancelled': 'Booking cancelled',
};

export function renderNotification(ctx: EmailContext): RenderedNotification {
  const { job, user, resourceName, timeZone } = ctx;
  const when = formatInterval(job.start, job.end, timeZone);
  const was = job.previous ? formatInterval(job.previous.start, job.previous.end, timeZone) : null;
  const title = headline[job.type];
  const subject = `${title}: ${resourceName}, ${when}`;

  let message: string;
  switch (job.type) {
    case 'booking.confirmed':
      message = `Your booking of ${resourceName} on ${when} is confirmed.`;
      break;
    case 'booking.modified':
      message = `Your booking of ${resourceName} moved to ${when}${was ? ` (was ${was})` : ''}.`;
      break;
    case 'booking.cancelled':
      message = `Your booking of ${resourceName} on ${when} is cancelled.`;
      break;
  }

  const lines = [
    `Hello ${user.name},`,
    '',
    message,
    '',
    `Resource: ${resourceName}`,
    `When:     ${when}`,
    ...(was ? [`Was:      ${was}`] : []),
    `Booking:  ${job.bookingId}`,
    '',
    job.type === 'booking.cancelled'
      ? 'The attached calendar file removes the event from your calendar.'
      : 'The attached calendar file adds or updates the event in your calendar.',
  ];
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<p>Hello ${escapeHtml(user.name)},</p>`,
    `<p><strong>${escapeHtml(message)}</strong></p>`,
    '<table>',
    `<tr><th align="left">Resource</th><td>${escapeHtml(resourceName)}</td></tr>`,
    `<tr><th align="left">When</th><td>${escapeHtml(when)}</td></tr>`,
    ...(was ? [`<tr><th align="left">Was</th><td><s>${escapeHtml(was)}</s></td></tr>`] : []),
    `<tr><th align="left">Booking</th><td>${escapeHtml(job.bookingId)}</td></tr>`,
    '</table>',
    '</body></html>',
  ].join('\n');

  const method = job.type === 'booking.cancelled' ? 'CANCEL' : 'REQUEST';
  const ics = renderIcs({ ...ctx, method, summary: resourceName });
  return {
    message,
    mail: {
      to: user.email,
      subject,
      text: `${lines.join('\n')}\n`,
      html,
      headers: { 'X-Booking-Id': job.bookingId, 'X-Notification-Id': job.outboxId },
      attachments: [
        {
          filename: job.type === 'booking.cancelled' ? 'cancel.ics' : 'invite.ics',
          content: ics,
          contentType: `text/calendar; charset=utf-8; method=${method}`,
        },
      ],
    },
  };
}

/** The UID every change of one booking shares. */
export function eventUid(bookingId: string): string {
  return `${bookingId}@booking`;
}

function renderIcs(ctx: EmailContext & { method: 'REQUEST' | 'CANCEL'; summary: string }): string {
  const { job } = ctx;
  const organizer = /<([^>]+)>/.exec(ctx.from)?.[1] ?? ctx.from;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//booking-server//notifications//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${ctx.method}`,
    'BEGIN:VEVENT',
    `UID:${eventUid(job.bookingId)}`,
    `SEQUENCE:${job.version}`,
    `DTSTAMP:${icsTime(ctx.now.toISOString())}`,
    `DTSTART:${icsTime(job.start)}`,
    `DTEND:${icsTime(job.end)}`,
    `SUMMARY:${icsText(ctx.summary)}`,
    `LOCATION:${icsText(ctx.summary)}`,
    `ORGANIZER:mailto:${organizer}`,
    `ATTENDEE;CN=${icsParam(ctx.user.name)};ROLE=REQ-PARTICIPANT:mailto:${ctx.user.email}`,
    `STATUS:${ctx.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

/** `20261201T090000Z` */
function icsTime(iso: string): string {
  return new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** RFC 5545 TEXT escaping. */
function icsText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** A parameter value: quoted, without the characters a quoted value cannot hold. */
function icsParam(s: string): string {
  return `"${s.replace(/["\r\n]/g, '')}"`;
}

/** Folds a content line at 75 octets (continuation lines start with a space). */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    const limit = parts.length === 0 ? 75 : 74;
    if (size + n > limit) {
      parts.push(current);
      current = '';
      size = 0;
    }
    current += ch;
    size += n;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
