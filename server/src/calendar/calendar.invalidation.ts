/**
 * Invalidation of the calendar feeds' cache: the per-scope generation counters that a poll
 * compares with the ones its cached entry was built from (calendar.service.ts). Every process that
 * commits a change a feed shows runs this in its after-commit effects: a node for commands and
 * settings, the notifier for no-show releases. Redis is a helper here: a failed bump is logged and
 * skipped, and the entry's expiry (15 minutes) is the safety net.
 */
import type { RedisNames } from '../infra/channels';
import type { Logger } from '../infra/logger';
import type { RedisClient } from '../infra/redis';

/** Generation of resource settings (names, zones), shared by every feed. */
export const SETTINGS_SCOPE = 'settings';
/** A user's `mine` feeds. */
export const userScope = (userId: string): string => `u:${userId}`;
/** A resource's feeds. */
export const resourceScope = (resourceId: string): string => `r:${resourceId}`;

export interface FeedInvalidation {
  /** After-commit effect: a booking of `userId` on `resourceId` changed (its owner's and its resource's feeds). */
  bookingChanged(change: { resourceId: string; userId: string }): Promise<void>;
  /** After a resource's settings changed (its name or zone may be in any feed). */
  settingsChanged(): Promise<void>;
}

export function createFeedInvalidation(deps: {
  redis: RedisClient;
  names: RedisNames;
  logger: Logger;
}): FeedInvalidation {
  const bump = async (scope: string): Promise<void> => {
    try {
      await deps.redis.incr(deps.names.calendarGeneration(scope));
    } catch (err) {
      deps.logger.warn({ err, what: 'generation bump' }, 'calendar cache unavailable');
    }
  };
  return {
    async bookingChanged(change) {
      await Promise.all([bump(userScope(change.userId)), bump(resourceScope(change.resourceId))]);
    },
    async settingsChanged() {
      await bump(SETTINGS_SCOPE);
    },
  };
}
