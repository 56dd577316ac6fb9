/**
 * The dashboard's groups editor (issue 27) in Debian's Chromium against a live in-process server
 * that serves it at /admin: staff add a group managed here and one from the sign-in provider
 * (with its provider value), give a person the managed group in "People's groups" (the provider's
 * group is shown but cannot be ticked, with the sentence why, and the person's open socket is
 * disconnected by the change), rename a group, untie the provider's group (now it can be given
 * here) and delete a group (gone from the list and from the person). Every change is checked on
 * the server. No serious or critical axe finding with the editor and a person shown.
 */
import type { Page } from 'playwright-core';
import { singleSignOnSentences } from '@booking/client';
import type { Group, User } from '@booking/shared';
import { axeViolations } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import { loginStaff, registerUser, sendAdmin, unwrap } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { waitFor } from '../../test/support/wait';
import { ensureRendererBuilt } from './support/admin-build';
import { openStaffDashboard } from './support/staff-dashboard';

jest.setTimeout(60_000);

const ui = useBrowserSuite({ build: [ensureRendererBuilt], context: { viewport: { width: 1440, height: 1200 } } });
const sockets = useSockets();
const h = useHarness({ label: 'admin-groups' });

const dashboard = (): Promise<Page> => openStaffDashboard(() => ui.newPage(), h.node.url);

const row = (id: string) => `[data-testid=groups] form[data-group-id="${id}"]`;
const person = (id: string) => `[data-testid=people] form[data-user-id="${id}"]`;

it('adds groups, gives a person the ones managed here, renames, unties and deletes them', async () => {
  const staff = await loginStaff(h.node.url);
  const admin = await sockets.admin(h.node.url, staff.token);
  const groupsOnServer = async (): Promise<Group[]> => unwrap(await sendAdmin(admin, 'group:list', {})).groups;
  const userOnServer = async (id: string): Promise<User | undefined> =>
    unwrap(await sendAdmin(admin, 'users:list', {})).users.find((u) => u.id === id);
  const ivy = await registerUser(h.node.url, 'Ivy');
  const ivySocket = await sockets.client(h.node.url, ivy.token);

  const page = await dashboard();
  const panel = page.locator('#groups-panel');
  await panel.getByText('No groups yet.').waitFor();

  // A group managed here, and one standing for the provider's "engineering".
  const newGroup = panel.getByRole('form', { name: 'New group' });
  await newGroup.getByLabel('Name').fill('Front desk');
  await newGroup.getByRole('button', { name: 'Add group' }).click();
  await page.getByTestId('status').filter({ hasText: 'Group Front desk added.' }).waitFor();
  await newGroup.getByLabel('Name').fill('Engineering');
  await newGroup.getByLabel('Provider value (optional)').fill('engineering');
  await newGroup.getByRole('button', { name: 'Add group' }).click();
  await page.getByTestId('status').filter({ hasText: 'Group Engineering added.' }).waitFor();
  expect(await newGroup.getByLabel('Name').inputValue()).toBe('');

  const made = await groupsOnServer();
  expect(made.map((g) => ({ name: g.name, externalId: g.externalId }))).toEqual(
    expect.arrayContaining([
      { name: 'Front desk', externalId: undefined },
      { name: 'Engineering', externalId: 'engineering' },
    ]),
  );
  const desk = made.find((g) => g.name === 'Front desk');
  const eng = made.find((g) => g.name === 'Engineering');
  if (!desk || !eng) throw new Error('both groups are made');
  await page.waitForSelector(row(desk.id));
  expect(await page.inputValue(`${row(eng.id)} input[aria-label="provider value of Engineering"]`)).toBe('engineering');
  expect(await page.textContent(row(eng.id))).toContain('from the sign-in provider');

  // People's groups: Ivy found by email; the provider's group cannot be ticked, and says why.
  await panel.getByLabel('Name or email').fill(ivy.user.email);
  await panel.getByRole('button', { name: 'Find people' }).click();
  const ivyForm = page.locator(person(ivy.user.id));
  await ivyForm.waitFor();
  const engBox = ivyForm.getByRole('checkbox', { name: /Engineering/ });
  const deskBox = ivyForm.getByRole('checkbox', { name: /Front desk/ });
  expect(await engBox.isDisabled()).toBe(true);
  expect(await deskBox.isDisabled()).toBe(false);
  const why = await engBox.getAttribute('aria-describedby');
  expect(why).toBeTruthy();
  expect(await page.textContent(`#${why ?? ''}`)).toBe(singleSignOnSentences.providerGroup);
  expect(await page.isVisible(`#${why ?? ''}`)).toBe(true);
  expect(await axeViolations(page)).toEqual([]);

  await deskBox.check();
  await ivyForm.getByRole('button', { name: 'Save groups of Ivy' }).click();
  await page.getByTestId('status').filter({ hasText: 'Groups of Ivy saved.' }).waitFor();
  expect((await userOnServer(ivy.user.id))?.groups).toEqual([desk.id]);
  expect(
    await page
      .locator(person(ivy.user.id))
      .getByRole('checkbox', { name: /Front desk/ })
      .isChecked(),
  ).toBe(true);
  // The change signs Ivy's open pages out, to come back with a fresh token.
  await waitFor('Ivy disconnected', async () => !ivySocket.connected || null, 10_000);

  // Rename; then untie Engineering from the provider: now it can be given here.
  await page.fill(`${row(desk.id)} input[aria-label="name of Front desk"]`, 'Reception');
  await page.click(`${row(desk.id)} button[type=submit]`);
  await page.getByTestId('status').filter({ hasText: 'Group Reception saved.' }).waitFor();
  await page.fill(`${row(eng.id)} input[aria-label="provider value of Engineering"]`, '');
  await page.click(`${row(eng.id)} button[type=submit]`);
  await page.getByTestId('status').filter({ hasText: 'Group Engineering saved.' }).waitFor();
  const renamed = await groupsOnServer();
  expect(renamed.find((g) => g.id === desk.id)?.name).toBe('Reception');
  expect(renamed.find((g) => g.id === eng.id)?.externalId).toBeUndefined();
  expect(
    await page
      .locator(person(ivy.user.id))
      .getByRole('checkbox', { name: /Engineering/ })
      .isDisabled(),
  ).toBe(false);
  expect(await page.isVisible('#provider-groups-why')).toBe(false);

  // Delete: gone from the list, from the person's boxes and from the person on the server.
  page.once('dialog', (d) => void d.accept());
  await page.click(`${row(desk.id)} button:text-is("Delete")`);
  await page.getByTestId('status').filter({ hasText: 'Group Reception deleted.' }).waitFor();
  await page.waitForSelector(row(desk.id), { state: 'detached' });
  expect(
    await page
      .locator(person(ivy.user.id))
      .getByRole('checkbox', { name: /Reception/ })
      .count(),
  ).toBe(0);
  expect((await groupsOnServer()).map((g) => g.id)).toEqual([eng.id]);
  expect((await userOnServer(ivy.user.id))?.groups).toEqual([]);
});
