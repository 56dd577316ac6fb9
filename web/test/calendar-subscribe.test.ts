/**
 * "Subscribe in your calendar" on the booking page, in Chromium against a live node: the page
 * gets a feed URL that serves the user's calendar, copies it, and "Revoke all" makes it answer
 * 404; axe finds nothing serious.
 */
import { axeViolations } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import { registerUser } from '../../test/support/harness';
import { useHarness } from '../../test/support/suite';
import { ensureWebBuilt } from './web-build';

const web = useBrowserSuite({
  build: [ensureWebBuilt],
  context: { locale: 'en-GB', viewport: { width: 1280, height: 900 } },
});
const harness = useHarness({ label: 'webcal' });

it('gets, copies and revokes a calendar feed URL from the page', async () => {
  const base = harness.node.url;
  const user = await registerUser(base, 'subscriber');
  const page = await web.newPage();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  await page.goto(base);
  await page.getByLabel('Email').fill(user.user.email);
  await page.getByLabel('Password').fill('password123');
  await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
  const panel = page.getByRole('region', { name: 'Subscribe in your calendar' });
  await panel.waitFor();

  await panel.getByRole('button', { name: 'Get calendar address' }).click();
  const address = panel.getByLabel('Calendar address');
  await address.waitFor();
  const url = await address.inputValue();
  expect(url).toMatch(new RegExp(`^${base}/api/calendar/feeds/[A-Za-z0-9_-]{43}\\.ics$`));
  const feed = await fetch(url);
  expect([feed.status, feed.headers.get('content-type')?.split(';')[0]]).toEqual([200, 'text/calendar']);
  expect(await feed.text()).toContain('BEGIN:VCALENDAR');

  await panel.getByRole('button', { name: 'Copy' }).click();
  await panel.getByRole('status').filter({ hasText: 'Copied the address.' }).waitFor();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  expect(await axeViolations(page)).toEqual([]);

  await panel.getByRole('button', { name: 'Revoke all calendar addresses' }).click();
  await panel.getByRole('status').filter({ hasText: 'stopped working' }).waitFor();
  expect((await fetch(url)).status).toBe(404);
  await panel.getByRole('button', { name: 'Get calendar address' }).waitFor();
  // useBrowserSuite's afterEach asserts that under the strict CSP nothing was refused, from the sign-in screen on.
});
