/**
 * The room display page against the real server (one node, the run's MongoDB and Redis, an injected
 * clock that runs on with real time from wherever the test sets it): a German room with check-in
 * and public titles. Staff create the display on `/admin`; the page opened at its URL shows the
 * room free until a person's booking, turns amber by itself at its start with the countdown, and
 * its buttons check in (red), extend by 15 minutes, end early (green) and book a walk-in; revoking
 * the display on `/admin` puts up the revoked screen. Each click → `display:state` delay is printed.
 */
import type { Page } from 'playwright-core';
import type { Booking } from '@booking/shared';
import { formatInstant } from '@booking/shared';
import type { Clock } from '../../server/src/infra/clock';
import { axeViolations, artifactPath } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import {
  connectAdmin,
  createResource,
  loginStaff,
  registerUser,
  send,
  sendAdmin,
  unwrap,
} from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { ensureDisplayBuilt } from './display-build';

jest.setTimeout(120_000);

/** The node's clock: `setNow(t)` makes "now" t, and it runs on from there with real time. */
let fakeAt = Date.parse('2031-03-04T09:50:00Z');
let setAt = Date.now();
const clock: Clock = { now: () => new Date(fakeAt + (Date.now() - setAt)) };
const setNow = (iso: string): void => {
  fakeAt = Date.parse(iso);
  setAt = Date.now();
};

const ZONE = 'Europe/Berlin';
const web = useBrowserSuite({
  build: [ensureDisplayBuilt],
  context: { locale: 'en-GB', timezoneId: 'UTC', viewport: { width: 800, height: 480 } },
  timeoutMs: 120_000,
});
const harness = useHarness({ label: 'web-display', node: { clock } });
const sockets = useSockets();

const time = (iso: string): string => formatInstant('de', iso, ZONE, 'time');

/** Clicks `name` and resolves with the ms until the page shows `then`. */
async function clickUntil(page: Page, name: string, then: () => Promise<void>): Promise<number> {
  const clickedAt = Date.now();
  await page.getByRole('button', { name, exact: true }).click();
  await then();
  return Date.now() - clickedAt;
}

it('follows a live booking: free → awaiting check-in → check in → extend → end early → walk-in → revoked', async () => {
  setNow('2031-03-04T08:50:00Z');
  const base = harness.node.url;
  const staff = await loginStaff(base);
  const admin = sockets.track(await connectAdmin(base, staff.token));
  const room = await createResource(base, staff.token, `Konferenzraum ${Date.now()}`, {
    timeZone: ZONE,
    policy: { checkIn: { windowMinutes: 10 }, publicTitles: true, locale: 'de' },
  });
  const person = await registerUser(base, 'attendee');
  const owner = await sockets.client(base, person.token);
  const meeting: Booking = unwrap(
    await send(owner, 'booking:create', {
      resourceId: room.id,
      start: '2031-03-04T09:00:00.000Z',
      end: '2031-03-04T10:00:00.000Z',
      title: 'Vorstandssitzung',
    }),
  ).booking;
  const { url } = unwrap(await sendAdmin(admin, 'display:create', { resourceId: room.id, name: 'Tür' }));
  const token = url.split('#')[1] ?? '';
  expect(token).not.toBe('');

  // Both pages are served: the booking page at /, the display at /display/ (and /display leads there).
  await expect(fetch(`${base}/`).then((r) => r.text())).resolves.toContain('<div id="root">');
  const bare = await fetch(`${base}/display`);
  expect(bare.url).toBe(`${base}/display/`);
  await expect(bare.text()).resolves.toContain('<div id="display">');

  // Served at /display/ by the node; the key leaves the address bar.
  const page = await web.newPage(undefined, 15_000);
  await page.goto(`${base}/display/#${token}`);
  await page.getByRole('heading', { name: 'Frei', exact: true }).waitFor();
  expect(page.url()).toBe(`${base}/display/`);
  await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('de');
  await page.getByText(`Frei bis ${time(meeting.start)}`, { exact: true }).waitFor();
  const next = page.getByRole('complementary', { name: 'Als Nächstes' });
  await next.getByText(`${time(meeting.start)} – ${time(meeting.end)} Vorstandssitzung`).waitFor();
  // Ten minutes to the meeting: no walk-in of 15 minutes or more fits.
  await expect(page.getByRole('group', { name: 'Jetzt buchen' }).count()).resolves.toBe(0);

  // At the start the display turns amber by itself, with the countdown to the end of the window.
  // (The server times its next transition from "now" when it sends a state: the page reconnects
  // after the jump — a reload, so the key kept in sessionStorage is used.)
  setNow('2031-03-04T08:59:58.000Z');
  await page.reload();
  await page.getByRole('heading', { name: 'Wartet auf Check-in', exact: true }).waitFor();
  await expect(page.locator('.count').textContent()).resolves.toMatch(/^(10:00|9:[0-5]\d)$/);
  await page.getByText(`Wird um ${time('2031-03-04T09:10:00.000Z')} freigegeben, wenn niemand eincheckt`).waitFor();
  expect(await axeViolations(page)).toEqual([]);

  const checkIn = await clickUntil(page, 'Einchecken', () =>
    page.getByRole('heading', { name: 'Belegt', exact: true }).waitFor(),
  );
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: artifactPath('display-live-in-use.png') });
  const later = new Date(Date.parse(meeting.end) + 15 * 60_000).toISOString();
  const extend = await clickUntil(page, 'Um 15 Minuten verlängern', () =>
    page.getByText(`${time(meeting.start)} – ${time(later)}`, { exact: true }).waitFor(),
  );
  // Ending early makes its end the next grid line (a one-minute grid): just before one, so it is free at once.
  setNow('2031-03-04T09:00:59.000Z');
  const end = await clickUntil(page, 'Jetzt beenden', () =>
    page.getByRole('heading', { name: 'Frei', exact: true }).waitFor(),
  );
  await page.getByText('Frei für den Rest des Tages', { exact: true }).waitFor();
  const mine = unwrap(await send(owner, 'bookings:mine', {})).bookings.find((b) => b.id === meeting.id);
  // Ended, not cancelled: its end is the grid line after the click.
  expect(mine).toMatchObject({ end: '2031-03-04T09:01:00.000Z' });
  expect(mine?.status).not.toBe('cancelled');

  // A walk-in from the display: in use at once, titled as the server names it.
  const walkIn = await clickUntil(page, '15 Minuten', () =>
    page.getByRole('heading', { name: 'Belegt', exact: true }).waitFor(),
  );
  await page.locator('.title').getByText('Walk-in').waitFor();
  console.log(
    `display page click → display:state shown: check-in ${checkIn} ms, extend ${extend} ms, ` +
      `end early ${end} ms, walk-in ${walkIn} ms`,
  );

  // Revoked on /admin: the page says so within seconds and stops.
  const { displays } = unwrap(await sendAdmin(admin, 'display:list', {}));
  const id = displays.find((d) => d.resourceId === room.id)?.id ?? '';
  const revokedAt = Date.now();
  unwrap(await sendAdmin(admin, 'display:revoke', { id }));
  await page
    .getByRole('heading', { name: 'Der Schlüssel dieser Anzeige wurde widerrufen', exact: true })
    .waitFor({ timeout: 7000 });
  console.log(`display:revoke → revoked screen: ${Date.now() - revokedAt} ms`);
  expect(await axeViolations(page)).toEqual([]);
});
