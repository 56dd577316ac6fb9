/**
 * (v3, issue 28) The dashboard's API keys in Chromium against a live in-process server: staff
 * create a key with a name and two scopes, see its bk_ secret once (gone after a reload), the key
 * works over HTTP and the list then shows when it was last used; Revoke refuses the key at once
 * (checked over HTTP). No serious or critical axe finding with the panel and a secret shown.
 */
import type { Page } from 'playwright-core';
import { axeViolations } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import { loginStaff, sendAdmin, unwrap } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { ensureRendererBuilt } from './support/admin-build';
import { openStaffDashboard } from './support/staff-dashboard';

jest.setTimeout(60_000);

const ui = useBrowserSuite({ build: [ensureRendererBuilt], context: { viewport: { width: 1440, height: 1200 } } });
const sockets = useSockets();
const h = useHarness({ label: 'admin-api-keys' });

const dashboard = (): Promise<Page> => openStaffDashboard(() => ui.newPage(), h.node.url);

it('creates a key with scopes, shows its secret once, shows lastUsedAt and revokes it', async () => {
  const staff = await loginStaff(h.node.url);
  const admin = await sockets.admin(h.node.url, staff.token);
  const page = await dashboard();
  const panel = page.locator('#api-keys-panel');
  await panel.getByText('No API keys yet.').waitFor();

  const form = panel.getByRole('form', { name: 'New API key' });
  await form.getByLabel('Name').fill('HR system');
  await form.getByLabel('bookings:read').check();
  await form.getByLabel('resources:read').check();
  await form.getByRole('button', { name: 'Create key' }).click();
  await page.getByTestId('status').filter({ hasText: 'Key HR system created.' }).waitFor();
  const secret = await panel.getByLabel('Secret of HR system').inputValue();
  expect(secret).toMatch(/^bk_[A-Za-z0-9_-]{43}$/);
  await panel.getByText(/Copy it now/).waitFor();
  const [key] = unwrap(await sendAdmin(admin, 'apiKey:list', {})).keys;
  expect(key).toMatchObject({ name: 'HR system', scopes: ['bookings:read', 'resources:read'], lastUsedAt: null });
  expect(await axeViolations(page)).toEqual([]);

  // The key works; after a reload the secret is gone and the list says it was used.
  const call = () => fetch(`${h.node.url}/api/resources`, { headers: { authorization: `Bearer ${secret}` } });
  expect((await call()).status).toBe(200);
  let used = false;
  for (let i = 0; i < 50 && !used; i += 1)
    used = unwrap(await sendAdmin(admin, 'apiKey:list', {})).keys[0]?.lastUsedAt !== null;
  expect(used).toBe(true);
  await page.reload();
  await page.waitForSelector('[data-testid=connection].live');
  const row = panel.locator(`li[data-key-id="${key?.id ?? ''}"]`);
  // A date and time as the dashboard writes them (Intl, en-GB, in UTC): "last used Sun 6 Dec 13:05 UTC".
  await row.getByText(/last used \w+ \d{1,2} \w+ \d{2}:\d{2} UTC/).waitFor();
  expect(await panel.getByLabel('Secret of HR system').count()).toBe(0);
  expect(await page.content()).not.toContain(secret);

  page.once('dialog', (d) => void d.accept());
  await row.getByRole('button', { name: 'Revoke HR system' }).click();
  await page.getByTestId('status').filter({ hasText: 'Key HR system revoked.' }).waitFor();
  await row.getByText(/revoked/).waitFor();
  expect((await call()).status).toBe(401);
});
