/**
 * The booking page's part of holds and the waitlist (issue 25), in a real browser (Debian's
 * Chromium via playwright-core) against a real in-process node, a real notifier (relay, worker,
 * SMTP to a mail catcher) and the run's MongoDB and Redis. Two people, each on their own page:
 * A selects a time, which holds it (a countdown; B's live grid shows it taken, as held); A's Book
 * confirms the hold; B chooses the taken time and joins its waitlist; A cancels from My bookings,
 * which offers the time to B in the same transaction: B's page hears the `waitlist.offered`
 * notification, lists the offer with its countdown and focuses its Confirm; the offer email's
 * link (`#offer=<id>`) opens the page on it too; B confirms and holds the booking. Axe-clean
 * with the hold, the waitlist entry and the offer on screen.
 */
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import type { Resource } from '@booking/shared';
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { MailCatcher } from '../../scripts/lib/mail-catcher';
import { startNotificationService } from '../../server/src/notifier';
import type { Notifier } from '../../server/src/notifier';
import { artifactPath, axeViolations } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import { testConfig } from '../../test/support/env';
import { createResource, loginStaff, registerUser, send, unwrap } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { waitFor } from '../../test/support/wait';
import { ensureWebBuilt } from './web-build';

jest.setTimeout(120_000);

/** How long a change made elsewhere may take to show (the page does not poll). */
const LIVE_MS = 15_000;
/** Holds and offers last far longer than the test: nothing runs out mid-way. */
const LONG = { HOLD_MINUTES: '30', WAITLIST_OFFER_MINUTES: '30' };

const web = useBrowserSuite({
  build: [ensureWebBuilt],
  context: { locale: 'en-GB', timezoneId: 'UTC', viewport: { width: 1280, height: 900 } },
});
const harness = useHarness({ label: 'web-holds', env: LONG });
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

/** The person's bookings and waitlist entries as the server holds them. */
async function serverSide(token: string, base = harness.node.url) {
  const socket = await sockets.client(base, token);
  const { bookings } = unwrap(await send(socket, 'bookings:mine', {}));
  const { entries } = unwrap(await send(socket, 'waitlist:mine', {}));
  socket.close();
  return { bookings, entries };
}

