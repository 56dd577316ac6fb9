/** The command budgets every command spends before it runs (`commandRegistrar` in `command-registrar.ts`). */
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { RateLimiterRes } from 'rate-limiter-flexible';
import type { RedisNames } from '../infra/channels';
import type { RedisClient } from '../infra/redis';

/**
 * Command budgets (docs/protocol.md): 50 a second per connection, counted here in memory, and 100 a
 * second per user across all of that user's connections on every node, counted in Redis (one key
 * per user under `REDIS_PREFIX`, so it works on a Redis Cluster too). A command spends its
 * connection's point first, so one noisy connection never reaches Redis for the points it cannot
 * have. The per-user count costs one Redis round trip (auto-pipelined with the node's other
 * commands; measured on a local Redis: about 0.28 ms a command one at a time, 0.12 ms each under
 * 5,000 at once, against 0.015 ms in memory); once a user's window is spent, this node refuses that user's commands from memory
 * until the window ends (`inMemoryBlockOnConsumed`), so a flood costs Redis nothing. While Redis is
 * away (not ready, or not answering within `REDIS_BUDGET_TIMEOUT_MS`) the per-user budget falls
 * back to counting on this node (`insuranceLimiter`), as it did before: commands keep working.
 */
export interface CommandLimits {
  perSocket: RateLimiterMemory;
  perUser: { consume(key: string): Promise<RateLimiterRes> };
}

export interface Budget {
  points: number;
  durationSec: number;
}

/**
 * How long a command waits for Redis' count of its user's budget before counting on this node. A
 * second, not less: on a node whose CPU is busy, a healthy Redis's answer can take a few hundred
 * milliseconds to be read, and every answer given up on is a command counted per node (the budget
 * then leaks past 100 a second); a Redis that is really away is not ready, and answered from memory
 * at once. See `withTimeoutFallback` for how a late event loop is told apart from a silent Redis.
 */
export const REDIS_BUDGET_TIMEOUT_MS = 1000;

/**
 * Redis' count, or `local`'s once Redis has not answered within `REDIS_BUDGET_TIMEOUT_MS`. The
 * deadline is judged after the input that was already waiting: when the timer fires, the decision
 * waits one turn of the event loop (`setImmediate` runs after the loop's I/O phase), so an answer
 * that arrived while this process was busy (a burst of commands, a starved CPU) still wins. A
 * deadline that fired first on a late loop had made nodes count on their own while Redis was fine
 * (the library's timeout wrapper decides in the timer itself).
 */
function withTimeoutFallback(shared: RateLimiterRedis, local: RateLimiterMemory): CommandLimits['perUser'] {
  return {
    async consume(key) {
      let timer: NodeJS.Timeout | undefined;
      const fromRedis = shared.consume(key);
      // The loser of the race must not become an unhandled rejection (a refusal that came late).
      fromRedis.catch(() => undefined);
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => setImmediate(() => resolve('late')), REDIS_BUDGET_TIMEOUT_MS);
      });
      try {
        const first = await Promise.race([fromRedis, late]);
        return first === 'late' ? await local.consume(key) : first;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Default: 50 per second per connection, 100 per second per user (docs/protocol.md). Without `redis`
 * (tests of one process, tools) the per-user budget is counted in memory.
 */
export function createCommandLimits(
  opts: { redis?: { client: RedisClient; names: RedisNames }; perSocket?: Budget; perUser?: Budget } = {},
): CommandLimits {
  const perSocket = opts.perSocket ?? { points: 50, durationSec: 1 };
  const perUser = opts.perUser ?? { points: perSocket.points * 2, durationSec: perSocket.durationSec };
  const local = new RateLimiterMemory({ points: perUser.points, duration: perUser.durationSec });
  const shared = opts.redis
    ? withTimeoutFallback(
        new RateLimiterRedis({
          storeClient: opts.redis.client,
          keyPrefix: opts.redis.names.rateLimit('commands:user'),
          points: perUser.points,
          duration: perUser.durationSec,
          rejectIfRedisNotReady: true,
          inMemoryBlockOnConsumed: perUser.points,
          insuranceLimiter: local,
        }),
        local,
      )
    : local;
  return {
    perSocket: new RateLimiterMemory({ points: perSocket.points, duration: perSocket.durationSec }),
    perUser: shared,
  };
}
