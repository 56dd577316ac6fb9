/**
 * (v3) Reports (docs/protocol.md "Reports (v3)"): utilisation per resource and per local
 * weekday × hour, and the bookings CSV. The query is parsed at the edge with `ReportQuery`.
 */
import { z } from 'zod';
import { WEEKDAYS } from './policy/policy.schema';

/** The longest report range: a leap year. */
export const REPORT_MAX_DAYS = 366;

export const REPORT_GROUP_BY = ['resource', 'weekdayHour'] as const;
export type ReportGroupBy = (typeof REPORT_GROUP_BY)[number];

const rangeFields = {
  from: z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
  to: z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
  resourceId: z
    .string()
    .regex(/^[0-9a-f]{24}$/, 'must be a resource id')
    .optional(),
};

const rangeOk = (q: { from: Date; to: Date }): boolean => q.to.getTime() > q.from.getTime();
const rangeShort = (q: { from: Date; to: Date }): boolean =>
  q.to.getTime() - q.from.getTime() <= REPORT_MAX_DAYS * 86_400_000;
const TO_AFTER_FROM = { message: 'to must be after from', path: ['to'] };
const AT_MOST = { message: `at most ${REPORT_MAX_DAYS} days`, path: ['to'] };

/** `GET /api/reports/bookings.csv`: `[from, to)` of at most 366 days, one resource or all. */
export const ReportRange = z.strictObject(rangeFields).refine(rangeOk, TO_AFTER_FROM).refine(rangeShort, AT_MOST);
export type ReportRange = z.output<typeof ReportRange>;

/** `GET /api/reports/utilisation`. */
export const ReportQuery = z
  .strictObject({ ...rangeFields, groupBy: z.enum(REPORT_GROUP_BY).default('resource') })
  .refine(rangeOk, TO_AFTER_FROM)
  .refine(rangeShort, AT_MOST)
  .refine((q) => q.groupBy !== 'weekdayHour' || q.resourceId !== undefined, {
    message: 'groupBy=weekdayHour needs a resourceId',
    path: ['resourceId'],
  });
export type ReportQuery = z.output<typeof ReportQuery>;

/** One resource's figures over `[from, to)`. Hours are decimal hours. */
export interface UtilisationRow {
  resourceId: string;
  name: string;
  capacity: number;
  /** Hours the resource is open in the range (not multiplied by capacity). */
  openHours: number;
  /** Booked unit-hours inside opening hours and the range (active, completed, checked in). */
  bookedHours: number;
  /** bookedHours ÷ (openHours × capacity); 0 when never open. */
  utilisation: number;
  /** Bookings starting in the range that were ever confirmed (active, completed or cancelled). */
  bookings: number;
  /** Of those, cancelled by their owner or staff. */
  cancellations: number;
  /** Of those, released because nobody checked in. */
  noShows: number;
  /** noShows ÷ (noShows + checked in): of the bookings whose check-in was settled. */
  noShowRate: number;
  /** Checked in ÷ (noShows + checked in). */
  checkInRate: number;
  /** Unit-hours freed by no-show releases (from the release to the booking's end, inside opening hours and the range). */
  releasedHours: number;
}

export interface WeekdayHourRow {
  resourceId: string;
  weekday: (typeof WEEKDAYS)[number];
  hour: number;
  utilisation: number;
}

export const UTILISATION_CSV_COLUMNS = [
  'resourceId',
  'name',
  'capacity',
  'openHours',
  'bookedHours',
  'utilisation',
  'bookings',
  'cancellations',
  'noShows',
  'noShowRate',
  'checkInRate',
  'releasedHours',
] as const satisfies readonly (keyof UtilisationRow)[];

export const WEEKDAY_HOUR_CSV_COLUMNS = [
  'resourceId',
  'weekday',
  'hour',
  'utilisation',
] as const satisfies readonly (keyof WeekdayHourRow)[];

export const BOOKINGS_CSV_COLUMNS = [
  'id',
  'resourceId',
  'resource',
  'userEmail',
  'startLocal',
  'endLocal',
  'timeZone',
  'startUtc',
  'endUtc',
  'quantity',
  'status',
  'cancelReason',
  'checkedInAt',
  'title',
] as const;
