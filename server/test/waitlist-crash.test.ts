/**
 * The offer survives the notifier (docs/design.md "Lifecycle"): the offer is made in the cancel's
 * own commit, so a `kill -9` of the real notifier process (server/src/notifier-main.ts) right after
 * the cancels loses nothing; once it is started again, each offer's person gets exactly one
 * `waitlist.offered` email.
 */
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { MailCatcher } from '../../scripts/lib/mail-catcher';
import { loginStaff, send, slot, unwrap } from '../../test/support/harness';
import { spawnServerProcess } from '../../test/support/spawn';
import type { ServerProcess } from '../../test/support/spawn';
import { useHarness, useSockets } from '../../test/support/suite';
import { drainedQueue, mailsOf } from '../../test/support/timers';
import { createPool, entryStatuses, people, storedOffers } from '../../test/support/waitlist';
import { waitFor } from '../../test/support/wait';

const ROOMS = 5;
let catcher: MailCatcher;

beforeAll(async () => {
  catcher = await startMailCatcher({ keep: 1000 });
});
const h = useHarness({ label: 'wlcrash' });
const sockets = useSockets('each');
afterAll(async () => {
  await catcher?.stop();
});

test('kill -9 the notifier right after the cancels: after a restart each offer gets exactly one email', async () => {
  const startNotifier = (): Promise<ServerProcess> =>
    spawnServerProcess({ kind: 'notifier', db: h.db, nodeId: `${h.db}-notifier`, env: { SMTP_URL: catcher.smtpUrl } });
  let notifier = await startNotifier();

  const staff = await loginStaff(h.node.url);
  const rooms = await Promise.all(
    Array.from({ length: ROOMS }, (_, i) => createPool(h.node.url, staff.token, `Crash room ${i}`)),
  );
  const owners = await people(h, sockets, 'crashown', ROOMS);
  const waiters = await people(h, sockets, 'crashwait', ROOMS);
  const booked = await Promise.all(
    rooms.map(async (room, i) => {
      const req = { resourceId: room.id, ...slot(20) };
      const owner = owners[i];
      const waiter = waiters[i];
      if (!owner || !waiter) throw new Error('no people');
      const booking = unwrap(await send(owner.socket, 'booking:create', req)).booking;
      const entry = unwrap(await send(waiter.socket, 'waitlist:join', req)).entry;
      return { owner, booking, entry };
    }),
  );

  const acks = await Promise.all(
    booked.map((b) => send(b.owner.socket, 'booking:cancel', { bookingId: b.booking.id })),
  );
  notifier.signal('SIGKILL');
  expect(await notifier.exited).toMatchObject({ signal: 'SIGKILL' });
  for (const a of acks) expect(a).toMatchObject({ ok: true });

  // The offers were made in the cancels' commits, whatever happened to the notifier.
  const offers = await storedOffers(h.node, { resourceId: { $in: rooms.map((r) => r.id) } });
  expect(offers.map((o) => o.entryId).sort()).toEqual(booked.map((b) => b.entry.id).sort());
  for (const o of offers) expect(o.status).toBe('held');
  const statuses = await entryStatuses(
    h.node,
    booked.map((b) => b.entry.id),
  );
  expect([...statuses.values()]).toEqual(booked.map(() => 'offered'));

  notifier = await startNotifier();
  const offerIds = offers.map((o) => o.id);
  await waitFor(
    'an offer email for each offer',
    () => offerIds.every((id) => (mailsOf(catcher, 'waitlist.offered').get(id)?.length ?? 0) >= 1),
    20_000,
    100,
  );
  // Wait until nothing is in flight, so a late duplicate would be counted too.
  expect((await drainedQueue(h.node)).failed).toBe(0);
  expect(await h.node.models.Outbox.countDocuments({ type: 'waitlist.offered', sentAt: null })).toBe(0);
  const mails = mailsOf(catcher, 'waitlist.offered');
  expect([...mails.keys()].sort()).toEqual([...offerIds].sort());
  for (const id of offerIds) expect([id, mails.get(id)?.length]).toEqual([id, 1]);
  for (const o of offers)
    expect(mails.get(o.id)?.[0]?.to.map((a) => a.toLowerCase())).toEqual([
      expect.stringContaining(waiters.find((w) => w.user.id === o.userId)?.user.email.toLowerCase() ?? '?'),
    ]);

  notifier.signal('SIGTERM');
  expect(await notifier.exited).toEqual({ code: 0, signal: null });
}, 60_000);
