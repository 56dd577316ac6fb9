/**
 * The demo week `npm run screenshots` books before it takes the README's pictures: who books which
 * seeded resource (scripts/seed.ts) when, in the resource's own time zone. Pure: no I/O, so a test
 * can check the plan without starting anything.
 */
import { DateTime } from 'luxon';

/** The seeded demo users (scripts/seed.ts, password "password123") and one registered by the script. */
export const DEMO_PEOPLE = {
  alice: { name: 'Alice Example', email: 'alice@example.com', seeded: true },
  bob: { name: 'Bob Example', email: 'bob@example.com', seeded: true },
  carol: { name: 'Carol Diaz', email: 'carol.diaz@example.com', seeded: false },
} as const;

export type DemoPerson = keyof typeof DEMO_PEOPLE;

export const DEMO_PASSWORD = 'password123';

/** Whose page the booking-page picture shows, and the resource it shows (a week of it). */
export const WEB_SHOT = { person: 'alice' as DemoPerson, resource: 'Atlas' };

export interface PlannedBooking {
  person: DemoPerson;
  /** A seeded resource's name. */
  resource: string;
  /** Days after the demo Monday. */
  day: number;
  /** Local wall-clock times in the resource's time zone, `HH:mm`. */
  from: string;
  to: string;
  /** Units taken on a resource of several (the seeded hot desks, the laptop cart); 1 when absent. */
  quantity?: number;
}

/**
 * A working week on Atlas (the booking-page picture) and a busy Monday elsewhere (the dashboard's),
 * where the hot desks fill up over the day (3, then 13, then 38 of 40 desks taken) and a workshop
 * borrows part of the laptop cart.
 */
export const DEMO_BOOKINGS: readonly PlannedBooking[] = [
  { person: 'alice', resource: 'Atlas', day: 0, from: '09:00', to: '10:30' },
  { person: 'bob', resource: 'Atlas', day: 0, from: '13:00', to: '14:00' },
  { person: 'carol', resource: 'Atlas', day: 1, from: '10:00', to: '12:00' },
  { person: 'bob', resource: 'Atlas', day: 1, from: '15:00', to: '16:30' },
  { person: 'alice', resource: 'Atlas', day: 2, from: '14:00', to: '15:00' },
  { person: 'bob', resource: 'Atlas', day: 3, from: '08:30', to: '10:00' },
  { person: 'carol', resource: 'Atlas', day: 4, from: '11:00', to: '12:30' },
  { person: 'bob', resource: 'Borealis', day: 0, from: '10:00', to: '11:00' },
  { person: 'alice', resource: 'Borealis', day: 0, from: '14:00', to: '15:00' },
  { person: 'carol', resource: 'Cosmos', day: 0, from: '09:00', to: '12:00' },
  { person: 'alice', resource: 'Cosmos', day: 0, from: '15:00', to: '16:00' },
  { person: 'alice', resource: 'Desk 1', day: 0, from: '08:00', to: '17:00' },
  { person: 'bob', resource: 'Desk 2', day: 0, from: '09:00', to: '18:00' },
  { person: 'carol', resource: 'Projector', day: 0, from: '14:00', to: '16:00' },
  { person: 'bob', resource: 'Spectrometer', day: 0, from: '10:00', to: '13:00' },
  { person: 'alice', resource: 'Hot desks', day: 0, from: '08:00', to: '17:00', quantity: 3 },
  { person: 'bob', resource: 'Hot desks', day: 0, from: '09:00', to: '15:00', quantity: 10 },
  { person: 'carol', resource: 'Hot desks', day: 0, from: '11:00', to: '14:00', quantity: 25 },
  { person: 'carol', resource: 'Laptop cart', day: 0, from: '13:00', to: '16:00', quantity: 8 },
];

/**
 * Holds and the waitlist on the demo Monday (issue 25), staged after the week is booked so the
 * dashboard draws a hold and an offer with their expiry and a queue length. A hold lasts
 * HOLD_MINUTES (default 10) and an offer WAITLIST_OFFER_MINUTES (default 15): the pictures are
 * taken well within both.
 */
export const DEMO_HOLDS: readonly PlannedBooking[] = [
  // Bob is taking the free Desk 3 for the day: held, not yet booked (a long block, so the
  // dashboard has room for the tag, the times and when the hold runs out).
  { person: 'bob', resource: 'Desk 3', day: 0, from: '09:00', to: '17:00' },
];

/** Waitlist entries for a time someone else has booked: Carol's morning in Cosmos, "2 waiting". */
export const DEMO_WAITLIST: readonly PlannedBooking[] = [
  { person: 'alice', resource: 'Cosmos', day: 0, from: '09:00', to: '12:00' },
  { person: 'bob', resource: 'Cosmos', day: 0, from: '09:00', to: '12:00' },
];

/**
 * Offers: `booking` is booked, `waiter` joins the waitlist for the same time, then the booking is
 * cancelled, which offers the time to the waiter (a held booking carrying the entry).
 */
export const DEMO_OFFERS: ReadonlyArray<{ booking: PlannedBooking; waiter: DemoPerson }> = [
  { booking: { person: 'bob', resource: 'Projector', day: 0, from: '09:00', to: '12:00' }, waiter: 'alice' },
];

