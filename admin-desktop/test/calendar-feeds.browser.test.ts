/**
 * Calendar feeds per resource in the staff dashboard, in Chromium against a live node: staff get
 * a resource's busy-time feed URL (it serves that resource's bookings as Busy), and "Revoke all"
 * makes it answer 404; axe finds nothing serious.
 */
import { axeViolations } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import { createResource, loginStaff, registerUser, send, slot, unwrap } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { ensureRendererBuilt } from './support/admin-build';

const ui = useBrowserSuite({ build: [ensureRendererBuilt], context: { viewport: { width: 1440, height: 1000 } } });
const h = useHarness({ label: 'admincal' });
const sockets = useSockets();

it('gives staff a busy-time feed URL per resource and revokes them all', async () => {
  const staff = await loginStaff(h.node.url);
  const resource = await createResource(h.node.url, staff.token, `Feed room ${Date.now()}`);
  const user = await registerUser(h.node.url, 'feeduser');
  const socket = await sockets.client(h.node.url, user.token);
  const booking = unwrap(await send(socket, 'booking:create', { resourceId: resource.id, ...slot(30) })).booking;
  socket.close();

  const page = await ui.newPage();
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
  // useBrowserSuite's afterEach asserts that under the strict CSP nothing was refused, from the sign-in screen on.
});
