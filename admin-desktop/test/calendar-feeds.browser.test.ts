/**
 * Calendar feeds per resource in the staff dashboard, in Chromium against a live node: staff get
 * a resource's busy-time feed URL (it serves that resource's bookings as Busy), and "Revoke all"
 * makes it answer 404; axe finds nothing serious.
 */
import type { Browser } from 'playwright-core';
import { axeViolations, launchBrowser } from '../../test/support/browser';
import {
  connectClient,
  createResource,
  loginStaff,
  registerUser,
  send,
  slot,
  startHarness,
  unwrap,
} from '../../test/support/harness';
import type { Harness } from '../../test/support/harness';
import { watchPageProblems } from '../../test/support/page-problems';
import { ensureRendererBuilt } from './support/admin-build';

let h: Harness;
let browser: Browser;

beforeAll(async () => {
  ensureRendererBuilt();
  h = await startHarness({ label: 'admincal' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

it('gives staff a busy-time feed URL per resource and revokes them all', async () => {
  const staff = await loginStaff(h.node.url);
  const resource = await createResource(h.node.url, staff.token, `Feed room ${Date.now()}`);
  const user = await registerUser(h.node.url, 'feeduser');
  const socket = await connectClient(h.node.url, user.token);
  const booking = unwrap(await send(socket, 'booking:create', { resourceId: resource.id, ...slot(30) })).booking;
  socket.close();

  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const problems: string[] = [];
  await watchPageProblems(page, problems);
  try {
    page.setDefaultTimeout(10_000);
    await page.goto(`${h.node.url}/admin/`);
    await page.fill('input[name=email]', 'staff@example.com');
    await page.fill('input[name=password]', 'staff-password');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=connection].live');
    const panel = page.getByRole('region', { name: 'Busy times in a calendar' });
    await panel.getByRole('button', { name: `Get calendar address of ${resource.name}` }).click();
    const input = panel.getByRole('textbox', { name: `Calendar address of ${resource.name}` });
    await input.waitFor();
    const url = await input.inputValue();
    const feed = await fetch(url);
    expect(feed.status).toBe(200);
    const text = await feed.text();
    expect(text).toContain(`UID:${booking.id}@booking`);
    expect(text).toContain('SUMMARY:Busy');
    expect(text).not.toContain('feeduser');
    expect(await axeViolations(page)).toEqual([]);

    await panel.getByRole('button', { name: 'Revoke all calendar addresses' }).click();
    await panel.getByRole('status').filter({ hasText: 'stopped working' }).waitFor();
    expect((await fetch(url)).status).toBe(404);
    // Under the strict CSP, from the sign-in screen on: nothing refused, no error logged.
    expect(problems).toEqual([]);
  } finally {
    await page.close();
  }
});
