/**
 * Every name that two processes must agree on: Redis key prefixes, pub/sub channels, Socket.IO
 * rooms and BullMQ queue names. The server nodes, the notifier, the scripts and the tests import
 * them from here and spell none of them out themselves, so a renamed channel cannot silently cut
 * one process off from another.
 *
 * Everything in Redis lives under one deployment prefix (`REDIS_PREFIX`, default `bk:`); two
 * deployments, or two test suites, sharing one Redis keep apart by choosing different prefixes.
 * That covers pub/sub too, which ignores the database number.
 */

/** The prefix used when none is configured. */
export const DEFAULT_KEY_PREFIX = 'bk:';

/** The notification service's one BullMQ queue. */
export const NOTIFICATIONS_QUEUE = 'notifications';

/** Socket.IO room of every connection of one user, on every node (the notifier emits into it). */
export function userRoom(userId: string): string {
  return `user:${userId}`;
}

/** The Redis names of one deployment. */
export interface RedisNames {
  readonly prefix: string;
  /** Key (and channel prefix) of the Socket.IO Redis adapter and of the notifier's emitter. */
  readonly socketIo: string;
  /** Channel a node publishes on after a commit that wrote the outbox; the relay listens. */
  readonly outboxWake: string;
  /** Hash of node heartbeats read by the dashboard's stats. */
  readonly nodes: string;
  /** BullMQ's `prefix` option for this deployment's queues. */
  readonly bull: string;
  /** Redlock key of one resource. */
  lock(resourceId: string): string;
  /** Key prefix of one rate limiter (`login:email`, `login:address`, `register:address`). */
  rateLimit(name: string): string;
  /** Cached availability of one resource for one day. */
  availability(resourceId: string, day: string): string;
  /** SCAN pattern matching every cached day of one resource. */
  availabilityPattern(resourceId: string): string;
}

export function redisNames(prefix: string = DEFAULT_KEY_PREFIX): RedisNames {
  return {
    prefix,
    socketIo: `${prefix}socket.io`,
    outboxWake: `${prefix}outbox:wake`,
    nodes: `${prefix}admin:nodes`,
    bull: `${prefix}bull`,
    lock: (resourceId) => `${prefix}lock:resource:${resourceId}`,
    rateLimit: (name) => `${prefix}rl:${name}`,
    availability: (resourceId, day) => `${prefix}avail:${resourceId}:${day}`,
    availabilityPattern: (resourceId) => `${prefix}avail:${resourceId}:*`,
  };
}
