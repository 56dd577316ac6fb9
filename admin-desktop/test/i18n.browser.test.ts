/**
 * (v3, issue 29) The dashboard in the person's language, in Chromium against a live in-process
 * server: a staff member whose `locale` is `de` signs in and sees the dashboard in German (its
 * headings, buttons, a booking's title and its date written by Intl in the resource's zone);
 * choosing Français in the account panel draws it again in French at once and saves the choice
 * (`profile:update` on `/admin`: the next sign-in answers `locale: 'fr'`, and a reload stays
 * French). No serious or critical axe finding in German or French. Room displays from the
 * dashboard: create (the address shown once, with its token in the fragment), listed, revoked
 * after a confirmation (the server lists it revoked).
 */
import type { Page } from 'playwright-core';
import { formatInstant } from '@booking/shared';
import { axeViolations } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import { createResource, http, loginStaff, sendAdmin, slot, unwrap } from '../../test/support/harness';
import type { AuthResult } from '@booking/shared';
import { useHarness, useSockets } from '../../test/support/suite';
import { ensureRendererBuilt } from './support/admin-build';
import { openStaffDashboard } from './support/staff-dashboard';

jest.setTimeout(90_000);

const ui = useBrowserSuite({ build: [ensureRendererBuilt], context: { viewport: { width: 1440, height: 1400 } } });
const sockets = useSockets();
const h = useHarness({ label: 'admin-i18n' });

const dashboard = (): Promise<Page> => openStaffDashboard(() => ui.newPage(), h.node.url);

it('speaks German to a German staff member, switches to French at once and keeps it', async () => {
  const staff = await loginStaff(h.node.url);
  const admin = await sockets.admin(h.node.url, staff.token);
  unwrap(await sendAdmin(admin, 'profile:update', { locale: 'de' }));
  const room = await createResource(h.node.url, staff.token, 'Besprechungsraum', {
    timeZone: 'Europe/Berlin',
    policy: { openingHours: null },
  });
  const at = slot(3);
  const { booking } = unwrap(
    await sendAdmin(admin, 'booking:create', {
      userId: staff.user.id,
      resourceId: room.id,
      ...at,
      title: 'Quartalsplanung',
    }),
  );

  const page = await dashboard();
  expect(await page.getAttribute('html', 'lang')).toBe('de');
  await page.getByRole('heading', { name: 'Zeitleiste' }).waitFor();
  await page.getByRole('heading', { name: 'Ressourcen' }).waitFor();
  await page.getByRole('button', { name: 'Abmelden', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Überall abmelden' }).waitFor();
  await page.getByRole('heading', { name: 'Ihr Konto' }).waitFor();
  await page.getByText('Klicken Sie auf eine Buchung in der Zeitleiste, um sie hier zu sehen.').waitFor();

  // The booking's day (in the resource's zone), its block, its title and its date in German.
  const day = localDate(at.start, 'Europe/Berlin');
  await page.fill('#day', day);
  await page.dispatchEvent('#day', 'change');
  await page.click(`[data-testid=booking-block][data-booking-id="${booking.id}"]`);
  const selected = page.getByTestId('selected-booking');
  expect(await selected.getByTestId('selected-title').textContent()).toBe('Quartalsplanung');
  const when = `${formatInstant('de', at.start, 'Europe/Berlin', 'date')} ${formatInstant('de', at.start, 'Europe/Berlin', 'time')}`;
  expect(await selected.textContent()).toContain(when);
  expect(await selected.textContent()).toContain('aktiv');
  await selected.getByRole('button', { name: 'Buchung stornieren' }).waitFor();
  expect(await axeViolations(page)).toEqual([]);

  // Français: drawn again in French at once, saved on the server.
  await page.getByLabel('Sprache', { exact: true }).selectOption('fr');
  await page.getByRole('heading', { name: 'Chronologie' }).waitFor();
  await page.getByRole('button', { name: 'Se déconnecter', exact: true }).waitFor();
  expect(await page.getAttribute('html', 'lang')).toBe('fr');
  await page.getByTestId('status').filter({ hasText: 'Langue enregistrée.' }).waitFor();
  expect(await page.getByLabel('Langue', { exact: true }).inputValue()).toBe('fr');
  const again = await http<AuthResult>(h.node.url, '/api/auth/login', {
    body: { email: 'staff@example.com', password: 'staff-password' },
  });
  expect(again.body.user.locale).toBe('fr');
  await page.waitForSelector('[data-testid=connection].live');
  expect(await axeViolations(page)).toEqual([]);

  // A reload (signed in by the stored token) stays French.
  await page.reload();
  await page.getByRole('heading', { name: 'Votre compte' }).waitFor();
  await page.waitForSelector('[data-testid=connection].live');
});

it('creates a room display (its address shown once), lists it and revokes it after a confirmation', async () => {
  const staff = await loginStaff(h.node.url);
  const admin = await sockets.admin(h.node.url, staff.token);
  // This server's staff member speaks English again (the test above left French).
  unwrap(await sendAdmin(admin, 'profile:update', { locale: 'en' }));
  const room = await createResource(h.node.url, staff.token, 'Display room');
  const page = await dashboard();
  const panel = page.locator('#displays-panel');
  await panel.getByText('No room displays yet.').waitFor();

  const form = panel.getByRole('form', { name: 'New room display' });
  await form.getByLabel('Resource').selectOption(room.id);
  await form.getByLabel('Name').fill('Door of the display room');
  await form.getByRole('button', { name: 'Create display' }).click();
  await page.getByTestId('status').filter({ hasText: 'Display Door of the display room created.' }).waitFor();
  const url = await panel.getByLabel('Address of Door of the display room').inputValue();
  expect(url).toMatch(/^https?:\/\/.+\/display\/.*#/);
  await panel.getByText('It is shown only once and cannot be shown again').waitFor();
  const row = panel.getByTestId('display-row');
  await row.filter({ hasText: 'Door of the display room' }).filter({ hasText: 'Display room' }).waitFor();
  const [listed] = unwrap(await sendAdmin(admin, 'display:list', {})).displays;
  expect(listed).toMatchObject({ resourceId: room.id, name: 'Door of the display room' });
  expect(listed?.revokedAt).toBeUndefined();
  expect(await axeViolations(page)).toEqual([]);

  // Revoke: a dismissed confirmation changes nothing; an accepted one revokes it.
  page.once('dialog', (dialog) => void dialog.dismiss());
  await row.getByRole('button', { name: 'Revoke Door of the display room' }).click();
  expect(unwrap(await sendAdmin(admin, 'display:list', {})).displays[0]?.revokedAt).toBeUndefined();
  page.once('dialog', (dialog) => void dialog.accept());
  await row.getByRole('button', { name: 'Revoke Door of the display room' }).click();
  await page.getByTestId('status').filter({ hasText: 'Display Door of the display room revoked.' }).waitFor();
  await row.getByTestId('display-revoked').waitFor();
  expect(unwrap(await sendAdmin(admin, 'display:list', {})).displays[0]?.revokedAt).toEqual(expect.any(String));

  // After a reload the address is not shown again; the display is listed as revoked.
  await page.reload();
  await page.waitForSelector('[data-testid=connection].live');
  await panel.getByTestId('display-revoked').waitFor();
  expect(await panel.getByTestId('display-url').isHidden()).toBe(true);
});

/** `YYYY-MM-DD` of an instant in a zone (what the day picker takes). */
function localDate(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(iso),
  );
}
