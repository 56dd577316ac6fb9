/**
 * `npm run screenshots` (scripts/screenshots.ts) takes minutes and a browser, so this checks what
 * can be checked without running it: the demo week it books (scripts/lib/demo-plan.ts) uses the
 * seeded names and fits the seeded resources, and the script is wired where the README says.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import {
  DEMO_APPROVAL,
  DEMO_BOOKINGS,
  DEMO_HOLDS,
  DEMO_OFFERS,
  DEMO_PEOPLE,
  DEMO_WAITLIST,
  HOLD_SHOT,
  WEB_SHOT,
  bookingTimes,
  demoMonday,
} from '../lib/demo-plan';
import type { PlannedBooking } from '../lib/demo-plan';

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
/**
 * Everything the plan puts on a resource: the bookings, the holds, the offers (the times their
 * cancelled bookings free), the pictured hold and the seeded request awaiting approval.
 */
const OCCUPYING: readonly PlannedBooking[] = [
  ...DEMO_BOOKINGS,
  ...DEMO_HOLDS,
  ...DEMO_OFFERS.map((o) => o.booking),
  HOLD_SHOT,
  DEMO_APPROVAL.request,
];

describe('the demo week of npm run screenshots', () => {
  it('starts on a Monday two to eight days ahead, whatever the weekday today', () => {
    for (let day = 0; day < 14; day += 1) {
      const now = new Date(Date.UTC(2026, 11, 5 + day, 23, 30));
      const monday = DateTime.fromISO(demoMonday(now), { zone: 'utc' });
      expect(monday.weekday).toBe(1);
      const ahead = monday.diff(DateTime.fromJSDate(now, { zone: 'utc' }).startOf('day'), 'days').days;
      expect(ahead).toBeGreaterThanOrEqual(2);
      expect(ahead).toBeLessThanOrEqual(8);
    }
  });

  it('books the seeded resources as the seeded people, in working hours on weekdays', () => {
    const seed = read('scripts/seed.ts');
    for (const person of Object.values(DEMO_PEOPLE)) {
      expect(person.name).not.toMatch(/\d/);
      if (person.seeded) expect(seed).toContain(`email: '${person.email}'`);
    }
    for (const b of [...OCCUPYING, ...DEMO_WAITLIST]) {
      // The approval room is named by the plan itself (the seed makes it as DEMO_APPROVAL.resource).
      if (b.resource !== DEMO_APPROVAL.resource) expect(seed).toContain(`'${b.resource}'`);
      expect(b.day).toBeGreaterThanOrEqual(0);
      expect(b.day).toBeLessThanOrEqual(4);
      expect(b.from >= '07:30' && b.to <= '18:00' && b.from < b.to).toBe(true);
    }
    expect(DEMO_BOOKINGS.some((b) => b.resource === WEB_SHOT.resource && b.person === WEB_SHOT.person)).toBe(true);
    expect(DEMO_BOOKINGS.some((b) => b.resource === WEB_SHOT.resource && b.person !== WEB_SHOT.person)).toBe(true);
  });

  it('keeps a quarter of an hour between two bookings, holds or offers of one resource (the largest seeded buffer)', () => {
    for (const a of OCCUPYING)
      for (const b of OCCUPYING) {
        // Bookings of several units share a resource of several (server/test/seed.test.ts checks they fit).
        if (a === b || a.resource !== b.resource || a.day !== b.day || a.quantity || b.quantity) continue;
        const apart = minutes(b.from) >= minutes(a.to) + 15 || minutes(a.from) >= minutes(b.to) + 15;
        expect({ a, b, apart }).toEqual({ a, b, apart: true });
      }
  });

  it("stages holds, a queue of two and an offer on the dashboard's Monday, within the per-person limits", () => {
    const overlaps = (a: PlannedBooking, b: PlannedBooking) =>
      a.resource === b.resource &&
      a.day === b.day &&
      minutes(a.from) < minutes(b.to) &&
      minutes(b.from) < minutes(a.to);
    for (const b of [...DEMO_HOLDS, ...DEMO_WAITLIST, ...DEMO_OFFERS.map((o) => o.booking)]) expect(b.day).toBe(0);
    expect(DEMO_HOLDS.length).toBeGreaterThan(0);
    expect(DEMO_OFFERS.length).toBeGreaterThan(0);
    // A waitlist entry is for a time someone else has booked (joining a free time is refused).
    for (const w of DEMO_WAITLIST) {
      const taken = DEMO_BOOKINGS.filter((b) => overlaps(b, w) && b.person !== w.person);
      expect({ w, takenBySomeoneElse: taken.length > 0 }).toEqual({ w, takenBySomeoneElse: true });
    }
    // An offer goes to someone other than the one who cancels.
    for (const o of DEMO_OFFERS) expect(o.waiter).not.toBe(o.booking.person);
    // The dashboard shows a queue of two: one resource with two people waiting for it.
    const queues = new Map<string, Set<string>>();
    for (const w of DEMO_WAITLIST) queues.set(w.resource, (queues.get(w.resource) ?? new Set()).add(w.person));
    expect(Math.max(...[...queues.values()].map((q) => q.size))).toBeGreaterThanOrEqual(2);
    // At most 3 holds and 10 waiting entries a person (offers are not holds).
    for (const person of Object.keys(DEMO_PEOPLE)) {
      const holds = [...DEMO_HOLDS, HOLD_SHOT].filter((h) => h.person === person).length;
      expect({ person, holds: holds <= 3 }).toEqual({ person, holds: true });
      expect(DEMO_WAITLIST.filter((w) => w.person === person).length).toBeLessThanOrEqual(10);
    }
    // The pictured person waits for something and has an offer to confirm, beside the hold.
    expect(DEMO_WAITLIST.some((w) => w.person === HOLD_SHOT.person)).toBe(true);
    expect(DEMO_OFFERS.some((o) => o.waiter === HOLD_SHOT.person)).toBe(true);
  });

  it('pictures a request on the approval room by someone other than its approver, on the Monday the dashboard shows', () => {
    const { resource, approver, request } = DEMO_APPROVAL;
    expect(request.resource).toBe(resource);
    expect(request.person).not.toBe(approver);
    expect(request.day).toBe(0);
    const seed = read('scripts/seed.ts');
    expect(seed).toContain('name: DEMO_APPROVAL.resource,');
    expect(seed).toContain('approverEmail: DEMO_PEOPLE[DEMO_APPROVAL.approver].email,');
    // Nothing else of the plan is on the approval room: its Approvals list and queue hold exactly the one request.
    for (const b of [
      ...DEMO_BOOKINGS,
      ...DEMO_HOLDS,
      ...DEMO_WAITLIST,
      ...DEMO_OFFERS.map((o) => o.booking),
      HOLD_SHOT,
    ])
      expect(b.resource).not.toBe(resource);
    const shot = read('scripts/lib/screenshot-approval.ts');
    expect(shot).toContain("'#approvals'");
    expect(read('scripts/lib/screenshot-admin.ts')).toContain('awaitApprovalsQueue(page)');
  });

  it("turns local times into UTC instants in the resource's zone", () => {
    const atlas = { person: 'alice' as const, resource: 'Atlas', day: 0, from: '09:00', to: '10:30' };
    expect(bookingTimes(atlas, '2026-12-07', 'Europe/Berlin')).toEqual({
      start: '2026-12-07T08:00:00.000Z',
      end: '2026-12-07T09:30:00.000Z',
    });
    expect(bookingTimes({ ...atlas, day: 2 }, '2026-12-07', 'America/New_York')).toEqual({
      start: '2026-12-09T14:00:00.000Z',
      end: '2026-12-09T15:30:00.000Z',
    });
    expect(() => bookingTimes({ ...atlas, from: '25:00' }, '2026-12-07', 'Europe/Berlin')).toThrow(/bad demo time/);
  });
});

