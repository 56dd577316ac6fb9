/**
 * (v3) Which of the requests that got one booking under one `Idempotency-Key` answers 201: the
 * booking itself is made once by the booking service (the key is stored with it, unique per
 * owner, as on the socket path), and this claims "the first answer" in Redis, shared by every
 * node, so exactly one request answers 201 and every repeat 200, even two racing on two nodes.
 */
import type { RedisClient } from '../../infra/redis';
import type { Logger } from '../../infra/logger';

/** How long the claim is kept: repeats after that still answer the same booking, with 200. */
const CLAIM_SECONDS = 7 * 24 * 3600;

export function createFirstAnswerClaim(deps: { redis: RedisClient; prefix: string; logger: Logger }) {
  /** True for the first request to claim this booking's creation. */
  return async (bookingId: string): Promise<boolean> => {
    try {
      const set = await deps.redis.set(`${deps.prefix}idem:b:${bookingId}`, '1', 'EX', CLAIM_SECONDS, 'NX');
      return set === 'OK';
    } catch (err) {
      // Redis away: the booking is still made once; the status may then read 201 twice.
      deps.logger.warn({ err, bookingId }, 'idempotency claim not recorded');
      return true;
    }
  };
}
