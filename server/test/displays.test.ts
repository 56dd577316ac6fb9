/**
 * Room displays end to end on two nodes sharing one injected clock (a fake "now" that runs on with
 * real time from wherever the test sets it). The display watches from node A; the person's
 * bookings and check-in, the staff commands and a second socket of the same display that sends
 * the display commands are on node B. Each `display:state` that follows a commit on B is timed
 * from the commit's ack (printed: commit → display:state on the other node).
 */
import { io as connect } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type {
  Ack,
  Booking,
  DisplayClientToServerEvents,
  DisplayServerToClientEvents,
  DisplayState,
  Resource,
} from '@booking/shared';
import type { Clock } from '../src/infra/clock';
import {
  connectAdmin,
  connectClient,
  loginStaff,
  registerUser,
  send,
  sendAdmin,
  startHarness,
  unwrap,
} from '../../test/support/harness';
import type { AdminSocket, ClientSocket, Harness } from '../../test/support/harness';
import { createRoom } from '../../test/support/timers';
import { rekeyDemoDisplay } from '../../scripts/lib/demo-display';
import { waitFor } from '../../test/support/wait';

type DisplaySocket = Socket<DisplayServerToClientEvents, DisplayClientToServerEvents>;

/** The nodes' clock: `setNow(t)` makes "now" t, and it runs on from there with real time. */
let fakeAt = Date.parse('2031-03-04T09:50:00Z');
let setAt = Date.now();
const clock: Clock = { now: () => new Date(fakeAt + (Date.now() - setAt)) };
const setNow = (iso: string): void => {
  fakeAt = Date.parse(iso);
  setAt = Date.now();
};

let h: Harness;
let nodeA: string;
let nodeB: string;
let staffToken: string;
let admin: AdminSocket;
const open: Array<{ close(): unknown }> = [];

/** A display client with every `display:state` it received, in order. */
interface Watch {
  socket: DisplaySocket;
  states: Array<{ state: DisplayState; at: number }>;
  disconnectedAt?: number;
}

