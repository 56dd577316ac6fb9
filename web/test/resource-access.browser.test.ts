/**
 * (v3, issue 27) Resource access on the booking page, in a real browser (Chromium via
 * playwright-core) against a real in-process node and the run's MongoDB and Redis. Staff makes a
 * group G and three resources: Open (no access rules), ViewOnly (bookable by G only) and Hidden
 * (visible to G only), and books a time of ViewOnly. A person not in G signs in:
 * - Hidden is nowhere on the page (not even its name in the DOM);
 * - ViewOnly's grid shows busy and free, but is read only: a free cell chosen selects nothing, there
 *   is no Book button, and the note "You can see this resource's calendar but not book it." is shown
 *   (the grid is described by it);
 * - Open books as usual;
 * - Open made bookable by G only while the page shows it turns view only live (`resource:changed`);
 * - axe-core finds no serious or critical violation with a view-only resource on screen.
 * And a refusal because the resource may not be booked (FORBIDDEN `notBookable`) reads the same sentence.
 */
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { accessSentences } from '@booking/shared';
import type { Group, Resource } from '@booking/shared';
import { artifactPath, axeViolations } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import { createResource, loginStaff, registerUser, send, sendAdmin, unwrap } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { describeAccessError } from '../src/booking/resource-access';
import { ensureWebBuilt } from './web-build';

jest.setTimeout(120_000);

/** How long a change made elsewhere may take to show (the page does not poll). */
const LIVE_MS = 15_000;
const VIEW_ONLY = 'You can see this resource’s calendar but not book it.';

const web = useBrowserSuite({
  build: [ensureWebBuilt],
  context: { locale: 'en-GB', timezoneId: 'UTC', viewport: { width: 1280, height: 1000 } },
});
const harness = useHarness({ label: 'web-access' });
const sockets = useSockets();

/** `hour`:00 UTC tomorrow, as the grid's data-start. */
const tomorrowAt = (hour: number): string =>
  DateTime.utc().startOf('day').plus({ days: 1 }).set({ hour }).toJSDate().toISOString();

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${harness.node.url}/`);
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

it('shows a view-only resource read only, hides a hidden one, and books an open one', async () => {
  const base = harness.node.url;
  const staff = await loginStaff(base);
  const person = await registerUser(base, 'outsider');
  const admin = sockets.track(await sockets.admin(base, staff.token));
  const group: Group = unwrap(await sendAdmin(admin, 'group:create', { name: 'Lab members' })).group;
  const stamp = Date.now();
  const open = await createResource(base, staff.token, `Open room ${stamp}`);
  const viewOnly = await createResource(base, staff.token, `Lab bench ${stamp}`, {
    access: { bookableBy: [group.id] },
  });
  const hidden = await createResource(base, staff.token, `Secret vault ${stamp}`, {
    access: { visibleTo: [group.id] },
  });
  // Staff (who may book everything) books 10:00 of ViewOnly: the person's grid shows it taken.
  const staffSocket = await sockets.client(base, staff.token);
  unwrap(
    await send(staffSocket, 'booking:create', {
      resourceId: viewOnly.id,
      start: tomorrowAt(10),
      end: tomorrowAt(11),
      idempotencyKey: `access-${stamp}`,
    }),
  );

  const page = await web.newPage(undefined, LIVE_MS);
  await signIn(page, person.user.email);
  const list = page.getByRole('list', { name: 'Resources' });
  await list.getByRole('button', { name: new RegExp(`^${open.name} `) }).waitFor();
  await list.getByRole('button', { name: new RegExp(`^${viewOnly.name} `) }).waitFor();
  // Hidden is absent: not listed, and its name is nowhere in the page.
  expect(await page.content()).not.toContain(hidden.name);
  expect(await page.content()).not.toContain('Secret vault');

  // ViewOnly: busy and free shown, read only, the note instead of the selection's buttons.
  await openTomorrow(page, viewOnly);
  const grid = page.getByRole('grid', { name: `Availability of ${viewOnly.name}` });
  await expect(grid.getAttribute('aria-readonly')).resolves.toBe('true');
  await cell(page, tomorrowAt(10), '[data-state="taken"]').waitFor();
  await cell(page, tomorrowAt(14), '[data-state="free"]').waitFor();
  const selection = page.getByRole('region', { name: 'Selection' });
  const note = selection.getByText(VIEW_ONLY, { exact: true });
  await note.waitFor();
  // The grid is described by the note.
  const describedBy = await grid.getAttribute('aria-describedby');
  expect(describedBy).toBeTruthy();
  await expect(page.locator(`[id="${describedBy ?? ''}"]`).textContent()).resolves.toBe(VIEW_ONLY);
  // A free cell chosen selects nothing: no selection, no Book (nor any other) button, nothing held.
  await cell(page, tomorrowAt(14)).click();
  await cell(page, tomorrowAt(14)).press('Enter');
  await expect(cell(page, tomorrowAt(14)).getAttribute('aria-selected')).resolves.toBe('false');
  await expect(selection.getByRole('button').count()).resolves.toBe(0);
  await expect(page.getByRole('button', { name: /^Book / }).count()).resolves.toBe(0);
  await expect(page.getByRole('button', { name: /Join the waitlist/ }).count()).resolves.toBe(0);
  await expect(page.locator('[role=gridcell][aria-selected=true]').count()).resolves.toBe(0);
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: artifactPath('web-access-view-only.png') });

  // Open: a free cell selects, Book books.
  await openTomorrow(page, open);
  await expect(
    page.getByRole('grid', { name: `Availability of ${open.name}` }).getAttribute('aria-readonly'),
  ).resolves.toBeNull();
  await expect(selection.getByText(VIEW_ONLY).count()).resolves.toBe(0);
  await cell(page, tomorrowAt(14)).click();
  const book = selection.getByRole('button', { name: /^Book / });
  await book.waitFor();
  await book.click();
  await page
    .getByRole('status', { name: 'Notifications' })
    .getByText(/^Booked /)
    .first()
    .waitFor();
  await cell(page, tomorrowAt(14), '[data-state="mine"]').waitFor();

  // Open made bookable by G only while shown: the page turns it view only at once.
  unwrap(await sendAdmin(admin, 'resource:update', { id: open.id, access: { bookableBy: [group.id] } }));
  await selection.getByText(VIEW_ONLY, { exact: true }).waitFor();
  await expect(
    page.getByRole('grid', { name: `Availability of ${open.name}` }).getAttribute('aria-readonly'),
  ).resolves.toBe('true');
  // Hidden still appears nowhere.
  expect(await page.content()).not.toContain(hidden.name);
});

it('words a refusal because the resource may not be booked with the view-only sentence', () => {
  expect(accessSentences.notBookable).toBe(VIEW_ONLY);
  expect(describeAccessError({ code: 'FORBIDDEN', details: { reason: 'notBookable' } })).toBe(VIEW_ONLY);
  expect(describeAccessError({ code: 'FORBIDDEN', details: { reason: 'unverified' } })).toBeNull();
  expect(describeAccessError({ code: 'FORBIDDEN' })).toBeNull();
  expect(describeAccessError({ code: 'NOT_FOUND', details: { reason: 'notBookable' } })).toBeNull();
});
