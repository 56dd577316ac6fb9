/**
 * A manager's dashboard (issue 27 part 2) in Debian's Chromium against a live in-process server:
 * a user in the managers group of one resource signs in at /admin and sees only that resource
 * (timeline and resource editors), none of staff's own panels, and the line saying how narrowed
 * the view is; someone who manages nothing is refused. No serious or critical axe finding.
 */
import type { Page } from 'playwright-core';
import { axeViolations } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import { createResource, http, loginStaff, registerUser, sendAdmin, unwrap } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { ensureRendererBuilt } from './support/admin-build';

jest.setTimeout(60_000);

const ui = useBrowserSuite({ build: [ensureRendererBuilt], context: { viewport: { width: 1440, height: 1200 } } });
const sockets = useSockets();
const h = useHarness({ label: 'admin-manager' });

async function signIn(email: string): Promise<Page> {
  const page = await ui.newPage();
  await page.goto(`${h.node.url}/admin/`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', 'password123');
  await page.click('button[type=submit]');
  return page;
}

it('shows a manager only the resource they manage and none of staff’s own panels', async () => {
  const staff = await loginStaff(h.node.url);
  const admin = await sockets.admin(h.node.url, staff.token);
  const facilities = unwrap(await sendAdmin(admin, 'group:create', { name: 'Facilities' })).group;
  await createResource(h.node.url, staff.token, 'Atlas');
  await createResource(h.node.url, staff.token, 'Orion', { access: { managers: [facilities.id] } });
  const max = await registerUser(h.node.url, 'Max');
  unwrap(await sendAdmin(admin, 'user:setGroups', { userId: max.user.id, groupIds: [facilities.id] }));
  // The same account as seen by the server: a user, not staff.
  const me = await http<{ user: { role: string } }>(h.node.url, '/api/auth/login', {
    body: { email: max.user.email, password: 'password123' },
  });
  expect(me.body.user.role).toBe('user');

  const page = await signIn(max.user.email);
  await page.waitForSelector('[data-testid=connection].live');
  await page.getByTestId('scope').filter({ hasText: 'You manage 1 resource: only it is shown here.' }).waitFor();
  expect(await page.textContent('h1')).toBe('Bookings · manager');
  await page.locator('#resources').getByText('Orion', { exact: false }).first().waitFor();
  expect(await page.textContent('#resources')).not.toContain('Atlas');
  expect(await page.textContent('#timeline')).toContain('Orion');
  expect(await page.textContent('#timeline')).not.toContain('Atlas');
  for (const panel of ['#groups-panel', '#failed-panel', '#access-panel', '#new-resource'])
    expect(await page.locator(panel).count()).toBe(0);
  expect(await axeViolations(page)).toEqual([]);

  // Someone who manages nothing is sent back to sign-in.
  const olive = await registerUser(h.node.url, 'Olive');
  const refused = await signIn(olive.user.email);
  await refused.getByRole('alert').filter({ hasText: 'This account is not staff.' }).waitFor();
});

it('shows staff every panel and no narrowing line', async () => {
  const page = await ui.newPage();
  await page.goto(`${h.node.url}/admin/`);
  await page.fill('input[name=email]', 'staff@example.com');
  await page.fill('input[name=password]', 'staff-password');
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=connection].live');
  expect(await page.textContent('h1')).toBe('Bookings · staff');
  for (const panel of ['#groups-panel', '#failed-panel', '#access-panel', '#new-resource'])
    expect(await page.locator(panel).count()).toBe(1);
  expect(await page.isVisible('[data-testid=scope]')).toBe(false);
});
