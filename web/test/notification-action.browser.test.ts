/**
 * The booking page decides what a notification offers from its `action` field (protocol v3),
 * never from its English sentence: a reminder whose action is `checkIn` gets a "Check in" button
 * (which checks in), one that only says "Check in" in its text gets none. The notifications are
 * published the way the notifier publishes them (the Redis emitter into the user's room).
 */
import type { Page } from 'playwright-core';
import type { Notification } from '@booking/shared';
import { userRoom } from '../../server/src/infra/channels';
import { createSocketEmitter } from '../../server/src/infra/socket-emitter';
import { useBrowserSuite } from '../../test/support/browser-suite';
import { createResource, loginStaff, registerUser } from '../../test/support/harness';
import { useHarness } from '../../test/support/suite';
import { ensureWebBuilt } from './web-build';

const web = useBrowserSuite({
  build: [ensureWebBuilt],
  context: { locale: 'en-GB', viewport: { width: 1280, height: 900 } },
});
const harness = useHarness({ label: 'web-notice' });

async function signedIn(email: string, resourceName: string): Promise<Page> {
  const page = await web.newPage();
  await page.goto(harness.node.url);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('password123');
  await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
  // The resource list is answered over the socket: it is connected, and in its user's room.
  await page.getByRole('button', { name: new RegExp(`^${resourceName} `) }).waitFor();
  return page;
}

it('offers "Check in" on a notification whose action is checkIn, and only there', async () => {
  const base = harness.node.url;
  const staff = await loginStaff(base);
  const room = await createResource(base, staff.token, `Notice room ${Date.now()}`);
  const user = await registerUser(base, 'noticed');
  const page = await signedIn(user.user.email, room.name);
  const node = harness.node;
  const emitter = createSocketEmitter({ redis: node.stores.redis, names: node.stores.names, logger: node.logger });
  const notice = (over: Partial<Notification> & { message: string }): Notification => ({
    id: 'a'.repeat(24),
    type: 'booking.reminder',
    bookingId: 'b'.repeat(24),
    at: new Date().toISOString(),
    ...over,
  });
  const toasts = page.getByRole('status', { name: 'Notifications' });

  // The sentence names a check-in, but the notification offers none: no button.
  const wordsOnly = 'Reminder: your booking starts soon. Check in from 10 minutes before the start.';
  emitter.to(userRoom(user.user.id)).emit('notification', notice({ message: wordsOnly }));
  await toasts.getByText(wordsOnly).waitFor();
  // The action offers it, whatever the sentence says.
  const offered = 'Reminder: your booking of the room starts soon.';
  emitter
    .to(userRoom(user.user.id))
    .emit('notification', notice({ id: 'c'.repeat(24), message: offered, action: 'checkIn' }));
  await toasts.getByText(offered).waitFor();
  expect(await toasts.getByRole('button', { name: 'Check in', exact: true }).count()).toBe(1);
  expect(
    await toasts.locator('li', { hasText: wordsOnly }).getByRole('button', { name: 'Check in', exact: true }).count(),
  ).toBe(0);

  // The button checks in that booking: here one that does not exist, so the page says why.
  await toasts.getByRole('button', { name: 'Check in', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: /./ }).first().waitFor();
}, 60_000);