function connectDisplay(base: string, displayToken: unknown): Promise<Watch> {
  return new Promise((resolve, reject) => {
    const socket: DisplaySocket = connect(`${base}/display`, {
      ...(displayToken === undefined ? {} : { auth: { displayToken } }),
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    const watch: Watch = { socket, states: [] };
    socket.on('display:state', (state) => watch.states.push({ state, at: Date.now() }));
    socket.on('disconnect', () => {
      watch.disconnectedAt = Date.now();
    });
    socket.once('connect', () => {
      open.push(socket);
      resolve(watch);
    });
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

function command<E extends keyof DisplayClientToServerEvents>(
  w: Watch,
  event: E,
  payload: Parameters<DisplayClientToServerEvents[E]>[0],
): Promise<Ack<{ booking: Booking }>> {
  const raw = w.socket as unknown as {
    timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<Ack<{ booking: Booking }>> };
  };
  return raw.timeout(15_000).emitWithAck(event, payload);
}

/** The first state received after `since` (real ms) that satisfies `ok`. */
async function stateAfter(w: Watch, since: number, what: string, ok: (s: DisplayState) => boolean) {
  return waitFor(what, () => w.states.find((s) => s.at >= since && ok(s.state)), 10_000);
}

async function newDisplay(resourceId: string, name = 'Door'): Promise<{ id: string; token: string; url: string }> {
  const { display, url } = unwrap(await sendAdmin(admin, 'display:create', { resourceId, name }));
  const token = url.split('#')[1] ?? '';
  return { id: display.id, token, url };
}

beforeAll(async () => {
  setNow('2031-03-04T09:50:00Z');
  h = await startHarness({ label: 'displays', count: 2, node: { clock } });
  nodeA = h.nodes[0]?.url ?? '';
  nodeB = h.nodes[1]?.url ?? '';
  staffToken = (await loginStaff(nodeB)).token;
  admin = await connectAdmin(nodeB, staffToken);
  open.push(admin);
}, 60_000);

afterAll(async () => {
  for (const s of open) s.close();
  await h?.close();
});

describe('room displays', () => {
  let room: Resource;
  let owner: ClientSocket;
  let meeting: Booking;
  let display: { id: string; token: string; url: string };

  test('staff create a display: the token is in the URL fragment and stored only as a hash', async () => {
    room = await createRoom(nodeB, staffToken, 'Display room', { checkIn: { windowMinutes: 10 } });
    display = await newDisplay(room.id);
    expect(display.url).toMatch(/\/display\/#[A-Za-z0-9_-]{43}$/);
    const stored = await h.node.models.Display.findById(display.id).lean();
    expect(stored?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(display.token);
    const { displays } = unwrap(await sendAdmin(admin, 'display:list', {}));
    expect(displays.find((d) => d.id === display.id)).toMatchObject({ resourceId: room.id, name: 'Door' });
  });

  test('an unknown resource is NOT_FOUND', async () => {
    const ack = await sendAdmin(admin, 'display:create', { resourceId: 'f'.repeat(24), name: 'Nowhere' });
    expect(ack.ok ? 'ok' : ack.error.code).toBe('NOT_FOUND');
  });

  test('a missing or unknown token is UNAUTHORIZED', async () => {
    await expect(connectDisplay(nodeA, undefined)).rejects.toThrow('UNAUTHORIZED');
    await expect(connectDisplay(nodeA, 'not-a-token')).rejects.toThrow('UNAUTHORIZED');
  });

  test('live cycle across two nodes: free → awaiting check-in (by time) → in use → end early → free', async () => {
    const person = await registerUser(nodeB, 'attendee');
    owner = await connectClient(nodeB, person.token);
    open.push(owner);
    meeting = unwrap(
      await send(owner, 'booking:create', {
        resourceId: room.id,
        start: '2031-03-04T10:00:00.000Z',
        end: '2031-03-04T11:00:00.000Z',
        title: 'Board meeting',
      }),
    ).booking;

    // 1.5 s before the start: free until it; the start turns it amber with no change committed.
    setNow('2031-03-04T09:59:58.500Z');
    const watch = await connectDisplay(nodeA, display.token);
    const first = await stateAfter(watch, 0, 'the first state', () => true);
    expect(first.state).toMatchObject({ state: 'free', freeUntil: '2031-03-04T10:00:00.000Z', current: null });
    expect(first.state.resource).toMatchObject({ id: room.id, name: 'Display room', locale: 'en', capacity: 1 });
    expect(first.state.next).toEqual([
      { bookingId: meeting.id, start: '2031-03-04T10:00:00.000Z', end: '2031-03-04T11:00:00.000Z' },
    ]);
    const amber = await stateAfter(
      watch,
      first.at,
      'awaiting check-in at the start',
      (s) => s.state === 'awaiting-check-in',
    );
    expect(amber.state.current).toMatchObject({ bookingId: meeting.id, checkInDeadline: '2031-03-04T10:10:00.000Z' });
    expect(amber.state.current?.title).toBeUndefined();

    // The owner checks in on node B.
    unwrap(await send(owner, 'booking:checkIn', { bookingId: meeting.id }));
    const checkedAt = Date.now();
    const red = await stateAfter(watch, checkedAt, 'in use after the check-in', (s) => s.state === 'in-use');
    console.log(`check-in on B → display:state on A: ${red.at - checkedAt} ms`);
    expect(red.state.current?.checkedInAt).toBeDefined();

    // The same display's second socket on node B ends it early: its end becomes the next grid line.
    setNow('2031-03-04T10:00:59.200Z');
    const door = await connectDisplay(nodeB, display.token);
    const wrongId = await command(door, 'display:endEarly', { bookingId: 'a'.repeat(24) });
    expect(wrongId.ok ? 'ok' : wrongId.error.code).toBe('INVALID_STATE');
    const ended = unwrap(await command(door, 'display:endEarly', { bookingId: meeting.id })).booking;
    const endedAt = Date.now();
    expect(ended).toMatchObject({ end: '2031-03-04T10:01:00.000Z', status: 'active' });
    expect(ended.cancelReason).toBeUndefined();
    const shorter = await stateAfter(watch, endedAt, 'the shorter booking', (s) => s.current?.end === ended.end);
    console.log(`end early on B → display:state on A: ${shorter.at - endedAt} ms`);
    const green = await stateAfter(watch, endedAt, 'free once it ended', (s) => s.state === 'free');
    expect(green.state).toMatchObject({ current: null, next: [], freeUntil: null });
  });

  test('walk-in: booked from the grid line before now as the display, refused with SLOT_TAKEN when taken', async () => {
    const door = await connectDisplay(nodeB, display.token);
    const watch = await connectDisplay(nodeA, display.token);
    await stateAfter(watch, 0, 'a first state', () => true);
    const walkIn = unwrap(await command(door, 'display:bookNow', { minutes: 20 })).booking;
    const bookedAt = Date.now();
    expect(walkIn.title).toBe('Walk-in');
    expect(walkIn.checkedInAt).toBeDefined();
    expect(Date.parse(walkIn.start) % 60_000).toBe(0);
    expect(Date.parse(walkIn.start)).toBeLessThanOrEqual(clock.now().getTime());
    expect(Date.parse(walkIn.end) - Date.parse(walkIn.start)).toBe(20 * 60_000);
    const red = await stateAfter(watch, bookedAt, 'in use by the walk-in', (s) => s.current?.bookingId === walkIn.id);
    console.log(`walk-in on B → display:state on A: ${red.at - bookedAt} ms`);
    expect(red.state.state).toBe('in-use');
    const again = await command(door, 'display:bookNow', { minutes: 15 });
    expect(again.ok ? 'ok' : again.error.code).toBe('SLOT_TAKEN');

    // Extending runs into the person's next booking: SLOT_TAKEN; a free stretch: one grid step longer.
    const after = unwrap(
      await send(owner, 'booking:create', {
        resourceId: room.id,
        start: walkIn.end,
        end: new Date(Date.parse(walkIn.end) + 3_600_000).toISOString(),
      }),
    ).booking;
    const blocked = await command(door, 'display:extend', { bookingId: walkIn.id, minutes: 10 });
    expect(blocked.ok ? 'ok' : blocked.error.code).toBe('SLOT_TAKEN');
    unwrap(await send(owner, 'booking:cancel', { bookingId: after.id }));
    const longer = unwrap(await command(door, 'display:extend', { bookingId: walkIn.id, minutes: 10 })).booking;
    expect(Date.parse(longer.end) - Date.parse(walkIn.end)).toBe(10 * 60_000);
    unwrap(await command(door, 'display:endEarly', { bookingId: walkIn.id }));
  });

  test('titles only with publicTitles', async () => {
    const watch = await connectDisplay(nodeA, display.token);
    await stateAfter(watch, 0, 'a first state', () => true);
    const start = new Date(Math.ceil((clock.now().getTime() + 3_600_000) / 3_600_000) * 3_600_000);
    const later = unwrap(
      await send(owner, 'booking:create', {
        resourceId: room.id,
        start: start.toISOString(),
        end: new Date(start.getTime() + 1_800_000).toISOString(),
        title: 'Quarterly review',
      }),
    ).booking;
    const listed = await stateAfter(watch, 0, 'the new booking listed', (s) =>
      s.next.some((b) => b.bookingId === later.id),
    );
    expect(listed.state.next.find((b) => b.bookingId === later.id)?.title).toBeUndefined();
    const changedAt = Date.now();
    unwrap(await sendAdmin(admin, 'resource:update', { id: room.id, policy: { publicTitles: true } }));
    const titled = await stateAfter(watch, changedAt, 'the title shown', (s) =>
      s.next.some((b) => b.title === 'Quarterly review'),
    );
    console.log(`resource:update on B → display:state on A: ${titled.at - changedAt} ms`);
    unwrap(await send(owner, 'booking:cancel', { bookingId: later.id }));
    unwrap(await sendAdmin(admin, 'resource:update', { id: room.id, policy: { publicTitles: false } }));
  });

  test('closed by its opening hours', async () => {
    const shut = await createRoom(nodeB, staffToken, 'Shut room', {
      openingHours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
    });
    const d = await newDisplay(shut.id, 'Shut door');
    const watch = await connectDisplay(nodeA, d.token);
    const first = await stateAfter(watch, 0, 'the first state', () => true);
    expect(first.state).toMatchObject({ state: 'closed', current: null, freeUntil: null });
    const walkIn = await command(watch, 'display:bookNow', { minutes: 15 });
    expect(walkIn.ok ? 'ok' : walkIn.error.code).toBe('POLICY_VIOLATION');
  });

  test('revocation disconnects the display on the other node within 5 s; the token no longer connects', async () => {
    const watch = await connectDisplay(nodeA, display.token);
    await stateAfter(watch, 0, 'a first state', () => true);
    const revokedAt = Date.now();
    unwrap(await sendAdmin(admin, 'display:revoke', { id: display.id }));
    await waitFor('the display disconnected', () => watch.disconnectedAt, 5_000);
    console.log(`revoke on B → disconnect on A: ${(watch.disconnectedAt ?? 0) - revokedAt} ms`);
    await expect(connectDisplay(nodeA, display.token)).rejects.toThrow('UNAUTHORIZED');
    await expect(connectDisplay(nodeB, display.token)).rejects.toThrow('UNAUTHORIZED');
    const { displays } = unwrap(await sendAdmin(admin, 'display:list', {}));
    expect(displays.find((d) => d.id === display.id)?.revokedAt).toBeDefined();
    expect(displays.find((d) => d.id === display.id)?.lastSeenAt).toBeDefined();
    const again = await sendAdmin(admin, 'display:revoke', { id: 'b'.repeat(24) });
    expect(again.ok ? 'ok' : again.error.code).toBe('NOT_FOUND');
  });

  test('a revocation the adapter did not carry is caught by the periodic check', async () => {
    const d = await newDisplay(room.id, 'Quiet door');
    const watch = await connectDisplay(nodeA, d.token);
    await h.node.models.Display.updateOne({ _id: d.id }, { $set: { revokedAt: new Date() } });
    await waitFor('the display disconnected by the check', () => watch.disconnectedAt, 5_000);
  });

  test('npm start re-keys the seeded demo display: its printed URL connects, the previous one no longer does', async () => {
    const atlas = await createRoom(nodeB, staffToken, 'Atlas');
    const first = await rekeyDemoDisplay(h.node.models, nodeA);
    const second = await rekeyDemoDisplay(h.node.models, nodeA);
    expect(second).toMatch(new RegExp(`^${nodeA}/display/#[A-Za-z0-9_-]{43}$`));
    await expect(connectDisplay(nodeA, first?.split('#')[1])).rejects.toThrow('UNAUTHORIZED');
    const watch = await connectDisplay(nodeA, second?.split('#')[1]);
    const state = await stateAfter(watch, 0, 'the demo display state', () => true);
    expect(state.state.resource.id).toBe(atlas.id);
    expect(await h.node.models.Display.countDocuments({ resourceId: atlas.id })).toBe(1);
  });

  test('end early offers the freed time to the waitlist in the same commit', async () => {
    setNow('2031-03-05T08:59:00.000Z');
    // A day later: staff sign in again (the tokens of the day before have expired).
    staffToken = (await loginStaff(nodeB)).token;
    admin = await connectAdmin(nodeB, staffToken);
    open.push(admin);
    const busy = await createRoom(nodeB, staffToken, 'Waitlist room');
    const d = await newDisplay(busy.id, 'Waitlist door');
    const holder = await connectClient(nodeB, (await registerUser(nodeB, 'holder')).token);
    const waiter = await registerUser(nodeB, 'waiter');
    const waiting = await connectClient(nodeB, waiter.token);
    open.push(holder, waiting);
    const long = unwrap(
      await send(holder, 'booking:create', {
        resourceId: busy.id,
        start: '2031-03-05T09:00:00.000Z',
        end: '2031-03-05T11:00:00.000Z',
      }),
    ).booking;
    unwrap(
      await send(waiting, 'waitlist:join', {
        resourceId: busy.id,
        start: '2031-03-05T10:00:00.000Z',
        end: '2031-03-05T11:00:00.000Z',
      }),
    );
    setNow('2031-03-05T09:00:30.000Z');
    const door = await connectDisplay(nodeB, d.token);
    const ended = unwrap(await command(door, 'display:endEarly', { bookingId: long.id })).booking;
    expect(ended.end).toBe('2031-03-05T09:01:00.000Z');
    const offer = await h.node.models.Booking.findOne({ userId: waiter.user.id, resourceId: busy.id }).lean();
    expect(offer).toMatchObject({ status: 'held', start: new Date('2031-03-05T10:00:00.000Z') });
  });

  test('deleting a resource revokes its displays', async () => {
    const gone = await createRoom(nodeB, staffToken, 'Short-lived room');
    const d = await newDisplay(gone.id, 'Short-lived door');
    const watch = await connectDisplay(nodeA, d.token);
    await stateAfter(watch, 0, 'a first state', () => true);
    unwrap(await sendAdmin(admin, 'resource:delete', { id: gone.id }));
    await waitFor('the display disconnected', () => watch.disconnectedAt, 5_000);
    await expect(connectDisplay(nodeA, d.token)).rejects.toThrow('UNAUTHORIZED');
    const { displays } = unwrap(await sendAdmin(admin, 'display:list', {}));
    expect(displays.find((x) => x.id === d.id)?.revokedAt).toBeDefined();
  });
});
