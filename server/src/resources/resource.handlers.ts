import { Empty } from '@booking/shared';
import type { ClientToServerEvents } from '@booking/shared';
import type { CommandOn } from '../infra/contract';
import type { ResourceService } from './resource.service';

type On = CommandOn<ClientToServerEvents>;

export function registerResourceHandlers(on: On, resources: ResourceService): void {
  on('resources:list', Empty, async () => ({ resources: await resources.list() }));
}
