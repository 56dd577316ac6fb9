/**
 * `npm run screenshots` (scripts/screenshots.ts) takes minutes and a browser, so this checks what
 * can be checked without running it: the demo week it books (scripts/lib/demo-plan.ts) uses the
 * seeded names and fits the seeded resources, and the script is wired where the README says.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { DEMO_BOOKINGS, DEMO_PEOPLE, WEB_SHOT, bookingTimes, demoMonday } from '../lib/demo-plan';

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

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
    for (const b of DEMO_BOOKINGS) {
      expect(seed).toContain(`'${b.resource}'`);
      expect(b.day).toBeGreaterThanOrEqual(0);
      expect(b.day).toBeLessThanOrEqual(4);
      expect(b.from >= '07:30' && b.to <= '18:00' && b.from < b.to).toBe(true);
    }
    expect(DEMO_BOOKINGS.some((b) => b.resource === WEB_SHOT.resource && b.person === WEB_SHOT.person)).toBe(true);
    expect(DEMO_BOOKINGS.some((b) => b.resource === WEB_SHOT.resource && b.person !== WEB_SHOT.person)).toBe(true);
  });

  it('keeps a quarter of an hour between two bookings of one resource (the largest seeded buffer)', () => {
    const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
    for (const a of DEMO_BOOKINGS)
      for (const b of DEMO_BOOKINGS) {
        // Bookings of several units share a resource of several (server/test/seed.test.ts checks they fit).
        if (a === b || a.resource !== b.resource || a.day !== b.day || a.quantity || b.quantity) continue;
        const apart = minutes(b.from) >= minutes(a.to) + 15 || minutes(a.from) >= minutes(b.to) + 15;
        expect({ a, b, apart }).toEqual({ a, b, apart: true });
      }
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
    expect(pkg.scripts.screenshots).toBe('node scripts/bootstrap.mjs tsx scripts/screenshots.ts');
    const script = read('scripts/screenshots.ts');
    const readme = read('README.md');
    for (const png of ['screenshot-web.png', 'screenshot-pool.png', 'screenshot-admin.png']) {
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
        expect({ file, writesDocs: /screenshot-(web|pool|admin)\.png|UPDATE_SCREENSHOTS/.test(text) }).toEqual({
          file,
          writesDocs: false,
        });
      }
    }
  });
});
