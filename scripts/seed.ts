/**
 * `npm run seed`: demo users and resources into MONGO_URL, and (issue 26) one pending request on
 * the room that asks for approval. Idempotent: what exists (by email, by resource name, the
 * requester's booking of that room) is left as it is.
 */
import type { Connection } from 'mongoose';
import { z } from 'zod';
import {
  Capacity,
  DEFAULT_APPROVAL_EXPIRE_HOURS,
  DEFAULT_POLICY,
  PolicySchema,
  ResourceAccessSchema,
  Seats,
  mergePolicy,
  policyOrDefault,
} from '@booking/shared';
import type { OpeningHours, PolicyInput } from '@booking/shared';
import { hashPassword } from '../server/src/auth/password';
import { approvalTerms, requestExpiry } from '../server/src/booking/approval.rules';
import { approversOf } from '../server/src/booking/booking.approvals';
import { createDataStores, registerCollections } from '../server/src/data';
import type { Collections } from '../server/src/data';
import { createLogger } from '../server/src/infra/logger';
import { openDatabase } from '../server/src/infra/stores';
import { DEMO_ACCESS, DEMO_APPROVAL, DEMO_PEOPLE, DISPLAY_SHOT, bookingTimes, demoMonday } from './lib/demo-plan';
import { ensureDemoDisplay } from './lib/demo-display';

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
  /** (v3) Who may see, book and manage it, by group name (DEMO_ACCESS); absent: everyone sees and books. */
  access?: { visibleTo?: readonly string[]; bookableBy?: readonly string[]; managers?: readonly string[] };
  /** (v3) Every booking by anyone else waits for this person's approval (`approval: 'always'`; staff approve too). */
  approverEmail?: string;
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
    name: DEMO_APPROVAL.resource,
    type: 'room',
    description: `Executive room, 10 seats: every booking waits for ${DEMO_PEOPLE[DEMO_APPROVAL.approver].name}'s approval (Berlin office)`,
    timeZone: 'Europe/Berlin',
    policy: MEETING_ROOM,
    seats: 10,
    approverEmail: DEMO_PEOPLE[DEMO_APPROVAL.approver].email,
  },
  {
    name: DEMO_ACCESS.hidden.resource,
    type: 'room',
    description: 'Engineering lab bench room, 6 seats: seen and booked by Engineering alone (Berlin office)',
    timeZone: 'Europe/Berlin',
    policy: MEETING_ROOM,
    seats: 6,
    access: { visibleTo: DEMO_ACCESS.hidden.visibleTo, managers: DEMO_ACCESS.hidden.managers },
  },
  {
    name: DEMO_ACCESS.viewOnly.resource,
    type: 'equipment',
    description: 'Resin 3D printer: everyone may see when it is busy, Engineering books it (Berlin office)',
    timeZone: 'Europe/Berlin',
    policy: { openingHours: weekdays('08:00', '18:00'), slotMinutes: 60, minMinutes: 60, maxMinutes: 480 },
    access: { bookableBy: DEMO_ACCESS.viewOnly.bookableBy },
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
    // Open around the clock, so the room display pictures (npm run screenshots) show it in use at any
    // hour: check-in within 10 minutes, titles shown on its display. A one-minute grid, so a booking
    // can start at the next whole minute (scripts/lib/demo-plan.ts DISPLAY_SHOT).
    name: DISPLAY_SHOT.resource,
    type: 'room',
    description:
      'Focus booth for one, open around the clock: check in at its display within 10 minutes (Berlin office)',
    timeZone: 'Europe/Berlin',
    policy: {
      slotMinutes: 1,
      minMinutes: 15,
      maxMinutes: 240,
      checkIn: { windowMinutes: 10 },
      publicTitles: true,
      locale: 'en',
    },
    seats: 1,
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

/**
 * The pending request on the approval room (DEMO_APPROVAL), written as the server writes one
 * (booking.admission.ts, booking.recorder.ts), in one transaction: the resource's fence moved on,
 * the booking `pending` until `requestExpiry`, its `request` history event, and one
 * `booking.requested` outbox entry per approver (its named approvers and staff, never the person
 * asking), from which the notifier mails them and schedules the request's expiry. Only when the
 * person has no booking of that room yet, so a second run adds nothing and a request since
 * approved, declined or expired is left as it is.
 */
async function seedRequest(conn: Connection, models: Collections): Promise<number> {
  const plan = DEMO_APPROVAL.request;
  const resource = await models.Resource.findOne({ name: plan.resource }).lean();
  const owner = await models.User.findOne({ email: DEMO_PEOPLE[plan.person].email }).lean();
  if (!resource || !owner) return 0;
  if (await models.Booking.exists({ resourceId: resource._id, userId: owner._id })) return 0;
  const policy = policyOrDefault(resource.policy);
  const ownerId = owner._id.toHexString();
  // A room whose policy was changed since (approval off, or the person made an approver) gets no request.
  if (approvalTerms({ policy }, { id: ownerId, staff: owner.role === 'staff' }).mode !== 'always') return 0;
  const data = createDataStores(models);
  const now = new Date();
  const { start: startIso, end: endIso } = bookingTimes(plan, demoMonday(now), resource.timeZone ?? 'UTC');
  const [start, end] = [new Date(startIso), new Date(endIso)];
  const expiresAt = requestExpiry(policy, now, start);
  const resourceId = resource._id.toHexString();
  await conn.transaction(async (session) => {
    const fenced = await models.Resource.findOneAndUpdate(
      { _id: resource._id },
      { $inc: { version: 1 } },
      { new: true, session },
    ).lean();
    const version = fenced?.version ?? 1;
    const doc = await data.bookings.insert(
      { resourceId, userId: ownerId, start, end, quantity: 1, pending: { expiresAt } },
      session,
    );
    const bookingId = doc._id.toHexString();
    const actor = { id: ownerId, name: owner.name, role: owner.role };
    await data.history.append({ bookingId, at: now, action: 'request', actor, start, end, status: 'pending' }, session);
    const approvers = await approversOf(data, { policy }, ownerId, session);
    const entry = {
      bookingId,
      userId: ownerId,
      resourceId,
      start,
      end,
      version,
      createdAt: now,
      quantity: 1,
      expiresAt,
    };
    // As the server does: with nobody to tell, a timer-only record still schedules the expiry.
    await data.outbox.appendMany(
      approvers.length > 0
        ? approvers.map((recipientId) => ({ ...entry, type: 'booking.requested' as const, recipientId }))
        : [{ ...entry, type: 'booking.held' as const }],
      session,
    );
  });
  return 1;
}

/**
 * (v3) The demo groups (DEMO_ACCESS), by name, and the manager put in `Lab managers`: created only
 * when missing, so a second run adds nothing. Answers every group's id by name.
 */
async function seedGroups(models: Collections): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const g of DEMO_ACCESS.groups) {
    const doc = await models.Group.findOneAndUpdate(
      { name: g.name },
      { $setOnInsert: { ...g } },
      { upsert: true, new: true, projection: { _id: 1 } },
    ).lean();
    if (doc) ids.set(g.name, doc._id.toHexString());
  }
  const managers = ids.get('Lab managers');
  if (managers)
    await models.User.updateOne(
      { email: DEMO_PEOPLE[DEMO_ACCESS.manager].email, groups: { $ne: managers } },
      { $push: { groups: managers }, $inc: { tokenVersion: 1 } },
    );
  return ids;
}

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
  const groupIds = await seedGroups(models);
  const idsOf = (names: readonly string[] | undefined) => names?.flatMap((n) => groupIds.get(n) ?? []) ?? null;
  for (const { approverEmail, access: named, ...r } of RESOURCES) {
    const access = named
      ? ResourceAccessSchema.parse({
          visibleTo: idsOf(named.visibleTo),
          bookableBy: idsOf(named.bookableBy),
          managers: idsOf(named.managers) ?? [],
        })
      : null;
    const approver = approverEmail ? await models.User.findOne({ email: approverEmail }, { _id: 1 }).lean() : null;
    const approval: PolicyInput = approver
      ? {
          approval: {
            required: 'always',
            approverIds: [approver._id.toHexString()],
            expireHours: DEFAULT_APPROVAL_EXPIRE_HOURS,
          },
        }
      : {};
    // Checked like a staff member's input: the seed cannot store a policy the server would refuse.
    const policy = PolicySchema.parse(mergePolicy(DEFAULT_POLICY, { ...r.policy, ...approval }));
    const capacity = Capacity.parse(r.capacity ?? 1);
    const seats = Seats.parse(r.seats ?? null);
    const res = await models.Resource.updateOne(
      { name: r.name },
      { $setOnInsert: { ...r, policy, capacity, seats, access, version: 0 } },
      { upsert: true },
    );
    created += res.upsertedCount;
  }
  created += await seedRequest(conn, models);
  // (v3) A room display for Atlas (npm start gives it a fresh token and prints its URL).
  created += (await ensureDemoDisplay(models)) ?? 0;
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
