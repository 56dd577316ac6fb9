/**
 * The booking page's part of approval (issue 26), in a real browser (Chromium via playwright-core)
 * against a real in-process node, a real notifier (relay, worker, SMTP to a mail catcher) and the
 * run's MongoDB and Redis. Staff makes a room whose bookings always need approval, with one
 * approver. A books a time on the page: it is a request ("Awaiting approval" in My bookings), and
 * another person's grid shows the time occupied, as awaiting approval. The approver's page, opened
 * at `#approvals` (the approval email's link) before the request was made, lists it live and
 * declines it with a reason: A's page reads it declined with the reason, and the time is free
 * again. A books again, the approver approves: A's page shows it booked. On a room whose policy
 * may be overridden by approval (`outsidePolicy`, at most 60 minutes), a two-hour selection is
 * refused with the offer to request approval; "Request approval" makes it a pending request.
 * Axe-clean with the Approvals list, a pending booking and the Request approval prompt on screen.
 */
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import type { Booking, Resource } from '@booking/shared';
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { MailCatcher } from '../../scripts/lib/mail-catcher';
import { startNotificationService } from '../../server/src/notifier';
import type { Notifier } from '../../server/src/notifier';
import { artifactPath, axeViolations } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import { testConfig } from '../../test/support/env';
import { createResource, loginStaff, registerUser, send, unwrap } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { ensureWebBuilt } from './web-build';

jest.setTimeout(150_000);

/** How long a change made elsewhere may take to show (the page does not poll). */
const LIVE_MS = 15_000;
/** Holds last far longer than the test. */
const LONG = { HOLD_MINUTES: '30' };

const web = useBrowserSuite({
  build: [ensureWebBuilt],
  context: { locale: 'en-GB', timezoneId: 'UTC', viewport: { width: 1280, height: 1000 } },
});
const harness = useHarness({ label: 'web-approvals', env: LONG });
const sockets = useSockets();
let catcher: MailCatcher;
let notifier: Notifier;

beforeAll(async () => {
  catcher = await startMailCatcher();
  notifier = await startNotificationService({
    config: testConfig({
      db: harness.db,
      env: { NODE_ID: `${harness.db}-notifier`, SMTP_URL: catcher.smtpUrl, ...LONG },
    }),
    sweepIntervalMs: 500,
  });
}, 60_000);

afterAll(async () => {
  await notifier?.close();
  await catcher?.stop();
});

/** `hour`:00 UTC tomorrow, as the grid's data-start. */
const tomorrowAt = (hour: number): string =>
  DateTime.utc().startOf('day').plus({ days: 1 }).set({ hour }).toJSDate().toISOString();

