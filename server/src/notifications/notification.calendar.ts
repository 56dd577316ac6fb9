/**
 * The `.ics` of a notification email (RFC 5545 with iTIP's METHOD), built with ical-generator;
 * the VTIMEZONE of a zone comes from @touch4it/ical-timezones (tzurl.org's definitions).
 *
 * - A single booking is one event, UID `<bookingId>@booking`, in UTC: every change of it is the
 *   same event, confirmations and moves METHOD:REQUEST, a cancellation METHOD:CANCEL with
 *   STATUS:CANCELLED.
 * - A series is one event, UID `<seriesId>@booking`, written in the resource's TZID (with its
 *   VTIMEZONE) so that calendar programs keep the local start across daylight-saving changes: an
 *   RRULE with the rule's frequency, interval, weekdays and the COUNT it expanded to, and an
 *   EXDATE for every skipped occurrence. A change of one occurrence is that event with the
 *   occurrence's RECURRENCE-ID (its start as the series booked it); `series.cancelled` cancels
 *   each cancelled occurrence by its RECURRENCE-ID in one METHOD:CANCEL.
 *
 * SEQUENCE is the resource version the change produced, which grows with each committed change,
 * so calendar clients apply them in order.
 */
import ical, {
  ICalAttendeeRole,
  ICalCalendarMethod,
  ICalEventRepeatingFreq,
  ICalEventStatus,
  ICalWeekday,
} from 'ical-generator';
import type { ICalEventData } from 'ical-generator';
import { DateTime } from 'luxon';
import { icalWeekdays } from '@booking/shared';
import { eventUid, finishCalendar as finish, paramSafe, withTimezones } from '../calendar/calendar.ics';
import type { NotificationJobData } from './notification.job';

export { eventUid };

export interface CalendarInput {
  job: NotificationJobData;
  method: 'REQUEST' | 'CANCEL';
  /**
   * The event's title in the recipient's language: "Booking: <resource>", the resource with the
   * quantity where above one ("Hot desks × 3") and (v3) the booking's title before it when it has one.
   */
  summary: string;
  /** The resource's name (LOCATION); the summary when absent. */
  location?: string;
  timeZone: string;
  /** The ORGANIZER's name, in the recipient's language (default "Bookings"). */
  organizerName?: string;
  /** Sender address for the ORGANIZER line. */
  from: string;
  user: { name: string; email: string };
  now: Date;
}

export function renderCalendar(input: CalendarInput): string {
  const { job, timeZone } = input;
  const cancel = input.method === 'CANCEL';
  const calendar = ical({
    prodId: '//booking-server//notifications//EN',
    method: cancel ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    scale: 'GREGORIAN',
  });
  const organizer = /<([^>]+)>/.exec(input.from)?.[1] ?? input.from;
  const local = (iso: string) => DateTime.fromISO(iso, { zone: timeZone });
  const common = (): Partial<ICalEventData> => ({
    sequence: job.version,
    stamp: DateTime.fromJSDate(input.now, { zone: 'utc' }),
    summary: input.summary,
    location: input.location ?? input.summary,
    organizer: { name: paramSafe(input.organizerName ?? 'Bookings'), email: organizer },
    attendees: [{ name: paramSafe(input.user.name), email: input.user.email, role: ICalAttendeeRole.REQ }],
    status: cancel ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });

  if (!job.seriesId) {
    // UTC, as before the series existed: an event that never repeats needs no zone.
    calendar.createEvent({
      ...common(),
      id: eventUid(job.bookingId),
      start: new Date(job.start),
      end: new Date(job.end),
    });
    return finish(calendar);
  }

  // Zoned from here on: the VTIMEZONE of every zone an event uses.
  withTimezones(calendar);
  const id = eventUid(job.seriesId);
  if (job.type === 'series.confirmed' && job.series) {
    const { repeat, count, skipped } = job.series;
    const byDay = icalWeekdays(repeat, new Date(job.start), timeZone);
    calendar.createEvent({
      ...common(),
      id,
      timezone: timeZone,
      start: local(job.start),
      end: local(job.end),
      repeating: {
        freq: repeat.every === 'day' ? ICalEventRepeatingFreq.DAILY : ICalEventRepeatingFreq.WEEKLY,
        interval: repeat.interval ?? 1,
        count,
        ...(byDay ? { byDay: byDay.map((d) => ICalWeekday[d]) } : {}),
        ...(skipped.length > 0 ? { exclude: skipped.map((k) => local(k.start)) } : {}),
      },
    });
  } else if (job.type === 'series.cancelled') {
    for (const o of job.occurrences ?? []) {
      calendar.createEvent({
        ...common(),
        id,
        timezone: timeZone,
        start: local(o.start),
        end: local(o.end),
        recurrenceId: local(o.recurrenceId),
      });
    }
  } else {
    // One occurrence changed or cancelled: only that instance of the series' event.
    calendar.createEvent({
      ...common(),
      id,
      timezone: timeZone,
      start: local(job.start),
      end: local(job.end),
      recurrenceId: local(job.recurrenceId ?? job.start),
    });
  }
  return finish(calendar);
}
