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
import type { FoundSlot, Policy, Resource, SlotsFind } from '@booking/shared';
import type { Principal } from '../auth/auth.service';
import { may } from '../access/resource-access';
import type { BookingStore } from '../booking/booking.store';
import type { Clock } from '../infra/clock';
import type { ResourceDirectory } from '../resources/resource.directory';
import { checkQueryWindow } from './availability.service';
import type { AvailabilityService } from './availability.service';
import { ceilToGrid, searchEarliest, searchMemo } from './slot-search';
import type { Busy } from './slot-search';

export const MAX_SCANNED = 200;
const MINUTE_MS = 60_000;

export { ceilToGrid };

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
  busy: Busy[];
  /** The resource's units, and how many the slot takes (both 1 for a room). */
  capacity: number;
  quantity: number;
}): { start: Date; end: Date } | null {
  const found = searchEarliest({ ...o, from: o.from.getTime(), to: o.to.getTime(), now: o.now.getTime() });
  return found ? { start: new Date(found.start), end: new Date(found.end) } : null;
}

/** `localeCompare` without arguments is this collator's `compare`; one instance spares a lookup per comparison. */
const collator = new Intl.Collator();

/** The directory's list (one array per snapshot) ordered by type, then name; filtering keeps the order. */
const sortedLists = new WeakMap<readonly Resource[], Resource[]>();

function byTypeAndName(list: readonly Resource[]): Resource[] {
  let sorted = sortedLists.get(list);
  if (!sorted) {
    sorted = [...list].sort((a, b) => collator.compare(a.type, b.type) || collator.compare(a.name, b.name));
    sortedLists.set(list, sorted);
  }
  return sorted;
}

interface Found {
  slot: FoundSlot;
  name: string;
  /** The slot's start (ms). */
  at: number;
}

export interface SlotFinder {
  find(query: SlotsFind, principal: Principal): Promise<FoundSlot[]>;
}

export function createSlotFinder(deps: {
  directory: Pick<ResourceDirectory, 'all'>;
  availability: Pick<AvailabilityService, 'busyMsBetween'>;
  bookings: Pick<BookingStore, 'activeFutureByResource'>;
  clock: Clock;
}): SlotFinder {
  return {
    async find({ from, to, minutes, type, resourceIds, limit, quantity = 1, minSeats }, principal) {
      const now = deps.clock.now();
      checkQueryWindow(from, to, now);
      const staff = principal.role === 'staff';
      const wanted = resourceIds ? new Set(resourceIds) : null;
      const candidates = byTypeAndName(await deps.directory.all())
        .filter((r) => (type === undefined || r.type === type) && (wanted === null || wanted.has(r.id)))
        // (v3) Only resources the person may book: a hidden id yields nothing, as an unknown one.
        .filter((r) => may(principal, r, 'book'))
        .filter((r) => r.capacity >= quantity && (minSeats === undefined || (r.seats ?? 0) >= minSeats))
        .slice(0, MAX_SCANNED);
      const quotas = candidates.some((r) => r.policy.maxActivePerUser !== null) && !staff;
      const held = quotas ? await deps.bookings.activeFutureByResource(principal.id, now) : new Map<string, number>();
      const fromMs = from.getTime();
      const toMs = to.getTime();
      const nowMs = now.getTime();
      const memo = searchMemo();

      const scanned = quotas
        ? candidates.filter((r) => {
            const cap = r.policy.maxActivePerUser;
            return cap === null || (held.get(r.id) ?? 0) < cap;
          })
        : candidates;
      // Every resource's busy intervals in one batch, each over the range widened by its buffer and the length.
      const busyOf = await deps.availability.busyMsBetween(
        scanned.map((resource) => {
          const margin = (resource.policy.bufferMinutes + minutes) * MINUTE_MS;
          return { resource, from: fromMs - margin, to: toMs + margin };
        }),
      );
      const found: Found[] = [];
      scanned.forEach((resource, i) => {
        const slot = searchEarliest(
          {
            policy: resource.policy,
            zone: resource.timeZone,
            from: fromMs,
            to: toMs,
            minutes,
            now: nowMs,
            staff,
            busy: busyOf[i] ?? [],
            capacity: resource.capacity,
            quantity,
          },
          memo,
        );
        if (!slot) return;
        const { id: resourceId, name } = resource;
        const start = new Date(slot.start).toISOString();
        found.push({ slot: { resourceId, start, end: new Date(slot.end).toISOString() }, name, at: slot.start });
      });
      return (
        found
          // Earliest first (instants: the order of the ISO strings), then by name.
          .sort((a, b) => a.at - b.at || collator.compare(a.name, b.name))
          .slice(0, limit ?? 20)
          .map((f) => f.slot)
      );
    },
  };
}
