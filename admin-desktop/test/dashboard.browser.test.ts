/**
 * The dashboard page in Debian's Chromium (playwright-core) against a live in-process server
 * that serves it at /admin: staff sign-in, a user's booking appearing live, a cancel from the
 * UI reaching the user's socket, the timeline following bookings from `slot:changed` alone
 * (no snapshot re-read but on a version gap), staff actions through the forms, and a screenshot.
 */
import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import type { Resource, SlotChanged } from '@booking/shared';
import { artifactPath, axeViolations, pngSize } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import {
  createResource,
  http,
  loginStaff,
  registerUser,
  send,
  sendAdmin,
  slot,
  unwrap,
} from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { waitFor } from '../../test/support/wait';
import { ensureWebBuilt } from '../../web/test/web-build';
import { ensureRendererBuilt } from './support/admin-build';

const ui = useBrowserSuite({
  build: [ensureRendererBuilt, ensureWebBuilt],
  context: { viewport: { width: 1440, height: 1000 } },
  timeoutMs: 60_000,
});
const h = useHarness({ label: 'admin-ui' }, 60_000);
const sockets = useSockets();
let staffToken: string;

beforeAll(async () => {
  staffToken = (await loginStaff(h.node.url)).token;
});

/** Playwright's own default: the dashboard's waits name their timeouts where they want less. */
const PAGE_TIMEOUT_MS = 30_000;

async function signedInPage(date: string): Promise<Page> {
  // useBrowserSuite's afterEach asserts no CSP violation: the dashboard draws its timeline with
  // positioned elements, and a style the CSP refused would leave every booking at the left edge
  // without any other error.
  const page = await ui.newPage(undefined, PAGE_TIMEOUT_MS);
  await page.addInitScript(recordSnapshotReads);
  await page.goto(`${h.node.url}/admin/`);
  await page.fill('input[name=email]', 'staff@example.com');
  await page.fill('input[name=password]', 'staff-password');
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=connection].live', { timeout: 10_000 });
  await page.fill('#day', date);
  await page.dispatchEvent('#day', 'change');
  return page;
}

it('refuses a non-staff sign-in on the page', async () => {
  const user = await registerUser(h.node.url, 'visitor');
  // The sign-in screen is the first thing every staff member sees: it too must keep to the CSP.
  const page = await ui.newPage({ viewport: { width: 1280, height: 720 } }, PAGE_TIMEOUT_MS);
  try {
    await page.goto(`${h.node.url}/admin/`);
    await page.fill('input[name=email]', user.user.email);
    await page.fill('input[name=password]', 'password123');
    await page.click('button[type=submit]');
    await page.waitForSelector('text=This account is not staff.', { timeout: 10_000 });
    expect(await page.evaluate(() => window.localStorage.getItem('booking-admin-token'))).toBeNull();
  } finally {
    await page.close();
  }
}, 30_000);

it("shows a user's booking live and cancels it from the UI; the user's socket hears released", async () => {
  const room = await createResource(h.node.url, staffToken, 'Aurora');
  const user = await registerUser(h.node.url, 'Lin');
  const when = slot(2);
  const page = await signedInPage(when.start.slice(0, 10));
  try {
    await page.waitForSelector(`.tl-row[data-resource-id="${room.id}"]`);
    const u = await sockets.client(h.node.url, user.token);
    const heard: SlotChanged[] = [];
    u.on('slot:changed', (e) => heard.push(e));

    const booked = unwrap(await send(u, 'booking:create', { resourceId: room.id, ...when }));
    const block = `[data-testid=booking-block][data-booking-id="${booked.booking.id}"]`;
    // Live: no reload, the slot:changed push brings it.
    await page.waitForSelector(block, { timeout: 10_000 });
    expect(await page.textContent(block)).toContain('Lin');

    await page.click(block);
    await page.waitForSelector(`[data-testid=selected-booking][data-booking-id="${booked.booking.id}"]`);
    await page.click('[data-testid=cancel-booking]');
    await waitFor(
      'released on the user socket',
      () => heard.find((e) => e.bookingId === booked.booking.id && e.change === 'released'),
      10_000,
    );
    await page.waitForSelector(block, { state: 'detached', timeout: 10_000 });
    const mine = unwrap(await send(u, 'bookings:mine', {}));
    expect(mine.bookings.find((b) => b.id === booked.booking.id)?.status).toBe('cancelled');
  } finally {
    await page.close();
  }
}, 30_000);

