/**
 * `slots:find`: for each matching resource, the earliest interval of exactly `minutes` that the
 * caller could book, starting in `[from, to)`, with `quantity` units free over it (a resource of
 * fewer units, or of fewer `seats` than `minSeats`, does not match). Busy intervals come from the availability cache
 * (a hint, as everywhere outside the booking transaction); the policy, the buffer, the notice and
 * advance limits and the caller's per-resource quota are respected.
 *
 * Work per call is bounded: at most `MAX_SCANNED` resources are examined (the first by type and
 * name of those matching; a caller with more candidates narrows by `type` or `resourceIds`), and
 * the search of one resource jumps from gap to gap, at most `MAX_STEPS` jumps.
 */
import { addDays, localInstant, localParts, openStretches, policyViolation } from '@booking/shared';
import type { FoundSlot, Policy, Resource, SlotsFind } from '@booking/shared';
import type { Principal } from '../auth/auth.service';
import { may } from '../access/resource-access';
import type { BookingStore } from '../booking/booking.store';
import { peakOccupancy } from '../booking/occupancy';
import type { Clock } from '../infra/clock';
import type { ResourceDirectory } from '../resources/resource.directory';
import { checkQueryWindow } from './availability.service';
import type { AvailabilityService } from './availability.service';

export const MAX_SCANNED = 200;
const MAX_STEPS = 2000;
/** Grid steps `ceilToGrid` takes to get past a daylight-saving change (a day of 1-minute steps). */
const MAX_GRID_STEPS = 1440;
const MINUTE_MS = 60_000;

/** The first instant at or after `t` on the local wall-clock grid of `slotMinutes`. */
export function ceilToGrid(t: number, slotMinutes: number, zone: string): number {
  const local = localParts(t, zone);
  const minutes = local.minute + (t % MINUTE_MS !== 0 ? 1 : 0);
  const rounded = Math.ceil(minutes / slotMinutes) * slotMinutes;
  let next = rounded >= 1440 ? localInstant(addDays(local.date, 1), 0, zone) : localInstant(local.date, rounded, zone);
  // Around a daylight-saving change a wall-clock time can resolve to an earlier instant (by the
  // change, at most a few hours): step forward, a bounded number of times.
  for (let i = 0; next < t && i < MAX_GRID_STEPS; i += 1) next += slotMinutes * MINUTE_MS;
  return Math.max(next, t);
}

/** The earliest bookable `[start, start + minutes)` with `start` in `[from, to)`, or null. Pure. */
export function earliestSlot(o: {
  policy: Policy;
  zone: string;
  from: Date;
  to: Date;
  minutes: number;
  now: Date;
  staff: boolean;
  /** Bookings holding units of the resource near the range (any order). */
  busy: Array<{ start: number; end: number; quantity: number }>;
  /** The resource's units, and how many the slot takes (both 1 for a room). */
  capacity: number;
  quantity: number;
}): { start: Date; end: Date } | null {
  const { policy, zone, minutes } = o;
  if (minutes < policy.minMinutes || minutes > policy.maxMinutes || minutes % policy.slotMinutes !== 0) return null;
  if (o.quantity > o.capacity) return null;
  const length = minutes * MINUTE_MS;
  const gap = policy.bufferMinutes * MINUTE_MS;
  const notice = o.staff ? 0 : policy.minNoticeMinutes * MINUTE_MS;
  const lower = Math.max(o.from.getTime(), o.now.getTime() + notice);
  const toMs = o.to.getTime();
  if (lower >= toMs) return null;
  const open = openStretches(policy, zone, new Date(lower), new Date(toMs + length)).map((s) => ({
    start: s.start.getTime(),
    end: s.end.getTime(),
  }));
  const busy = [...o.busy].sort((a, b) => a.start - b.start);

  let candidate = lower;
  for (let step = 0; step < MAX_STEPS; step += 1) {
    candidate = ceilToGrid(candidate, policy.slotMinutes, zone);
    if (candidate >= toMs) return null;
    const stretch = open.find((s) => s.end > candidate);
    if (!stretch) return null;
    if (stretch.start > candidate) {
      candidate = stretch.start;
      continue;
    }
    const end = candidate + length;
    if (end > stretch.end) {
      const next = open.find((s) => s.start > stretch.start);
      if (!next) return null;
      candidate = next.start;
      continue;
    }
    const freeAt = unitsFreeAfter(busy, candidate, end + gap, gap, o.capacity - o.quantity);
    if (freeAt !== null) {
      candidate = freeAt;
      continue;
    }
    const rule = policyViolation({
      policy,
      timeZone: zone,
      start: new Date(candidate),
      end: new Date(end),
      now: o.now,
      staff: o.staff,
    });
    if (rule === null) return { start: new Date(candidate), end: new Date(end) };
    if (rule === 'advance') return null;
    candidate += policy.slotMinutes * MINUTE_MS; // off the grid across a daylight-saving change: try the next step
  }
  return null;
}

