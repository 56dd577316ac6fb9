/**
 * Units of a multi-unit resource (a desk pool, a laptop cart) as the page shows them: how many are
 * free over an interval, from the `occupancy` stretches `availability:get` answers (each of
 * constant use, buffers included), and the words for them. Capacity 1 resources never show a count.
 */
import type { OccupancyStretch } from '@booking/shared';
import { translate } from '../i18n';

/**
 * Units free over all of `[start, end)` (epoch ms): the capacity less the largest `used` of the
 * stretches that overlap it (none overlapping: all of them), never below 0.
 */
export function freeUnits(
  occupancy: readonly OccupancyStretch[],
  capacity: number,
  start: number,
  end: number,
): number {
  let peak = 0;
  for (const s of occupancy) {
    if (Date.parse(s.start) < end && start < Date.parse(s.end)) peak = Math.max(peak, s.used);
  }
  return Math.max(0, capacity - peak);
}

/** "3 of 40 free". */
export function freeText(free: number, capacity: number): string {
  return translate('capacity.free', { free, capacity });
}

/** A quantity the page may send: a whole number from 1 to the capacity. */
export function clampQuantity(quantity: number, capacity: number): number {
  if (!Number.isFinite(quantity)) return 1;
  return Math.min(Math.max(1, Math.trunc(quantity)), Math.max(1, capacity));
}

/** What the resource list says of a resource beyond its name and type: "Capacity 40 · Seats 8" (empty: nothing). */
export function resourceFacts(resource: { capacity: number; seats: number | null }): string {
  const facts: string[] = [];
  if (resource.capacity > 1) facts.push(translate('capacity.capacity', { capacity: resource.capacity }));
  if (resource.seats !== null) facts.push(translate('capacity.seats', { seats: resource.seats }));
  return facts.join(' · ');
}

/** "× 3" after a booking of several units (empty for one). */
export function quantitySuffix(quantity: number): string {
  return quantity > 1 ? ` × ${quantity}` : '';
}
