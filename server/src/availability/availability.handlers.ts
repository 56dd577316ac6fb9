import { AvailabilityGet } from '@booking/shared';
import type { ClientToServerEvents } from '@booking/shared';
import type { commandRegistrar } from '../transport/socket';
import type { AvailabilityService } from './availability.service';

type On = ReturnType<typeof commandRegistrar<ClientToServerEvents>>;

export function registerAvailabilityHandlers(on: On, availability: AvailabilityService): void {
  on('availability:get', AvailabilityGet, (d) => availability.get(d));
}
