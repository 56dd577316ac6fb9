/**
 * `npm run seed`: demo users and resources into MONGO_URL. Idempotent: what exists (by email,
 * by resource name) is left as it is.
 */
import { z } from 'zod';
import { hashPassword } from '../server/src/auth/password';
import { registerCollections } from '../server/src/data';
import { createLogger } from '../server/src/infra/logger';
import { openDatabase } from '../server/src/infra/stores';

const env = z.object({ MONGO_URL: z.string().startsWith('mongodb') }).safeParse(process.env);
if (!env.success) {
  process.stderr.write('seed: MONGO_URL is required (a MongoDB replica set URL with a database name)\n');
  process.exit(78);
}
const mongoUrl = env.data.MONGO_URL;

const USERS = [
  { name: 'Alice Example', email: 'alice@example.com', role: 'user' as const },
  { name: 'Bob Example', email: 'bob@example.com', role: 'user' as const },
  { name: 'Staff', email: 'staff@example.com', role: 'staff' as const },
];
const DEMO_PASSWORD = 'password123';
const RESOURCES = [
  { name: 'Atlas', type: 'room', description: 'Meeting room, 8 seats, screen and whiteboard' },
  { name: 'Borealis', type: 'room', description: 'Meeting room, 4 seats' },
  { name: 'Cosmos', type: 'room', description: 'Board room, 16 seats, video conferencing' },
  { name: 'Desk 1', type: 'desk', description: 'Window desk, standing option' },
  { name: 'Desk 2', type: 'desk', description: 'Quiet zone' },
  { name: 'Desk 3', type: 'desk', description: 'Near the kitchen' },
  { name: 'Projector', type: 'equipment', description: 'Portable 4K projector' },
  { name: 'Camera kit', type: 'equipment', description: 'Mirrorless camera, two lenses, tripod' },
];

async function main(): Promise<void> {
  const logger = createLogger({ level: 'warn', nodeId: 'seed' });
  // The MongoDB half of the stores bootstrap: the same collections and indexes as the node's.
  const { conn, collections: models } = await openDatabase({ config: { mongoUrl }, logger, appName: 'seed', register: registerCollections });
  let created = 0;
  for (const u of USERS) {
    if (await models.User.exists({ email: u.email })) continue;
    await models.User.create({ ...u, passwordHash: await hashPassword(DEMO_PASSWORD) });
    created += 1;
  }
  for (const r of RESOURCES) {
    const res = await models.Resource.updateOne({ name: r.name }, { $setOnInsert: { ...r, version: 0 } }, { upsert: true });
    created += res.upsertedCount;
  }
  await conn.close();
  process.stdout.write(`seed: ${created} documents created; demo users sign in with password "${DEMO_PASSWORD}"\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`seed failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
