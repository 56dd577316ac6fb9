/**
 * `kill -9` of the real notifier process (`npm run notifier`'s entry) while webhook deliveries are
 * in flight: after a restart every event arrives, each resource's events first arrive in commit
 * order, and duplicates (the same `webhook-id` again) are bounded by what was in flight at each kill.
 */
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { MailCatcher } from '../../scripts/lib/mail-catcher';
import { eventOf, startReceiver } from '../../scripts/bench/webhooks-receiver';
import type { Receiver } from '../../scripts/bench/webhooks-receiver';
import {
  connectAdmin,
  connectClient,
  createResource,
  loginStaff,
  registerUser,
  send,
  sendAdmin,
  slot,
  startHarness,
  unwrap,
} from '../../test/support/harness';
import type { Harness } from '../../test/support/harness';
import { spawnServerProcess } from '../../test/support/spawn';
import type { ServerProcess } from '../../test/support/spawn';
import { waitFor } from '../../test/support/wait';

process.env.WEBHOOK_ALLOW_PRIVATE = '1';
const KILLS = 2;
const RESOURCES = 6;
const PER_RESOURCE = 12;
/** At most this many attempts are in flight at once (the dispatcher's concurrency). */
const IN_FLIGHT = 32;

let h: Harness;
let catcher: MailCatcher;
let receiver: Receiver;
let notifier: ServerProcess | undefined;

afterAll(async () => {
  if (notifier) {
    notifier.signal('SIGKILL');
    await notifier.exited;
  }
  await h?.close();
  await receiver?.close();
  await catcher?.stop();
});

test('kill -9 the notifier mid-delivery: every event arrives after a restart, in order per resource, duplicates bounded', async () => {
  catcher = await startMailCatcher({ keep: 10_000 });
  receiver = await startReceiver();
  // Answers take a while, so attempts are in flight when the kills come.
  receiver.answer = () => new Promise((r) => setTimeout(() => r(200), 40));
  h = await startHarness({ label: 'whcrash', env: { MAX_ACTIVE_BOOKINGS_PER_USER: '1000' } });
  const startNotifier = () =>
    spawnServerProcess({
      kind: 'notifier',
      db: h.db,
      nodeId: `${h.db}-notifier`,
      env: { SMTP_URL: catcher.smtpUrl, WEBHOOK_ALLOW_PRIVATE: '1' },
    });
  const staff = await loginStaff(h.node.url);
  const admin = await connectAdmin(h.node.url, staff.token);
  const { secret } = unwrap(
    await sendAdmin(admin, 'webhook:create', {
      url: `${receiver.url}/crash`,
      events: ['booking.created', 'booking.cancelled'],
    }),
  );
  expect(secret).toMatch(/^whsec_/);
  const rooms = await Promise.all(
    Array.from({ length: RESOURCES }, (_, i) => createResource(h.node.url, staff.token, `Crash hook ${i}`)),
  );
  const user = await connectClient(h.node.url, (await registerUser(h.node.url, 'crashhook')).token);
  notifier = await startNotifier();

  // Commit order per resource: its bookings are made one after another.
  const committed = new Map<string, string[]>(rooms.map((r) => [r.id, []]));
  const produce = async () => {
    for (let k = 0; k < PER_RESOURCE; k += 1) {
      await Promise.all(
        rooms.map(async (room) => {
          const b = unwrap(await send(user, 'booking:create', { resourceId: room.id, ...slot(60 + k) })).booking;
          committed.get(room.id)?.push(b.id);
        }),
      );
    }
  };
  const producing = produce();
  const total = RESOURCES * PER_RESOURCE;
  for (let kill = 1; kill <= KILLS; kill += 1) {
    await waitFor(
      `deliveries before kill ${kill}`,
      () => receiver.received.length >= (kill * total) / (KILLS + 2),
      30_000,
    );
    // Deliveries are pending: the kill lands mid-stream.
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBeLessThan(total);
    notifier.signal('SIGKILL');
    await notifier.exited;
    notifier = await startNotifier();
  }
  await producing;

  const ids = () => new Set(receiver.received.map((r) => r.headers['webhook-id']));
  // A lease held by a killed process runs out (15 s) before its event goes again.
  await waitFor('every event delivered', () => ids().size === total, 90_000, 100);
  const duplicates = receiver.received.length - total;
  expect(duplicates).toBeLessThanOrEqual(KILLS * IN_FLIGHT);

  for (const room of rooms) {
    const firstArrivals: string[] = [];
    for (const r of receiver.received) {
      const booking = eventOf(r).data.booking;
      if (booking?.resourceId === room.id && !firstArrivals.includes(booking.id)) firstArrivals.push(booking.id);
    }
    expect(firstArrivals).toEqual(committed.get(room.id));
  }
  admin.close();
  user.close();
}, 180_000);
