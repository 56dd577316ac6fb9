import { Empty } from '@booking/shared';
import type { ClientToServerEvents } from '@booking/shared';
import { allowed } from '../access/resource-access';
import type { CommandOn } from '../infra/contract';
import type { ResourceService } from './resource.service';

type On = CommandOn<ClientToServerEvents>;

export function registerResourceHandlers(on: On, resources: ResourceService): void {
  // (v3) Only those the person may view: the others are simply absent.
  on('resources:list', Empty, async (_d, { principal }) => ({ resources: allowed(principal, await resources.list()) }));
}
