/**
 * A confirm racing its hold's expiry (docs/protocol.md "Holds"), on two nodes with 3-second holds,
 * with Redlock: a person's confirms sent from several sockets on both nodes around
 * `expiresAt` have exactly one outcome. Either the hold became active and every confirm answers it
 * active, or it ran out and every confirm answers INVALID_STATE, and the notifier marks it expired.
 */
import type { Ack, Booking } from '@booking/shared';
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { MailCatcher } from '../../scripts/lib/mail-catcher';
import { startNotificationService } from '../src/notifier';
import type { Notifier } from '../src/notifier';
import { loginStaff, send, sendUntilDecided, slot, unwrap } from '../../test/support/harness';
import type { ClientSocket } from '../../test/support/harness';
import { testConfig } from '../../test/support/env';
import { useHarness, useSockets } from '../../test/support/suite';
import { createUsers } from '../../test/support/users';
import { createPool } from '../../test/support/waitlist';
import { waitFor } from '../../test/support/wait';

const ROUNDS = 6;
// Each round's confirms centre on its own moment near expiresAt: early rounds should win, late ones
// lose, the ones in between race the expiry itself.
const OFFSETS = [-30, -10, -3, 0, 3, 10, 30];
const shift = (round: number): number => (round - ROUNDS / 2) * 100;

let catcher: MailCatcher;
beforeAll(async () => {
  catcher = await startMailCatcher();
});
afterAll(async () => {
  await catcher?.stop();
});

// With BOOKING_LOCKS=off this once failed: a confirm whose snapshot predated a sibling's committed
// confirm, and whose clock was past expiresAt, answered INVALID_STATE "the hold has expired" while the
// hold was active (its refusal wrote nothing, so nothing conflicted). It now fences before deciding.
describe.each(['on', 'off'])('BOOKING_LOCKS=%s', (locks) => {
  const env = (): Record<string, string> => ({
    BOOKING_LOCKS: locks,
    HOLD_MINUTES: String(3 / 60),
    SMTP_URL: catcher.smtpUrl,
  });
  let notifier: Notifier | undefined;
  // Declared before the harness: jest runs a block's afterAll hooks in order, the notifier first.
  afterAll(async () => {
    await notifier?.close();
  });
  const h = useHarness(() => ({ label: `confirmrace-${locks}`, count: 2, env: env() }));
  const sockets = useSockets('each');

  async function statusOf(bookingId: string): Promise<string | undefined> {
    return (await h.node.models.Booking.findById(bookingId, { status: 1 }).lean())?.status;
  }

  it('confirms from several sockets around expiresAt: active for all, or INVALID_STATE for all and expired', async () => {
    notifier = await startNotificationService({ config: testConfig({ db: h.db, env: env() }) });
    const staff = await loginStaff(h.node.url);
    const users = await createUsers(h.node, { count: ROUNDS, label: `race${locks}` });
    const outcomes = await Promise.all(
      users.map(async (u, i) => {
        const s: ClientSocket[] = await Promise.all(
          OFFSETS.map((_, k) => sockets.client(h.nodes[(i + k) % 2]?.url ?? h.node.url, u.token)),
        );
        // A room each: the confirms of one hold race each other and its expiry, not other holds.
        const room = await createPool(h.node.url, staff.token, `Race room ${locks} ${i}`);
        const firstSocket = s[0];
        if (!firstSocket) throw new Error('no socket');
        const hold = unwrap(await send(firstSocket, 'booking:hold', { resourceId: room.id, ...slot(30) })).booking;
        const expiresAt = Date.parse(hold.expiresAt ?? '');
        const acks: Array<Ack<{ booking: Booking }>> = await Promise.all(
          OFFSETS.map(async (offset, k) => {
            const socket = s[k];
            if (!socket) throw new Error('no socket');
            await new Promise((r) => setTimeout(r, Math.max(0, expiresAt + shift(i) + offset - Date.now())));
            // A BUSY (the lock taken by a sibling confirm) is sent again, as every client does.
            return sendUntilDecided(socket, 'booking:confirm', { bookingId: hold.id });
          }),
        );
        return { hold, acks };
      }),
    );
    let active = 0;
    for (const { hold, acks } of outcomes) {
      const stored = await statusOf(hold.id);
      if (acks.some((a) => a.ok)) {
        active += 1;
        // Every answer, in the order sent: the hold's id and status, or the error's code and message.
        const answers = acks.map((a) =>
          a.ok ? `${a.data.booking.id} ${a.data.booking.status}` : `${a.error.code}: ${a.error.message}`,
        );
        expect(answers).toEqual(acks.map(() => `${hold.id} active`));
        expect(stored).toBe('active');
      } else {
        for (const a of acks) expect(a).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
        expect(stored === 'held' || stored === 'expired').toBe(true);
        await waitFor('the unconfirmed hold marked expired', async () => (await statusOf(hold.id)) === 'expired', 2500);
      }
    }
    process.stdout.write(`confirm race (locks ${locks}): ${active} of ${ROUNDS} holds confirmed, the rest expired\n`);
  }, 40_000);
});