it('holds a selected time with a countdown, books it, and offers it to the waitlist live when it is cancelled', async () => {
  const base = harness.node.url;
  const staff = await loginStaff(base);
  const room = await createResource(base, staff.token, `Waitlist room ${Date.now()}`);
  const a = await registerUser(base, 'holder');
  const b = await registerUser(base, 'waiter');
  const ten = tomorrowAt(10);
  const eleven = tomorrowAt(11);

  const pageA = await web.newPage(undefined, LIVE_MS);
  await signIn(pageA, a.user.email);
  await openTomorrow(pageA, room);
  const pageB = await web.newPage(undefined, LIVE_MS);
  await signIn(pageB, b.user.email);
  await openTomorrow(pageB, room);

  // A selects 11:00, then 10:00 instead: each is held for A in turn (with a countdown), and the
  // first let go when the selection moves on; B's grid follows both, live.
  const selectionA = pageA.getByRole('region', { name: 'Selection' });
  await cell(pageA, eleven).click();
  await selectionA.getByText(/^Held for you for \d+:\d\d$/).waitFor();
  await cell(pageB, eleven, '[data-state="taken"][data-held="true"]').waitFor();
  await cell(pageA, ten).click();
  await cell(pageB, ten, '[data-state="taken"][data-held="true"]').waitFor();
  await cell(pageB, eleven, '[data-state="free"]').waitFor();
  await selectionA.getByText(/^Held for you for \d+:\d\d$/).waitFor();
  await expect(cell(pageB, ten).innerText()).resolves.toBe('Held');
  // To A it is still the selection, not a taken time.
  await cell(pageA, ten, '[data-state="free"].selected').waitFor();
  const firstHolds = (await serverSide(a.token)).bookings;
  expect(firstHolds.map((x) => [x.start, x.status]).sort()).toEqual([
    [ten, 'held'],
    [eleven, 'cancelled'],
  ]);
  const held = firstHolds.filter((x) => x.status === 'held');
  const holdEnds = Date.parse(held[0]?.expiresAt ?? '');
  expect(holdEnds - Date.now()).toBeGreaterThan(25 * 60_000);
  // Said once when it starts (not every second): until when it is held.
  await expect(pageA.getByTestId('hold-announcement').textContent()).resolves.toMatch(
    /^Held for you until \d\d:\d\d\./,
  );
  // A's own hold is listed under My bookings with its countdown and Confirm.
  const heldA = pageA.getByRole('list', { name: 'Held for you' });
  await heldA.getByRole('button', { name: new RegExp(`^Confirm ${room.name}`) }).waitFor();
  expect(await axeViolations(pageA)).toEqual([]);
  await pageA.screenshot({ path: artifactPath('web-hold-countdown.png') });

  // Book confirms the hold: the same booking, active; B's grid shows it taken, no longer held.
  await selectionA.getByRole('button', { name: /^Book / }).click();
  await cell(pageA, ten, '[data-state="mine"]').waitFor();
  await cell(pageB, ten, '[data-state="taken"]:not([data-held])').waitFor();
  const booked = (await serverSide(a.token)).bookings.filter((x) => x.status !== 'cancelled');
  expect(booked.map((x) => [x.id, x.status])).toEqual([[held[0]?.id, 'active']]);
  await heldA.waitFor({ state: 'detached' });

  // B chooses the taken time: why nothing is selected, and "Join the waitlist"; B joins.
  await cell(pageB, ten).click({ force: true });
  await expect(pageB.getByRole('alert').textContent()).resolves.toBe(
    'That time is already booked by someone else. Pick a free time.',
  );
  await pageB.getByRole('button', { name: 'Join the waitlist' }).click();
  await pageB
    .getByRole('status', { name: 'Notifications' })
    .getByText('You are on the waitlist; we will hold it for you if it frees up.')
    .waitFor();
  const waitlistB = pageB.getByRole('list', { name: 'Waitlist' });
  await waitlistB.getByRole('button', { name: new RegExp(`^Leave the waitlist for ${room.name}`) }).waitFor();
  await expect(waitlistB.getByRole('listitem').textContent()).resolves.toContain('Waiting');
  await expect(pageB.getByRole('button', { name: 'Join the waitlist' }).count()).resolves.toBe(0);
  const entries = (await serverSide(b.token)).entries;
  expect(entries.map((e) => [e.status, e.start, e.end])).toEqual([['waiting', ten, booked[0]?.end]]);
  expect(await axeViolations(pageB)).toEqual([]);

  // A cancels from My bookings: the time is offered to B, whose page hears it and focuses Confirm.
  await pageA
    .getByRole('list', { name: 'My upcoming bookings' })
    .getByRole('button', { name: new RegExp(`^Cancel ${room.name}`) })
    .click();
  const heldB = pageB.getByRole('list', { name: 'Held for you' });
  const confirmB = heldB.getByRole('button', { name: new RegExp(`^Confirm ${room.name}`) });
  await confirmB.waitFor();
  await waitFor('the offer focused', () => confirmB.evaluate((el) => el === el.ownerDocument.activeElement), LIVE_MS);
  await expect(heldB.getByRole('listitem').textContent()).resolves.toMatch(
    /Offered from the waitlist: held for you for \d+:\d\d/,
  );
  await waitlistB.getByText('Offered to you: confirm it above').waitFor();
  // B's grid shows it as B's (the offer holds it for B), A's as taken by a hold.
  await cell(pageB, ten, '[data-state="mine"][data-held="true"]').waitFor();
  await expect(cell(pageB, ten).innerText()).resolves.toBe('Held for you');
  await cell(pageA, ten, '[data-state="taken"][data-held="true"]').waitFor();
  const offered = (await serverSide(b.token)).bookings;
  expect(offered).toHaveLength(1);
  expect(offered[0]).toMatchObject({ status: 'held', start: ten, waitlistEntryId: entries[0]?.id });
  const offerId = offered[0]?.id ?? '';
  expect(await axeViolations(pageB)).toEqual([]);
  await pageB.screenshot({ path: artifactPath('web-waitlist-offer.png') });

  // The offer email's link opens the page on the offer, in a page of its own.
  const linked = await web.newPage(undefined, LIVE_MS);
  await signIn(linked, b.user.email, `#offer=${offerId}`);
  await linked
    .getByRole('status')
    .filter({ hasText: /^The time you waited for is held for you: / })
    .waitFor();
  const confirmLinked = linked
    .getByRole('list', { name: 'Held for you' })
    .getByRole('button', { name: new RegExp(`^Confirm ${room.name}`) });
  await waitFor(
    'the linked offer focused',
    () => confirmLinked.evaluate((el) => el === el.ownerDocument.activeElement),
    LIVE_MS,
  );
  expect(await axeViolations(linked)).toEqual([]);

  // B confirms: the booking is B's, active; the entry is booked.
  await confirmB.click();
  await pageB
    .getByRole('list', { name: 'My upcoming bookings' })
    .getByRole('button', { name: new RegExp(`^Cancel ${room.name}`) })
    .waitFor();
  const after = await serverSide(b.token);
  expect(after.bookings.map((x) => [x.id, x.status])).toEqual([[offerId, 'active']]);
  expect(after.entries.map((e) => e.status)).toEqual(['booked']);
  await cell(pageA, ten, '[data-state="taken"]:not([data-held])').waitFor();
  await heldB.waitFor({ state: 'detached' });

  // Leaving the page lets a hold go at once (not at its end, half an hour away): A holds 12:00
  // and signs out; B sees it free again.
  const noon = tomorrowAt(12);
  await cell(pageA, noon).click();
  await cell(pageB, noon, '[data-state="taken"][data-held="true"]').waitFor();
  await pageA.getByRole('button', { name: 'Sign out', exact: true }).first().click();
  await pageA.getByLabel('Email').waitFor();
  await cell(pageB, noon, '[data-state="free"]').waitFor();
  const left = (await serverSide(a.token)).bookings.find((x) => x.start === noon);
  expect(left?.status).toBe('cancelled');
});

