/**
 * A node's after-commit effects, as declared lists (`infra/effects.ts` runs them): each failure is
 * counted in the node's faults and logged, and the next effect still runs.
 */
import type { AfterCommit } from '../booking/booking.effects';
import type { AvailabilityService } from '../availability/availability.service';
import { bookingAfterCommit } from '../booking-effects';
import type { CalendarService } from '../calendar/calendar.service';
import type { RedisNames } from '../infra/channels';
import type { Clock } from '../infra/clock';
import { effectRunner } from '../infra/effects';
import type { Logger } from '../infra/logger';
import { countingFailures } from '../infra/metrics';
import type { FaultCounts } from '../infra/metrics';
import type { RedisClient } from '../infra/redis';
import { wakeRelay } from '../notifications/notification.relay';
import type { ResourceDirectory } from '../resources/resource.directory';
import type { ResourceChange } from '../resources/resource.service';
import { viewerGroups } from '@booking/shared';
import { resourceChangedRooms } from '../infra/channels';
import { ioSlotBroadcast } from '../transport/slot.broadcast';
import { recheckWatchRooms } from '../transport/slot-watch.handlers';
import type { IoServer } from '../transport/socket-types';

/**
 * After a resource's settings change: this node's directory now, the other nodes' through the
 * adapter, then every client (the page redraws its grid from the new policy), then the feeds.
 */
export function resourceEffects(deps: {
  directory: ResourceDirectory;
  io: IoServer;
  calendar: CalendarService;
  faults: FaultCounts;
  logger: Logger;
}): (changes: readonly ResourceChange[]) => Promise<void> {
  const { io } = deps;
  return effectRunner<ResourceChange>(
    countingFailures(
      [
        { name: 'directory', run: () => deps.directory.invalidate() },
        { name: 'other nodes', run: () => void io.serverSideEmit('resources:changed') },
        {
          // (v3) Only to those who may view it (a restricted resource never reaches everyone).
          name: 'broadcast',
          run: (change) =>
            void (
              'resource' in change &&
              io
                .to(resourceChangedRooms(viewerGroups(change.resource.access)))
                .emit('resource:changed', { resource: change.resource })
            ),
        },
        {
          // (v3) Its watchers who may no longer view it leave its room (other nodes: on their notice).
          name: 'watch rooms',
          run: () =>
            recheckWatchRooms(
              () => io.of('/').sockets.values(),
              () => deps.directory.all(),
            ),
        },
        { name: 'calendar feeds', run: () => deps.calendar.settingsChanged() },
      ],
      deps.faults,
    ),
    deps.logger,
  );
}

/** After a booking change commits: the list both roots share (`booking-effects.ts`), on this node's parts. */
export function bookingEffects(deps: {
  /** Where a change's broadcast goes depends on its resource's access. */
  directory: ResourceDirectory;
  availability: AvailabilityService;
  redis: RedisClient;
  names: RedisNames;
  calendar: CalendarService;
  io: IoServer;
  clock: Clock;
  faults: FaultCounts;
  logger: Logger;
}): AfterCommit {
  return bookingAfterCommit(
    {
      availability: deps.availability,
      relay: { name: 'relay wake', run: () => wakeRelay(deps.redis, deps.names) },
      feeds: deps.calendar,
      broadcast: ioSlotBroadcast(deps.io, deps.clock, deps.directory, (err) =>
        deps.logger.warn({ err }, 'slot broadcast failed: its resource could not be read'),
      ),
    },
    { logger: deps.logger, faults: deps.faults },
  );
}
