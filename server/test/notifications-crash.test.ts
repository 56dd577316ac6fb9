/**
 * Crash safety of the real notifier process: while bookings keep committing, `kill -9` the
 * `npm run notifier` entry (server/src/notifier-main.ts, its whole process group) at seeded
 * random moments and start it again. Afterwards every committed booking has its email,
 * duplicates are at most the number of kills, nothing is stuck or failed, and a SIGTERM stops
 * the last one with exit code 0.
 *
 * The in-process node and the notifier processes share the suite's database and Redis prefix.
 */
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { MailCatcher } from '../../scripts/lib/mail-catcher';
import {
  connectClient,
  createResource,
  loginStaff,
  registerUser,
  send,
  slot,
  startHarness,
  unwrap,
} from '../../test/support/harness';
import type { ClientSocket, Harness } from '../../test/support/harness';
import { seededRandom } from '../../test/support/rng';
import { spawnServerProcess } from '../../test/support/spawn';
import type { ServerProcess } from '../../test/support/spawn';
import { waitFor } from '../../test/support/wait';
import { drainedQueue } from '../../test/support/timers';

const KILLS = 5;
const MIN_BOOKINGS = 220;

let h: Harness;
let catcher: MailCatcher;

afterAll(async () => {
  await h?.close();
  await catcher?.stop();
});

test('kill -9 the notifier at random moments: every booking gets its email, duplicates ≤ kills', async () => {
  const seed = Number(process.env.CRASH_SEED ?? 20261124);
  const random = seededRandom(seed);
  catcher = await startMailCatcher({ keep: 100_000 });
  // 220+ bookings by four users: above the default per-user quota, which is not this test's subject.
  h = await startHarness({ label: 'notifcrash', env: { MAX_ACTIVE_BOOKINGS_PER_USER: '1000' } });

  const startNotifier = (): Promise<ServerProcess> =>
    spawnServerProcess({ kind: 'notifier', db: h.db, nodeId: `${h.db}-notifier`, env: { SMTP_URL: catcher.smtpUrl } });
  const kill9 = async (notifier: ServerProcess): Promise<void> => {
    notifier.signal('SIGKILL');
    await notifier.exited;
  };

  const staff = await loginStaff(h.node.url);
  const resources = await Promise.all(
    Array.from({ length: 10 }, (_, i) => createResource(h.node.url, staff.token, `Crash ${i}`)),
  );
  const users = await Promise.all(Array.from({ length: 4 }, (_, i) => registerUser(h.node.url, `crash${i}`)));
  const sockets: ClientSocket[] = await Promise.all(users.map((u) => connectClient(h.node.url, u.token)));

  let notifier = await startNotifier();

  // Producer: a steady stream of bookings on distinct slots until the kills are over.
  const committed: string[] = [];
  let stop = false;
  let seq = 0;
  const producer = (async () => {
    while (!stop || committed.length < MIN_BOOKINGS) {
      const batch = Array.from({ length: 4 }, () => {
        const i = seq++;
        const resource = resources[i % resources.length];
        const socket = sockets[i % sockets.length];
        if (!resource || !socket) throw new Error('unreachable');
        return send(socket, 'booking:create', {
          resourceId: resource.id,
          ...slot(1 + Math.floor(i / resources.length)),
        });
      });
      for (const ack of await Promise.all(batch)) committed.push(unwrap(ack).booking.id);
      await new Promise((r) => setTimeout(r, 60));
    }
  })();

  // Killer: KILLS times, let the notifier work for a random while, kill -9, start it again.
  for (let k = 0; k < KILLS; k += 1) {
    await new Promise((r) => setTimeout(r, 150 + Math.floor(random() * 1200)));
    await kill9(notifier);
    notifier = await startNotifier();
  }
  stop = true;
  await producer;
  const total = committed.length;
  expect(total).toBeGreaterThanOrEqual(MIN_BOOKINGS);

  const counts = () => {
    const perBooking = new Map<string, number>();
    for (const m of catcher.messages()) {
      const id = m.headers['x-booking-id'];
      if (id) perBooking.set(id, (perBooking.get(id) ?? 0) + 1);
    }
    return perBooking;
  };
  await waitFor(
    'every committed booking to have its email',
    () => committed.every((id) => (counts().get(id) ?? 0) >= 1),
    40_000,
    200,
  );

  // Wait until nothing is left in flight, so a late duplicate would be counted too.
  expect((await drainedQueue(h.node)).failed).toBe(0);
  expect(await h.node.models.Outbox.countDocuments({ handedOverAt: null })).toBe(0);

  const perBooking = counts();
  const duplicates = [...perBooking.values()].reduce((sum, n) => sum + (n - 1), 0);
  expect(perBooking.size).toBe(total);
  expect(committed.filter((id) => !perBooking.has(id))).toEqual([]);
  expect(duplicates).toBeLessThanOrEqual(KILLS);
  process.stdout.write(
    `crash test: seed ${seed}, ${total} bookings, ${KILLS} kills, ${duplicates} duplicate email(s)\n`,
  );

  // Graceful stop of the last one: SIGTERM to the notifier, exit code 0.
  notifier.signal('SIGTERM');
  expect(await notifier.exited).toEqual({ code: 0, signal: null });
  for (const s of sockets) s.close();
}, 85_000);
