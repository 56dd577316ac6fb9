/**
 * What a server process holds in the stores, seen from the stores' side: MongoDB reports every
 * connection's appName (a node's NODE_ID, the notifier's `<NODE_ID>:notifier`), Redis every
 * client's name (`<NODE_ID>:<role>`). A test checks these after a process stopped.
 */
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { testUrls } from './env';

export interface StoreWatch {
  mongo: MongoClient;
  redis: Redis;
  close(): Promise<void>;
}

/** Clients of the run's MongoDB and of `redisUrl` (default the run's Redis) to look with. */
export async function watchStores(redisUrl = testUrls().redis): Promise<StoreWatch> {
  const mongo = await MongoClient.connect(testUrls().mongo);
  const redis = new Redis(redisUrl);
  return {
    mongo,
    redis,
    async close() {
      await mongo.close();
      redis.disconnect();
    },
  };
}

const ownedBy = (id: string, name: string | undefined): boolean => name === id || (name?.startsWith(`${id}:`) ?? false);

/** Connections MongoDB and Redis attribute to the process whose NODE_ID is `id`. */
export async function connectionsOf(id: string, watch: StoreWatch): Promise<{ mongo: number; redis: number }> {
  const ops = await watch.mongo.db('admin').command({ currentOp: 1, $all: true });
  const inprog = (ops.inprog ?? []) as Array<{ appName?: string }>;
  return {
    mongo: inprog.filter((op) => ownedBy(id, op.appName)).length,
    redis: (await redisClients(watch)).filter((c) => ownedBy(id, c.name)).length,
  };
}

/** Every Redis client except the watcher itself, named or not (`CLIENT LIST`). */
export async function redisClients(watch: StoreWatch): Promise<Array<{ id: string; name: string; line: string }>> {
  const own = String(await watch.redis.client('ID'));
  const list = String(await watch.redis.call('CLIENT', 'LIST'));
  return list
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => ({
      id: /(?:^| )id=(\d+)/.exec(line)?.[1] ?? '',
      name: /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '',
      line,
    }))
    .filter((c) => c.id !== own);
}
