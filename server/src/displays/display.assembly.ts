/** (v3) Room displays on a node: the service (for `/admin`) and the `/display` namespace, built from the node's parts. */
import type { AfterCommit } from '../booking/booking.effects';
import type { Collections, DataStores } from '../data';
import type { Clock } from '../infra/clock';
import type { Logger } from '../infra/logger';
import type { Lifecycle } from '../infra/process';
import type { ResourceDirectory } from '../resources/resource.directory';
import type { CommandLimits } from '../transport/command-budget';
import type { CommandCounter } from '../transport/command-registrar';
import type { InFlight } from '../transport/in-flight';
import type { IoServer } from '../transport/socket-types';
import type { DisplayBookingOps } from './display.bookings';
import { createDisplayLive } from './display.live';
import { disconnectDisplays, registerDisplayNamespace } from './display.namespace';
import { createDisplayService } from './display.service';
import type { DisplayService } from './display.service';
import { createDisplayStore } from './display.store';

export function createNodeDisplays(deps: {
  io: IoServer;
  collections: Pick<Collections, 'Display'>;
  data: Pick<DataStores, 'users'>;
  directory: Pick<ResourceDirectory, 'get'>;
  publicUrl: string;
  clock: Clock;
  logger: Logger;
}): DisplayService {
  return createDisplayService({
    store: createDisplayStore(deps.collections.Display),
    users: deps.data.users,
    directory: deps.directory,
    publicUrl: deps.publicUrl,
    clock: deps.clock,
    logger: deps.logger,
    disconnect: (ids) => disconnectDisplays(deps.io, ids),
  });
}

export function serveDisplays(deps: {
  io: IoServer;
  displays: DisplayService;
  collections: Pick<Collections, 'Booking' | 'Resource'>;
  data: Pick<DataStores, 'resources'>;
  ops: DisplayBookingOps;
  afterCommit: AfterCommit;
  clock: Clock;
  logger: Logger;
  lifecycle: Lifecycle;
  limiter: CommandLimits;
  count: CommandCounter;
  inFlight: InFlight;
}): void {
  const handle = registerDisplayNamespace({
    io: deps.io,
    displays: deps.displays,
    ops: deps.ops,
    afterCommit: deps.afterCommit,
    logger: deps.logger,
    limiter: deps.limiter,
    count: deps.count,
    inFlight: deps.inFlight,
    live: (nsp) =>
      createDisplayLive({
        nsp,
        bookingModel: deps.collections.Booking,
        resourceModel: deps.collections.Resource,
        resources: deps.data.resources,
        clock: deps.clock,
        logger: deps.logger,
        onResourceGone: (resourceId) => deps.displays.resourceGone(resourceId),
      }),
  });
  deps.lifecycle.onStop('room displays', () => handle.stop());
}
