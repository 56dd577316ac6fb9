/**
 * "Subscribe in your calendar" on the booking page, in Chromium against a live node: the page
 * gets a feed URL that serves the user's calendar, copies it, and "Revoke all" makes it answer
 * 404; axe finds nothing serious.
 */
import type { Browser } from 'playwright-core';
import { axeViolations, launchBrowser } from '../../test/support/browser';
import { registerUser, startHarness } from '../../test/support/harness';
import type { Harness } from '../../test/support/harness';
import { watchPageProblems } from '../../test/support/page-problems';
import { ensureWebBuilt } from './web-build';

let harness: Harness;
let browser: Browser;

beforeAll(async () => {
  ensureWebBuilt();
  harness = await startHarness({ label: 'webcal' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

it('gets, copies and revokes a calendar feed URL from the page', async () => {
  const base = harness.node.url;
  const user = await registerUser(base, 'subscriber');
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  try {
    const page = await context.newPage();
    const problems: string[] = [];
    await watchPageProblems(page, problems);
    page.setDefaultTimeout(10_000);
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
    // Under the strict CSP, from the sign-in screen on: nothing refused, no error logged.
    expect(problems).toEqual([]);
  } finally {
    await context.close();
  }
});
