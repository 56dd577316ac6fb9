/**
 * The booking page in a real browser (Debian's Chromium via playwright-core) against a real
 * in-process node on the run's MongoDB and Redis.
 */
import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import type { Page, WebSocketRoute } from 'playwright-core';
import { localDate } from '@booking/shared';
import type { AuthResult, PolicyInput, Resource } from '@booking/shared';
import { artifactPath, axeViolations, pngSize } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import {
  connectAdmin,
  connectClient,
  createResource,
  http,
  loginStaff,
  registerUser,
  send,
  sendAdmin,
  unwrap,
} from '../../test/support/harness';
import { useHarness } from '../../test/support/suite';
import { ensureWebBuilt } from './web-build';
import { waitFor } from '../../test/support/wait';

jest.setTimeout(60_000);

/**
 * How long a change made elsewhere may take to show. The page does not poll: a cell changes only
 * when the broadcast arrives, so waiting longer never lets a page without live updates pass; it
 * only stops a busy machine (CPU shared with other work) from failing a page that is merely slow.
 */
const LIVE_MS = 10_000;

const web = useBrowserSuite({ build: [ensureWebBuilt], context: { locale: 'en-GB' } });
const harness = useHarness({ label: 'webpage' });
let base: string;
let staffToken: string;

beforeAll(async () => {
  base = harness.node.url;
  staffToken = (await loginStaff(base)).token;
});

/** A page in its own context in `timezoneId`, 1280 by 900 unless given. */
function newPage(opts: { timezoneId: string; width?: number; height?: number }): Promise<Page> {
  return web.newPage({
    timezoneId: opts.timezoneId,
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
  });
}

/** The instant of `hour`:`minute` local time in `zone`, `daysAhead` days from today there (as the grid's data-start). */
function zonedInstant(zone: string, daysAhead: number, hour: number, minute = 0): string {
  return DateTime.now()
    .setZone(zone)
    .startOf('day')
    .plus({ days: daysAhead })
    .set({ hour, minute })
    .toJSDate()
    .toISOString();
}

