/** `npm run seed` against the run's MongoDB: demo users and resources in two zones, idempotent. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { PolicySchema, policyOrDefault } from '@booking/shared';
import { verifyPassword } from '../src/auth/password';
import {
  DEMO_ACCESS,
  DEMO_APPROVAL,
  DEMO_BOOKINGS,
  DEMO_PEOPLE,
  DISPLAY_SHOT,
  displayShotBookings,
} from '../../scripts/lib/demo-plan';
import { testUrls, uniqueName, withDb } from '../../test/support/env';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

test('seeds users and resources with realistic policies in two time zones, and a second run adds nothing', async () => {
  const db = uniqueName('seed');
  const url = withDb(testUrls().mongo, db);
  const seed = () =>
    run(process.execPath, ['--import', 'tsx', 'scripts/seed.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', MONGO_URL: url },
    });
  const first = await seed();
  expect(first.stdout).toMatch(/seed: \d+ documents created/);
  const second = await seed();
  expect(second.stdout).toContain('seed: 0 documents created');

  const client = await MongoClient.connect(url);
  try {
    const resources = await client.db().collection('resources').find({}).toArray();
    expect(new Set(resources.map((r) => r.timeZone))).toEqual(new Set(['Europe/Berlin', 'America/New_York']));
    for (const r of resources) expect(PolicySchema.safeParse(policyOrDefault(r.policy)).success).toBe(true);
    const byName = new Map(resources.map((r) => [r.name as string, policyOrDefault(r.policy)]));
    expect(byName.get('Atlas')).toMatchObject({
      slotMinutes: 15,
      bufferMinutes: 10,
      openingHours: { mon: [['08:00', '18:00']], sat: [] },
    });
    // The room display pictures' booth: open around the clock, on a grid a booking from the next minute fits.
    expect(byName.get(DISPLAY_SHOT.resource)).toMatchObject({
      openingHours: null,
      slotMinutes: 1,
      minMinutes: 15,
      checkIn: { windowMinutes: 10 },
      publicTitles: true,
      locale: 'en',
    });
    expect(byName.get('Desk 1')).toMatchObject({ slotMinutes: 60, maxActivePerUser: 2, openingHours: null });
    expect(byName.get('Spectrometer')).toMatchObject({ minNoticeMinutes: 1440 });
    expect(byName.get('Spectrometer')?.closures.length).toBeGreaterThan(0);

    // Resources of several units beside the single ones; seats where a space holds people.
    const units = new Map(
      resources.map((r) => [r.name as string, { capacity: r.capacity, seats: r.seats, type: r.type }]),
    );
    expect(units.get('Hot desks')).toEqual({ capacity: 40, seats: null, type: 'desk' });
    expect(units.get('Laptop cart')).toEqual({ capacity: 12, seats: null, type: 'equipment' });
    expect(units.get('Atlas')).toEqual({ capacity: 1, seats: 8, type: 'room' });
    expect(units.get('Cosmos')).toMatchObject({ capacity: 1, seats: 16 });
    expect(units.get(DISPLAY_SHOT.resource)).toEqual({ capacity: 1, seats: 1, type: 'room' });
    expect(units.get('Projector')).toEqual({ capacity: 1, seats: null, type: 'equipment' });
    expect(byName.get('Hot desks')).toMatchObject({ slotMinutes: 60, bufferMinutes: 0 });

    // The demo week (npm run screenshots) takes several units only where the seed made several, and
    // never more than the capacity at once: the peak of each resource's day, from its start/end events.
    for (const b of DEMO_BOOKINGS) {
      expect(units.get(b.resource)?.capacity).toBeGreaterThanOrEqual(b.quantity ?? 1);
    }
    const peaks = new Map<string, number>();
    for (const a of DEMO_BOOKINGS) {
      const key = `${a.resource} ${a.day}`;
      // Use at a's start: every booking of that day that started by then and has not ended.
      const used = DEMO_BOOKINGS.filter(
        (b) => `${b.resource} ${b.day}` === key && b.from <= a.from && b.to > a.from,
      ).reduce((sum, b) => sum + (b.quantity ?? 1), 0);
      peaks.set(key, Math.max(peaks.get(key) ?? 0, used));
    }
    for (const [key, peak] of peaks) {
      const capacity = units.get(key.slice(0, key.lastIndexOf(' ')))?.capacity as number;
      expect({ key, fits: peak <= capacity }).toEqual({ key, fits: true });
    }
    // The hot desks fill up over the demo Monday, so the pictures show occupancy.
    expect(peaks.get('Hot desks 0')).toBe(38);
    // No STAFF_PASSWORD: no staff account, so no account with a published password can run /admin.
    // (v3) Besides the demo room display's own account (no password: nobody signs in as it).
    const people = { email: { $not: /@displays\.invalid$/ } };
    expect(await client.db().collection('users').countDocuments(people)).toBe(2);
    expect(await client.db().collection('displays').countDocuments({})).toBe(1);
    expect(await client.db().collection('users').countDocuments({ role: 'staff' })).toBe(0);

    // (issue 26) The room that asks for approval, with one pending request to decide (made once).
    const request = await seededRequest(client);
    expect(request.told).toEqual([request.approverId]);

    // (issue 27) The demo groups, once each, and who may see, book and manage what by them.
    const groups = await client.db().collection('groups').find({}).toArray();
    expect(groups.map((g) => g.name).sort()).toEqual(DEMO_ACCESS.groups.map((g) => g.name).sort());
    const groupId = (name: string) => groups.find((g) => g.name === name)?._id.toHexString();
    const access = (name: string) => resources.find((r) => r.name === name)?.access as unknown;
    expect(access(DEMO_ACCESS.hidden.resource)).toEqual({
      visibleTo: [groupId('Engineering')],
      bookableBy: null,
      managers: [groupId('Lab managers')],
    });
    expect(access(DEMO_ACCESS.viewOnly.resource)).toEqual({
      visibleTo: null,
      bookableBy: [groupId('Engineering')],
      managers: [],
    });
    expect(access('Atlas')).toBeNull();
    const manager = await client.db().collection('users').findOne({ email: DEMO_PEOPLE[DEMO_ACCESS.manager].email });
    expect(manager?.groups).toEqual([groupId('Lab managers')]);
  } finally {
    await client.close();
  }
});

/**
 * What the seed made for approval: the room's policy names the demo approver, and the other demo
 * person's request on it is pending until the earlier of its start and 72 h after it was made,
 * with its `request` history event, the fence moved on, and one `booking.requested` per approver.
 * Answers the approver's id and whom the request was told to.
 */