/**
 * Approval (issue 26): the seeded room that asks for approval and the request waiting on it.
 * `npm run seed` makes `resource` with `approval: {required: 'always'}` naming `approver` (staff
 * approve every resource too), and books `request` there as a pending request by someone who is not
 * an approver, so the approver's Approvals list on the booking page and the dashboard's queue have
 * one to decide. The seed books it directly (it has no server), so it is on the demo Monday of the
 * seed's own run.
 */
export const DEMO_APPROVAL: { resource: string; approver: DemoPerson; request: PlannedBooking } = {
  resource: 'Orion',
  approver: 'alice',
  request: { person: 'bob', resource: 'Orion', day: 0, from: '10:00', to: '11:30' },
};

/**
 * Access (issue 27): the seeded groups and who may see, book and manage what. `Engineering` and
 * `Facilities staff` carry the `externalId`s the demo sign-in provider (npm start) puts in Dana's
 * and Sam's groups claim; `Lab managers` is kept by hand and holds `manager`. `hidden` is seen and
 * booked by Engineering alone and managed by Lab managers (so `manager` opens a narrowed dashboard);
 * `viewOnly` is seen by everyone and booked by Engineering alone.
 */
export const DEMO_ACCESS = {
  groups: [
    { name: 'Engineering', externalId: 'engineering' },
    { name: 'Facilities staff', externalId: 'facilities-staff' },
    { name: 'Lab managers' },
  ],
  manager: 'bob' as DemoPerson,
  hidden: { resource: 'Engineering lab', visibleTo: ['Engineering'], managers: ['Lab managers'] },
  viewOnly: { resource: '3D printer', bookableBy: ['Engineering'] },
} as const;

/**
 * The booking-page picture of a hold (docs/screenshot-hold.png): the person's day of the resource
 * with one slot of its grid selected (so held for them, with its countdown), beside their waitlist
 * entry and offer in My bookings.
 */
export const HOLD_SHOT: PlannedBooking = { person: 'alice', resource: 'Cosmos', day: 0, from: '13:00', to: '13:30' };

/**
 * The demo Monday: the first Monday at least two days after `now` (UTC), so every booking lies in
 * the future and the Spectrometer's day of notice is kept.
 */
export function demoMonday(now: Date): string {
  let day = DateTime.fromJSDate(now, { zone: 'utc' }).startOf('day').plus({ days: 2 });
  while (day.weekday !== 1) day = day.plus({ days: 1 });
  return day.toISODate() ?? '';
}

/** `booking:create`'s start and end (UTC ISO) for a planned booking on the demo week of `monday`. */
export function bookingTimes(b: PlannedBooking, monday: string, timeZone: string): { start: string; end: string } {
  const date = DateTime.fromISO(monday, { zone: timeZone }).plus({ days: b.day }).toISODate() ?? '';
  const at = (hhmm: string) => {
    const t = DateTime.fromISO(`${date}T${hhmm}`, { zone: timeZone });
    if (!t.isValid) throw new Error(`bad demo time ${date} ${hhmm} in ${timeZone}`);
    return t.toUTC().toISO({ suppressMilliseconds: false }) ?? '';
  };
  return { start: at(b.from), end: at(b.to) };
}

/**
 * The room display pictures (docs/screenshot-display-*.png): a seeded room open around the clock
 * (scripts/seed.ts) booked from the next whole minute by `current` and later the same local day by
 * `later`, so its display shows the booking awaiting check-in with its countdown, its title and the
 * next bookings at any hour of any day. A start before now is refused (`past`, staff too), so the
 * booth's grid is one minute: the current booking begins within a minute of being made.
 */
export const DISPLAY_SHOT = {
  resource: 'Focus booth',
  current: { person: 'alice' as DemoPerson, title: 'Design review', minutes: 45 },
  /** Each after the one before, `gap` minutes after its end rounded up to a quarter hour. */
  later: [
    { person: 'bob' as DemoPerson, title: '1:1 Bob / Carol', minutes: 30, gap: 15 },
    { person: 'carol' as DemoPerson, title: 'Interview prep', minutes: 45, gap: 15 },
    { person: 'alice' as DemoPerson, title: 'Quiet hour', minutes: 60, gap: 30 },
  ],
} as const;

export interface TimedBooking {
  person: DemoPerson;
  title: string;
  start: string;
  end: string;
}

/**
 * The display picture's bookings from `now` in `timeZone`: the current one from the next whole
 * minute, then the later ones that end by the local day's end (the display lists the rest of the
 * local day; near midnight fewer or none fit).
 */
export function displayShotBookings(now: Date, timeZone: string): TimedBooking[] {
  const first = DateTime.fromJSDate(now, { zone: timeZone }).startOf('minute').plus({ minutes: 1 });
  const dayEnd = first.startOf('day').plus({ days: 1 });
  const { current } = DISPLAY_SHOT;
  const iso = (t: DateTime) => t.toUTC().toISO({ suppressMilliseconds: false }) ?? '';
  let end = first.plus({ minutes: current.minutes });
  const out: TimedBooking[] = [{ person: current.person, title: current.title, start: iso(first), end: iso(end) }];
  for (const b of DISPLAY_SHOT.later) {
    const quarter = Math.ceil(end.minute / 15) * 15;
    const start = end.startOf('hour').plus({ minutes: quarter + b.gap });
    const stop = start.plus({ minutes: b.minutes });
    if (stop > dayEnd) break;
    out.push({ person: b.person, title: b.title, start: iso(start), end: iso(stop) });
    end = stop;
  }
  return out;
}
