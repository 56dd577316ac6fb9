import { AvailabilityGet, SlotsFind } from '@booking/shared';
import type { ClientToServerEvents } from '@booking/shared';
import type { AccessGate } from '../access/resource-access';
import type { CommandOn } from '../infra/contract';
import type { AvailabilityService } from './availability.service';
import type { SlotFinder } from './slot-finder';

type On = CommandOn<ClientToServerEvents>;

export function registerAvailabilityHandlers(
  on: On,
  deps: { availability: AvailabilityService; slots: SlotFinder; access: Pick<AccessGate, 'require'> },
): void {
  on('availability:get', AvailabilityGet, async (d, { principal }) => {
    // (v3) A resource the person may not view answers as an unknown one.
    await deps.access.require(principal, d.resourceId, 'view');
    return deps.availability.get(d);
  });
  on('slots:find', SlotsFind, async (d, { principal }) => ({ slots: await deps.slots.find(d, principal) }));
}