/**
 * Runs in the page before its scripts: records the day of every `dashboard:snapshot` the page
 * sends (the socket's text frames), so a test can see what it asked for, in order.
 */
function recordSnapshotReads(): void {
  const reads: string[] = [];
  Object.assign(window, { snapshotReads: reads });
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: WebSocket, data: string | ArrayBufferLike | Blob | ArrayBufferView) {
    const day = typeof data === 'string' ? /"dashboard:snapshot",\{"date":"([^"]+)"/.exec(data)?.[1] : undefined;
    if (day) reads.push(day);
    return send.call(this, data);
  };
}

/** The days the page asked `dashboard:snapshot` for, in order (see `recordSnapshotReads`). */
function snapshotReads(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { snapshotReads: string[] }).snapshotReads);
}

/** `dashboard:snapshot` commands the node has answered, from its /metrics (every outcome). */
async function snapshotsAnswered(): Promise<number> {
  const text = await (await fetch(`${h.node.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('booking_commands_total{') && line.includes('event="dashboard:snapshot"'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

it('follows a booking, a move and a cancel from slot:changed without re-reading the snapshot, and re-reads on a version gap', async () => {
  const room = await createResource(h.node.url, staffToken, 'Cedar');
  const when = slot(26); // a later day than today, so the stats push never touches this view
  const date = when.start.slice(0, 10);
  const early = await registerUser(h.node.url, 'Early');
  const earlySocket = await sockets.client(h.node.url, early.token);
  const first = unwrap(
    await send(earlySocket, 'booking:create', {
      resourceId: room.id,
      start: `${date}T06:00:00.000Z`,
      end: `${date}T07:00:00.000Z`,
    }),
  );
  const page = await signedInPage(date);
  try {
    // This booking is only in the chosen day's snapshot: once it shows, that read has landed.
    await page.waitForSelector(`[data-testid=booking-block][data-booking-id="${first.booking.id}"]`, {
      timeout: 10_000,
    });
    // Choosing the day already shown reads nothing again (signedInPage already sent two change
    // events for it: the fill's and its own). A second read sent here would be answered after the
    // count below and look like a re-read.
    await page.dispatchEvent('#day', 'change');
    expect((await snapshotReads(page)).filter((d) => d === date)).toEqual([date]);
    const before = await snapshotsAnswered();
    expect(before).toBeGreaterThanOrEqual(2); // today on connect, then the chosen day

    // Someone who signed up after the dashboard loaded its users: the name is looked up.
    const noor = await registerUser(h.node.url, 'Noor');
    const u = await sockets.client(h.node.url, noor.token);
    const booked = unwrap(
      await send(u, 'booking:create', {
        resourceId: room.id,
        start: `${date}T10:00:00.000Z`,
        end: `${date}T11:00:00.000Z`,
      }),
    );
    const block = `[data-testid=booking-block][data-booking-id="${booked.booking.id}"]`;
    await page.waitForSelector(`${block}:has-text("Noor")`, { timeout: 10_000 });
    expect(await page.getAttribute(block, 'title')).toContain('10:00–11:00');

    unwrap(
      await send(u, 'booking:modify', {
        bookingId: booked.booking.id,
        start: `${date}T12:00:00.000Z`,
        end: `${date}T13:30:00.000Z`,
      }),
    );
    await page.waitForSelector(`${block}[title*="12:00–13:30"]`, { timeout: 10_000 });

    unwrap(await send(u, 'booking:cancel', { bookingId: booked.booking.id }));
    await page.waitForSelector(block, { state: 'detached', timeout: 10_000 });
    await page.waitForSelector(`[data-testid=booking-block][data-booking-id="${first.booking.id}"]`);
    // Every change above came from the pushed events alone.
    expect(await snapshotsAnswered()).toBe(before);

    // A version far ahead of the last one seen means broadcasts were lost: the day is read again.
    h.node.io.of('/admin').emit('slot:changed', {
      resourceId: room.id,
      bookingId: booked.booking.id,
      change: 'released',
      start: `${date}T12:00:00.000Z`,
      end: `${date}T13:30:00.000Z`,
      version: 1000,
      at: new Date().toISOString(),
      userId: noor.user.id,
      quantity: 1,
      status: 'cancelled',
    });
    await waitFor('a snapshot re-read after the gap', async () => (await snapshotsAnswered()) === before + 1, 10_000);
  } finally {
    await page.close();
  }
}, 30_000);

it('creates a resource and a booking on behalf of a user through the forms, then screenshots the dashboard', async () => {
  const admin = await sockets.admin(h.node.url, staffToken);
  const ada = await registerUser(h.node.url, 'Ada');
  const grace = await registerUser(h.node.url, 'Grace');
  const when = slot(26); // tomorrow or later: a whole day ahead, in the future whatever the hour
  const date = when.start.slice(0, 10);
  const desk = await createResource(h.node.url, staffToken, 'Desk 7');
  const room = await createResource(h.node.url, staffToken, 'Boardroom');
  // Some bookings so the screenshot shows a real day.
  for (const [r, user, hour, len] of [
    [desk, ada, 9, 2],
    [room, grace, 10, 1],
    [room, ada, 13, 3],
  ] as const) {
    const start = new Date(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);
    unwrap(
      await sendAdmin(admin, 'booking:create', {
        resourceId: r.id,
        userId: user.user.id,
        start: start.toISOString(),
        end: new Date(start.getTime() + len * 3_600_000).toISOString(),
      }),
    );
  }

  const page = await signedInPage(date);
  try {
    await page.waitForSelector(`.tl-row[data-resource-id="${room.id}"]`);
    // A new resource through the form.
    await page.fill('input[aria-label="new resource name"]', 'Projector');
    await page.fill('input[aria-label="new resource type"]', 'equipment');
    await page.click('form.res-row.new button[type=submit]');
    const projectorRow = await page.waitForSelector('.tl-row:has-text("Projector")', { timeout: 10_000 });
    const projectorId = await projectorRow.getAttribute('data-resource-id');
    expect(projectorId).toBeTruthy();

    // A booking on behalf of Grace through the form, 15:00–16:30 on the chosen day in the resource's zone (UTC).
    await page.waitForSelector(`select[aria-label=user] option[value="${grace.user.id}"]`, { state: 'attached' });
    await page.selectOption('select[aria-label=user]', grace.user.id);
    await page.selectOption('select[aria-label=resource]', projectorId ?? '');
    await page.fill('input[aria-label="start time (local)"]', '15:00');
    await page.fill('input[aria-label=minutes]', '90');
    await page.click('[data-testid=book-form] button[type=submit]');
    await page.waitForSelector(
      `.tl-row[data-resource-id="${projectorId}"] [data-testid=booking-block]:has-text("Grace")`,
      { timeout: 10_000 },
    );
    const snap = unwrap(await sendAdmin(admin, 'dashboard:snapshot', { date }));
    const made = snap.bookings.find((b) => b.resourceId === projectorId);
    expect(made).toMatchObject({
      userId: grace.user.id,
      userName: 'Grace',
      start: `${date}T15:00:00.000Z`,
      end: `${date}T16:30:00.000Z`,
    });

    // Stats arrive from the push.
    await page.waitForSelector('[data-testid=stat-nodes]:has-text("1")', { timeout: 8000 });

    // Select a booking so the screenshot shows the details panel too.
    await page.click(`.tl-row[data-resource-id="${room.id}"] [data-testid=booking-block]:has-text("Ada")`);
    await page.waitForSelector('[data-testid=selected-booking]');
    const shot = artifactPath('admin-dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    const png = readFileSync(shot);
    const size = pngSize(png);
    expect(size).not.toBeNull();
    expect(size?.width).toBeGreaterThanOrEqual(1000);
    expect(png.length).toBeGreaterThan(10_000);

    // Deleting a resource with a future booking is refused, and the page says so.
    page.once('dialog', (d) => void d.accept());
    await page.click(`form.res-row[data-resource-id="${projectorId}"] button.danger`);
    await page.waitForSelector('[data-testid=status]:has-text("INVALID_STATE")', { timeout: 10_000 });
  } finally {
    await page.close();
  }
}, 30_000);

// These come last: a resource in another zone widens every later refresh to more UTC days,
// which the snapshot counts above do not expect.

/** A resource in `timeZone` open `open`–`close` every day, through the HTTP API. */
async function zonedResource(name: string, timeZone: string, open: string, close: string): Promise<Resource> {
  const w: [string, string][] = [[open, close]];
  const res = await http<{ resource: Resource }>(h.node.url, '/api/resources', {
    body: {
      name,
      type: 'room',
      timeZone,
      policy: { openingHours: { mon: w, tue: w, wed: w, thu: w, fri: w, sat: w, sun: w } },
    },
    token: staffToken,
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.resource;
}

it("draws each resource's day in its own zone with its closed time, and passes axe (WCAG 2.1 AA)", async () => {
  const date = DateTime.now().plus({ days: 3 }).toISODate() ?? '';
  const york = await zonedResource(`Hudson ${Date.now()}`, 'America/New_York', '09:00', '22:00');
  const user = await registerUser(h.node.url, 'Evening');
  await sockets.client(h.node.url, user.token);
  // 20:00–21:00 in New York is on the next UTC day: the timeline still shows it on this date.
  const at = (hour: number) =>
    DateTime.fromISO(`${date}T${String(hour).padStart(2, '0')}:00`, { zone: 'America/New_York' })
      .toUTC()
      .toJSDate()
      .toISOString();
  const staffSocket = await sockets.admin(h.node.url, staffToken);
  const evening = unwrap(
    await sendAdmin(staffSocket, 'booking:create', {
      resourceId: york.id,
      userId: user.user.id,
      start: at(20),
      end: at(21),
    }),
  );
  expect(at(20).slice(0, 10)).not.toBe(date);
  const morning = unwrap(
    await sendAdmin(staffSocket, 'booking:create', {
      resourceId: york.id,
      userId: user.user.id,
      start: at(10),
      end: at(11),
    }),
  );
  const page = await signedInPage(date);
  try {
    const lane = `.tl-row[data-resource-id="${york.id}"] .tl-lane`;
    await page.waitForSelector(`${lane}[data-zone="America/New_York"]`);
    await page.waitForSelector(`${lane} [data-booking-id="${evening.booking.id}"]`);
    await expect(page.getAttribute(`${lane} [data-booking-id="${evening.booking.id}"]`, 'title')).resolves.toContain(
      '20:00–21:00 America/New_York',
    );
    await page.waitForSelector(`${lane} [data-booking-id="${morning.booking.id}"]`);
    // Closed: local midnight to 09:00 and 22:00 to midnight, as instants of New York's day.
    const spans = await page.$$eval(`${lane} [data-testid=closed-span]`, (els) =>
      els.map((el) => [el.getAttribute('data-start'), el.getAttribute('data-end')]),
    );
    expect(spans).toEqual([
      [at(0), at(9)],
      [at(22), DateTime.fromISO(date, { zone: 'America/New_York' }).plus({ days: 1 }).toUTC().toJSDate().toISOString()],
    ]);
    // A UTC resource has no closed time.
    const plain = await createResource(h.node.url, staffToken, `Plain ${Date.now()}`);
    await page.reload();
    await page.waitForSelector('[data-testid=connection].live');
    await page.fill('#day', date);
    await page.dispatchEvent('#day', 'change');
    await page.waitForSelector(`.tl-row[data-resource-id="${plain.id}"]`);
    await page.waitForSelector(`${lane} [data-booking-id="${evening.booking.id}"]`);
    await expect(page.$$(`.tl-row[data-resource-id="${plain.id}"] [data-testid=closed-span]`)).resolves.toHaveLength(0);

    // Accessibility, with a policy editor open and a status line showing.
    await page.click(`details.policy[data-resource-id="${york.id}"] summary`);
    await page.waitForSelector(`[data-testid=policy-editor][data-resource-id="${york.id}"]`, { state: 'visible' });
    expect(await axeViolations(page)).toEqual([]);
  } finally {
    await page.close();
  }
}, 40_000);

it("edits a resource's policy with inline validation, and the booking page's grid follows live", async () => {
  const room = await createResource(h.node.url, staffToken, `Follow ${Date.now()}`);
  const user = await registerUser(h.node.url, 'Viewer');
  const booking = await ui.newPage(
    { timezoneId: 'America/New_York', locale: 'en-GB', viewport: { width: 1280, height: 720 } },
    PAGE_TIMEOUT_MS,
  );
  const admin = await signedInPage(DateTime.now().plus({ days: 1 }).toISODate() ?? '');
  try {
    await booking.goto(h.node.url);
    await booking.getByLabel('Email').fill(user.user.email);
    await booking.getByLabel('Password').fill('password123');
    await booking.getByRole('button', { name: 'Sign in', exact: true }).last().click();
    await booking.getByRole('button', { name: new RegExp(`^${room.name} `) }).click();
    await booking.getByRole('button', { name: 'Next day' }).click();
    const day = DateTime.now().setZone('UTC').plus({ days: 1 });
    const cellAt = (hour: number) =>
      booking.locator(
        `[role=gridcell][data-start="${day.set({ hour, minute: 0, second: 0, millisecond: 0 }).toJSDate().toISOString()}"]`,
      );
    await booking.locator('[role=grid][aria-busy=false]').waitFor();
    await expect(cellAt(8).getAttribute('data-state')).resolves.toBe('free');

    const editor = `[data-testid=policy-editor][data-resource-id="${room.id}"]`;
    await admin.click(`details.policy[data-resource-id="${room.id}"] summary`);
    // Inline validation before anything is sent: a zone that is not one, an hour that is not one.
    await admin.fill(`${editor} [data-field=timeZone]`, 'Mars/Olympus');
    await admin.uncheck(`${editor} input[type=checkbox]`);
    await admin.fill(`${editor} [data-field="hours.mon"]`, '25:00-26:00');
    await admin.click(`${editor} button[type=submit]`);
    await admin.waitForSelector(`${editor} [data-field=timeZone][aria-invalid=true]`);
    await expect(admin.textContent(`#pol-${room.id}-timeZone-error`)).resolves.toMatch(/IANA time zone/);
    await expect(admin.textContent(`#pol-${room.id}-hours-mon-error`)).resolves.toMatch(/HH:MM/);
    const reader = await sockets.client(h.node.url, user.token);
    const unchanged = unwrap(await send(reader, 'resources:list', {}));
    expect(unchanged.resources.find((r) => r.id === room.id)?.policy.openingHours).toBeNull();

    // 10:00–12:00 every day, UTC.
    await admin.fill(`${editor} [data-field=timeZone]`, 'UTC');
    for (const d of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])
      await admin.fill(`${editor} [data-field="hours.${d}"]`, '10:00-12:00');
    // The week picture follows the typing: one open stretch per day.
    await expect(admin.$$(`${editor} .week-open`)).resolves.toHaveLength(7);
    await admin.click(`${editor} button[type=submit]`);
    await admin.waitForSelector('[data-testid=status]:has-text("saved")', { timeout: 10_000 });
    await expect(admin.$$(`${editor} [aria-invalid=true]`)).resolves.toHaveLength(0);

    // The page hears resource:changed: 08:00 closes and 10:00 stays free, without a reload.
    await booking
      .locator(
        `[role=gridcell][data-start="${day.set({ hour: 8, minute: 0, second: 0, millisecond: 0 }).toJSDate().toISOString()}"][data-state=closed]`,
      )
      .waitFor({ timeout: 5000 });
    await expect(cellAt(10).getAttribute('data-state')).resolves.toBe('free');
    await expect(cellAt(12).getAttribute('data-state')).resolves.toBe('closed');
  } finally {
    await admin.close();
    await booking.close();
  }
}, 40_000);

