/**
 * How a process without a Socket.IO server (the notifier) reaches sockets on every node: the
 * `@socket.io/redis-emitter` API (`emitter.to(room).emit(...)`), over whatever pub/sub the nodes'
 * adapter listens on.
 *
 * - One Redis: the emitter as it comes, publishing on the classic adapter's channels.
 * - Redis Cluster: the nodes run `createShardedAdapter` (SSUBSCRIBE), and redis-emitter 5.1 only
 *   speaks the classic adapter (PUBLISH, a `[uid, packet, opts]` MessagePack frame); there is no
 *   sharded emitter. Its channel names already match the sharded adapter's
 *   (`<key>#<nsp>#` and `<key>#<nsp>#<room>#` with `key` = `channelPrefix`), so the emitter keeps
 *   its API and this gives it a parser that writes the sharded adapter's frame (a JSON
 *   `ClusterMessage` of type BROADCAST) and a publisher that sends it with SPUBLISH. Only
 *   `emit` is carried (what the notifier uses); JSON carries no binary attachments.
 *
 * A failed publish is logged (at most once a second) and costs one live notice; never an
 * unhandled rejection (the emitter ignores the promise).
 */
import { Emitter } from '@socket.io/redis-emitter';
import type { ServerToClientEvents } from '@booking/shared';
import type { RedisNames } from './channels';
import type { Logger } from './logger';
import type { RedisConnections } from './redis';

export type SocketEmitter = Emitter<ServerToClientEvents>;

/** socket.io-adapter's `MessageType.BROADCAST` (cluster-adapter.ts), part of the wire format. */
const BROADCAST = 3;
/** The uid the classic emitter sends too: never a node's own, so every node applies it. */
const EMITTER_UID = 'emitter';

interface EmitterPacket {
  nsp: string;
}

/** The emitter's frame `[uid, packet, {rooms, except, flags}]` as the sharded adapter's JSON frame. */
export function shardedFrame(msg: unknown): string {
  if (!Array.isArray(msg) || msg.length !== 3) return JSON.stringify(msg);
  const [, packet, opts] = msg as [unknown, EmitterPacket, unknown];
  return JSON.stringify({ uid: EMITTER_UID, nsp: packet.nsp, type: BROADCAST, data: { packet, opts } });
}

export function createSocketEmitter(opts: {
  redis: Pick<RedisConnections, 'mode' | 'pub'>;
  names: RedisNames;
  logger: Logger;
}): SocketEmitter {
  let lastLogged = 0;
  const failed = (err: unknown) => {
    const now = Date.now();
    if (now - lastLogged < 1000) return;
    lastLogged = now;
    opts.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'live notification not published');
  };
  const { pub } = opts.redis;
  if (opts.redis.mode === 'single') {
    const publisher = {
      publish: (channel: string, message: string | Buffer) => pub.publish(channel, message).catch(failed),
    };
    return new Emitter<ServerToClientEvents>(publisher, { key: opts.names.socketIo });
  }
  const publisher = {
    publish: (channel: string, message: string | Buffer) => pub.spublish(channel, message).catch(failed),
  };
  return new Emitter<ServerToClientEvents>(publisher, { key: opts.names.socketIo, parser: { encode: shardedFrame } });
}
