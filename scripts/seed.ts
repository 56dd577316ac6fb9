/**
 * `npm run seed`: demo users and resources into MONGO_URL. Idempotent: what exists (by email,
 * by resource name) is left as it is.
 */
import { z } from 'zod';
import { Capacity, DEFAULT_POLICY, PolicySchema, Seats, mergePolicy } from '@booking/shared';
import type { OpeningHours, PolicyInput } from '@booking/shared';
import { hashPassword } from '../server/src/auth/password';
import { registerCollections } from '../server/src/data';
import { createLogger } from '../server/src/infra/logger';
import { openDatabase } from '../server/src/infra/stores';

// Empty values count as unset, as for the server (docs/protocol.md).
const cleaned = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== ''));
const env = z
  .object({
    MONGO_URL: z.string().startsWith('mongodb'),
    /**
     * The staff account is created only with a password the operator chose: a published demo
     * password on a staff account would be a way in for anyone who read the README.
     */
    STAFF_PASSWORD: z.string().min(8).optional(),
    STAFF_EMAIL: z.string().email().default('staff@example.com'),
  })
  .safeParse(cleaned);
if (!env.success) {
  const name = String(env.error.issues[0]?.path[0] ?? 'MONGO_URL');
  process.stderr.write(
    name === 'MONGO_URL'
      ? 'seed: MONGO_URL is required (a MongoDB replica set URL with a database name)\n'
      : `seed: ${name} is invalid: ${env.error.issues[0]?.message ?? 'bad value'}\n`,
  );
  process.exit(78);
}
const { MONGO_URL: mongoUrl, STAFF_EMAIL, STAFF_PASSWORD } = env.data;

const DEMO_PASSWORD = 'password123';
type SeedUser = { name: string; email: string; role: 'user' | 'staff'; password: string };
const USERS: SeedUser[] = [
  { name: 'Alice Example', email: 'alice@example.com', role: 'user', password: DEMO_PASSWORD },
  { name: 'Bob Example', email: 'bob@example.com', role: 'user', password: DEMO_PASSWORD },
  ...(STAFF_PASSWORD
    ? [{ name: 'Staff', email: STAFF_EMAIL.toLowerCase(), role: 'staff' as const, password: STAFF_PASSWORD }]
    : []),
];
const weekdays = (open: string, close: string): OpeningHours => {
  const day: Array<[string, string]> = [[open, close]];
  return { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] };
};

/** A meeting room's week: office hours on weekdays, quarter hours, up to four hours, ten minutes between. */
const MEETING_ROOM: PolicyInput = {
  openingHours: weekdays('08:00', '18:00'),
  slotMinutes: 15,
  minMinutes: 15,
  maxMinutes: 240,
  bufferMinutes: 10,
};

interface SeedResource {
  name: string;
  type: string;
  description: string;
  timeZone: string;
  policy: PolicyInput;
  /** Units bookable at once (docs/protocol.md "Capacity and quantity"); 1 when absent. */
  capacity?: number;
  /** How many people the space holds; null (absent) where it holds nobody or it is not a space. */
  seats?: number;
}

/**
 * Realistic rooms, desks and equipment in two time zones (docs/protocol.md "Resource policy"), and
 * two resources of several units: a pool of hot desks and a cart of laptops.
 */
const RESOURCES: SeedResource[] = [
  {
    name: 'Atlas',
    type: 'room',
    description: 'Meeting room, 8 seats, screen and whiteboard (Berlin office)',
    timeZone: 'Europe/Berlin',
    policy: MEETING_ROOM,
    seats: 8,
  },
  {
    name: 'Borealis',
    type: 'room',
    description: 'Meeting room, 4 seats (New York office)',
    timeZone: 'America/New_York',
    policy: MEETING_ROOM,
    seats: 4,
  },
  {
    name: 'Cosmos',
    type: 'room',
    description: 'Board room, 16 seats, video conferencing (Berlin office)',
    timeZone: 'Europe/Berlin',
    seats: 16,
    policy: {
      openingHours: weekdays('07:30', '20:00'),
      slotMinutes: 30,
      minMinutes: 30,
      maxMinutes: 480,
      bufferMinutes: 15,
    },
  },
  ...['Desk 1', 'Desk 2', 'Desk 3'].map((name, i) => ({
    name,
    type: 'desk',
    description: ['Window desk, standing option', 'Quiet zone', 'Near the kitchen'][i] ?? '',
    timeZone: 'Europe/Berlin',
    // Bookable all day in whole hours; at most two desk bookings of one desk per person.
    policy: { slotMinutes: 60, minMinutes: 60, maxMinutes: 1440, maxActivePerUser: 2 },
    seats: 1,
  })),
  {
    name: 'Hot desks',
    type: 'desk',
    description: 'Pool of 40 hot desks on the open floor; book one or several for a team (Berlin office)',
    timeZone: 'Europe/Berlin',
    // Whole hours in office hours, up to a working day.
    policy: { openingHours: weekdays('07:00', '20:00'), slotMinutes: 60, minMinutes: 60, maxMinutes: 780 },
    capacity: 40,
  },
  {
    name: 'Projector',
    type: 'equipment',
    description: 'Portable 4K projector',
    timeZone: 'Europe/Berlin',
    policy: { slotMinutes: 30, minMinutes: 30, maxMinutes: 480 },
  },
  {
    name: 'Laptop cart',
    type: 'equipment',
    description: 'Cart of 12 loan laptops for workshops and training (Berlin office)',
    timeZone: 'Europe/Berlin',
    policy: { openingHours: weekdays('08:00', '18:00'), slotMinutes: 30, minMinutes: 30, maxMinutes: 480 },
    capacity: 12,
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
  const { conn, collections: models } = await openDatabase({
    config: { mongoUrl },
    logger,
    appName: 'seed',
    register: registerCollections,
  });
  let created = 0;
  for (const u of USERS) {
    if (await models.User.exists({ email: u.email })) continue;
    const { password, ...fields } = u;
    await models.User.create({ ...fields, passwordHash: await hashPassword(password) });
    created += 1;
  }
  for (const r of RESOURCES) {
    // Checked like a staff member's input: the seed cannot store a policy the server would refuse.
    const policy = PolicySchema.parse(mergePolicy(DEFAULT_POLICY, r.policy));
    const capacity = Capacity.parse(r.capacity ?? 1);
    const seats = Seats.parse(r.seats ?? null);
    const res = await models.Resource.updateOne(
      { name: r.name },
      { $setOnInsert: { ...r, policy, capacity, seats, version: 0 } },
      { upsert: true },
    );
    created += res.upsertedCount;
  }
  await conn.close();
  const staff = STAFF_PASSWORD
    ? `; staff ${STAFF_EMAIL.toLowerCase()} signs in with STAFF_PASSWORD`
    : '; no staff account (set STAFF_PASSWORD to create one)';
  process.stdout.write(
    `seed: ${created} documents created; demo users sign in with password "${DEMO_PASSWORD}"${staff}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`seed failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