it('shows a series as such, cancels it from one occurrence on from the UI, and passes axe', async () => {
  const room = await createResource(h.node.url, staffToken, 'Series hall');
  const user = await registerUser(h.node.url, 'Ren');
  const first = slot(3);
  const u = await sockets.client(h.node.url, user.token);
  // Three daily occurrences; the dashboard shows the second one's day.
  const series = unwrap(
    await send(u, 'booking:createSeries', {
      resourceId: room.id,
      ...first,
      repeat: { every: 'day', count: 3 },
      onConflict: 'fail',
    }),
  );
  const [, second, third] = series.bookings;
  if (!second || !third) throw new Error('expected three occurrences');
  const page = await signedInPage(second.start.slice(0, 10));
  try {
    const block = `[data-testid=booking-block][data-booking-id="${second.id}"]`;
    await page.waitForSelector(`${block}[data-series-id="${series.seriesId}"]`, { timeout: 10_000 });
    expect(await page.textContent(block)).toContain('↻ Ren');
    await page.click(block);
    await page.waitForSelector(`[data-testid=selected-booking][data-booking-id="${second.id}"]`);
    expect(await page.textContent('[data-testid=series-id]')).toContain(series.seriesId);
    expect(await axeViolations(page)).toEqual([]);

    await page.click('[data-testid=cancel-series]');
    await waitFor(
      'the rest cancelled',
      async () => {
        const mine = unwrap(await send(u, 'bookings:mine', {})).bookings;
        const status = new Map(mine.map((b) => [b.id, b.status]));
        return status.get(second.id) === 'cancelled' && status.get(third.id) === 'cancelled' ? true : null;
      },
      10_000,
    );
    await page.waitForSelector(block, { state: 'detached', timeout: 10_000 });
    const mine = unwrap(await send(u, 'bookings:mine', {})).bookings;
    expect(mine.find((b) => b.id === series.bookings[0]?.id)?.status).toBe('active');
  } finally {
    await page.close();
  }
}, 30_000);