/**
 * Null when the slot fits: the bookings, each occupying `[start, end + gap)`, use at most `spare`
 * units at every instant of `[from, to)`. Otherwise the earliest start a later slot could fit at:
 * the first end (plus gap) of the bookings in the span; before it every booking in use at the
 * fullest instant still is, so no earlier start fits.
 */
function unitsFreeAfter(
  busy: ReadonlyArray<{ start: number; end: number; quantity: number }>,
  from: number,
  to: number,
  gap: number,
  spare: number,
): number | null {
  const inSpan = busy.filter((b) => b.start < to && b.end + gap > from);
  if (inSpan.length === 0) return null;
  if (
    peakOccupancy(
      inSpan.map((b) => ({ start: b.start, end: b.end + gap, quantity: b.quantity })),
      from,
      to,
    ) <= spare
  )
    return null;
  return Math.min(...inSpan.map((b) => b.end + gap));
}

export interface SlotFinder {
  find(query: SlotsFind, principal: Principal): Promise<FoundSlot[]>;
}

export function createSlotFinder(deps: {
  directory: Pick<ResourceDirectory, 'all'>;
  availability: Pick<AvailabilityService, 'busyBetween'>;
  bookings: Pick<BookingStore, 'activeFutureByResource'>;
  clock: Clock;
}): SlotFinder {
  return {
    async find({ from, to, minutes, type, resourceIds, limit, quantity = 1, minSeats }, principal) {
      const now = deps.clock.now();
      checkQueryWindow(from, to, now);
      const staff = principal.role === 'staff';
      const wanted = resourceIds ? new Set(resourceIds) : null;
      const candidates = (await deps.directory.all())
        .filter((r) => (type === undefined || r.type === type) && (wanted === null || wanted.has(r.id)))
        // (v3) Only resources the person may book: a hidden id yields nothing, as an unknown one.
        .filter((r) => may(principal, r, 'book'))
        .filter((r) => r.capacity >= quantity && (minSeats === undefined || (r.seats ?? 0) >= minSeats))
        .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name))
        .slice(0, MAX_SCANNED);
      const quotas = candidates.some((r) => r.policy.maxActivePerUser !== null) && !staff;
      const held = quotas ? await deps.bookings.activeFutureByResource(principal.id, now) : new Map<string, number>();

      const found = await Promise.all(
        candidates.map(async (resource: Resource): Promise<{ slot: FoundSlot; name: string } | null> => {
          const { policy, timeZone } = resource;
          if (quotas && policy.maxActivePerUser !== null && (held.get(resource.id) ?? 0) >= policy.maxActivePerUser)
            return null;
          const margin = (policy.bufferMinutes + minutes) * MINUTE_MS;
          const view = await deps.availability.busyBetween(
            resource,
            new Date(from.getTime() - margin),
            new Date(to.getTime() + margin),
          );
          const busy = view.busy.map((b) => ({
            start: Date.parse(b.start),
            end: Date.parse(b.end),
            quantity: b.quantity,
          }));
          const { capacity } = resource;
          const slot = earliestSlot({
            policy,
            zone: timeZone,
            from,
            to,
            minutes,
            now,
            staff,
            busy,
            capacity,
            quantity,
          });
          return slot
            ? {
                slot: { resourceId: resource.id, start: slot.start.toISOString(), end: slot.end.toISOString() },
                name: resource.name,
              }
            : null;
        }),
      );
      return found
        .filter((f): f is { slot: FoundSlot; name: string } => f !== null)
        .sort((a, b) => a.slot.start.localeCompare(b.slot.start) || a.name.localeCompare(b.name))
        .slice(0, limit ?? 20)
        .map((f) => f.slot);
    },
  };
}
