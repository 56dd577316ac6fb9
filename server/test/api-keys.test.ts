/**
 * (v3, issue 28) An API key's `lastUsedAt` is written at most once a minute (by the node's clock,
 * a manual one here): used at T0 it reads T0, used again 30 s later it still reads T0, used 61 s
 * after T0 it reads that instant.
 */
import type { Clock } from '../src/infra/clock';
import { connectAdmin, loginStaff, sendAdmin, unwrap } from '../../test/support/harness';
import type { AdminSocket } from '../../test/support/harness';
import { useHarness } from '../../test/support/suite';

const t0 = Math.floor(Date.now() / 1000) * 1000;
let now = t0;
const clock: Clock = { now: () => new Date(now) };
const h = useHarness({ label: 'apikeys', node: { clock } });

let admin: AdminSocket;
afterAll(() => admin?.close());

it('lastUsedAt is written at most once a minute per key', async () => {
  admin = await connectAdmin(h.node.url, (await loginStaff(h.node.url)).token);
  const { key, secret } = unwrap(await sendAdmin(admin, 'apiKey:create', { name: 'door', scopes: ['resources:read'] }));
  const use = async () => {
    const res = await fetch(`${h.node.url}/api/resources`, { headers: { authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(200);
  };
  const lastUsed = async () =>
    unwrap(await sendAdmin(admin, 'apiKey:list', {})).keys.find((k) => k.id === key.id)?.lastUsedAt;
  /** The write follows the answer: ask until it shows (each ask is a round trip, no sleep). */
  const until = async (iso: string) => {
    let seen: string | null | undefined;
    for (let i = 0; i < 100 && seen !== iso; i += 1) seen = await lastUsed();
    expect(seen).toBe(iso);
  };

  await use();
  await until(new Date(t0).toISOString());
  now = t0 + 30_000;
  await use();
  await use();
  expect(await lastUsed()).toBe(new Date(t0).toISOString());
  now = t0 + 61_000;
  await use();
  await until(new Date(t0 + 61_000).toISOString());
});
