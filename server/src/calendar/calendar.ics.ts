/**
 * The calendar conventions every `.ics` of this server follows, shared by the notification
 * emails (`notifications/notification.calendar.ts`) and the subscription feeds
 * (`calendar.feed.ts`), so an event a person has from an email and the same booking in a feed
 * are one event to their calendar program:
 *
 * - UID `<bookingId>@booking` (a series' emails use `<seriesId>@booking`);
 * - SUMMARY is the resource's name, with the quantity where above one (`withQuantity`);
 * - SEQUENCE is a resource version (it grows with every committed change of the resource's
 *   bookings, so a later rendering never goes backwards);
 * - zoned times carry the VTIMEZONE of their zone (@touch4it/ical-timezones, tzurl.org's
 *   definitions) and `mailto:` in its canonical lower case.
 */
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import type { ICalCalendar } from 'ical-generator';

/** The UID every change of one booking shares; a series' occurrences share the series' UID. */
export function eventUid(id: string): string {
  return `${id}@booking`;
}

/**
 * An event's title for a booking of `quantity` units: the resource's name alone for one unit (as
 * before capacity), "Hot desks × 3" for several, in the emails, their calendar files and the feeds.
 */
export function withQuantity(name: string, quantity: number | undefined): string {
  return quantity !== undefined && quantity > 1 ? `${name} × ${quantity}` : name;
}

/** A parameter value may not hold DQUOTE or a line break (RFC 5545 3.1). */
export const paramSafe = (s: string): string => s.replace(/["\r\n]/g, '');

/** Every zone an event of the calendar names gets its VTIMEZONE. */
export function withTimezones(calendar: ICalCalendar): ICalCalendar {
  return calendar.timezone({ name: null, generator: getVtimezoneComponent });
}

/**
 * ical-generator writes the attendee's scheme as `MAILTO:`; URI schemes are case-insensitive
 * (RFC 3986 3.1) and the lower-case form is the canonical one (RFC 6068) that the organizer line
 * already uses. The replacement keeps the byte length, so the folding stays valid.
 */
export function finishCalendar(calendar: ICalCalendar): string {
  return `${calendar.toString().replace(/:MAILTO:/g, ':mailto:')}\r\n`;
}
