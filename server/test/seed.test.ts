/** `npm run seed` against the run's MongoDB: demo users and resources in two zones, idempotent. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { PolicySchema, policyOrDefault } from '@booking/shared';
import { verifyPassword } from '../src/auth/password';
import { DEMO_BOOKINGS } from '../../scripts/lib/demo-plan';
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
    expect(await client.db().collection('users').countDocuments({})).toBe(2);
    expect(await client.db().collection('users').countDocuments({ role: 'staff' })).toBe(0);
  } finally {
    await client.close();
  }
});

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
  } finally {
    await client.close();
  }
});
