/**
 * `group:*` and `user:setGroups` on `/admin` (docs/protocol.md "Identity, groups and access"):
 * staff only; a group with an `externalId` is the provider's (INVALID_STATE for `user:setGroups`);
 * a change of someone's groups closes their sockets; deleting a group takes it from everyone.
 */
import type { AuthResult, Group } from '@booking/shared';
import {
  connectAdmin,
  connectClient,
  http,
  loginStaff,
  registerUser,
  sendAdmin,
  startHarness,
} from '../../test/support/harness';
import type { AdminSocket, Harness } from '../../test/support/harness';
import { waitFor } from '../../test/support/wait';

describe('groups on /admin', () => {
  let h: Harness;
  let admin: AdminSocket;

  const create = async (name: string, externalId?: string): Promise<Group> => {
    const res = await sendAdmin(admin, 'group:create', { name, ...(externalId ? { externalId } : {}) });
    if (!res.ok) throw new Error(res.error.code);
    return res.data.group;
  };

  beforeAll(async () => {
    h = await startHarness({ label: 'groups' });
    admin = await connectAdmin(h.node.url, (await loginStaff(h.node.url)).token);
  });
  afterAll(async () => {
    admin?.close();
    await h?.close();
  });

  it('creates, lists, renames and unties groups; an externalId belongs to one group only', async () => {
    const desk = await create('Front desk');
    const eng = await create('Engineering', `eng-${h.db}`);
    expect(eng).toEqual({ id: expect.any(String), name: 'Engineering', externalId: `eng-${h.db}` });
    expect(await sendAdmin(admin, 'group:create', { name: 'Again', externalId: `eng-${h.db}` })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_STATE' },
    });
    const listed = await sendAdmin(admin, 'group:list', {});
    expect(listed.ok && listed.data.groups.map((g) => g.id)).toEqual([eng.id, desk.id]);
    const renamed = await sendAdmin(admin, 'group:update', { id: desk.id, name: 'Reception', externalId: 'recep' });
    expect(renamed).toMatchObject({
      ok: true,
      data: { group: { id: desk.id, name: 'Reception', externalId: 'recep' } },
    });
    const untied = await sendAdmin(admin, 'group:update', { id: desk.id, externalId: null });
    expect(untied.ok && untied.data.group).toEqual({ id: desk.id, name: 'Reception' });
    expect(await sendAdmin(admin, 'group:update', { id: '665f1c2e8b3a4d00123456ff', name: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await sendAdmin(admin, 'group:create', { name: '  ' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_ERROR' },
    });
  });

  it('user:setGroups sets only groups without an externalId, and a change closes the person’s sockets', async () => {
    const person: AuthResult = await registerUser(h.node.url, 'grouped');
    expect(person.user.groups).toEqual([]);
    const local = await create('Facilities');
    const external = await create('Directory group', `dir-${h.db}`);
    expect(await sendAdmin(admin, 'user:setGroups', { userId: person.user.id, groupIds: [external.id] })).toMatchObject(
      {
        ok: false,
        error: { code: 'INVALID_STATE' },
      },
    );
    expect(
      await sendAdmin(admin, 'user:setGroups', { userId: person.user.id, groupIds: ['665f1c2e8b3a4d00123456ff'] }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const socket = await connectClient(h.node.url, person.token);
    const set = await sendAdmin(admin, 'user:setGroups', { userId: person.user.id, groupIds: [local.id] });
    expect(set.ok && set.data.user.groups).toEqual([local.id]);
    await waitFor('the person’s socket closed', () => socket.disconnected, 5000);
    expect((await http(h.node.url, '/api/auth/refresh', { method: 'POST', token: person.token })).status).toBe(401);

    // Deleting the group takes it from everyone in it.
    expect(await sendAdmin(admin, 'group:delete', { id: local.id })).toEqual({ ok: true, data: {} });
    const found = await sendAdmin(admin, 'users:list', { query: person.user.email });
    expect(found.ok && found.data.users[0]?.groups).toEqual([]);
    expect(await sendAdmin(admin, 'group:delete', { id: local.id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('people who are not staff cannot open /admin to manage groups', async () => {
    const person = await registerUser(h.node.url, 'notstaff');
    await expect(connectAdmin(h.node.url, person.token)).rejects.toThrow();
  });
});
