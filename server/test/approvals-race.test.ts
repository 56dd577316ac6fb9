/**
 * Approval decisions under concurrency (docs/protocol.md "Approval"), on two nodes sharing MongoDB
 * and Redis, with and without Redlock: every pending request of a room under `approval.required:
 * 'always'` is approved and declined at once from six sockets (both approvers on `/` of both nodes,
 * staff on `/admin` of both nodes), and exactly one decision wins; the others answer INVALID_STATE.
 * The stored status, the owner's `bookings:mine` and the booking's history (one approve-or-decline
 * event) agree with the winner; a declined request's units are free, an approved one's are not. A
 * non-approver may decide nothing and lists nothing. A series under 'always' is three requests, each
 * decided on its own, and only the approved one's owner is mailed `booking.approved`.
 */
import { busyDelay } from '@booking/client';
import type { Ack, Booking, SlotChanged } from '@booking/shared';
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { MailCatcher } from '../../scripts/lib/mail-catcher';
import { startNotificationService } from '../src/notifier';
import type { Notifier } from '../src/notifier';
import { loginStaff, send, sendAdmin, sendUntilDecided, slot, unwrap } from '../../test/support/harness';
import type { AdminSocket, ClientSocket } from '../../test/support/harness';
import { testConfig } from '../../test/support/env';
import { useHarness, useSockets } from '../../test/support/suite';
import { seededRandom } from '../../test/support/rng';
import { createRoom, drainedQueue, mailsOf } from '../../test/support/timers';
import { createUsers } from '../../test/support/users';
import { waitFor } from '../../test/support/wait';

const REQUESTS = 10;
type Kind = 'approve' | 'decline';
type Decision = Ack<{ booking: Booking }>;

/** One of the six sockets that decide: who it is (the approver's user id) and how it sends. */
interface Decider {
  label: string;
  userId: string;
  decide(kind: Kind, bookingId: string): Promise<Decision>;
}

/** A decision sent again after each BUSY (a lock taken by a sibling decision), as every client does. */
async function untilDecided(sendOnce: () => Promise<Decision>, attempts = 12): Promise<Decision> {
  let ack = await sendOnce();
  for (let retry = 0; retry + 1 < attempts && !ack.ok && ack.error.code === 'BUSY'; retry += 1) {
    await new Promise((r) => setTimeout(r, Math.min(2000, busyDelay(retry, { baseDelayMs: 50 }))));
    ack = await sendOnce();
  }
  return ack;
}

function userDecider(label: string, userId: string, socket: ClientSocket): Decider {
  return {
    label,
    userId,
    decide: (kind, bookingId) =>
      kind === 'approve'
        ? sendUntilDecided(socket, 'booking:approve', { bookingId })
        : sendUntilDecided(socket, 'booking:decline', { bookingId, reason: `declined by ${label}` }),
  };
}

function staffDecider(label: string, userId: string, socket: AdminSocket): Decider {
  return {
    label,
    userId,
    decide: (kind, bookingId) =>
      untilDecided(() =>
        kind === 'approve'
          ? sendAdmin(socket, 'booking:approve', { bookingId })
          : sendAdmin(socket, 'booking:decline', { bookingId, reason: `declined by ${label}` }),
      ),
  };
}

/** A copy of `items` in a random order (Fisher-Yates). */
function shuffled<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [sock(out, j), sock(out, i)];
  }
  return out;
}

function sock<T>(list: T[], i: number): T {
  const s = list[i];
  if (s === undefined) throw new Error(`nothing at ${i}`);
  return s;
}

let catcher: MailCatcher;
beforeAll(async () => {
  catcher = await startMailCatcher({ keep: 1000 });
});
afterAll(async () => {
  await catcher?.stop();
});