it('marks a booking awaiting check-in on the timeline and counts the day’s no-show releases per resource, axe clean', async () => {
  const res = await http<{ resource: Resource }>(h.node.url, '/api/resources', {
    body: { name: 'Huddle', type: 'room', policy: { checkIn: { windowMinutes: 15 } } },
    token: staffToken,
  });
  const room = res.body.resource;
  const user = await registerUser(h.node.url, 'Noor');
  // A few minutes ahead: the booking is made after the page has signed in, which takes seconds on a
  // busy machine, and a start already past is refused (`past`). Awaiting check-in holds until
  // start + window either way.
  const start = Math.ceil((Date.now() + 3 * 60_000) / 60_000) * 60_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const page = await signedInPage(iso(start).slice(0, 10));
  try {
    await page.waitForSelector(`.tl-row[data-resource-id="${room.id}"]`);
    const u = await sockets.client(h.node.url, user.token);
    const booked = unwrap(
      await send(u, 'booking:create', { resourceId: room.id, start: iso(start), end: iso(start + 30 * 60_000) }),
    ).booking;
    const block = `[data-testid=booking-block][data-booking-id="${booked.id}"]`;
    await page.waitForSelector(`${block}[data-awaiting-check-in=true]`, { timeout: 10_000 });
    expect(await page.getAttribute(block, 'title')).toMatch(/awaiting check-in until \d\d:\d\d/);

    // A booking of the same room released as a no-show (the release itself is
    // tested with a real notifier in server/test/check-in.test.ts): the stats count it.
    await h.node.models.Booking.create({
      resourceId: room.id,
      userId: user.user.id,
      // Same start (so the same day whatever the hour); a cancelled booking takes no time.
      start: new Date(start),
      end: new Date(start + 10 * 60_000),
      status: 'cancelled',
      cancelReason: 'no-show',
    });
    const row = `[data-testid=no-shows] tr[data-resource-id="${room.id}"]`;
    await page.waitForSelector(row, { timeout: 15_000 });
    expect((await page.textContent(row))?.replace(/\s+/g, ' ')).toBe('Huddle1100%');
    expect(await axeViolations(page)).toEqual([]);
  } finally {
    await page.close();
  }
}, 40_000);
