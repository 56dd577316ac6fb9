/**
 * The session check runs on every namespace (issue 22, item 6; docs/protocol.md v3): a staff member
 * demoted straight in the database (no adapter message to disconnect anyone) loses their `/`
 * sockets within 5 seconds, as their `/admin` ones; other users' sockets stay.
 */
import { loginStaff, registerUser, send, sendAdmin, unwrap } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { waitFor } from '../../test/support/wait';

const h = useHarness({ label: 'sesscheck' });
const sockets = useSockets();

test('a staff member demoted in the database loses the / socket within 5 s; another user keeps theirs', async () => {
  const staff = await loginStaff(h.node.url);
  const admin = await sockets.admin(h.node.url, staff.token);
  const demoted = await registerUser(h.node.url, 'demoted');
  expect(unwrap(await sendAdmin(admin, 'user:setRole', { userId: demoted.user.id, role: 'staff' })).user.role).toBe(
    'staff',
  );
  const staffToken = await h.node.auth.issueToken({ id: demoted.user.id, name: demoted.user.name, role: 'staff' });
  const main = await sockets.client(h.node.url, staffToken);
  const other = await sockets.client(h.node.url, (await registerUser(h.node.url, 'bystander')).token);
  expect((await send(main, 'resources:list', {})).ok).toBe(true);

  let reason: string | null = null;
  main.once('disconnect', (r) => {
    reason = r;
  });
  await h.node.models.User.updateOne({ _id: demoted.user.id }, { $set: { role: 'user' } });
  const changedAt = Date.now();
  expect(await waitFor('the / socket to be disconnected', () => reason, 5000)).toBe('io server disconnect');
  expect(Date.now() - changedAt).toBeLessThan(5000);
  // The same pass saw the bystander, whose session still holds.
  expect(other.connected).toBe(true);
  expect((await send(other, 'resources:list', {})).ok).toBe(true);
});
