/**
 * (v3) Utilisation and attendance figures (docs/protocol.md "Reports (v3)"), computed from one
 * MongoDB cursor over the bookings that overlap the range (only the few fields needed, in
 * batches), so memory holds one batch and a small accumulator per resource, not the range's
 * bookings. Time counts in each resource's own days and opening hours.
 */
import { WEEKDAYS } from '@booking/shared';
import type { UtilisationRow, WeekdayHourRow } from '@booking/shared';
import type { Types } from 'mongoose';
import type { BookingModel } from '../booking/booking.model';
import type { BookingEventModel } from '../booking/booking-history.model';
import { HOUR_MS, addToGrid, eachOpenPart, lengthOf, newHourGrid, openOf, openOverlap } from './report.time';
import type { HourGrid, ReportResource, Stretches } from './report.time';

export interface ReportModels {
  Booking: BookingModel;
  BookingEvent: BookingEventModel;
}

interface Row {
  _id: Types.ObjectId;
  resourceId: Types.ObjectId;
  start: Date;
  end: Date;
  status: string;
  quantity?: number;
  checkedInAt?: Date;
  cancelReason?: string;
}

interface Tally {
  resource: ReportResource;
  open: Stretches;
  bookedMs: number;
  bookings: number;
  cancellations: number;
  noShows: number;
  checkedIn: number;
  releasedMs: number;
  grid?: { open: HourGrid; booked: HourGrid };
}

const BATCH = 1000;

/** Rounds to 4 decimals, so JSON and CSV carry no float noise. */
const round = (n: number): number => Math.round(n * 10_000) / 10_000;

/** Visits each booking of the resources that overlaps `[from, to)` and could count (active or cancelled). */
async function eachBooking(
  models: ReportModels,
  ids: readonly string[],
  range: { from: Date; to: Date },
  visit: (row: Row) => void,
): Promise<void> {
  const cursor = models.Booking.find(
    {
      resourceId: { $in: ids },
      status: { $in: ['active', 'cancelled'] },
      start: { $lt: range.to },
      end: { $gt: range.from },
    },
    { resourceId: 1, start: 1, end: 1, status: 1, quantity: 1, checkedInAt: 1, cancelReason: 1 },
  )
    .lean<Row>()
    .batchSize(BATCH)
    .cursor();
  for await (const row of cursor) visit(row as Row);
}

/** When each no-show was released: the system's cancelling event in the audit log. */
async function releaseTimes(models: ReportModels, ids: Types.ObjectId[]): Promise<Map<string, number>> {
  const at = new Map<string, number>();
  for (let i = 0; i < ids.length; i += BATCH) {
    const events = await models.BookingEvent.find(
      { bookingId: { $in: ids.slice(i, i + BATCH) }, actor: null, status: 'cancelled' },
      { bookingId: 1, at: 1 },
    ).lean<Array<{ bookingId: Types.ObjectId; at: Date }>>();
    for (const e of events) at.set(e.bookingId.toHexString(), e.at.getTime());
  }
  return at;
}

async function tally(
  models: ReportModels,
  resources: readonly ReportResource[],
  range: { from: Date; to: Date },
  withGrid: boolean,
): Promise<Tally[]> {
  const from = range.from.getTime();
  const to = range.to.getTime();
  const tallies = new Map<string, Tally>();
  for (const resource of resources) {
    const open = openOf(resource, range.from, range.to);
    const t: Tally = {
      resource,
      open,
      bookedMs: 0,
      bookings: 0,
      cancellations: 0,
      noShows: 0,
      checkedIn: 0,
      releasedMs: 0,
    };
    if (withGrid) {
      t.grid = { open: newHourGrid(), booked: newHourGrid() };
      for (const [a, b] of open) addToGrid(t.grid.open, resource.timeZone, a, b);
    }
    tallies.set(resource.id, t);
  }
  const released: Array<{ t: Tally; id: Types.ObjectId; start: number; end: number; units: number }> = [];
  await eachBooking(models, [...tallies.keys()], range, (row) => {
    const t = tallies.get(row.resourceId.toHexString());
    if (!t) return;
    const start = row.start.getTime();
    const end = row.end.getTime();
    const units = row.quantity ?? 1;
    if (row.status === 'active') {
      const a = Math.max(start, from);
      const b = Math.min(end, to);
      t.bookedMs += units * openOverlap(t.open, a, b);
      const grid = t.grid?.booked;
      if (grid) eachOpenPart(t.open, a, b, (lo, hi) => addToGrid(grid, t.resource.timeZone, lo, hi, units));
    }
    if (start < from) return; // counted by the range it starts in
    t.bookings += 1;
    if (row.checkedInAt) t.checkedIn += 1;
    if (row.cancelReason === 'no-show') {
      t.noShows += 1;
      released.push({ t, id: row._id, start, end, units });
    } else if (row.status === 'cancelled') t.cancellations += 1;
  });
  const at = await releaseTimes(
    models,
    released.map((r) => r.id),
  );
  for (const r of released) {
    const a = Math.max(at.get(r.id.toHexString()) ?? r.start, from);
    r.t.releasedMs += r.units * openOverlap(r.t.open, a, Math.min(r.end, to));
  }
  return [...tallies.values()];
}

function rowOf(t: Tally): UtilisationRow {
  const openMs = lengthOf(t.open);
  const settled = t.noShows + t.checkedIn;
  return {
    resourceId: t.resource.id,
    name: t.resource.name,
    capacity: t.resource.capacity,
    openHours: round(openMs / HOUR_MS),
    bookedHours: round(t.bookedMs / HOUR_MS),
    utilisation: openMs === 0 ? 0 : round(t.bookedMs / (openMs * t.resource.capacity)),
    bookings: t.bookings,
    cancellations: t.cancellations,
    noShows: t.noShows,
    noShowRate: settled === 0 ? 0 : round(t.noShows / settled),
    checkInRate: settled === 0 ? 0 : round(t.checkedIn / settled),
    releasedHours: round(t.releasedMs / HOUR_MS),
  };
}

/** One row per resource, in the order given. */
export async function utilisationByResource(
  models: ReportModels,
  resources: readonly ReportResource[],
  range: { from: Date; to: Date },
): Promise<UtilisationRow[]> {
  return (await tally(models, resources, range, false)).map(rowOf);
}

/** 7 × 24 rows (Monday 00 first) of one resource, in its local time; a cell never open has utilisation 0. */
export async function utilisationByWeekdayHour(
  models: ReportModels,
  resource: ReportResource,
  range: { from: Date; to: Date },
): Promise<WeekdayHourRow[]> {
  const [t] = await tally(models, [resource], range, true);
  const rows: WeekdayHourRow[] = [];
  WEEKDAYS.forEach((weekday, d) => {
    for (let hour = 0; hour < 24; hour += 1) {
      const open = t?.grid?.open[d * 24 + hour] ?? 0;
      const booked = t?.grid?.booked[d * 24 + hour] ?? 0;
      rows.push({
        resourceId: resource.id,
        weekday,
        hour,
        utilisation: open === 0 ? 0 : round(booked / (open * resource.capacity)),
      });
    }
  });
  return rows;
}