/** A resource with a zone and a policy, through the HTTP API. */
async function createZoned(
  name: string,
  body: { timeZone: string; type?: string; policy?: PolicyInput },
): Promise<Resource> {
  const res = await http<{ resource: Resource }>(base, '/api/resources', {
    body: { name, type: body.type ?? 'room', timeZone: body.timeZone, policy: body.policy },
    token: staffToken,
  });
  if (res.status !== 201) throw new Error(`create resource failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.resource;
}

/** Every weekday open `open`–`close`. */
function daily(open: string, close: string): NonNullable<PolicyInput['openingHours']> {
  const w: [string, string][] = [[open, close]];
  return { mon: w, tue: w, wed: w, thu: w, fri: w, sat: w, sun: w };
}

async function signIn(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.goto(base);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
  await page.getByRole('heading', { name: 'Bookings', exact: true }).waitFor();
}

/**
 * Opens the page already signed in as `auth`, kept where the page keeps it after a sign-in (as a
 * reload finds it): the sign-in form, its password check and its screen are left to the tests of
 * the form (the first test signs up and signs in through it, the Tokyo one signs in).
 */
async function openSignedIn(page: Page, auth: AuthResult): Promise<void> {
  await page.addInitScript(
    ([key, value]) => {
      if (localStorage.getItem(key) === null) localStorage.setItem(key, value);
    },
    ['booking.auth', JSON.stringify(auth)] as const,
  );
  await page.goto(base);
  await page.getByRole('heading', { name: 'Bookings', exact: true }).waitFor();
}

/** Opens the resource's grid on the resource's local day of `iso` (or on that `YYYY-MM-DD`). */
async function openResourceOn(page: Page, resource: Resource, iso: string): Promise<void> {
  await page.getByRole('button', { name: new RegExp(`^${resource.name} `) }).click();
  await page
    .getByLabel('Date', { exact: true })
    .fill(iso.length === 10 ? iso : localDate(new Date(iso), resource.timeZone));
  await page.getByRole('grid', { name: `Availability of ${resource.name}` }).waitFor();
  await page.locator(`[role=grid][aria-busy=false]`).waitFor();
}

const cell = (page: Page, iso: string) => page.locator(`[role=gridcell][data-start="${iso}"]`);

/** Presses Tab until the focused element satisfies `matches` (keyboard only; the DOM is just read). */
async function tabTo(
  page: Page,
  what: string,
  matches: (el: { role: string; label: string; text: string }) => boolean,
): Promise<void> {
  for (let i = 0; i < 60; i += 1) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = document.activeElement;
      return {
        role: a?.getAttribute('role') ?? a?.tagName.toLowerCase() ?? '',
        label:
          a?.getAttribute('aria-label') ?? (a instanceof HTMLInputElement ? (a.labels?.[0]?.textContent ?? '') : ''),
        text: a?.textContent ?? '',
      };
    });
    if (matches(el)) return;
  }
  throw new Error(`Tab never reached ${what}`);
}

/**
 * Socket.IO frames of one page, both ways, through a websocket route the test can cut (every
 * socket of the page goes through it; while `offline`, new ones are refused).
 */
async function tapSockets(
  page: Page,
): Promise<{ toServer: string[]; toPage: string[]; cut(): Promise<void>; restore(): void }> {
  const toServer: string[] = [];
  const toPage: string[] = [];
  let offline = false;
  const open: WebSocketRoute[] = [];
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (offline) {
      void ws.close();
      return;
    }
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      if (typeof m === 'string') toServer.push(m);
      server.send(m);
    });
    server.onMessage((m) => {
      if (typeof m === 'string') toPage.push(m);
      ws.send(m);
    });
    open.push(ws);
  });
  return {
    toServer,
    toPage,
    async cut() {
      offline = true;
      await Promise.all(open.splice(0).map((ws) => ws.close()));
    },
    restore() {
      offline = false;
    },
  };
}

/** The events named `name` in Socket.IO frames on `/` (`42[…]`, or `42<ackId>[…]` when an ack is asked for). */
function framesOf(frames: string[], name: string): Array<{ ackId: string; payload: Record<string, unknown> }> {
  const out: Array<{ ackId: string; payload: Record<string, unknown> }> = [];
  for (const frame of frames) {
    const m = /^42(\d*)(\[[\s\S]*\])$/.exec(frame);
    if (!m) continue;
    const [event, payload] = JSON.parse(m[2] ?? '[]') as [unknown, Record<string, unknown>];
    if (event === name) out.push({ ackId: m[1] ?? '', payload });
  }
  return out;
}

describe('booking page', () => {
  it('shows a booking to another viewer live, explains SLOT_TAKEN, and shows a move and a cancel live', async () => {
    const resource = await createZoned(`Live room ${Date.now()}`, { timeZone: 'Europe/Berlin' });
    const pageA = await newPage({ timezoneId: 'Europe/Berlin' });
    const pageB = await newPage({ timezoneId: 'America/New_York' });

    // A signs up through the page.
    await pageA.goto(base);
    await pageA.getByRole('button', { name: 'Create account' }).click();
    await pageA.getByLabel('Name').fill('Alice');
    await pageA.getByLabel('Email').fill(`alice-${Date.now()}@example.com`);
    await pageA.getByLabel('Password').fill('alice-password');
    await pageA.getByRole('button', { name: 'Create an account' }).click();
    await pageA.getByRole('heading', { name: 'Bookings', exact: true }).waitFor();
    expect(await pageA.evaluate(() => localStorage.getItem('booking.auth'))).toContain('"token"');

    const bob = await registerUser(base, 'bob');
    await signIn(pageB, { email: bob.user.email, password: 'password123' });

    // Tomorrow 10:00 in Berlin, the resource's zone: B, in New York, sees the same grid, and is told both zones.
    const start = zonedInstant('Europe/Berlin', 1, 10);
    await openResourceOn(pageA, resource, start);
    await openResourceOn(pageB, resource, start);
    await expect(cell(pageB, start).getAttribute('aria-label')).resolves.toMatch(/10:00 to 10:30, free/);
    await expect(pageB.getByTestId('zone-note').textContent()).resolves.toMatch(/Europe\/Berlin.*America\/New York/);
    await expect(pageA.getByTestId('zone-note').textContent()).resolves.not.toContain('yours is');

    // B selects the slot, which holds it for B (v3): A sees it taken, as held, live; B lets it go.
    await cell(pageB, start).click();
    await expect(cell(pageB, start).getAttribute('data-state')).resolves.toBe('free');
    await pageA
      .locator(`[role=gridcell][data-start="${start}"][data-state="taken"][data-held="true"]`)
      .waitFor({ timeout: LIVE_MS });
    await pageB.getByRole('button', { name: 'Clear selection' }).click();
    await pageA.locator(`[role=gridcell][data-start="${start}"][data-state="free"]`).waitFor({ timeout: LIVE_MS });
    await cell(pageA, start).click();
    await pageA.getByRole('button', { name: /^Book / }).click();

    // Within 1 s, without a reload, B's grid shows it taken.
    await pageB.locator(`[role=gridcell][data-start="${start}"][data-state="taken"]`).waitFor({ timeout: LIVE_MS });
    await pageA.locator(`[role=gridcell][data-start="${start}"][data-state="mine"]`).waitFor();
    await expect(pageA.getByRole('list', { name: 'My upcoming bookings' }).textContent()).resolves.toContain(
      resource.name,
    );

    // B tries anyway and is told why nothing happened (and may wait for it); the grid still shows the truth.
    await cell(pageB, start).click({ force: true });
    await expect(pageB.getByRole('alert').textContent()).resolves.toBe(
      'That time is already booked by someone else. Pick a free time.',
    );
    await pageB.getByRole('button', { name: 'Join the waitlist' }).waitFor();
    await expect(cell(pageB, start).getAttribute('data-state')).resolves.toBe('taken');

    // A moves the booking (still selected) to 11:00; B sees both cells change within 1 s.
    const later = zonedInstant('Europe/Berlin', 1, 11);
    await cell(pageA, later).click();
    await pageA.getByRole('button', { name: 'Move booking here' }).click();
    await pageB.locator(`[role=gridcell][data-start="${later}"][data-state="taken"]`).waitFor({ timeout: LIVE_MS });
    await pageB.locator(`[role=gridcell][data-start="${start}"][data-state="free"]`).waitFor({ timeout: LIVE_MS });
    await pageA.locator(`[role=gridcell][data-start="${later}"][data-state="mine"]`).waitFor();

    // A cancels; within 1 s B sees the slot free again.
    await pageA.getByRole('button', { name: 'Cancel booking' }).click();
    await pageB.locator(`[role=gridcell][data-start="${later}"][data-state="free"]`).waitFor({ timeout: LIVE_MS });
    await pageA.getByText('No upcoming bookings yet.').waitFor();
  });

  it('shows a banner while disconnected and silently catches up after reconnecting', async () => {
    const resource = await createResource(base, staffToken, `Resync room ${Date.now()}`);
    const page = await newPage({ timezoneId: 'UTC' });
    // Every Socket.IO websocket of the page goes through here, so the test can cut it.
    const tap = await tapSockets(page);
    const viewer = await registerUser(base, 'viewer');
    await openSignedIn(page, viewer);
    const start = zonedInstant('UTC', 2, 9);
    await openResourceOn(page, resource, start);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);

    // The booker is ready before the cut, so that the page is away no longer than the booking takes:
    // the page's reconnection waits longer after each refused attempt.
    const other = await registerUser(base, 'booker');
    const socket = await connectClient(base, other.token);
    try {
      await tap.cut();
      await page.getByRole('alert').filter({ hasText: 'Connection lost' }).waitFor();
      await expect(page.getByRole('button', { name: 'Sign out', exact: true }).isEnabled()).resolves.toBe(true);
      // Booked while the page cannot hear about it: its slot:changed is lost to this page.
      unwrap(
        await send(socket, 'booking:create', {
          resourceId: resource.id,
          start,
          end: new Date(Date.parse(start) + 3_600_000).toISOString(),
        }),
      );
    } finally {
      socket.close();
    }
    await expect(cell(page, start).getAttribute('data-state')).resolves.toBe('free');

    tap.restore();
    // Socket.IO retries with a growing delay (up to 5 s plus jitter), so when it is back depends on
    // how long the cut lasted on this machine; once back, the page must catch up by itself. An attempt
    // the cut refused is closed cleanly before socket.io's handshake, which socket.io only gives up on
    // after its 20-s connect timeout (a refused real connection errors at once): hence the margin.
    await page.getByText('Connection lost').waitFor({ state: 'detached', timeout: 30_000 });
    await page.locator(`[role=gridcell][data-start="${start}"][data-state="taken"]`).waitFor({ timeout: 10_000 });

    // Server notifications arrive as toasts.
    harness.node.io.emit('notification', {
      id: 'n1',
      type: 'booking.confirmed',
      bookingId: 'b1',
      message: 'Your booking is confirmed.',
      at: new Date().toISOString(),
    });
    await page.getByRole('status', { name: 'Notifications' }).getByText('Your booking is confirmed.').waitFor();
  });

  it('books with the keyboard alone', async () => {
    const resource = await createResource(base, staffToken, `Keyboard desk ${Date.now()}`);
    const page = await newPage({ timezoneId: 'Asia/Tokyo' });
    await page.goto(base);
    const email = `kay-${Date.now()}@example.com`;

    await tabTo(page, 'Create account', (el) => el.text === 'Create account');
    await page.keyboard.press('Enter');
    await tabTo(page, 'Name', (el) => el.label.startsWith('Name'));
    await page.keyboard.type('Kay Board');
    await page.keyboard.press('Tab');
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type('keyboard-only');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Bookings', exact: true }).waitFor();
    await page.getByRole('button', { name: new RegExp(`^${resource.name} `) }).waitFor();

    await tabTo(page, 'the resource', (el) => el.text.startsWith(resource.name));
    await page.keyboard.press('Enter');
    await tabTo(page, 'Next day', (el) => el.label === 'Next day');
    await page.keyboard.press('Enter');
    await page.locator('[role=grid][aria-busy=false]').waitFor();
    await tabTo(page, 'the grid', (el) => el.role === 'gridcell');
    await page.keyboard.press('Home'); // 00:00
    for (let i = 0; i < 20; i += 1) await page.keyboard.press('ArrowDown'); // 10:00
    await page.keyboard.press('Enter');
    await page.keyboard.press('Shift+ArrowDown'); // through 11:00
    await tabTo(page, 'the Book button', (el) => el.text.startsWith('Book '));
    await page.keyboard.press('Enter');

    const start = zonedInstant('UTC', 1, 10);
    const end = zonedInstant('UTC', 1, 11);
    await page.locator(`[role=gridcell][data-start="${start}"][data-state="mine"]`).waitFor();
    const token = await page.evaluate(() => {
      const stored: unknown = JSON.parse(localStorage.getItem('booking.auth') ?? 'null');
      return typeof stored === 'object' && stored !== null && 'token' in stored && typeof stored.token === 'string'
        ? stored.token
        : '';
    });
    const socket = await connectClient(base, token);
    try {
      const { bookings } = unwrap(await send(socket, 'bookings:mine', {}));
      // (A hold let go while the selection grew, if the keys were slow, is listed cancelled.)
      expect(
        bookings.filter((b) => b.status !== 'cancelled').map((b) => [b.resourceId, b.start, b.end, b.status]),
      ).toEqual([[resource.id, start, end, 'active']]);
    } finally {
      socket.close();
    }
  });

  it('renders the grid with bookings to a PNG, on a desktop and a phone-sized screen', async () => {
    const resource = await createResource(base, staffToken, `Studio ${Date.now()}`);
    const other = await registerUser(base, 'other');
    const me = await registerUser(base, 'me');
    const page = await newPage({ timezoneId: 'Europe/London' });
    const at = async (days: number, hour: number, minutes = 0) => zonedInstant('UTC', days, hour, minutes);
    const theirs = await connectClient(base, other.token);
    const mine = await connectClient(base, me.token);
    try {
      for (const [days, from, hours] of [
        [1, 9, 2],
        [2, 13, 1],
        [3, 10, 3],
        [5, 15, 1],
      ] as const) {
        unwrap(
          await send(theirs, 'booking:create', {
            resourceId: resource.id,
            start: await at(days, from),
            end: await at(days, from + hours),
          }),
        );
      }
      unwrap(
        await send(mine, 'booking:create', {
          resourceId: resource.id,
          start: await at(1, 14),
          end: await at(1, 15, 30),
        }),
      );
      unwrap(
        await send(mine, 'booking:create', { resourceId: resource.id, start: await at(4, 11), end: await at(4, 12) }),
      );
    } finally {
      theirs.close();
      mine.close();
    }

    const desk = await http<{ resource: Resource }>(base, '/api/resources', {
      body: { name: `Standing desk ${Date.now()}`, type: 'desk' },
      token: staffToken,
    });
    expect(desk.status).toBe(201);

    await openSignedIn(page, me);
    // The type filter narrows the list (and the grid follows it).
    await page.getByRole('button', { name: new RegExp(`^${desk.body.resource.name} `) }).waitFor();
    await page.getByRole('navigation').getByLabel('Type').selectOption('desk');
    const listed = await page.getByRole('list', { name: 'Resources' }).getByRole('button').allTextContents();
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((t) => t.endsWith('(desk)'))).toBe(true);
    await page.getByRole('grid', { name: `Availability of ${desk.body.resource.name}` }).waitFor();
    await page.getByRole('navigation').getByLabel('Type').selectOption('');

    await page.getByRole('button', { name: new RegExp(`^${resource.name} `) }).click();
    await page.getByRole('button', { name: 'Next day' }).click();
    await page.getByRole('button', { name: 'Week', exact: true }).click();
    await page.locator('[role=grid][aria-busy=false]').waitFor();
    await page.locator('[role=gridcell][data-state="mine"]').first().waitFor();
    // The week's days arrive one availability answer at a time: wait until all of them are drawn.
    const taken = page.locator('[role=gridcell][data-state="taken"]');
    await waitFor('every booking of the week on the grid', async () => (await taken.count()) >= 4 + 2 + 6 + 2, 10_000);
    expect(await taken.count()).toBe(4 + 2 + 6 + 2);
    expect(await page.locator('[role=gridcell][data-state="mine"]').count()).toBe(3 + 2);
    // A drag down a free column selects the run of cells.
    const from = await cell(page, await at(2, 9)).boundingBox();
    const to = await cell(page, await at(2, 10, 30)).boundingBox();
    if (!from || !to) throw new Error('grid cells not visible');
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + 4, { steps: 6 });
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 2 });
    await page.mouse.up();
    // The last pointer event's selection is drawn by the page's next render, which a loaded machine
    // may not have reached when mouse.up() returns (a CI run counted 3 cells): wait for it.
    const selected = page.locator('[role=gridcell][aria-selected=true]');
    await waitFor('the dragged run selected', async () => (await selected.count()) >= 4, 10_000);
    expect(await selected.count()).toBe(4);
    await expect(page.getByRole('button', { name: /^Book / }).textContent()).resolves.toMatch(/09:00–11:00$/);

    await page.locator(`[role=gridcell][data-start="${await at(1, 14, 30)}"]`).click();

    const desktop = artifactPath('web-grid.png');
    await page.screenshot({ path: desktop });
    const png = readFileSync(desktop);
    expect(pngSize(png)).toEqual({ width: 1280, height: 900 });
    expect(png.length).toBeGreaterThan(20_000);

    // Phone-sized: everything stacks, nothing scrolls sideways, the grid is still usable.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Day', exact: true }).click();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.locator('[role=gridcell][data-state="mine"]').first().waitFor();
    const phone = artifactPath('web-grid-phone.png');
    await page.screenshot({ path: phone });
    expect(pngSize(readFileSync(phone))?.width).toBe(390);
  });

  it('shows a New York resource to a Tokyo viewer in New York time, greys its closed hours and refuses them, guides the duration, and passes axe', async () => {
    const resource = await createZoned(`Hudson room ${Date.now()}`, {
      timeZone: 'America/New_York',
      policy: { openingHours: daily('09:00', '17:00'), slotMinutes: 30, minMinutes: 60, maxMinutes: 120 },
    });
    const page = await newPage({ timezoneId: 'Asia/Tokyo' });
    await page.goto(base);
    await page.getByLabel('Email').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    const viewer = await registerUser(base, 'tokyo');
    await signIn(page, { email: viewer.user.email, password: 'password123' });
    const day = DateTime.now().setZone('America/New_York').plus({ days: 1 }).toISODate() ?? '';
    await openResourceOn(page, resource, day);

    await expect(page.getByTestId('zone-note').textContent()).resolves.toMatch(/America\/New York.*Asia\/Tokyo/);
    await expect(page.getByRole('grid').getAttribute('data-zone')).resolves.toBe('America/New_York');
    // The rows are New York's day: 00:00 first, and 09:00 there is the cell of 09:00 New York time.
    await expect(page.getByRole('rowheader').first().textContent()).resolves.toBe('00:00');
    const nine = zonedInstant('America/New_York', 1, 9);
    await expect(cell(page, nine).getAttribute('aria-label')).resolves.toMatch(/09:00 to 09:30, free/);

    // Closed time before 09:00 and from 17:00: greyed, labelled, not selectable.
    const early = zonedInstant('America/New_York', 1, 8, 30);
    const evening = zonedInstant('America/New_York', 1, 17);
    for (const iso of [early, evening]) {
      await expect(cell(page, iso).getAttribute('data-state')).resolves.toBe('closed');
      await expect(cell(page, iso).getAttribute('aria-disabled')).resolves.toBe('true');
      await expect(cell(page, iso).textContent()).resolves.toBe('Closed');
    }
    expect(await page.locator('[role=gridcell][data-state=closed]').count()).toBe(48 - 16);
    const closedBg = await cell(page, early).evaluate((el) => getComputedStyle(el).backgroundImage);
    const freeBg = await cell(page, nine).evaluate((el) => getComputedStyle(el).backgroundImage);
    expect(closedBg).not.toBe(freeBg);
    // Choosing it from the keyboard (a forced pointer click could land on the sticky day header
    // when the cell is scrolled to the top edge of the grid, and then tests nothing).
    await cell(page, early).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/room is closed then/);
    await expect(page.locator('[role=gridcell][aria-selected=true]').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /^Book / }).count()).resolves.toBe(0);

    // One click selects the shortest booking (60 min: two cells); a longer drag stops at 120 min.
    await cell(page, nine).click();
    await expect(page.locator('[role=gridcell][aria-selected=true]').count()).resolves.toBe(2);
    await expect(page.getByRole('button', { name: /^Book / }).textContent()).resolves.toMatch(/09:00–10:00$/);
    await cell(page, zonedInstant('America/New_York', 1, 12)).click({ modifiers: ['Shift'] });
    await expect(page.locator('[role=gridcell][aria-selected=true]').count()).resolves.toBe(4);
    await expect(page.getByRole('button', { name: /^Book / }).textContent()).resolves.toMatch(/09:00–11:00$/);
    // An extension into closed time is refused.
    await cell(page, evening).click({ modifiers: ['Shift'], force: true });
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/closed then/);
    // The selection also reads in the viewer's own time.
    await expect(page.locator('.summary').textContent()).resolves.toMatch(/your time/);

    await page.getByRole('button', { name: /^Book / }).click();
    await page.locator(`[role=gridcell][data-start="${nine}"][data-state="mine"]`).waitFor();
    const socket = await connectClient(base, viewer.token);
    try {
      // The hold on the first selection (09:00-10:00), let go when it grew, is listed cancelled.
      const { bookings } = unwrap(await send(socket, 'bookings:mine', {}));
      expect(bookings.filter((b) => b.status !== 'cancelled').map((b) => [b.start, b.end])).toEqual([
        [nine, zonedInstant('America/New_York', 1, 11)],
      ]);
    } finally {
      socket.close();
    }

    expect(await axeViolations(page)).toEqual([]);
  });

  it('finds free times with "Find a free room" and books one in one click', async () => {
    const type = `lab${Date.now()}`;
    const first = await createZoned(`Alpha ${type}`, { type, timeZone: 'Europe/Berlin', policy: { slotMinutes: 60 } });
    const second = await createZoned(`Beta ${type}`, {
      type,
      timeZone: 'America/New_York',
      policy: { slotMinutes: 60, openingHours: daily('10:00', '12:00') },
    });
    // Alpha is taken for the next hours: its earliest free hour is later than it would be.
    const other = await registerUser(base, 'other');
    const socket = await connectClient(base, other.token);
    const nextHour = DateTime.now().setZone('Europe/Berlin').startOf('hour').plus({ hours: 1 });
    try {
      unwrap(
        await send(socket, 'booking:create', {
          resourceId: first.id,
          start: nextHour.toUTC().toISO() ?? '',
          end: nextHour.plus({ hours: 3 }).toUTC().toISO() ?? '',
        }),
      );
    } finally {
      socket.close();
    }
    const finder = await registerUser(base, 'finder');
    const page = await newPage({ timezoneId: 'Europe/Lisbon' });
    await openSignedIn(page, finder);
    const find = page.getByRole('region', { name: 'Find a free room' });
    await find.getByLabel('Type').selectOption(type);
    await find.getByLabel('Minutes').fill('60');
    await find.getByRole('button', { name: 'Find free times' }).click();
    const results = find.getByRole('list', { name: 'Free times' });
    await results.waitFor();
    const items = results.getByRole('listitem');
    await expect(items.count()).resolves.toBe(2);
    const starts = await items.evaluateAll((els) => els.map((el) => el.getAttribute('data-start') ?? ''));
    expect([...starts].sort()).toEqual(starts);
    const alpha = results.locator(`li[data-resource-id="${first.id}"]`);
    const alphaStart = (await alpha.getAttribute('data-start')) ?? '';
    // Not before Alpha's booking ends, and on its hour grid.
    expect(Date.parse(alphaStart)).toBeGreaterThanOrEqual(nextHour.plus({ hours: 3 }).toMillis());
    expect(DateTime.fromISO(alphaStart, { zone: 'Europe/Berlin' }).minute).toBe(0);
    // Beta's time is shown in New York time and the viewer's.
    await expect(results.locator(`li[data-resource-id="${second.id}"]`).textContent()).resolves.toMatch(
      /America\/New York.*your time/,
    );

    await alpha.getByRole('button', { name: /^Book Alpha/ }).click();
    await page
      .getByRole('status', { name: 'Notifications' })
      .getByText(/^Booked Alpha/)
      .waitFor();
    await expect(results.locator(`li[data-resource-id="${first.id}"]`).count()).resolves.toBe(0);
    // Booked as found, shown on the grid as the viewer's, and listed under "My bookings".
    await page.getByRole('grid', { name: `Availability of ${first.name}` }).waitFor();
    await page.locator(`[role=gridcell][data-start="${alphaStart}"][data-state="mine"]`).waitFor();
    await expect(page.getByRole('list', { name: 'My upcoming bookings' }).textContent()).resolves.toContain(first.name);
    const mine = await connectClient(base, finder.token);
    try {
      const { bookings } = unwrap(await send(mine, 'bookings:mine', {}));
      expect(bookings.map((b) => [b.resourceId, b.start, b.end])).toEqual([
        [first.id, alphaStart, DateTime.fromISO(alphaStart).plus({ hours: 1 }).toUTC().toJSDate().toISOString()],
      ]);
    } finally {
      mine.close();
    }
  });

  it('builds the grid of daylight-saving days from real local time, in the browser too', async () => {
    const berlin = await createZoned(`Spree ${Date.now()}`, { timeZone: 'Europe/Berlin', policy: { slotMinutes: 30 } });
    const york = await createZoned(`Bronx ${Date.now()}`, {
      timeZone: 'America/New_York',
      policy: { slotMinutes: 30 },
    });
    const page = await newPage({ timezoneId: 'Asia/Kolkata' });
    const viewer = await registerUser(base, 'dst');
    await openSignedIn(page, viewer);
    const year = DateTime.now().year + 1;
    // Last Sundays of March and October (Berlin); second Sunday of March, first of November (New York).
    const lastSunday = (month: number) => {
      const end = DateTime.fromObject({ year, month }).endOf('month').startOf('day');
      return end.minus({ days: end.weekday % 7 }).toISODate() ?? '';
    };
    const nthSunday = (month: number, n: number) => {
      const first = DateTime.fromObject({ year, month, day: 1 });
      return first.plus({ days: ((7 - (first.weekday % 7)) % 7) + 7 * (n - 1) }).toISODate() ?? '';
    };
    const cases: Array<[Resource, string, number]> = [
      [berlin, lastSunday(3), 46],
      [berlin, lastSunday(10), 50],
      [york, nthSunday(3, 2), 46],
      [york, nthSunday(11, 1), 50],
    ];
    for (const [resource, day, count] of cases) {
      await openResourceOn(page, resource, day);
      await page.locator(`[role=grid][data-zone="${resource.timeZone}"][aria-busy=false]`).waitFor();
      await page.locator(`.grid-day:has-text("${DateTime.fromISO(day).toFormat('d LLL')}")`).waitFor();
      const spans = await page
        .locator('[role=gridcell][data-start]')
        .evaluateAll((els) =>
          els.map((el) => [el.getAttribute('data-start') ?? '', el.getAttribute('data-end') ?? '']),
        );
      expect({ day, cells: spans.length }).toEqual({ day, cells: count });
      for (const [s, e] of spans) expect(Date.parse(e ?? '') - Date.parse(s ?? '')).toBe(30 * 60_000);
      const range = { from: Date.parse(spans[0]?.[0] ?? ''), to: Date.parse(spans[spans.length - 1]?.[1] ?? '') };
      expect((range.to - range.from) / 3_600_000).toBe(count / 2);
      expect(range.from).toBe(DateTime.fromISO(day, { zone: resource.timeZone }).toMillis());
    }
  });
  it('books a weekly series from the page with a preview that marks a taken date; another viewer sees every occurrence taken live', async () => {
    const resource = await createZoned(`Series room ${Date.now()}`, { timeZone: 'Europe/Berlin' });
    // The next Monday at least a day ahead, 10:00 in Berlin; the series runs Monday to Friday.
    let days = 1;
    while (DateTime.now().setZone('Europe/Berlin').startOf('day').plus({ days }).weekday !== 1) days += 1;
    const at = (offset: number) => zonedInstant('Europe/Berlin', days + offset, 10);
    const other = await registerUser(base, 'taker');
    const socket = await connectClient(base, other.token);
    try {
      unwrap(
        await send(socket, 'booking:create', {
          resourceId: resource.id,
          start: at(2),
          end: DateTime.fromISO(at(2)).plus({ minutes: 30 }).toUTC().toISO() ?? '',
        }),
      );
    } finally {
      socket.close();
    }
    const pageA = await newPage({ timezoneId: 'Europe/Berlin' });
    const pageB = await newPage({ timezoneId: 'Europe/Berlin' });
    const a = await registerUser(base, 'series-booker');
    const b = await registerUser(base, 'series-viewer');
    await openSignedIn(pageA, a);
    await openSignedIn(pageB, b);
    await openResourceOn(pageA, resource, at(0));
    await openResourceOn(pageB, resource, at(0));
    await pageB.getByRole('button', { name: 'Week', exact: true }).click();
    await pageB.locator('[role=grid][aria-busy=false]').waitFor();
    await expect(cell(pageB, at(4)).getAttribute('data-state')).resolves.toBe('free');

    await cell(pageA, at(0)).click();
    await pageA.getByLabel('Repeat this booking').check();
    for (const day of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri']) await pageA.getByLabel(day, { exact: true }).check();
    await pageA.getByLabel('Occurrences', { exact: true }).fill('5');
    const preview = pageA.getByRole('list', { name: 'Preview of the occurrences' });
    await preview.locator('li[data-state="taken"]').waitFor();
    const states = await preview
      .locator('li')
      .evaluateAll((els) => els.map((el) => [el.getAttribute('data-start'), el.getAttribute('data-state')]));
    expect(states).toEqual([0, 1, 2, 3, 4].map((i) => [at(i), i === 2 ? 'taken' : 'free']));
    await expect(preview.locator('li[data-state="taken"]').textContent()).resolves.toMatch(
      /Already booked by someone else/,
    );
    expect(await axeViolations(pageA)).toEqual([]);

    await pageA.getByRole('button', { name: 'Book 4 occurrences' }).click();
    await pageA
      .getByRole('status', { name: 'Notifications' })
      .getByText(/^Booked 4 occurrences of .*, 1 skipped\./)
      .waitFor();
    // Live, without a reload: every booked occurrence is taken on the other viewer's week.
    for (const i of [0, 1, 3, 4])
      await pageB.locator(`[role=gridcell][data-start="${at(i)}"][data-state="taken"]`).waitFor({ timeout: LIVE_MS });

    // "My bookings" groups the series; cancelling from Thursday on frees Thursday and Friday live.
    const group = pageA.locator('.mine-list li.series');
    // The list redraws when its own reload answers, not when the other page hears the change: wait for it.
    const summary = (text: RegExp) => group.locator(':scope > span').first().filter({ hasText: text });
    await summary(/repeating: 4 upcoming/).waitFor({ timeout: LIVE_MS });
    await group
      .locator(`li[data-booking-id]`)
      .nth(2)
      .getByRole('button', { name: /^Cancel the rest from / })
      .click();
    for (const i of [3, 4])
      await pageB.locator(`[role=gridcell][data-start="${at(i)}"][data-state="free"]`).waitFor({ timeout: LIVE_MS });
    await expect(cell(pageB, at(1)).getAttribute('data-state')).resolves.toBe('taken');
    await summary(/repeating: 2 upcoming/).waitFor({ timeout: LIVE_MS });
    expect(await axeViolations(pageA)).toEqual([]);
  });
  it('offers Check in on a booking of a room with check-in, counts down to its release, checks in, and passes axe', async () => {
    const room = await createZoned('Check-in room', { timeZone: 'UTC', policy: { checkIn: { windowMinutes: 15 } } });
    const person = await registerUser(base, 'checkin');
    const socket = await connectClient(base, person.token);
    // A whole minute 2-3 minutes ahead: within the 10 minutes before the start when check-in opens,
    // and not yet past when the booking arrives on a busy machine.
    const start = Math.ceil((Date.now() + 2 * 60_000) / 60_000) * 60_000;
    const booking = unwrap(
      await send(socket, 'booking:create', {
        resourceId: room.id,
        start: new Date(start).toISOString(),
        end: new Date(start + 30 * 60_000).toISOString(),
      }),
    ).booking;
    socket.close();

    const page = await newPage({ timezoneId: 'UTC' });
    await openSignedIn(page, person);
    const row = page.locator(`.mine-list li[data-booking-id="${booking.id}"]`);
    const countdown = row.locator('.countdown');
    await countdown.waitFor();
    const first = await countdown.textContent();
    expect(first).toMatch(/^Released in \d+:\d\d unless you check in$/);
    // It counts down live, once a second.
    await page.waitForFunction(
      ([id, before]) =>
        document.querySelector(`.mine-list li[data-booking-id="${id}"] .countdown`)?.textContent !== before,
      [booking.id, first] as const,
      { timeout: 5000 },
    );
    expect(await axeViolations(page)).toEqual([]);

    await row.getByRole('button', { name: /^Check in: / }).click();
    await page
      .getByRole('status', { name: 'Notifications' })
      .getByText('Checked in. The booking is yours until it ends.')
      .waitFor();
    await row.getByText('Checked in', { exact: true }).waitFor();
    await expect(countdown.count()).resolves.toBe(0);
    await expect(row.getByRole('button', { name: /^Check in: / }).count()).resolves.toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });
  it('watches only what it shows (the grid’s resource and its own bookings’), again after switching resource and after a reconnect', async () => {
    const [shown, other, held] = await Promise.all(
      ['Watched', 'Unwatched', 'Held'].map((n) => createResource(base, staffToken, `${n} room ${Date.now()}`)),
    );
    if (!shown || !other || !held) throw new Error('no resources');
    const at = (hour: number) => zonedInstant('UTC', 3, hour);
    const hourAfter = (iso: string) => new Date(Date.parse(iso) + 3_600_000).toISOString();
    const me = await registerUser(base, 'watching');
    const mySocket = await connectClient(base, me.token);
    const held1 = unwrap(
      await send(mySocket, 'booking:create', { resourceId: held.id, start: at(8), end: hourAfter(at(8)) }),
    ).booking;
    mySocket.close();
    const booker = await connectClient(base, (await registerUser(base, 'watchbooker')).token);
    const admin = await connectAdmin(base, staffToken);
    const book = async (resource: Resource, hour: number) =>
      unwrap(
        await send(booker, 'booking:create', { resourceId: resource.id, start: at(hour), end: hourAfter(at(hour)) }),
      ).booking.id;

    const page = await newPage({ timezoneId: 'UTC' });
    const tap = await tapSockets(page);
    /** The resources of the page's last `slots:watch` once the server acknowledged it (sorted). */
    const watching = () => {
      const last = framesOf(tap.toServer, 'slots:watch').at(-1);
      if (!last || !tap.toPage.some((f) => f.startsWith(`43${last.ackId}[{"ok":true`))) return undefined;
      const ids = last.payload.resourceIds;
      return Array.isArray(ids) ? ids.map(String).sort() : null;
    };
    const changedIds = () => framesOf(tap.toPage, 'slot:changed').map((f) => String(f.payload.bookingId));
    try {
      await openSignedIn(page, me);
      await openResourceOn(page, shown, at(9));
      await waitFor(
        'a watch of the grid’s and the held booking’s resources',
        () => watching()?.join() === [shown.id, held.id].sort().join(),
      );

      // A change of a resource the page does not show never reaches it: the sentinel, a later
      // change of the shown one on the same node, arrives after it would have.
      const unseen = await book(other, 9);
      const seen = await book(shown, 10);
      await page.locator(`[role=gridcell][data-start="${at(10)}"][data-state="taken"]`).waitFor({ timeout: LIVE_MS });
      await waitFor('the shown resource’s change', () => changedIds().includes(seen));
      expect(changedIds()).not.toContain(unseen);

      // Staff cancel the held booking (no notifier runs here): "My bookings" hears it all the same.
      await expect(page.getByRole('list', { name: 'My upcoming bookings' }).textContent()).resolves.toContain(
        held.name,
      );
      unwrap(await sendAdmin(admin, 'booking:cancel', { bookingId: held1.id }));
      await page.getByText('No upcoming bookings yet.').waitFor({ timeout: LIVE_MS });

      // Another resource on screen: a new watch, the grid read after it, and its changes live.
      await openResourceOn(page, other, at(9));
      await waitFor('a watch of the other resource', () => watching()?.join() === other.id);
      await expect(cell(page, at(9)).getAttribute('data-state')).resolves.toBe('taken');
      const next = await book(other, 11);
      await page.locator(`[role=gridcell][data-start="${at(11)}"][data-state="taken"]`).waitFor({ timeout: LIVE_MS });
      expect(changedIds()).toContain(next);

      // A new connection hears every resource until it watches: the page sends its watch again.
      const watchesBefore = framesOf(tap.toServer, 'slots:watch').length;
      await tap.cut();
      await page.getByRole('alert').filter({ hasText: 'Connection lost' }).waitFor();
      tap.restore();
      await waitFor(
        'the watch sent again on the new connection',
        () => framesOf(tap.toServer, 'slots:watch').length > watchesBefore && watching()?.join() === other.id,
        // As in the banner test: an attempt refused during the cut costs socket.io its 20-s connect timeout.
        30_000,
      );
      await expect(page.getByText('Connection lost').count()).resolves.toBe(0);
      const unseenAgain = await book(shown, 12);
      const live = await book(other, 13);
      await page.locator(`[role=gridcell][data-start="${at(13)}"][data-state="taken"]`).waitFor({ timeout: LIVE_MS });
      await waitFor('the change after the reconnect', () => changedIds().includes(live));
      expect(changedIds()).not.toContain(unseenAgain);
    } finally {
      booker.close();
      admin.close();
    }
  });
});
