/**
 * The availability the grid draws for this person (protocol v3 holds): without their own hold on
 * the selection (to them it is the selection, not a taken time), and without any hold or offer
 * whose `expiresAt` has passed. The server counts such a hold free from that instant on, whatever
 * its timer does (the `released` broadcast follows within 2 s); the grid shows it free at the
 * same instant, re-drawn when the next one runs out.
 */
import { useEffect, useMemo, useState } from 'react';
import { shiftOccupancy } from '@booking/client';
import type { Availability, BusyInterval } from '@booking/shared';
import type { HoldTarget } from './use-hold';

const runOut = (b: BusyInterval, now: number): boolean =>
  b.status === 'held' && b.expiresAt !== undefined && Date.parse(b.expiresAt) <= now;

/** A `held` entry that is the hold this page is asking for right now (its answer not yet in). */
const isPending = (b: BusyInterval, availability: Availability, pending: HoldTarget | null): boolean =>
  pending !== null &&
  b.status === 'held' &&
  pending.resourceId === availability.resourceId &&
  Date.parse(b.start) === pending.start &&
  Date.parse(b.end) === pending.end &&
  b.quantity === pending.quantity;

export function shownAvailability(
  availability: Availability | null,
  ownHoldId: string | null,
  now: number,
  pending: HoldTarget | null = null,
) {
  if (!availability) return availability;
  const gone = availability.busy.filter(
    (b) => b.bookingId === ownHoldId || isPending(b, availability, pending) || runOut(b, now),
  );
  if (gone.length === 0) return availability;
  const bufferMs = availability.bufferMinutes * 60_000;
  const occupancy = shiftOccupancy(
    availability.occupancy,
    availability,
    gone.map((b) => ({
      start: b.start,
      end: new Date(Date.parse(b.end) + bufferMs).toISOString(),
      delta: -b.quantity,
    })),
  );
  const busy = availability.busy.filter((b) => !gone.includes(b));
  return { ...availability, busy, occupancy: occupancy ?? availability.occupancy };
}

export function useShownAvailability(
  availability: Availability | null,
  ownHoldId: string | null,
  pending: HoldTarget | null,
) {
  const [tick, setTick] = useState(() => Date.now());
  const pendingKey = pending && `${pending.resourceId}|${pending.start}|${pending.end}|${pending.quantity}`;
  // The next hold on screen to run out: the grid is drawn again then.
  const next = (availability?.busy ?? [])
    .filter((b) => b.status === 'held' && b.expiresAt !== undefined && Date.parse(b.expiresAt) > tick)
    .reduce((soonest, b) => Math.min(soonest, Date.parse(b.expiresAt ?? '')), Infinity);
  useEffect(() => {
    if (next === Infinity) return;
    const timer = window.setTimeout(() => setTick(Date.now()), Math.max(1, next - Date.now() + 5));
    return () => window.clearTimeout(timer);
  }, [next, tick]);
  return useMemo(
    () => shownAvailability(availability, ownHoldId, Math.max(tick, Date.now()), pending),
    // The target is a new object at every render: what it names decides, so the grid keeps its object.
    [availability, ownHoldId, tick, pendingKey],
  );
}
