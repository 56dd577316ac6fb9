/**
 * Which server nodes are alive and how many clients each holds, across every node.
 *
 * Each node writes a heartbeat into one Redis hash (`names.nodes`, field = nodeId, value
 * = JSON {nodeId, clients, startedAt, at}) every `intervalMs`. Redis 7.0 has no per-field expiry,
 * so readers drop entries whose `at` is older than `staleMs` (and delete them, so a crashed node
 * disappears from the dashboard within `staleMs`). The hash itself expires an hour after the last
 * heartbeat so an abandoned prefix cleans itself up. Chosen over `io.fetchSockets()` because that
 * needs every node to answer a cluster-wide request each time (and times out on a dead node),
 * whereas a heartbeat read is one HGETALL.
 */
import type { RedisClient } from '../infra/redis';
import { z } from 'zod';
import type { NodeInfo } from '@booking/shared';
import type { RedisNames } from '../infra/channels';
import type { Logger } from '../infra/logger';
import { TUNABLES } from '../infra/tunables';

const Heartbeat = z.object({
  nodeId: z.string(),
  clients: z.number().int().nonnegative(),
  startedAt: z.string(),
  at: z.number(),
});

export interface NodePresence {
  /** Writes a heartbeat now and then every `intervalMs` until stop(). */
  start(): Promise<void>;
  /** Stops heartbeating and removes this node's entry. */
  stop(): Promise<void>;
  /** Live nodes, sorted by nodeId. */
  list(): Promise<NodeInfo[]>;
}

export interface NodePresenceOptions {
  redis: RedisClient;
  names: RedisNames;
  nodeId: string;
  startedAt: Date;
  /** This node's current client count. */
  clients: () => number;
  logger: Logger;
  /** Heartbeat period (default 2 s). */
  intervalMs?: number;
  /** An entry older than this is a dead node (default 3 heartbeats). */
  staleMs?: number;
  now?: () => number;
}

export function createNodePresence(opts: NodePresenceOptions): NodePresence {
  const key = opts.names.nodes;
  const intervalMs = opts.intervalMs ?? TUNABLES.presenceIntervalMs;
  const staleMs = opts.staleMs ?? intervalMs * 3;
  const now = opts.now ?? Date.now;
  let timer: NodeJS.Timeout | null = null;

  const beat = async (): Promise<void> => {
    const value = JSON.stringify({
      nodeId: opts.nodeId,
      clients: opts.clients(),
      startedAt: opts.startedAt.toISOString(),
      at: now(),
    });
    await opts.redis.multi().hset(key, opts.nodeId, value).expire(key, 3600).exec();
  };
  // While Redis is away every beat fails: say so once, and once more when beats go through again.
  let failing = false;
  const beatQuietly = async (): Promise<void> => {
    try {
      await beat();
      if (failing) opts.logger.info('node heartbeat written again');
      failing = false;
    } catch (err) {
      if (!failing) opts.logger.warn({ err }, 'node heartbeat failed; retrying every beat');
      failing = true;
    }
  };

  return {
    async start() {
      await beatQuietly();
      timer ??= setInterval(() => void beatQuietly(), intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await opts.redis.hdel(key, opts.nodeId).catch(() => undefined);
    },
    async list() {
      const all = await opts.redis.hgetall(key);
      const live: NodeInfo[] = [];
      const stale: string[] = [];
      for (const [field, raw] of Object.entries(all)) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw);
        } catch {
          parsed = null;
        }
        const hb = Heartbeat.safeParse(parsed);
        if (!hb.success || now() - hb.data.at > staleMs) {
          stale.push(field);
          continue;
        }
        // This node's own count is read live; the others are at most one heartbeat old.
        const clients = hb.data.nodeId === opts.nodeId ? opts.clients() : hb.data.clients;
        live.push({ nodeId: hb.data.nodeId, clients, startedAt: hb.data.startedAt });
      }
      if (stale.length > 0) await opts.redis.hdel(key, ...stale).catch(() => undefined);
      return live.sort((a, b) => a.nodeId.localeCompare(b.nodeId));
    },
  };
}