async function signIn(page: Page, email: string, hash = ''): Promise<void> {
  await page.goto(`${harness.node.url}/${hash}`);
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

const cell = (page: Page, iso: string, extra = '') => page.locator(`[role=gridcell][data-start="${iso}"]${extra}`);

/** The person's bookings as the server holds them. */
async function mineOnServer(token: string): Promise<Booking[]> {
  const socket = await sockets.client(harness.node.url, token);
  const { bookings } = unwrap(await send(socket, 'bookings:mine', {}));
  socket.close();
  return bookings;
}

const toastSaying = (page: Page, text: RegExp) =>
  page.getByRole('status', { name: 'Notifications' }).getByText(text).first();

it('requests a booking that needs approval, and shows its decline, with the reason, and its approval live', async () => {
  const base = harness.node.url;
  const staff = await loginStaff(base);
  const approver = await registerUser(base, 'approver');
  const a = await registerUser(base, 'asker');
  const b = await registerUser(base, 'viewer');
  const room = await createResource(base, staff.token, `Approval room ${Date.now()}`, {
    policy: { approval: { required: 'always', approverIds: [approver.user.id] } },
  });
  const ten = tomorrowAt(10);

  // The approver's page is open at the email's link before anything is asked: nothing to decide yet.
  const pageP = await web.newPage(undefined, LIVE_MS);
  await signIn(pageP, approver.user.email, '#approvals');
  const approvalsP = pageP.getByRole('region', { name: 'Approvals' });
  await approvalsP.getByText('No requests are waiting for your decision.').waitFor();

  const pageA = await web.newPage(undefined, LIVE_MS);
  await signIn(pageA, a.user.email);
  await openTomorrow(pageA, room);
  const pageB = await web.newPage(undefined, LIVE_MS);
  await signIn(pageB, b.user.email);
  await openTomorrow(pageB, room);
  // A person who is no approver sees no Approvals section.
  await expect(pageA.getByRole('region', { name: 'Approvals' }).count()).resolves.toBe(0);

  // A selects 10:00 and books: it is said to need approval, and comes back as a request.
  const selectionA = pageA.getByRole('region', { name: 'Selection' });
  await cell(pageA, ten).click();
  await selectionA.getByText(/^Bookings of this resource need approval/).waitFor();
  await selectionA.getByText(/^Held for you for \d+:\d\d$/).waitFor();
  await selectionA.getByRole('button', { name: /^Book / }).click();
  await toastSaying(pageA, /^Requested: awaiting approval\./).waitFor();
  const requestsA = pageA.getByRole('list', { name: 'Your requests' });
  await requestsA.getByText(/^Awaiting approval, until /).waitFor();
  const first = (await mineOnServer(a.token)).filter((x) => x.status === 'pending');
  expect(first).toHaveLength(1);
  expect(first[0]).toMatchObject({ start: ten, resourceId: room.id });
  // The request occupies the time: B's grid shows it taken, as awaiting approval.
  await cell(pageB, ten, '[data-state="taken"][data-pending="true"]').waitFor();
  await expect(cell(pageB, ten).getAttribute('aria-label')).resolves.toMatch(/taken, awaiting approval$/);
  await cell(pageA, ten, '[data-state="mine"][data-pending="true"]').waitFor();
  expect(await axeViolations(pageA)).toEqual([]);
  await pageA.screenshot({ path: artifactPath('web-approval-pending.png') });

  // The approver's page heard it: the request is listed with who asked; axe-clean with the list.
  const requestP = approvalsP.getByRole('listitem').filter({ hasText: room.name });
  await requestP.getByText(/^Decide by /).waitFor();
  await expect(requestP.textContent()).resolves.toContain(`asker asks for ${room.name}`);
  expect(await axeViolations(pageP)).toEqual([]);

  // Declined, with a reason (an inline form, axe-clean too).
  await requestP.getByRole('button', { name: /^Decline asker/ }).click();
  await requestP.getByLabel(/^Reason/).fill('The room is being painted');
  expect(await axeViolations(pageP)).toEqual([]);
  await requestP.getByRole('button', { name: 'Decline request' }).click();
  await approvalsP
    .getByRole('status')
    .getByText(/^Declined: /)
    .waitFor();
  await approvalsP.getByText('No requests are waiting for your decision.').waitFor();
  // A's page reads it declined with the reason; the time is free again on both grids.
  await requestsA.getByText('Declined: The room is being painted').waitFor();
  await cell(pageB, ten, '[data-state="free"]').waitFor();
  await cell(pageA, ten, '[data-state="free"]').waitFor();
  const declined = (await mineOnServer(a.token)).find((x) => x.id === first[0]?.id);
  expect(declined).toMatchObject({
    status: 'declined',
    declineReason: 'The room is being painted',
    decidedBy: approver.user.id,
  });

  // A books again; the approver approves: A's page shows it booked, no longer awaiting approval.
  await cell(pageA, ten).click();
  await selectionA.getByText(/^Held for you for \d+:\d\d$/).waitFor();
  await selectionA.getByRole('button', { name: /^Book / }).click();
  await requestsA.getByText(/^Awaiting approval, until /).waitFor();
  await requestP.getByRole('button', { name: /^Approve asker/ }).click();
  await approvalsP
    .getByRole('status')
    .getByText(/^Approved: /)
    .waitFor();
  await pageA
    .getByRole('list', { name: 'My upcoming bookings' })
    .getByRole('button', { name: new RegExp(`^Cancel ${room.name}`) })
    .waitFor();
  await cell(pageA, ten, '[data-state="mine"]:not([data-pending])').waitFor();
  await cell(pageB, ten, '[data-state="taken"]:not([data-pending])').waitFor();
  await expect(requestsA.getByText(/^Awaiting approval/).count()).resolves.toBe(0);
  const approved = (await mineOnServer(a.token)).filter((x) => x.status === 'active');
  expect(approved).toHaveLength(1);
  expect(approved[0]).toMatchObject({ start: ten, decidedBy: approver.user.id });
});

it('offers "Request approval" for a selection longer than the policy allows, and makes it a request', async () => {
  const base = harness.node.url;
  const staff = await loginStaff(base);
  const a = await registerUser(base, 'long-asker');
  const room = await createResource(base, staff.token, `Outside policy room ${Date.now()}`, {
    policy: { maxMinutes: 60, approval: { required: 'outsidePolicy' } },
  });
  const ten = tomorrowAt(10);
  const noon = tomorrowAt(12);

  const pageA = await web.newPage(undefined, LIVE_MS);
  await signIn(pageA, a.user.email);
  await openTomorrow(pageA, room);
  const selection = pageA.getByRole('region', { name: 'Selection' });
  await expect(selection.getByText(/^Bookings of this resource need approval/).count()).resolves.toBe(0);

  // 10:00 to 12:00: two hours, over the 60 minutes allowed. The hold is refused, approvably.
  await cell(pageA, ten).click();
  await pageA.locator(`[role=gridcell][data-end="${noon}"]`).click({ modifiers: ['Shift'] });
  await selection.getByText(/^Selected: .*10:00–12:00/).waitFor();
  await selection
    .getByRole('alert')
    .getByText(/lasts 5 min to 1 h\. This needs an approver's agreement: you can request approval\.$/)
    .waitFor();
  const request = selection.getByRole('button', { name: 'Request approval' });
  await request.waitFor();
  expect(await axeViolations(pageA)).toEqual([]);
  await pageA.screenshot({ path: artifactPath('web-approval-request-prompt.png') });
  // (The first click's own half-hour may have been held and let go as the selection grew: cancelled.)
  const live = async () => (await mineOnServer(a.token)).filter((x) => x.status !== 'cancelled');
  expect(await live()).toEqual([]);

  await request.click();
  await toastSaying(pageA, /^Requested: awaiting approval\./).waitFor();
  await pageA
    .getByRole('list', { name: 'Your requests' })
    .getByText(/^Awaiting approval, until /)
    .waitFor();
  await cell(pageA, ten, '[data-state="mine"][data-pending="true"]').waitFor();
  const mine = await live();
  expect(mine.map((x) => [x.status, x.start, x.end])).toEqual([['pending', ten, noon]]);

  // A pending request can be cancelled from My bookings: the time is free again.
  await pageA
    .getByRole('list', { name: 'Your requests' })
    .getByRole('button', { name: new RegExp(`^Cancel request ${room.name}`) })
    .click();
  await cell(pageA, ten, '[data-state="free"]').waitFor();
  await pageA.getByRole('list', { name: 'Your requests' }).waitFor({ state: 'detached' });
  expect((await mineOnServer(a.token)).find((x) => x.id === mine[0]?.id)?.status).toBe('cancelled');
});

it('says a request that nobody decided in time expired, and shows its time free again', async () => {
  const base = harness.node.url;
  const staff = await loginStaff(base);
  const a = await registerUser(base, 'expiring-asker');
  // 0.002 h = 7.2 s: the notifier's timer marks it expired soon after.
  const room = await createResource(base, staff.token, `Expiring approval room ${Date.now()}`, {
    policy: { approval: { required: 'always', expireHours: 0.002 } },
  });
  const ten = tomorrowAt(10);
  const pageA = await web.newPage(undefined, LIVE_MS);
  await signIn(pageA, a.user.email);
  await openTomorrow(pageA, room);
  const selection = pageA.getByRole('region', { name: 'Selection' });
  await cell(pageA, ten).click();
  await selection.getByText(/^Held for you for \d+:\d\d$/).waitFor();
  await selection.getByRole('button', { name: /^Book / }).click();
  const requests = pageA.getByRole('list', { name: 'Your requests' });
  await requests.getByText(/^Awaiting approval, until /).waitFor();
  await cell(pageA, ten, '[data-state="mine"][data-pending="true"]').waitFor();
  await requests.getByText('Expired: nobody decided in time').waitFor({ timeout: 30_000 });
  await cell(pageA, ten, '[data-state="free"]').waitFor();
  expect((await mineOnServer(a.token)).map((x) => x.status)).toEqual(['expired']);
});

it('says when a request was decided by someone else first, and lists what is left', async () => {
  const base = harness.node.url;
  const staff = await loginStaff(base);
  const approver = await registerUser(base, 'slow-approver');
  const a = await registerUser(base, 'decided-asker');
  const room = await createResource(base, staff.token, `Decided elsewhere room ${Date.now()}`, {
    policy: { approval: { required: 'always', approverIds: [approver.user.id] } },
  });
  const asker = await sockets.client(base, a.token);
  const request = unwrap(
    await send(asker, 'booking:create', { resourceId: room.id, start: tomorrowAt(9), end: tomorrowAt(10) }),
  ).booking;
  expect(request.status).toBe('pending');

  // The approver's page hears nothing live from here on (its socket's events are dropped), so its
  // list still shows the request after staff approved it elsewhere.
  const pageP = await web.newPage(undefined, LIVE_MS);
  let deaf = false;
  await pageP.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => {
      if (deaf && typeof m === 'string' && /^42\["(slot:changed|notification)"/.test(m)) return;
      ws.send(m);
    });
  });
  await signIn(pageP, approver.user.email, '#approvals');
  const approvalsP = pageP.getByRole('region', { name: 'Approvals' });
  const item = approvalsP.getByRole('listitem').filter({ hasText: room.name });
  await item.getByText(/^Decide by /).waitFor();
  deaf = true;
  const admin = await sockets.client(base, staff.token, '/admin');
  unwrap(await send(admin, 'booking:approve', { bookingId: request.id }));

  await item.getByRole('button', { name: /^Decline decided-asker/ }).click();
  await item.getByRole('button', { name: 'Decline request' }).click();
  await approvalsP
    .getByRole('status')
    .getByText(/^That request is no longer awaiting a decision: someone else decided it/)
    .waitFor();
  await approvalsP.getByText('No requests are waiting for your decision.').waitFor();
  const after = (await mineOnServer(a.token)).find((x) => x.id === request.id);
  expect(after).toMatchObject({ status: 'active', decidedBy: staff.user.id });
});
