/**
 * Issue 22, item 2: a check-in is attendance at one interval. A booking checked in and then moved
 * must be checked in again at its new time, or its no-show timer releases it (docs/protocol.md v3:
 * `checkedInAt` is cleared by every change of interval). Before the fix the move kept
 * `checkedInAt`, so the booking counted as attended at its new time and was never released.
 *
 * The node runs on a clock the test sets; the release is the notifier's operation
 * (`releaseNoShow`), called here on a second booking core over the same stores at the instant its
 * timer would fire, so no real minutes pass.
 */
import type { Resource } from '@booking/shared';
import { createBookingCore } from '../src/booking-core';
import type { BookingService } from '../src/booking/booking.service';
import { connectClient, loginStaff, registerUser, send, startHarness, unwrap } from '../../test/support/harness';
import type { ClientSocket, Harness } from '../../test/support/harness';
import { createRoom, MINUTE } from '../../test/support/timers';

const HOUR = 60 * MINUTE;
const WINDOW_MINUTES = 15;

let h: Harness;
let socket: ClientSocket;
let room: Resource;
let core: BookingService;
/** The node's clock is real time plus this. */
let shift = 0;
const clock = { now: () => new Date(Date.now() + shift) };
/** A whole hour at least two hours ahead of real time. */
const T = Math.ceil(Date.now() / HOUR) * HOUR + 2 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const setNow = (at: number) => {
  shift = at - Date.now();
};

beforeAll(async () => {
  h = await startHarness({ label: 'checkinmove', node: { clock } });
  const staff = await loginStaff(h.node.url);
  room = await createRoom(h.node.url, staff.token, 'Check-in move room', {
    checkIn: { windowMinutes: WINDOW_MINUTES },
  });
  socket = await connectClient(h.node.url, (await registerUser(h.node.url, 'mover')).token);
  core = createBookingCore({
    config: { bookingLocks: true, maxActiveBookingsPerUser: 1000, holdMs: 600_000, offerMs: 900_000 },
    stores: h.node.stores,
    data: h.node.data,
    clock,
    logger: h.node.logger,
    counters: { tx: { attempts: 0, retries: 0 }, locks: { waits: 0 }, cache: { hits: 0, misses: 0 } },
  }).bookingService;
});
afterAll(async () => {
  socket.close();
  await h.close();
});

it('a checked-in booking that is moved must check in again, and is released as a no-show at its new time if it does not', async () => {
  setNow(T - 5 * MINUTE);
  const booked = unwrap(
    await send(socket, 'booking:create', { resourceId: room.id, start: iso(T), end: iso(T + HOUR) }),
  ).booking;
  const checked = unwrap(await send(socket, 'booking:checkIn', { bookingId: booked.id })).booking;
  expect(checked.checkedInAt).toBeDefined();

  const moved = unwrap(
    await send(socket, 'booking:modify', { bookingId: booked.id, start: iso(T + 2 * HOUR), end: iso(T + 3 * HOUR) }),
  ).booking;
  expect(moved.start).toBe(iso(T + 2 * HOUR));
  expect(moved.checkedInAt).toBeUndefined();
  const stored = await h.node.models.Booking.findById(booked.id).lean();
  expect(stored?.checkedInAt).toBeUndefined();
  expect(
    unwrap(await send(socket, 'bookings:mine', {})).bookings.find((b) => b.id === booked.id)?.checkedInAt,
  ).toBeUndefined();

  // The new window closes at the new start + 15 minutes; the timer fires just after.
  const deadline = new Date(T + 2 * HOUR + WINDOW_MINUTES * MINUTE);
  setNow(deadline.getTime() + MINUTE);
  const outcome = await core.releaseNoShow({ bookingId: booked.id, deadline });
  expect(outcome.result).toBe('done');
  const after = await h.node.models.Booking.findById(booked.id).lean();
  expect(after).toMatchObject({ status: 'cancelled', cancelReason: 'no-show' });
});

it('checking in again after the move keeps the booking', async () => {
  const start = T + 4 * HOUR;
  setNow(start - 5 * MINUTE);
  const booked = unwrap(
    await send(socket, 'booking:create', { resourceId: room.id, start: iso(start), end: iso(start + HOUR) }),
  ).booking;
  unwrap(await send(socket, 'booking:checkIn', { bookingId: booked.id }));
  // Only the end changes: still a change of interval, so the check-in is cleared.
  const longer = unwrap(
    await send(socket, 'booking:modify', { bookingId: booked.id, start: iso(start), end: iso(start + 2 * HOUR) }),
  ).booking;
  expect(longer.checkedInAt).toBeUndefined();
  const again = unwrap(await send(socket, 'booking:checkIn', { bookingId: booked.id })).booking;
  expect(again.checkedInAt).toBeDefined();

  const deadline = new Date(start + WINDOW_MINUTES * MINUTE);
  setNow(deadline.getTime() + MINUTE);
  expect((await core.releaseNoShow({ bookingId: booked.id, deadline })).result).toBe('stale');
  expect(await h.node.models.Booking.findById(booked.id).lean()).toMatchObject({ status: 'active' });
});

it('a modify to the very same interval is no move: the check-in stays', async () => {
  const start = T + 6 * HOUR;
  setNow(start - 5 * MINUTE);
  const booked = unwrap(
    await send(socket, 'booking:create', { resourceId: room.id, start: iso(start), end: iso(start + HOUR) }),
  ).booking;
  const checked = unwrap(await send(socket, 'booking:checkIn', { bookingId: booked.id })).booking;
  const same = unwrap(
    await send(socket, 'booking:modify', { bookingId: booked.id, start: iso(start), end: iso(start + HOUR) }),
  ).booking;
  expect(same.checkedInAt).toBe(checked.checkedInAt);
});