describe('a hold that runs out', () => {
  const short = useHarness({ label: 'web-holds-short', env: { HOLD_MINUTES: '0.15' } });

  it('says so at its expiresAt, shows it free to others then (before any timer), and can be held again and booked', async () => {
    const base = short.node.url;
    const staff = await loginStaff(base);
    const room = await createResource(base, staff.token, `Short hold room ${Date.now()}`);
    const a = await registerUser(base, 'short-holder');
    const b = await registerUser(base, 'short-viewer');
    const ten = tomorrowAt(10);
    const open = async (email: string) => {
      const page = await web.newPage(undefined, LIVE_MS);
      await page.goto(base);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('password123');
      await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
      await page.getByRole('heading', { name: 'Bookings', exact: true }).waitFor();
      await openTomorrow(page, room);
      return page;
    };
    const pageA = await open(a.user.email);
    const pageB = await open(b.user.email);
    const selection = pageA.getByRole('region', { name: 'Selection' });

    await cell(pageA, ten).click();
    await selection.getByText(/^Held for you for 0:0\d$/).waitFor();
    // Nine seconds: the one-minute warning is what is said.
    await expect(pageA.getByTestId('hold-announcement').textContent()).resolves.toBe(
      'One minute left to book the time held for you.',
    );
    await cell(pageB, ten, '[data-state="taken"][data-held="true"]').waitFor();
    const first = (await serverSide(a.token, base)).bookings;
    expect(first.map((x) => x.status)).toEqual(['held']);

    // No notifier runs here, so no timer marks it expired: the pages see it run out by its expiresAt.
    await selection
      .locator('.hold-expired')
      .getByText(/^Your hold ran out before it was booked/)
      .waitFor();
    await expect(pageA.getByTestId('hold-announcement').textContent()).resolves.toBe('Your hold ran out.');
    await expect(selection.getByRole('button', { name: /^Book / }).count()).resolves.toBe(0);
    await cell(pageB, ten, '[data-state="free"]').waitFor();
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(first[0]?.expiresAt ?? ''));
    expect(await axeViolations(pageA)).toEqual([]);

    // Held again, and booked this time.
    await selection.getByRole('button', { name: 'Hold it again' }).click();
    await selection.getByRole('button', { name: /^Book / }).click();
    await cell(pageA, ten, '[data-state="mine"]').waitFor();
    const after = (await serverSide(a.token, base)).bookings.filter((x) => x.status === 'active');
    expect(after).toHaveLength(1);
    expect(after[0]?.id).not.toBe(first[0]?.id);
    await cell(pageB, ten, '[data-state="taken"]:not([data-held])').waitFor();
  });
});
