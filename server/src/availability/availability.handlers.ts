import { AvailabilityGet, SlotsFind } from '@booking/shared';
import type { ClientToServerEvents } from '@booking/shared';
import type { CommandOn } from '../infra/contract';
import type { AvailabilityService } from './availability.service';
import type { SlotFinder } from './slot-finder';

type On = CommandOn<ClientToServerEvents>;

export function registerAvailabilityHandlers(
  on: On,
  deps: { availability: AvailabilityService; slots: SlotFinder },
): void {
  on('availability:get', AvailabilityGet, (d) => deps.availability.get(d));
  on('slots:find', SlotsFind, async (d, { principal }) => ({ slots: await deps.slots.find(d, principal) }));
}
