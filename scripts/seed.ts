/**
 * `npm run seed`: demo users and resources into MONGO_URL. Idempotent: what exists (by email,
 * by resource name) is left as it is.
 */
import { z } from 'zod';
import { DEFAULT_POLICY, PolicySchema, mergePolicy } from '@booking/shared';
import type { OpeningHours, PolicyInput } from '@booking/shared';
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
const weekdays = (open: string, close: string): OpeningHours => {
  const day: Array<[string, string]> = [[open, close]];
  return { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] };
};

/** Realistic rooms, desks and equipment in two time zones (PROTOCOL.md "Resource policy"). */
const RESOURCES: Array<{ name: string; type: string; description: string; timeZone: string; policy: PolicyInput }> = [
  {
    name: 'Atlas',
    type: 'room',
    description: 'Meeting room, 8 seats, screen and whiteboard (Berlin office)',
    timeZone: 'Europe/Berlin',
    policy: { openingHours: weekdays('08:00', '18:00'), slotMinutes: 15, minMinutes: 15, maxMinutes: 240, bufferMinutes: 10 },
  },
  {
    name: 'Borealis',
    type: 'room',
    description: 'Meeting room, 4 seats (New York office)',
    timeZone: 'America/New_York',
    policy: { openingHours: weekdays('08:00', '18:00'), slotMinutes: 15, minMinutes: 15, maxMinutes: 240, bufferMinutes: 10 },
  },
  {
    name: 'Cosmos',
    type: 'room',
    description: 'Board room, 16 seats, video conferencing (Berlin office)',
    timeZone: 'Europe/Berlin',
    policy: { openingHours: weekdays('07:30', '20:00'), slotMinutes: 30, minMinutes: 30, maxMinutes: 480, bufferMinutes: 15 },
  },
  ...['Desk 1', 'Desk 2', 'Desk 3'].map((name, i) => ({
    name,
    type: 'desk',
    description: ['Window desk, standing option', 'Quiet zone', 'Near the kitchen'][i] ?? '',
    timeZone: 'Europe/Berlin',
    // Bookable all day in whole hours; at most two desk bookings of one desk per person.
    policy: { slotMinutes: 60, minMinutes: 60, maxMinutes: 1440, maxActivePerUser: 2 },
  })),
  {
    name: 'Projector',
    type: 'equipment',
    description: 'Portable 4K projector',
    timeZone: 'Europe/Berlin',
    policy: { slotMinutes: 30, minMinutes: 30, maxMinutes: 480 },
  },
  {
    name: 'Spectrometer',
    type: 'equipment',
    description: 'Lab instrument: book a day ahead; closed on lab holidays (New York lab)',
    timeZone: 'America/New_York',
    policy: {
      openingHours: weekdays('09:00', '17:00'),
      closures: [
        { date: '2026-12-25', reason: 'Christmas Day' },
        { date: '2027-01-01', reason: 'New Year’s Day' },
        { date: '2027-07-05', reason: 'Independence Day (observed)' },
      ],
      slotMinutes: 60,
      minMinutes: 60,
      maxMinutes: 480,
      minNoticeMinutes: 24 * 60,
      maxAdvanceDays: 90,
    },
  },
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
    // Checked like a staff member's input: the seed cannot store a policy the server would refuse.
    const policy = PolicySchema.parse(mergePolicy(DEFAULT_POLICY, r.policy));
    const res = await models.Resource.updateOne({ name: r.name }, { $setOnInsert: { ...r, policy, version: 0 } }, { upsert: true });
    created += res.upsertedCount;
  }
  await conn.close();
  process.stdout.write(`seed: ${created} documents created; demo users sign in with password "${DEMO_PASSWORD}"\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`seed failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
