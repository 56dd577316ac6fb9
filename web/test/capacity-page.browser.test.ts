/**
 * The booking page on a resource of several units (issue 24), in a real browser (Debian's Chromium
 * via playwright-core) against a real in-process node on the run's MongoDB and Redis: free units
 * per slot from the availability's occupancy, live as others book; the quantity picker greys what
 * has too few and books that many; the last unit booked from the page greys the slot; capacity and
 * seats in the resource list, "× 2" in my bookings; a capacity-1 room shows no count; axe-clean.
 */
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import type { Resource } from '@booking/shared';
import { artifactPath, axeViolations } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import { http, loginStaff, registerUser, send, unwrap } from '../../test/support/harness';
import type { ClientSocket } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { waitFor } from '../../test/support/wait';
import { ensureWebBuilt } from './web-build';

jest.setTimeout(90_000);

/** How long a change made elsewhere may take to show (the page does not poll; see booking-page.test.ts). */
const LIVE_MS = 10_000;

const web = useBrowserSuite({
  build: [ensureWebBuilt],
  context: { locale: 'en-GB', timezoneId: 'UTC', viewport: { width: 1280, height: 900 } },
});
const harness = useHarness({ label: 'web-capacity' });
const sockets = useSockets();
let base: string;
let staffToken: string;

beforeAll(async () => {
  base = harness.node.url;
  staffToken = (await loginStaff(base)).token;
});

/** `hour`:`minute` UTC tomorrow, as the grid's data-start. */
function tomorrowAt(hour: number, minute = 0): string {
  return DateTime.utc().startOf('day').plus({ days: 1 }).set({ hour, minute }).toJSDate().toISOString();
}

const plusMinutes = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

