import { Empty } from '@booking/shared';
import type { ClientToServerEvents } from '@booking/shared';
import type { commandRegistrar } from '../transport/socket';
import type { ResourceService } from './resource.service';

type On = ReturnType<typeof commandRegistrar<ClientToServerEvents>>;

export function registerResourceHandlers(on: On, resources: ResourceService): void {
  on('resources:list', Empty, async () => ({ resources: await resources.list() }));
}
