/**
 * The text of a subscription feed (RFC 5545, no METHOD: a published calendar, not an iTIP
 * message), built with ical-generator under the conventions of `calendar.ics.ts`, so a booking
 * here is the same event (UID, and a SEQUENCE never below the email's) as in its emails. Events
 * are written in their resource's zone with its VTIMEZONE, so the calendar program shows the
 * local time the booking was made for.
 */
import ical, { ICalEventBusyStatus, ICalEventStatus, ICalEventTransparency } from 'ical-generator';
import { DateTime } from 'luxon';
import { eventUid, finishCalendar, withQuantity, withTimezones } from './calendar.ics';

/** One event of a feed. */
export interface FeedEvent {
  bookingId: string;
  start: Date;
  end: Date;
  timeZone: string;
  /** The resource version: SEQUENCE (never below the one of the booking's last email). */
  sequence: number;
  /** Shown as SUMMARY and LOCATION; a resource feed says only "Busy". */
  summary: string;
  /** Units the booking takes; SUMMARY adds it where above one ("Hot desks × 3", "Busy × 3"). */
  quantity: number;
}

export function renderFeed(opts: { name: string; events: readonly FeedEvent[]; now: Date }): string {
  const calendar = withTimezones(
    ical({
      prodId: '//booking-server//calendar-feed//EN',
      name: opts.name,
      scale: 'GREGORIAN',
      // RFC 7986 REFRESH-INTERVAL / X-PUBLISHED-TTL: how often a client should poll.
      ttl: 15 * 60,
    }),
  );
  const stamp = DateTime.fromJSDate(opts.now, { zone: 'utc' });
  for (const e of opts.events) {
    calendar.createEvent({
      id: eventUid(e.bookingId),
      sequence: e.sequence,
      stamp,
      timezone: e.timeZone,
      start: DateTime.fromJSDate(e.start, { zone: e.timeZone }),
      end: DateTime.fromJSDate(e.end, { zone: e.timeZone }),
      summary: withQuantity(e.summary, e.quantity),
      location: e.summary === 'Busy' ? null : e.summary,
      status: ICalEventStatus.CONFIRMED,
      busystatus: ICalEventBusyStatus.BUSY,
      transparency: ICalEventTransparency.OPAQUE,
    });
  }
  return finishCalendar(calendar);
}
