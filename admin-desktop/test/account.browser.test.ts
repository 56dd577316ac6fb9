/**
 * The dashboard's account panel in Debian's Chromium (playwright-core) against a live in-process
 * server that serves it at /admin: "Change password" (this dashboard signs in again and stays
 * live; another dashboard of the same staff member is signed out; only the new password works)
 * and "Sign out everywhere" (both dashboards back at the sign-in form). No serious or critical
 * axe finding.
 */
import type { Page } from 'playwright-core';
import { axeViolations } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import { http } from '../../test/support/harness';
import { useHarness } from '../../test/support/suite';
import { ensureRendererBuilt } from './support/admin-build';

jest.setTimeout(90_000);

const ui = useBrowserSuite({ build: [ensureRendererBuilt], context: { viewport: { width: 1440, height: 1000 } } });
const h = useHarness({ label: 'admin-account' });

/** A dashboard in its own browser context (its own stored token), signed in and live. */
async function dashboard(password: string): Promise<Page> {
  const page = await ui.newPage();
  await page.goto(`${h.node.url}/admin/`);
  await page.fill('input[name=email]', 'staff@example.com');
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=connection].live');
  return page;
}

const login = (password: string) =>
  http(h.node.url, '/api/auth/login', { body: { email: 'staff@example.com', password } });

it('Change password: this dashboard signs in again and stays live, another one is signed out', async () => {
  const page = await dashboard('staff-password');
  const other = await dashboard('staff-password');
  const form = page.getByRole('form', { name: 'Change password' });
  expect(await axeViolations(page)).toEqual([]);

  await form.getByLabel('Current password').fill('not-the-password');
  await form.getByLabel('New password').fill('new-staff-password');
  await form.getByRole('button', { name: 'Change password' }).click();
  await form.getByRole('alert').filter({ hasText: 'The current password is not right.' }).waitFor();
  // Nothing changed: both dashboards are still live.
  await other.waitForSelector('[data-testid=connection].live');

  await form.getByLabel('Current password').fill('staff-password');
  await form.getByRole('button', { name: 'Change password' }).click();
  await page.getByTestId('status').filter({ hasText: 'Password changed' }).waitFor();
  await page.waitForSelector('[data-testid=connection].live');
  await other.waitForSelector('[data-testid=sign-in]');

  expect((await login('staff-password')).status).toBe(401);
  expect((await login('new-staff-password')).status).toBe(200);
  // The restarted dashboard keeps working on its stored, fresh token after a reload.
  await page.reload();
  await page.waitForSelector('[data-testid=connection].live');
});

it('Sign out everywhere: both dashboards are back at the sign-in form', async () => {
  const page = await dashboard('new-staff-password');
  const other = await dashboard('new-staff-password');
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await page.waitForSelector('[data-testid=sign-in]');
  await page.getByText('You are signed out everywhere').waitFor();
  await other.waitForSelector('[data-testid=sign-in]');
  expect(await axeViolations(page)).toEqual([]);
});
