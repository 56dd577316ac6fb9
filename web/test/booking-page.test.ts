/**
 * The booking page in a real browser (Debian's Chromium via playwright-core) against a real
 * in-process node on the run's MongoDB and Redis.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import type { Resource } from '@booking/shared';
import { artifactPath, launchBrowser, pngSize } from '../../test/support/browser';
import { connectClient, createResource, http, loginStaff, registerUser, send, startHarness, unwrap } from '../../test/support/harness';
import type { Harness } from '../../test/support/harness';
import { ensureWebBuilt } from './web-build';

jest.setTimeout(60_000);

let harness: Harness;
let browser: Browser;
let base: string;
let staffToken: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  ensureWebBuilt();
  harness = await startHarness({ label: 'webpage' });
  base = harness.node.url;
  staffToken = (await loginStaff(base)).token;
  browser = await launchBrowser();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

async function newPage(opts: { timezoneId: string; width?: number; height?: number }): Promise<Page> {
  const context = await browser.newContext({
    timezoneId: opts.timezoneId,
    locale: 'en-GB',
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
  });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

/** The instant of `hour`:00 local time, `daysAhead` days from today, in the page's time zone. */
function localInstant(page: Page, daysAhead: number, hour: number): Promise<string> {
  return page.evaluate(
    ([d, h]) => {
      const now = new Date();
      return new Date(now.getFullYear(), now.getMonth(), now.getDate() + (d ?? 0), h ?? 0).toISOString();
    },
    [daysAhead, hour],
  );
}

/** The page's `YYYY-MM-DD` for an instant (what its date input takes). */
function localDate(page: Page, iso: string): Promise<string> {
  return page.evaluate((i) => {
    const d = new Date(i);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }, iso);
}

async function signIn(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.goto(base);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
  await page.getByRole('heading', { name: 'Bookings', exact: true }).waitFor();
}

async function openResourceOn(page: Page, resource: Resource, iso: string): Promise<void> {
  await page.getByRole('button', { name: new RegExp(`^${resource.name} `) }).click();
  await page.getByLabel('Date', { exact: true }).fill(await localDate(page, iso));
  await page.getByRole('grid', { name: `Availability of ${resource.name}` }).waitFor();
  await page.locator(`[role=grid][aria-busy=false]`).waitFor();
}

const cell = (page: Page, iso: string) => page.locator(`[role=gridcell][data-start="${iso}"]`);

/** Presses Tab until the focused element satisfies `matches` (keyboard only; the DOM is just read). */
async function tabTo(page: Page, what: string, matches: (el: { role: string; label: string; text: string }) => boolean): Promise<void> {
  for (let i = 0; i < 60; i += 1) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = document.activeElement;
      return {
        role: a?.getAttribute('role') ?? a?.tagName.toLowerCase() ?? '',
        label: a?.getAttribute('aria-label') ?? (a instanceof HTMLInputElement ? (a.labels?.[0]?.textContent ?? '') : ''),
        text: a?.textContent ?? '',
      };
    });
    if (matches(el)) return;
  }
  throw new Error(`Tab never reached ${what}`);
}

