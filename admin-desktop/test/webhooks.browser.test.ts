/**
 * (v3, issue 28) The dashboard's webhooks in Chromium against a live in-process server: staff
 * create an endpoint with a URL and two events, see its whsec_ secret once (gone after a reload),
 * a disabled endpoint is marked, its deliveries show in a table and a replay since a date answers
 * how many events go again. No serious or critical axe finding.
 */
import { Types } from 'mongoose';
import type { Page } from 'playwright-core';
import { registerWebhookModels } from '../../server/src/integrations/webhooks/webhook.model';
import { axeViolations } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import { loginStaff, sendAdmin, unwrap } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { ensureRendererBuilt } from './support/admin-build';
import { openStaffDashboard } from './support/staff-dashboard';

jest.setTimeout(60_000);
process.env.WEBHOOK_ALLOW_PRIVATE = '1';

const ui = useBrowserSuite({ build: [ensureRendererBuilt], context: { viewport: { width: 1440, height: 1400 } } });
const sockets = useSockets();
const h = useHarness({ label: 'admin-webhooks' });

const dashboard = (): Promise<Page> => openStaffDashboard(() => ui.newPage(), h.node.url);

it('creates an endpoint, shows its secret once, marks it disabled, lists deliveries and replays', async () => {
  const staff = await loginStaff(h.node.url);
  const admin = await sockets.admin(h.node.url, staff.token);
  const page = await dashboard();
  const panel = page.locator('#webhooks-panel');
  await panel.getByText('No webhooks yet.').waitFor();

  const form = panel.getByRole('form', { name: 'New webhook' });
  await form.getByLabel('URL').fill('http://127.0.0.1:9/hooks');
  await form.getByLabel('Description').fill('HR');
  await form.getByLabel('booking.created').check();
  await form.getByLabel('booking.cancelled').check();
  await form.getByRole('button', { name: 'Create webhook' }).click();
  await page.getByTestId('status').filter({ hasText: 'Webhook http://127.0.0.1:9/hooks created.' }).waitFor();
  const secret = await panel.getByLabel('Signing secret of http://127.0.0.1:9/hooks').inputValue();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  const [hook] = unwrap(await sendAdmin(admin, 'webhook:list', {})).webhooks;
  expect(hook).toMatchObject({
    url: 'http://127.0.0.1:9/hooks',
    events: ['booking.created', 'booking.cancelled'],
    description: 'HR',
  });
  expect(await axeViolations(page)).toEqual([]);

  // Disabled after 24 h of failures, with an attempt in its log (written as the notifier would).
  const models = registerWebhookModels(h.node.stores.conn);
  const id = new Types.ObjectId(hook?.id);
  const at = new Date();
  await models.endpoints.updateOne(
    { _id: id },
    { $set: { failingSince: new Date(at.getTime() - 86_400_000), disabledAt: at } },
  );
  await models.attempts.create({
    endpointId: id,
    messageId: 'msg_example',
    type: 'booking.created',
    attempt: 7,
    at,
    status: 503,
    error: 'HTTP 503',
    durationMs: 12,
  });
  await page.reload();
  await page.waitForSelector('[data-testid=connection].live');
  const row = panel.locator(`li[data-webhook-id="${hook?.id ?? ''}"]`);
  await row.getByTestId('webhook-disabled').waitFor();
  expect(await panel.getByLabel('Signing secret of http://127.0.0.1:9/hooks').count()).toBe(0);
  expect(await page.content()).not.toContain(secret);

  await row.getByRole('button', { name: 'Deliveries of http://127.0.0.1:9/hooks' }).click();
  const table = panel.getByTestId('webhook-deliveries');
  await table.getByText('msg_example').waitFor();
  expect(await table.locator('tbody tr td').allInnerTexts()).toEqual(
    expect.arrayContaining(['booking.created', '7', '503']),
  );
  await panel.getByLabel('Replay every event since (local time)').fill('2026-01-01T00:00');
  await panel.getByRole('button', { name: 'Replay' }).click();
  await page.getByTestId('status').filter({ hasText: '0 events queued again.' }).waitFor();
  expect(await axeViolations(page)).toEqual([]);

  page.once('dialog', (d) => void d.accept());
  await row.getByRole('button', { name: 'Delete http://127.0.0.1:9/hooks' }).click();
  await page.getByTestId('status').filter({ hasText: 'Webhook deleted.' }).waitFor();
  expect(unwrap(await sendAdmin(admin, 'webhook:list', {})).webhooks).toEqual([]);
});
