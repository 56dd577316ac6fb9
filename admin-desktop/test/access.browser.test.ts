/**
 * The dashboard's access editor (issue 27 part 2) in Debian's Chromium against a live in-process
 * server that serves it at /admin: staff choose a resource, are told in a sentence when a choice
 * of groups has none ticked, then set who may see it, who may book it and its managers; the server's
 * resource has that access (read back over HTTP), a person in none of the groups no longer sees it,
 * and "Everyone" again clears it (`access: null`). No serious or critical axe finding with the
 * editor shown and its error up.
 */
import type { Page } from 'playwright-core';
import type { Group, Resource } from '@booking/shared';
import { axeViolations } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import { createResource, http, loginStaff, registerUser, sendAdmin, unwrap } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { ensureRendererBuilt } from './support/admin-build';
import { openStaffDashboard } from './support/staff-dashboard';

jest.setTimeout(60_000);

const ui = useBrowserSuite({ build: [ensureRendererBuilt], context: { viewport: { width: 1440, height: 1400 } } });
const sockets = useSockets();
const h = useHarness({ label: 'admin-access' });

const dashboard = (): Promise<Page> => openStaffDashboard(() => ui.newPage(), h.node.url);

async function resourcesSeenBy(token: string): Promise<Resource[]> {
  const res = await http<{ resources: Resource[] }>(h.node.url, '/api/resources', { token });
  expect(res.status).toBe(200);
  return res.body.resources;
}

it('sets who may see, book and manage a resource, and clears it again', async () => {
  const staff = await loginStaff(h.node.url);
  const admin = await sockets.admin(h.node.url, staff.token);
  const group = async (name: string): Promise<Group> => unwrap(await sendAdmin(admin, 'group:create', { name })).group;
  const eng = await group('Engineering');
  const desk = await group('Front desk');
  await createResource(h.node.url, staff.token, 'Atlas');
  const orion = await createResource(h.node.url, staff.token, 'Orion');
  const onServer = async () => (await resourcesSeenBy(staff.token)).find((r) => r.id === orion.id)?.access;

  const page = await dashboard();
  const panel = page.locator('#access-panel');
  await panel.getByLabel('Resource', { exact: true }).selectOption(orion.id);
  const form = panel.locator(`form[data-resource-id="${orion.id}"]`);
  await form.waitFor();
  expect(await form.getByTestId('access-current').textContent()).toBe(
    'Now: Everyone may see and book it; only staff manage it.',
  );
  // The groups read by the groups panel are the ones offered.
  const see = form.getByRole('group', { name: 'Who may see it', exact: true });
  const book = form.getByRole('group', { name: 'Who may book it', exact: true });
  const managers = form.getByRole('group', { name: 'Managers', exact: true });
  await managers.getByRole('checkbox', { name: 'Engineering' }).waitFor();
  expect(await see.getByRole('checkbox').count()).toBe(0); // hidden while "Everyone" is chosen

  // Chosen groups with none ticked: a sentence, and nothing sent.
  await see.getByRole('radio', { name: 'Only the chosen groups' }).check();
  await form.getByRole('button', { name: 'Save access of Orion' }).click();
  await form.getByRole('alert').filter({ hasText: 'Choose at least one group that may see it' }).waitFor();
  expect(await onServer()).toBeNull();
  expect(await axeViolations(page)).toEqual([]);

  // Seen by Engineering, booked by Front desk, managed by Engineering; only with the keyboard.
  await see.getByRole('checkbox', { name: 'Engineering' }).focus();
  await page.keyboard.press('Space');
  await book.getByRole('radio', { name: 'Only the chosen groups' }).check();
  await book.getByRole('checkbox', { name: 'Front desk' }).check();
  await managers.getByRole('checkbox', { name: 'Engineering' }).check();
  await form.getByRole('button', { name: 'Save access of Orion' }).focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('status').filter({ hasText: 'Access of Orion saved.' }).waitFor();
  expect(await onServer()).toEqual({ visibleTo: [eng.id], bookableBy: [desk.id], managers: [eng.id] });
  await panel
    .getByTestId('access-current')
    .filter({ hasText: 'Now: Seen by Engineering; booked by Front desk. Managed by Engineering (and staff).' })
    .waitFor();
  expect(await panel.getByRole('alert').textContent()).toBe('');

  // Someone in none of the groups no longer sees it; the other resource is untouched.
  const outsider = await registerUser(h.node.url, 'Olive');
  const theirs = (await resourcesSeenBy(outsider.token)).map((r) => r.name);
  expect(theirs).toContain('Atlas');
  expect(theirs).not.toContain('Orion');

  // Everyone again, and no managers: the access is cleared (null), not an open list.
  const again = panel.locator(`form[data-resource-id="${orion.id}"]`);
  await again
    .getByRole('group', { name: 'Who may see it', exact: true })
    .getByRole('radio', { name: 'Everyone' })
    .check();
  await again
    .getByRole('group', { name: 'Who may book it', exact: true })
    .getByRole('radio', { name: 'Everyone who can see it' })
    .check();
  await again
    .getByRole('group', { name: 'Managers', exact: true })
    .getByRole('checkbox', { name: 'Engineering' })
    .uncheck();
  await again.getByRole('button', { name: 'Save access of Orion' }).click();
  await panel.getByTestId('access-current').filter({ hasText: 'Now: Everyone may see and book it' }).waitFor();
  expect(await onServer()).toBeNull();
  expect((await resourcesSeenBy(outsider.token)).map((r) => r.name)).toContain('Orion');
});