async function seededRequest(client: MongoClient): Promise<{ approverId: string; told: string[] }> {
  const db = client.db();
  const byEmail = async (email: string) => (await db.collection('users').findOne({ email }))?._id.toHexString();
  const approverId = await byEmail(DEMO_PEOPLE[DEMO_APPROVAL.approver].email);
  const ownerId = await byEmail(DEMO_PEOPLE[DEMO_APPROVAL.request.person].email);
  const room = await db.collection('resources').findOne({ name: DEMO_APPROVAL.resource });
  expect(policyOrDefault(room?.policy).approval).toEqual({
    required: 'always',
    approverIds: [approverId],
    expireHours: 72,
  });
  expect(room?.version).toBe(1);
  const bookings = await db.collection('bookings').find({ resourceId: room?._id }).toArray();
  expect(bookings).toHaveLength(1);
  const [b] = bookings;
  expect({ status: b?.status, userId: b?.userId.toHexString(), quantity: b?.quantity }).toEqual({
    status: 'pending',
    userId: ownerId,
    quantity: 1,
  });
  const events = await db.collection('bookingEvents').find({ bookingId: b?._id }).toArray();
  expect(events.map((e) => [e.action, e.status, e.actor?.id.toHexString()])).toEqual([['request', 'pending', ownerId]]);
  // Made at its history event's instant: it runs out 72 h later, or at its start if that is sooner.
  const [start, expiresAt, madeAt] = [b?.start as Date, b?.expiresAt as Date, events[0]?.at as Date];
  expect(start.getTime()).toBeGreaterThan(Date.now());
  expect(expiresAt.getTime()).toBe(Math.min(start.getTime(), madeAt.getTime() + 72 * 3_600_000));
  const outbox = await db.collection('outbox').find({ bookingId: b?._id }).toArray();
  expect(new Set(outbox.map((o) => o.type))).toEqual(new Set(['booking.requested']));
  expect(outbox.every((o) => o.expiresAt.getTime() === expiresAt.getTime() && o.version === 1)).toBe(true);
  return { approverId: approverId ?? '', told: outbox.map((o) => o.recipientId.toHexString()).sort() };
}

test('creates the staff account only with STAFF_PASSWORD, with that password', async () => {
  const db = uniqueName('seed-staff');
  const url = withDb(testUrls().mongo, db);
  const env = {
    PATH: process.env.PATH ?? '',
    MONGO_URL: url,
    STAFF_EMAIL: 'Boss@Example.com',
    STAFF_PASSWORD: 'chosen-by-operator',
  };
  const out = await run(process.execPath, ['--import', 'tsx', 'scripts/seed.ts'], { cwd: ROOT, env });
  expect(out.stdout).not.toContain('chosen-by-operator');
  const client = await MongoClient.connect(url);
  try {
    const staff = await client.db().collection('users').find({ role: 'staff' }).toArray();
    expect(staff.map((u) => u.email)).toEqual(['boss@example.com']);
    const hash = String(staff[0]?.passwordHash);
    expect(await verifyPassword('chosen-by-operator', hash)).toBe(true);
    expect(await verifyPassword('password123', hash)).toBe(false);
    // Staff approve every resource: the seeded request is told to them as well as to the named approver.
    const request = await seededRequest(client);
    expect(request.told).toEqual([request.approverId, String(staff[0]?._id.toHexString())].sort());
  } finally {
    await client.close();
  }
});

test('the display picture books the booth from the next minute and later only what ends by the local midnight', () => {
  const zone = 'Europe/Berlin';
  const at = (iso: string) => new Date(iso);
  // Mid-afternoon in Berlin (14:07:30 CET): the current booking and every later one.
  const day = displayShotBookings(at('2026-12-06T13:07:30Z'), zone);
  expect(day.map((b) => [b.title, b.start, b.end])).toEqual([
    ['Design review', '2026-12-06T13:08:00.000Z', '2026-12-06T13:53:00.000Z'],
    ['1:1 Bob / Carol', '2026-12-06T14:15:00.000Z', '2026-12-06T14:45:00.000Z'],
    ['Interview prep', '2026-12-06T15:00:00.000Z', '2026-12-06T15:45:00.000Z'],
    ['Quiet hour', '2026-12-06T16:15:00.000Z', '2026-12-06T17:15:00.000Z'],
  ]);
  expect(day.map((b) => b.person)).toEqual([DISPLAY_SHOT.current.person, ...DISPLAY_SHOT.later.map((l) => l.person)]);
  // 22:20 in Berlin: one later booking still ends by midnight (23:30–00:00); at 23:40, only the current one.
  expect(displayShotBookings(at('2026-12-06T21:20:00Z'), zone).map((b) => b.title)).toEqual([
    'Design review',
    '1:1 Bob / Carol',
  ]);
  expect(displayShotBookings(at('2026-12-06T22:40:00Z'), zone)).toHaveLength(1);
});