describe('booking page', () => {
  it('shows a booking to another viewer live, explains SLOT_TAKEN, and shows a move and a cancel live', async () => {
    const resource = await createResource(base, staffToken, `Live room ${Date.now()}`);
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

    // Tomorrow 10:00 in Berlin; B, in New York, sees the same instant at 04:00 on its own day.
    const start = await localInstant(pageA, 1, 10);
    await openResourceOn(pageA, resource, start);
    await openResourceOn(pageB, resource, start);
    await expect(cell(pageB, start).getAttribute('aria-label')).resolves.toMatch(/04:00 to 04:30, free/);

    // B has the slot selected when A books it.
    await cell(pageB, start).click();
    await expect(cell(pageB, start).getAttribute('data-state')).resolves.toBe('free');
    await cell(pageA, start).click();
    await pageA.getByRole('button', { name: /^Book / }).click();

    // Within 1 s, without a reload, B's grid shows it taken.
    await pageB.locator(`[role=gridcell][data-start="${start}"][data-state="taken"]`).waitFor({ timeout: 1000 });
    await pageA.locator(`[role=gridcell][data-start="${start}"][data-state="mine"]`).waitFor();
    await expect(pageA.getByRole('list', { name: 'My upcoming bookings' }).textContent()).resolves.toContain(resource.name);

    // B tries anyway and is told why it failed; the grid still shows the truth.
    await pageB.getByRole('button', { name: /^Book / }).click();
    await expect(pageB.getByRole('alert').textContent()).resolves.toMatch(/Someone else booked that time/);
    await expect(cell(pageB, start).getAttribute('data-state')).resolves.toBe('taken');

    // A moves the booking (still selected) to 11:00; B sees both cells change within 1 s.
    const later = await localInstant(pageA, 1, 11);
    await cell(pageA, later).click();
    await pageA.getByRole('button', { name: 'Move booking here' }).click();
    await pageB.locator(`[role=gridcell][data-start="${later}"][data-state="taken"]`).waitFor({ timeout: 1000 });
    await pageB.locator(`[role=gridcell][data-start="${start}"][data-state="free"]`).waitFor({ timeout: 1000 });
    await pageA.locator(`[role=gridcell][data-start="${later}"][data-state="mine"]`).waitFor();

    // A cancels; within 1 s B sees the slot free again.
    await pageA.getByRole('button', { name: 'Cancel booking' }).click();
    await pageB.locator(`[role=gridcell][data-start="${later}"][data-state="free"]`).waitFor({ timeout: 1000 });
    await pageA.getByText('No upcoming bookings yet.').waitFor();
  });

  it('shows a banner while disconnected and silently catches up after reconnecting', async () => {
    const resource = await createResource(base, staffToken, `Resync room ${Date.now()}`);
    const page = await newPage({ timezoneId: 'UTC' });
    // Every Socket.IO websocket of the page goes through here, so the test can cut it.
    let offline = false;
    const open: WebSocketRoute[] = [];
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (offline) {
        void ws.close();
        return;
      }
      ws.connectToServer();
      open.push(ws);
    });
    const viewer = await registerUser(base, 'viewer');
    await signIn(page, { email: viewer.user.email, password: 'password123' });
    const start = await localInstant(page, 2, 9);
    await openResourceOn(page, resource, start);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);

    offline = true;
    await Promise.all(open.splice(0).map((ws) => ws.close()));
    await page.getByRole('alert').filter({ hasText: 'Connection lost' }).waitFor();
    await expect(page.getByRole('button', { name: 'Sign out' }).isEnabled()).resolves.toBe(true);

    // Booked while the page cannot hear about it: its slot:changed is lost to this page.
    const other = await registerUser(base, 'booker');
    const socket = await connectClient(base, other.token);
    try {
      unwrap(await send(socket, 'booking:create', { resourceId: resource.id, start, end: new Date(Date.parse(start) + 3_600_000).toISOString() }));
    } finally {
      socket.close();
    }
    await expect(cell(page, start).getAttribute('data-state')).resolves.toBe('free');

    offline = false;
    await page.locator(`[role=gridcell][data-start="${start}"][data-state="taken"]`).waitFor({ timeout: 10_000 });
    await expect(page.getByText('Connection lost').count()).resolves.toBe(0);

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

    const start = await localInstant(page, 1, 10);
    const end = await localInstant(page, 1, 11);
    await page.locator(`[role=gridcell][data-start="${start}"][data-state="mine"]`).waitFor();
    const token = await page.evaluate(() => {
      const stored: unknown = JSON.parse(localStorage.getItem('booking.auth') ?? 'null');
      return typeof stored === 'object' && stored !== null && 'token' in stored && typeof stored.token === 'string' ? stored.token : '';
    });
    const socket = await connectClient(base, token);
    try {
      const { bookings } = unwrap(await send(socket, 'bookings:mine', {}));
      expect(bookings.map((b) => [b.resourceId, b.start, b.end, b.status])).toEqual([[resource.id, start, end, 'active']]);
    } finally {
      socket.close();
    }
  });

  it('renders the grid with bookings to a PNG, on a desktop and a phone-sized screen', async () => {
    const resource = await createResource(base, staffToken, `Studio ${Date.now()}`);
    const other = await registerUser(base, 'other');
    const me = await registerUser(base, 'me');
    const page = await newPage({ timezoneId: 'Europe/London' });
    const at = (days: number, hour: number, minutes = 0) => localInstant(page, days, hour).then((iso) => new Date(Date.parse(iso) + minutes * 60_000).toISOString());
    const theirs = await connectClient(base, other.token);
    const mine = await connectClient(base, me.token);
    try {
      for (const [days, from, hours] of [
        [1, 9, 2],
        [2, 13, 1],
        [3, 10, 3],
        [5, 15, 1],
      ] as const) {
        unwrap(await send(theirs, 'booking:create', { resourceId: resource.id, start: await at(days, from), end: await at(days, from + hours) }));
      }
      unwrap(await send(mine, 'booking:create', { resourceId: resource.id, start: await at(1, 14), end: await at(1, 15, 30) }));
      unwrap(await send(mine, 'booking:create', { resourceId: resource.id, start: await at(4, 11), end: await at(4, 12) }));
    } finally {
      theirs.close();
      mine.close();
    }

    const desk = await http<{ resource: Resource }>(base, '/api/resources', { body: { name: `Standing desk ${Date.now()}`, type: 'desk' }, token: staffToken });
    expect(desk.status).toBe(201);

    await signIn(page, { email: me.user.email, password: 'password123' });
    // The type filter narrows the list (and the grid follows it).
    await page.getByRole('button', { name: new RegExp(`^${desk.body.resource.name} `) }).waitFor();
    await page.getByLabel('Type').selectOption('desk');
    const listed = await page.getByRole('list', { name: 'Resources' }).getByRole('button').allTextContents();
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((t) => t.endsWith('(desk)'))).toBe(true);
    await page.getByRole('grid', { name: `Availability of ${desk.body.resource.name}` }).waitFor();
    await page.getByLabel('Type').selectOption('');

    await page.getByRole('button', { name: new RegExp(`^${resource.name} `) }).click();
    await page.getByRole('button', { name: 'Next day' }).click();
    await page.getByRole('button', { name: 'Week', exact: true }).click();
    await page.locator('[role=grid][aria-busy=false]').waitFor();
    await page.locator('[role=gridcell][data-state="mine"]').first().waitFor();
    expect(await page.locator('[role=gridcell][data-state="taken"]').count()).toBe(4 + 2 + 6 + 2);
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
    await expect(page.locator('[role=gridcell][aria-selected=true]').count()).resolves.toBe(4);
    await expect(page.getByRole('button', { name: /^Book / }).textContent()).resolves.toMatch(/09:00–11:00$/);

    await page.locator(`[role=gridcell][data-start="${await at(1, 14, 30)}"]`).click();

    const desktop = artifactPath('web-grid.png');
    await page.screenshot({ path: desktop });
    const png = readFileSync(desktop);
    expect(pngSize(png)).toEqual({ width: 1280, height: 900 });
    expect(png.length).toBeGreaterThan(20_000);
    // The README's picture: written when missing (or asked for), so runs leave the tree clean.
    const docs = join(__dirname, '..', '..', 'docs');
    if (process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(join(docs, 'screenshot-web.png'))) {
      mkdirSync(docs, { recursive: true });
      copyFileSync(desktop, join(docs, 'screenshot-web.png'));
    }

    // Phone-sized: everything stacks, nothing scrolls sideways, the grid is still usable.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Day', exact: true }).click();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.locator('[role=gridcell][data-state="mine"]').first().waitFor();
    const phone = artifactPath('web-grid-phone.png');
    await page.screenshot({ path: phone });
    expect(pngSize(readFileSync(phone))?.width).toBe(390);
  });
});
