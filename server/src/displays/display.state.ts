/**
 * (v3) What a room display shows, as a pure function of its resource, the bookings that occupy it
 * over the rest of the local day and the instant: the state, the current and next bookings and
 * when it is free until; and the next instant at which that answer changes by time alone (a
 * booking starts or ends, a check-in deadline passes, the resource opens or closes, the day ends).
 *
 * Choices: `held` and `pending` bookings occupy the room (a walk-in is refused over them) and are
 * shown like active ones, but only an active booking awaits a check-in or takes display commands.
 * With capacity above 1 the current booking is the earliest-starting one that covers now.
 */
import { checkInDeadline, localDate, localDayRange, openStretches } from '@booking/shared';
import type { DisplayBooking, DisplayState, Resource } from '@booking/shared';

/** A booking as the display reads it (a holding one: active, or held/pending before its expiry). */
export interface DisplayRow {
  id: string;
  start: Date;
  end: Date;
  status: 'active' | 'held' | 'pending';
  checkedInAt?: Date;
  expiresAt?: Date;
  title?: string;
}

export const NEXT_LIMIT = 5;

/** The local day of `now` in the resource's zone: where the display's list ends. */
export function dayEndOf(now: Date, timeZone: string): Date {
  return localDayRange(localDate(now, timeZone), timeZone).to;
}

/** The row that is the display's current booking at `now`, or null. */
export function currentRow(rows: readonly DisplayRow[], now: Date): DisplayRow | null {
  const t = now.getTime();
  return rows.find((r) => r.start.getTime() <= t && r.end.getTime() > t) ?? null;
}

function shown(r: DisplayRow, titles: boolean): DisplayBooking {
  return {
    bookingId: r.id,
    start: r.start.toISOString(),
    end: r.end.toISOString(),
    ...(titles && r.title ? { title: r.title } : {}),
  };
}

export function computeDisplayState(
  resource: Pick<Resource, 'id' | 'name' | 'timeZone' | 'capacity' | 'policy'>,
  allRows: readonly DisplayRow[],
  now: Date,
): { state: DisplayState; nextChangeAt: Date | null } {
  const { policy, timeZone } = resource;
  const t = now.getTime();
  const dayEnd = dayEndOf(now, timeZone);
  const rows = allRows
    .filter((r) => r.end.getTime() > t && r.start.getTime() < dayEnd.getTime())
    .filter((r) => !r.expiresAt || r.expiresAt.getTime() > t)
    .sort((a, b) => a.start.getTime() - b.start.getTime() || a.id.localeCompare(b.id));
  const titles = policy.publicTitles;
  const current = currentRow(rows, now);
  const following = rows.filter((r) => r !== current).slice(0, NEXT_LIMIT);
  // Open stretches from now to the end of tomorrow: whether it is open now, and when that changes.
  const stretches = openStretches(policy, timeZone, now, new Date(dayEnd.getTime() + 26 * 3_600_000));
  const first = stretches[0];
  const openNow = first !== undefined && first.start.getTime() <= t;
  const deadline = current?.status === 'active' ? checkInDeadline(current, policy.checkIn) : null;
  const awaiting = current?.status === 'active' && policy.checkIn !== null && !current.checkedInAt;

  let name: DisplayState['state'];
  if (!openNow) name = 'closed';
  else if (!current) name = 'free';
  else name = awaiting ? 'awaiting-check-in' : 'in-use';

  let freeUntil: string | null = null;
  if (name === 'free') {
    const bounds = [following[0]?.start.getTime(), first?.end.getTime()].filter(
      (x): x is number => x !== undefined && x < dayEnd.getTime(),
    );
    freeUntil = bounds.length > 0 ? new Date(Math.min(...bounds)).toISOString() : null;
  }
  const state: DisplayState = {
    resource: {
      id: resource.id,
      name: resource.name,
      timeZone,
      capacity: resource.capacity,
      locale: policy.locale,
    },
    at: now.toISOString(),
    state: name,
    current: current
      ? {
          ...shown(current, titles),
          ...(current.checkedInAt ? { checkedInAt: current.checkedInAt.toISOString() } : {}),
          ...(awaiting && deadline ? { checkInDeadline: deadline.toISOString() } : {}),
        }
      : null,
    next: following.map((r) => shown(r, titles)),
    freeUntil,
  };

  // Every instant after now at which the answer may change by time alone.
  const instants = [dayEnd.getTime()];
  for (const r of rows) instants.push(r.start.getTime(), r.end.getTime(), r.expiresAt?.getTime() ?? Infinity);
  for (const s of stretches) instants.push(s.start.getTime(), s.end.getTime());
  if (awaiting && deadline) instants.push(deadline.getTime());
  const later = instants.filter((x) => Number.isFinite(x) && x > t);
  return { state, nextChangeAt: later.length > 0 ? new Date(Math.min(...later)) : null };
}