describe('npm run screenshots is wired', () => {
  it('is an npm script that writes the README pictures, which the README shows', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.screenshots).toBe('node scripts/bootstrap.mjs node --import tsx scripts/screenshots.ts');
    const script = read('scripts/screenshots.ts');
    const readme = read('README.md');
    const pngs = ['web', 'pool', 'hold', 'approval', 'admin', 'reports', 'access'].map(
      (name) => `screenshot-${name}.png`,
    );
    for (const png of pngs) {
      expect(script).toContain(`'${png}'`);
      expect(readme).toContain(`](docs/${png})`);
      expect(existsSync(join(root, 'docs', png))).toBe(true);
    }
    expect(readme).toContain('`npm run screenshots` regenerates them from the seeded demo');
  });

  it('is the only writer of docs/screenshot-*.png: the browser tests keep theirs in artifacts/', () => {
    for (const dir of ['web/test', 'admin-desktop/test']) {
      for (const file of readdirSync(join(root, dir)).filter((f) => f.endsWith('.ts'))) {
        const text = read(join(dir, file));
        expect({
          file,
          writesDocs: /screenshot-(web|pool|hold|approval|admin|reports|access)\.png|UPDATE_SCREENSHOTS/.test(text),
        }).toEqual({
          file,
          writesDocs: false,
        });
      }
    }
  });
});