describe.each(['on', 'off'])('BOOKING_LOCKS=%s', (locks) => {
  const env = (): Record<string, string> => ({
    BOOKING_LOCKS: locks,
    MAX_ACTIVE_BOOKINGS_PER_USER: '1000',
    SMTP_URL: catcher.smtpUrl,
  });
  let notifier: Notifier | undefined;
  // Declared before the harness: jest runs a block's afterAll hooks in order, the notifier first.
  afterAll(async () => {
    await notifier?.close();
  });
  const h = useHarness(() => ({
    label: `aprace-${locks}`,
    count: 2,
    env: env(),
    node: { rateLimit: { points: 1000, durationSec: 1 } },
  }));
  const sockets = useSockets('each');
  const url = (i: number): string => h.nodes[i % h.nodes.length]?.url ?? h.node.url;

  /** A room under 'always' whose approvers are `approverIds` (and staff). */
  async function approvalRoom(name: string, approverIds: string[]): Promise<{ id: string }> {
    const staff = await loginStaff(h.node.url);
    return createRoom(h.node.url, staff.token, name, {
      approval: { required: 'always', approverIds, expireHours: 72 },
    });
  }

  it(`${REQUESTS} requests, each approved and declined at once from six sockets on two nodes: exactly one decision wins`, async () => {
    const staff = await loginStaff(h.node.url);
    const [a1, a2, outsider, other] = await createUsers(h.node, { count: 4, label: `apr${locks}` });
    if (!a1 || !a2 || !outsider || !other) throw new Error('no users');
    const room = await approvalRoom(`Approval room ${locks}`, [a1.user.id, a2.user.id]);
    const owners = await createUsers(h.node, { count: REQUESTS, label: `apown${locks}` });
    const ownerSockets = await Promise.all(owners.map((o, i) => sockets.client(url(i), o.token)));

    // One after the other, so that "oldest first" has one answer.
    const requests: Booking[] = [];
    for (const [i, s] of ownerSockets.entries()) {
      const ack = await sendUntilDecided(s, 'booking:create', { resourceId: room.id, ...slot(30 + i) });
      const booking = unwrap(ack).booking;
      expect(booking).toMatchObject({ status: 'pending', userId: owners[i]?.user.id });
      expect(Date.parse(booking.expiresAt ?? '')).toBeGreaterThan(Date.now());
      requests.push(booking);
    }
    const ids = requests.map((r) => r.id);

    const deciders: Decider[] = [
      userDecider('approver1@A', a1.user.id, await sockets.client(url(0), a1.token)),
      userDecider('approver2@B', a2.user.id, await sockets.client(url(1), a2.token)),
      staffDecider('staff@A', staff.user.id, await sockets.admin(url(0), staff.token)),
      staffDecider('staff@B', staff.user.id, await sockets.admin(url(1), staff.token)),
      userDecider('approver1@B', a1.user.id, await sockets.client(url(1), a1.token)),
      userDecider('approver2@A', a2.user.id, await sockets.client(url(0), a2.token)),
    ];
    const a1Socket = await sockets.client(url(0), a1.token);
    // Someone watching on the other node hears each decision once.
    const heard: SlotChanged[] = [];
    (await sockets.client(url(1), other.token)).on('slot:changed', (e) => heard.push(e));
    const staffAdmin = await sockets.admin(url(1), staff.token);

    // A non-approver decides nothing and is offered nothing to decide.
    const outsiderSocket = await sockets.client(url(1), outsider.token);
    expect(unwrap(await send(outsiderSocket, 'approvals:list', {})).bookings).toEqual([]);
    const first = sock(ids, 0);
    expect(await send(outsiderSocket, 'booking:approve', { bookingId: first })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await send(outsiderSocket, 'booking:decline', { bookingId: first })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });

    // Before the decisions approver1 is offered every request, oldest first, with its owner's name.
    const listed = unwrap(await send(a1Socket, 'approvals:list', {})).bookings;
    expect(listed.map((b) => b.id)).toEqual(ids);
    for (const [i, b] of listed.entries()) {
      expect(b).toMatchObject({ status: 'pending', userName: owners[i]?.user.name });
    }

    const seed = Number(process.env.APPROVAL_RACE_SEED ?? Date.now() % 1_000_000);
    const random = seededRandom(seed);
    // Every request, at once, from all six: approve and decline mixed (which starts varies per request).
    const outcomes = await Promise.all(
      requests.map(async (r, i) => {
        const kinds = deciders.map((_, k): Kind => ((i + k) % 2 === 0 ? 'approve' : 'decline'));
        // Sent in a seeded random order, so that the first socket to send is not always the winner.
        const order = shuffled(
          deciders.map((_, k) => k),
          random,
        );
        const answered = await Promise.all(
          order.map(async (k) => ({ k, ack: await sock(deciders, k).decide(sock(kinds, k), r.id) })),
        );
        const acks = answered.sort((x, y) => x.k - y.k).map((x) => x.ack);
        return { request: r, kinds, acks };
      }),
    );

    const winners = new Map<string, Kind>();
    for (const { request, kinds, acks } of outcomes) {
      const answers = acks.map((a, k) =>
        a.ok
          ? `${sock(deciders, k).label} ${sock(kinds, k)}: ok ${a.data.booking.status}`
          : `${sock(deciders, k).label} ${sock(kinds, k)}: ${a.error.code}`,
      );
      const won = acks.flatMap((a, k) => (a.ok ? [k] : []));
      expect([request.id, won.length, answers]).toEqual([request.id, 1, answers]);
      const k = sock(won, 0);
      const kind = sock(kinds, k);
      const winner = sock(deciders, k);
      winners.set(request.id, kind);
      for (const [j, a] of acks.entries()) {
        if (j !== k)
          expect([request.id, answers[j], a]).toMatchObject([
            request.id,
            answers[j],
            { ok: false, error: { code: 'INVALID_STATE' } },
          ]);
      }
      const decided = unwrap(sock(acks, k)).booking;
      if (kind === 'approve') {
        expect(decided).toMatchObject({ id: request.id, status: 'active', decidedBy: winner.userId });
        expect(decided.declineReason).toBeUndefined();
      } else {
        expect(decided).toMatchObject({
          id: request.id,
          status: 'declined',
          decidedBy: winner.userId,
          declineReason: `declined by ${winner.label}`,
        });
      }
    }

    // What is stored, what the owner sees and what the history says agree with the winner.
    const statusOf = (kind: Kind | undefined): string => (kind === 'approve' ? 'active' : 'declined');
    const stored = await h.node.models.Booking.find({ _id: { $in: ids } }, { status: 1 }).lean();
    expect(new Map(stored.map((b) => [b._id.toHexString(), b.status]))).toEqual(
      new Map(ids.map((id) => [id, statusOf(winners.get(id))])),
    );
    for (const [i, r] of requests.entries()) {
      const mine = unwrap(await send(sock(ownerSockets, i), 'bookings:mine', {})).bookings;
      expect(mine.filter((b) => b.id === r.id).map((b) => b.status)).toEqual([statusOf(winners.get(r.id))]);
      const events = unwrap(await sendAdmin(staffAdmin, 'booking:history', { bookingId: r.id })).events;
      const decisions = events.filter((e) => e.action === 'approve' || e.action === 'decline');
      expect([r.id, decisions.map((e) => e.action)]).toEqual([r.id, [winners.get(r.id)]]);
    }

    // One broadcast per decision: 'confirmed' (active) for an approval, 'released' (declined) for a decline.
    const decisionOf = (e: SlotChanged): string => `${e.change} ${e.status}`;
    const expected = new Map(
      ids.map((id) => [id, [winners.get(id) === 'approve' ? 'confirmed active' : 'released declined']]),
    );
    const decidedHeard = (): Map<string, string[]> =>
      new Map(ids.map((id) => [id, heard.filter((e) => e.bookingId === id && e.change !== 'booked').map(decisionOf)]));
    await waitFor('every decision heard', () => ids.every((id) => (decidedHeard().get(id)?.length ?? 0) > 0), 5000);
    expect(decidedHeard()).toEqual(expected);

    // Nothing is left to decide, for approver1 or anyone.
    expect(unwrap(await send(a1Socket, 'approvals:list', {})).bookings).toEqual([]);
    expect(unwrap(await sendAdmin(staffAdmin, 'approvals:list', {})).bookings).toEqual([]);

    // A declined request's slot is free for someone else (a request of their own); an approved one is taken.
    const otherSocket = await sockets.client(url(0), other.token);
    for (const [i, r] of requests.entries()) {
      const ack = await sendUntilDecided(otherSocket, 'booking:create', { resourceId: room.id, ...slot(30 + i) });
      if (winners.get(r.id) === 'approve') {
        expect([r.id, ack]).toMatchObject([r.id, { ok: false, error: { code: 'SLOT_TAKEN' } }]);
      } else {
        expect([r.id, ack.ok ? ack : JSON.stringify(ack)]).toMatchObject([
          r.id,
          { ok: true, data: { booking: { status: 'pending' } } },
        ]);
      }
    }
    const approved = [...winners.values()].filter((k) => k === 'approve').length;
    process.stdout.write(
      `approval race (locks ${locks}, seed ${seed}): ${approved} of ${REQUESTS} requests approved, the rest declined\n`,
    );
  }, 60_000);

  it('a series under always is three requests; approving one leaves two pending and mails booking.approved for it only', async () => {
    notifier ??= await startNotificationService({ config: testConfig({ db: h.db, env: env() }) });
    const [approver, owner] = await createUsers(h.node, { count: 2, label: `apser${locks}` });
    if (!approver || !owner) throw new Error('no users');
    const room = await approvalRoom(`Series room ${locks}`, [approver.user.id]);
    const ownerSocket = await sockets.client(url(1), owner.token);
    const approverSocket = await sockets.client(url(0), approver.token);

    const series = unwrap(
      await sendUntilDecided(ownerSocket, 'booking:createSeries', {
        resourceId: room.id,
        ...slot(60),
        repeat: { every: 'day', count: 3 },
        onConflict: 'fail',
      }),
    );
    expect(series.skipped).toEqual([]);
    expect(series.bookings.map((b) => b.status)).toEqual(['pending', 'pending', 'pending']);
    const ids = series.bookings.map((b) => b.id);
    const [before, middle, after] = ids;
    if (!before || !middle || !after) throw new Error('no occurrences');

    expect(unwrap(await send(approverSocket, 'approvals:list', {})).bookings.map((b) => b.id)).toEqual(ids);
    const approved = unwrap(await sendUntilDecided(approverSocket, 'booking:approve', { bookingId: middle })).booking;
    expect(approved).toMatchObject({ id: middle, status: 'active', decidedBy: approver.user.id });

    const mine = unwrap(await send(ownerSocket, 'bookings:mine', {})).bookings;
    expect(new Map(mine.filter((b) => ids.includes(b.id)).map((b) => [b.id, b.status]))).toEqual(
      new Map([
        [before, 'pending'],
        [middle, 'active'],
        [after, 'pending'],
      ]),
    );
    expect(unwrap(await send(approverSocket, 'approvals:list', {})).bookings.map((b) => b.id)).toEqual([before, after]);

    await waitFor('the booking.approved email', () => mailsOf(catcher, 'booking.approved').has(middle), 20_000, 100);
    // Wait until nothing is in flight, so a mail for another occurrence would be counted too.
    expect((await drainedQueue(h.node)).failed).toBe(0);
    const approvedMails = mailsOf(catcher, 'booking.approved');
    expect(ids.map((id) => approvedMails.get(id)?.length ?? 0)).toEqual([0, 1, 0]);
    expect(approvedMails.get(middle)?.[0]?.to.map((a) => a.toLowerCase())).toEqual([
      expect.stringContaining(owner.user.email.toLowerCase()),
    ]);
    // A request is never confirmed by mail; the approval is its confirmation.
    const confirmed = mailsOf(catcher, 'booking.confirmed');
    expect(ids.filter((id) => confirmed.has(id))).toEqual([]);
  }, 60_000);
});