async function createResource(body: {
  name: string;
  type: string;
  capacity?: number;
  seats?: number | null;
}): Promise<Resource> {
  const res = await http<{ resource: Resource }>(base, '/api/resources', { body, token: staffToken });
  if (res.status !== 201) throw new Error(`create resource failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.resource;
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(base);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('password123');
  await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
  await page.getByRole('heading', { name: 'Bookings', exact: true }).waitFor();
}

/** Opens the resource's grid on tomorrow (UTC) and waits until its availability is drawn. */
async function openTomorrow(page: Page, resource: Resource): Promise<void> {
  await page.getByRole('button', { name: new RegExp(`^${resource.name} `) }).click();
  await page.getByLabel('Date', { exact: true }).fill(tomorrowAt(0).slice(0, 10));
  await page.getByRole('grid', { name: `Availability of ${resource.name}` }).waitFor();
  await page.locator('[role=grid][aria-busy=false]').waitFor();
}

const cell = (page: Page, iso: string) => page.locator(`[role=gridcell][data-start="${iso}"]`);

/** Waits until the cell at `iso` is in `state` with `free` units free (null: no count shown). */
async function cellShows(page: Page, iso: string, state: string, free: number): Promise<void> {
  await page
    .locator(`[role=gridcell][data-start="${iso}"][data-state="${state}"][data-free="${free}"]`)
    .waitFor({ timeout: LIVE_MS });
}

async function book(socket: ClientSocket, resourceId: string, start: string, minutes: number, quantity: number) {
  return unwrap(
    await send(socket, 'booking:create', { resourceId, start, end: plusMinutes(start, minutes), quantity }),
  );
}

describe('booking page, a resource of several units', () => {
  it('shows free units live, greys a slot only when too few are free for the quantity, and books units with the picker', async () => {
    const pool = await createResource({ name: `Desk pool ${Date.now()}`, type: 'hot-desk', capacity: 4 });
    const room = await createResource({ name: `Quiet room ${Date.now()}`, type: 'room', seats: 6 });
    const other = await registerUser(base, 'other');
    const me = await registerUser(base, 'me');
    const theirs = await sockets.client(base, other.token);
    const ten = tomorrowAt(10);
    const eleven = tomorrowAt(11);
    const two = tomorrowAt(14);
    // Three of the four desks taken 10:00-11:00 by someone else.
    await book(theirs, pool.id, ten, 60, 3);

    const page = await web.newPage();
    await signIn(page, me.user.email);
    const list = page.getByRole('list', { name: 'Resources' });
    await expect(list.getByRole('button', { name: new RegExp(`^${pool.name} `) }).textContent()).resolves.toContain(
      'Capacity 4',
    );
    await expect(list.getByRole('button', { name: new RegExp(`^${room.name} `) }).textContent()).resolves.toMatch(
      /Seats 6$/,
    );

    await openTomorrow(page, pool);
    await cellShows(page, ten, 'free', 1);
    await expect(cell(page, ten).innerText()).resolves.toBe('1 of 4 free');
    await expect(cell(page, ten).getAttribute('aria-label')).resolves.toMatch(/10:00 to 10:30, 1 of 4 free$/);
    await expect(cell(page, plusMinutes(ten, 30)).innerText()).resolves.toBe('1 of 4 free');
    await expect(cell(page, eleven).innerText()).resolves.toBe('4 of 4 free');
    expect(await axeViolations(page)).toEqual([]);

    // A unit booked elsewhere shows at once, without a reload.
    await book(theirs, pool.id, eleven, 30, 1);
    await cellShows(page, eleven, 'free', 3);
    await expect(cell(page, eleven).innerText()).resolves.toBe('3 of 4 free');

    // Two at once: 10:00 has one free, so it is greyed and refused with why; 11:00 is not.
    const quantity = page.getByRole('spinbutton', { name: 'Quantity' });
    await quantity.fill('2');
    await cellShows(page, ten, 'taken', 1);
    await cellShows(page, eleven, 'free', 3);
    await expect(cell(page, ten).getAttribute('aria-disabled')).resolves.toBe('true');
    // (aria-disabled: Playwright would not click it; a person can, and is told why nothing happened.)
    await cell(page, ten).click({ force: true });
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'Only 1 of 4 are free at that time. Pick fewer or another time.',
    );
    // More than the capacity is not taken: the last good quantity stays in force.
    await quantity.fill('5');
    await expect(quantity.getAttribute('aria-invalid')).resolves.toBe('true');
    await cellShows(page, ten, 'taken', 1);

    // Two desks at 14:00 from the page: my bookings say "× 2".
    await quantity.fill('2');
    await cell(page, two).click();
    await page.getByRole('button', { name: /^Book .* × 2$/ }).click();
    await cellShows(page, two, 'free', 2);
    await cell(page, two).and(page.locator('.has-mine')).waitFor();
    await expect(cell(page, two).innerText()).resolves.toBe('2 of 4 free · yours');
    const mine = page.getByRole('list', { name: 'My upcoming bookings' });
    await mine.getByText(`${pool.name} × 2,`).waitFor();

    // The last desk at 10:00, one unit: the slot is greyed (full) and says so; it holds mine.
    // (The booking just made is selected, so a free cell would offer to move it: clear first.)
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await quantity.fill('1');
    await cellShows(page, ten, 'free', 1);
    await cell(page, ten).click();
    await page.getByRole('button', { name: /^Book .*\d\d:\d\d$/ }).click();
    await cellShows(page, ten, 'taken', 0);
    // Marked as holding mine once my bookings are read again after the answer.
    await cell(page, ten).and(page.locator('[aria-label$="0 of 4 free · yours, full"]')).waitFor();
    // One click took 10:00-10:30 (the shortest booking): 10:30 still has its one unit.
    await cellShows(page, plusMinutes(ten, 30), 'free', 1);
    await expect(mine.getByRole('listitem').count()).resolves.toBe(2);
    expect(await axeViolations(page)).toEqual([]);

    await page.screenshot({ path: artifactPath('web-capacity-day.png') });
    // A week shows the counts short ("1/4", drawn from data-units), and is axe-clean too.
    await page.getByRole('button', { name: 'Week', exact: true }).click();
    await page.locator('[role=grid][aria-busy=false]').waitFor();
    await cellShows(page, plusMinutes(ten, 30), 'free', 1);
    await expect(cell(page, plusMinutes(ten, 30)).getAttribute('data-units')).resolves.toBe('1/4');
    await expect(cell(page, plusMinutes(ten, 30)).innerText()).resolves.toBe('');
    await page.screenshot({ path: artifactPath('web-capacity-week.png') });
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Day', exact: true }).click();

    // What the server holds: my two bookings with the quantities the page sent.
    const token = await page.evaluate(() => {
      const stored: unknown = JSON.parse(localStorage.getItem('booking.auth') ?? 'null');
      return typeof stored === 'object' && stored !== null && 'token' in stored && typeof stored.token === 'string'
        ? stored.token
        : '';
    });
    const socket = await sockets.client(base, token);
    const { bookings } = unwrap(await send(socket, 'bookings:mine', {}));
    expect(bookings.map((b) => [b.start, b.quantity]).sort()).toEqual([
      [ten, 1],
      [two, 2],
    ]);

    // Another viewer sees the full slot greyed too, with the quantity picker at 1.
    const viewer = await registerUser(base, 'viewer');
    const second = await web.newPage();
    await signIn(second, viewer.user.email);
    await openTomorrow(second, pool);
    await cellShows(second, ten, 'taken', 0);
    await cell(second, ten).click({ force: true });
    await expect(second.getByRole('alert').textContent()).resolves.toBe(
      'All 4 are booked at that time. Pick another time.',
    );
    // A unit given back shows as free again, live.
    unwrap(await send(socket, 'booking:cancel', { bookingId: bookings.find((b) => b.start === ten)?.id ?? '' }));
    await cellShows(second, ten, 'free', 1);
  });

  it('books a daily series of several units: the preview marks a date with too few free, each occurrence takes the quantity', async () => {
    const cart = await createResource({ name: `Laptop cart ${Date.now()}`, type: 'cart', capacity: 3 });
    const other = await registerUser(base, 'cart-other');
    const theirs = await sockets.client(base, other.token);
    const day = (n: number) => plusMinutes(tomorrowAt(10), n * 1440);
    // Two of the three laptops are out on the second day: one left, fewer than the two wanted.
    await book(theirs, cart.id, day(1), 30, 2);
    const me = await registerUser(base, 'cart-me');
    const page = await web.newPage();
    await signIn(page, me.user.email);
    await openTomorrow(page, cart);
    await page.getByRole('spinbutton', { name: 'Quantity' }).fill('2');
    await cellShows(page, day(0), 'free', 3);
    await cell(page, day(0)).click();
    await page.getByLabel('Repeat this booking').check();
    await page.getByRole('combobox', { name: /^Unit/ }).selectOption('day');
    await page.getByLabel('Occurrences', { exact: true }).fill('3');
    const preview = page.getByRole('list', { name: 'Preview of the occurrences' });
    await preview.locator('li[data-state="taken"]').waitFor();
    const states = await preview
      .locator('li')
      .evaluateAll((els) => els.map((el) => [el.getAttribute('data-start'), el.getAttribute('data-state')]));
    expect(states).toEqual([0, 1, 2].map((i) => [day(i), i === 1 ? 'taken' : 'free']));
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Book 2 occurrences' }).click();
    await page
      .getByRole('status', { name: 'Notifications' })
      .getByText(/^Booked 2 occurrences of .*, 1 skipped\./)
      .waitFor();
    await page.getByRole('list', { name: 'My upcoming bookings' }).getByText(`${cart.name} × 2, repeating`).waitFor();
    // One laptop left there: too few for the two still chosen, so greyed.
    await cellShows(page, day(0), 'taken', 1);
    const token = await page.evaluate(() => {
      const stored: unknown = JSON.parse(localStorage.getItem('booking.auth') ?? 'null');
      return typeof stored === 'object' && stored !== null && 'token' in stored && typeof stored.token === 'string'
        ? stored.token
        : '';
    });
    const socket = await sockets.client(base, token);
    // (The selection's hold, let go when the repeat was turned on, if it was taken by then, is listed cancelled.)
    const bookings = unwrap(await send(socket, 'bookings:mine', {})).bookings.filter((b) => b.status === 'active');
    expect(bookings.map((b) => [b.start, b.quantity]).sort()).toEqual([
      [day(0), 2],
      [day(2), 2],
    ]);
  });

  it('shows no count and no quantity on a capacity-1 room, which books as before', async () => {
    const room = await createResource({ name: `Single room ${Date.now()}`, type: 'room' });
    const other = await registerUser(base, 'room-other');
    const theirs = await sockets.client(base, other.token);
    const ten = tomorrowAt(10);
    await book(theirs, room.id, ten, 60, 1);
    const me = await registerUser(base, 'room-me');
    const page = await web.newPage();
    await signIn(page, me.user.email);
    await expect(
      page
        .getByRole('list', { name: 'Resources' })
        .getByRole('button', { name: new RegExp(`^${room.name} `) })
        .textContent(),
    ).resolves.toBe(`${room.name} (room)`);
    await openTomorrow(page, room);
    await page.locator(`[role=gridcell][data-start="${ten}"][data-state="taken"]`).waitFor();
    await expect(cell(page, ten).innerText()).resolves.toBe('Taken');
    await expect(page.locator('[role=gridcell][data-free]').count()).resolves.toBe(0);
    await expect(page.getByRole('spinbutton', { name: 'Quantity' }).count()).resolves.toBe(0);
    await expect(page.getByRole('grid').textContent()).resolves.not.toMatch(/ of 1 free/);

    const eleven = tomorrowAt(11);
    await cell(page, eleven).click();
    await page.getByRole('button', { name: /^Book .*\d\d:\d\d$/ }).click();
    await page.locator(`[role=gridcell][data-start="${eleven}"][data-state="mine"]`).waitFor();
    await expect(cell(page, eleven).innerText()).resolves.toBe('Yours');
    await expect(page.getByRole('list', { name: 'My upcoming bookings' }).textContent()).resolves.not.toContain('×');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('finds free times by units and by seats, and books the units found', async () => {
    const type = `findcap${Date.now()}`;
    const pool = await createResource({ name: `Find pool ${Date.now()}`, type, capacity: 2 });
    const big = await createResource({ name: `Find big ${Date.now()}`, type, seats: 10 });
    await createResource({ name: `Find small ${Date.now()}`, type, seats: 4 });
    const me = await registerUser(base, 'finder-cap');
    const page = await web.newPage();
    await signIn(page, me.user.email);
    const find = page.getByRole('region', { name: 'Find a free room' });
    await find.getByLabel('Type').selectOption(type);
    await find.getByLabel('Minutes').fill('60');
    const results = find.getByRole('list', { name: 'Free times' });
    const listed = async () =>
      (
        await results
          .getByRole('listitem')
          .evaluateAll((els) => els.map((el) => el.getAttribute('data-resource-id') ?? ''))
      ).sort();
    /** Searches and waits until the results list exactly `expected` (empty: the "nothing free" line). */
    const search = async (units: string, seats: string, expected: string[]): Promise<void> => {
      await find.getByLabel('Units').fill(units);
      await find.getByLabel('At least seats').fill(seats);
      await find.getByRole('button', { name: 'Find free times' }).click();
      if (expected.length === 0) await find.getByText('Nothing free for that long in those days.').waitFor();
      else
        await waitFor(
          `found ${expected.join(', ')}`,
          async () => JSON.stringify(await listed()) === JSON.stringify(expected),
          LIVE_MS,
        );
    };
    // Two units: only the pool holds two; seats: only the room of 10 has 6 or more.
    await search('2', '', [pool.id]);
    await search('1', '6', [big.id]);
    await search('3', '', []);
    // Book the pool's two units from the results.
    await search('2', '', [pool.id]);
    await results.getByRole('button', { name: /^Book Find pool/ }).click();
    await page
      .getByRole('status', { name: 'Notifications' })
      .getByText(/^Booked Find pool/)
      .waitFor();
    const mine = unwrap(await send(await sockets.client(base, me.token), 'bookings:mine', {})).bookings;
    expect(mine.map((b) => [b.resourceId, b.quantity])).toEqual([[pool.id, 2]]);
    // A bad number of units is refused before anything is sent.
    await find.getByLabel('Units').fill('0');
    await find.getByRole('button', { name: 'Find free times' }).click();
    await find.getByText('Enter a whole number of units, 1 to 1000.').waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });
});
