import mongoose from 'mongoose';
import { Schema } from 'mongoose';
import { startRedis } from '../../scripts/lib/embedded-redis';
import type { EmbeddedRedis } from '../../scripts/lib/embedded-redis';
import { startNode } from '../src/app';
import type { BookingNode } from '../src/app';
import { inTransaction } from '../src/infra/transactions';
import { testConfig, testUrls, uniqueName, withDb } from '../../test/support/env';
import { waitFor } from '../../test/support/wait';

describe('transactions on the embedded replica set', () => {
  let conn: mongoose.Connection;
  beforeAll(async () => {
    conn = await mongoose.createConnection(withDb(testUrls().mongo, uniqueName('tx'))).asPromise();
    for (const name of ['a', 'b']) await conn.createCollection(name);
  });
  afterAll(() => conn.close());

  it('commits two documents together', async () => {
    const A = conn.model('A', new Schema({ n: Number }), 'a');
    const B = conn.model('B', new Schema({ n: Number }), 'b');
    await inTransaction(conn, { attempts: 0, retries: 0 }, async (session) => {
      await A.create([{ n: 1 }], { session });
      await B.create([{ n: 1 }], { session });
    });
    expect(await A.countDocuments({ n: 1 })).toBe(1);
    expect(await B.countDocuments({ n: 1 })).toBe(1);
  });

  it('rolls both back when the transaction fails', async () => {
    const A = conn.model('A');
    const B = conn.model('B');
    await expect(
      inTransaction(conn, { attempts: 0, retries: 0 }, async (session) => {
        await A.create([{ n: 2 }], { session });
        await B.create([{ n: 2 }], { session });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await A.countDocuments({ n: 2 })).toBe(0);
    expect(await B.countDocuments({ n: 2 })).toBe(0);
  });
});

describe('GET /healthz', () => {
  let redis: EmbeddedRedis;
  let node: BookingNode;
  beforeAll(async () => {
    // A Redis of this suite's own, so stopping it disturbs no other suite.
    redis = await startRedis();
    const db = uniqueName('health');
    node = await startNode({ config: testConfig({ db, env: { REDIS_URL: redis.url } }) });
  });
  afterAll(async () => {
    await node.close();
    await redis.stop();
  });

  const health = async () => {
    const res = await fetch(`${node.url}/healthz`);
    return { status: res.status, body: (await res.json()) as { ok: boolean; nodeId: string } };
  };

  it('is 200 with MongoDB and Redis up, 503 while Redis is down, 200 after it returns', async () => {
    expect(await health()).toEqual({ status: 200, body: { ok: true, nodeId: node.nodeId } });
    await redis.stop();
    await waitFor('503 while Redis is down', async () => (await health()).status === 503);
    expect((await health()).body.ok).toBe(false);
    await redis.restart();
    await waitFor('200 after Redis returns', async () => (await health()).status === 200, 20_000);
  });
});
