/**
 * Every name that two processes must agree on: Redis key prefixes, pub/sub channels, Socket.IO
 * rooms and BullMQ queue names. The server nodes, the notifier, the scripts and the tests import
 * them from here and spell none of them out themselves, so a renamed channel cannot silently cut
 * one process off from another.
 *
 * Everything in Redis lives under one deployment prefix (`REDIS_PREFIX`, default `bk:`); two
 * deployments, or two test suites, sharing one Redis keep apart by choosing different prefixes.
 * That covers pub/sub too, which ignores the database number.
 *
 * Redis Cluster: a command, script, MULTI or pipeline may only touch keys of one hash slot, and
 * Redis hashes only the part inside the first `{…}` when there is one. So the names are
 * hash-tagged wherever keys must meet: all of BullMQ's keys share `{<prefix>bull}` (its scripts
 * touch many keys of a queue at once), and a resource's lock and cached days share
 * `{<prefix>r:<resourceId>}` (one MGET / pipeline per resource), while different resources spread
 * over the shards. Rate-limit keys, the nodes hash and the channels are one key per command and
 * need no tag; the sharded adapter's channels spread over the shards on purpose. The same names are
 * used on a single Redis, where tags mean nothing, so one spelling is tested everywhere.
 */

/** The prefix used when none is configured. */
export const DEFAULT_KEY_PREFIX = 'bk:';

/** The notification service's one BullMQ queue. */
export const NOTIFICATIONS_QUEUE = 'notifications';

/** The notifier's scheduler: BullMQ delayed jobs for reminders and no-show releases. */
export const TIMERS_QUEUE = 'booking-timers';

/** The staff namespace: nodes serve it, the notifier emits `slot:changed` into it. */
export const ADMIN_NAMESPACE = '/admin';

/** Socket.IO room of every connection of one user, on every node (the notifier emits into it). */
export function userRoom(userId: string): string {
  return `user:${userId}`;
}

/**
 * `slot:changed` fan-out on `/` (`slots:watch`). Every connection starts in the "every resource"
 * room; one that watches a list leaves it for one room per listed resource, and `null` brings it
 * back. A change is emitted to both rooms of its resource at once (`slotChangedRooms`): Socket.IO
 * delivers it once to a socket in either or both, and a broadcast to more than one room travels on
 * the adapter's namespace channel, so a node's changes keep their order for every client.
 */
export const ALL_RESOURCES_ROOM = 'slots:all';

const RESOURCE_ROOM_PREFIX = 'resource:';

/** Socket.IO room of the connections that watch one resource's `slot:changed`. */
export function resourceRoom(resourceId: string): string {
  return `${RESOURCE_ROOM_PREFIX}${resourceId}`;
}

/** Whether a room is one of `resourceRoom`'s (a watch leaves those it no longer lists). */
export function isResourceRoom(room: string): boolean {
  return room.startsWith(RESOURCE_ROOM_PREFIX);
}

/**
 * (v3) The "every resource" rooms of a restricted resource's viewers: a connection hearing every
 * resource is in `slots:all` and in one of these per group it belongs to (and `slots:staff` for
 * staff). A restricted resource's `slot:changed` goes to its viewers' group rooms and to staff,
 * never to `slots:all`.
 */
export const STAFF_SLOTS_ROOM = 'slots:staff';
export function groupSlotsRoom(groupId: string): string {
  return `slots:group:${groupId}`;
}

/**
 * (v3) Who hears `resource:changed` on `/` whatever they watch: every connection is in
 * `viewers:all`, in one `viewers:group:<id>` per group, and staff in `viewers:staff`.
 */
export const ALL_VIEWERS_ROOM = 'viewers:all';
export const STAFF_VIEWERS_ROOM = 'viewers:staff';
export function groupViewersRoom(groupId: string): string {
  return `viewers:group:${groupId}`;
}

/** (v3) `/admin` rooms: staff hear every resource, a manager the rooms of their groups. */
export const ADMIN_STAFF_ROOM = 'admin:staff';
export function adminGroupRoom(groupId: string): string {
  return `admin:group:${groupId}`;
}

/**
 * Where one resource's `slot:changed` goes on `/`, from a node or from the notifier's emitter:
 * `viewerGroups` null (everyone may view it) is the "every resource" room; a list is those groups'
 * rooms and staff's. Always the resource's own room, which only its viewers may join.
 */
export function slotChangedRooms(resourceId: string, viewerGroups: readonly string[] | null): string[] {
  const every = viewerGroups === null ? [ALL_RESOURCES_ROOM] : [STAFF_SLOTS_ROOM, ...viewerGroups.map(groupSlotsRoom)];
  return [...every, resourceRoom(resourceId)];
}

/** Where one resource's `resource:changed` goes on `/` (`viewerGroups` as for `slotChangedRooms`). */
export function resourceChangedRooms(viewerGroups: readonly string[] | null): string[] {
  return viewerGroups === null ? [ALL_VIEWERS_ROOM] : [STAFF_VIEWERS_ROOM, ...viewerGroups.map(groupViewersRoom)];
}

/** Where one resource's `slot:changed` goes on `/admin`: staff, and its managers' groups. */
export function adminSlotRooms(managers: readonly string[]): string[] {
  return [ADMIN_STAFF_ROOM, ...managers.map(adminGroupRoom)];
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
  /** BullMQ's `prefix` option for this deployment's queues (hash-tagged: one slot per deployment). */
  readonly bull: string;
  /** Hash tag of one resource: its lock and cache keys live in one slot (one node) of a cluster. */
  resourceTag(resourceId: string): string;
  /** Redlock key of one resource. */
  lock(resourceId: string): string;
  /**
   * Key prefix of one rate limiter (`login:email`, `login:address`, `register:address`;
   * `calendar:token` and `calendar:address` for feed polls; `commands:user`, one user's command
   * budget shared by every node).
   */
  rateLimit(name: string): string;
  /** Cached availability of one resource for one day. */
  availability(resourceId: string, day: string): string;
  /** SCAN pattern matching every cached day of one resource. */
  availabilityPattern(resourceId: string): string;
  /** A calendar feed token's record (by the token's hash), cached in front of MongoDB. */
  calendarToken(tokenHash: string): string;
  /**
   * A calendar feed scope's generation (bumped after each committed change) and its rendered
   * feed; both of one scope share a hash tag, so one MGET reads them together.
   */
  calendarGeneration(scope: string): string;
  calendarFeed(scope: string): string;
}

export function redisNames(prefix: string = DEFAULT_KEY_PREFIX): RedisNames {
  const resourceTag = (resourceId: string) => `{${prefix}r:${resourceId}}`;
  return {
    prefix,
    socketIo: `${prefix}socket.io`,
    outboxWake: `${prefix}outbox:wake`,
    nodes: `${prefix}admin:nodes`,
    bull: `{${prefix}bull}`,
    resourceTag,
    lock: (resourceId) => `${prefix}lock:${resourceTag(resourceId)}`,
    rateLimit: (name) => `${prefix}rl:${name}`,
    availability: (resourceId, day) => `${prefix}avail:${resourceTag(resourceId)}:${day}`,
    availabilityPattern: (resourceId) => `${prefix}avail:${resourceTag(resourceId)}:*`,
    calendarToken: (tokenHash) => `${prefix}cal:token:${tokenHash}`,
    calendarGeneration: (scope) => `${prefix}cal:{${prefix}${scope}}:gen`,
    calendarFeed: (scope) => `${prefix}cal:{${prefix}${scope}}:feed`,
  };
}
