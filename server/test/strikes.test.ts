/**
 * (v3) Check-in strikes: with `checkIn.strikes: 2`, two consecutive no-show releases of one series
 * cancel its remaining occurrences (`cancelReason: "no-show"`), broadcast their slots as released
 * and record exactly one `series.cancelled` for the owner, in the release's own transaction; a
 * check-in in between resets the count.
 *
 * The series are booked through a node at real time (tomorrow on); the releases run as the
 * notifier's timers run them (the booking core on the same stores, with a node's after-commit
 * effects), on an injected clock moved to just after each occurrence's check-in deadline, so the
 * test waits for no real deadline. The check-in in between runs on that clock too.
 */
import { Types } from 'mongoose';
import type { Booking, Resource, SlotChanged } from '@booking/shared';
import { createBookingCore } from '../src/booking-core';
import { bookingAfterCommit } from '../src/booking-effects';
import { timedWithAfterCommit } from '../src/booking/booking.effects';
import type { TimedCommands } from '../src/booking/booking.effects';
import type { BookingService } from '../src/booking/booking.types';
import type { Principal } from '../src/infra/contract';
import { createNodeMetrics } from '../src/node/node-metrics';
import { ioSlotBroadcast } from '../src/transport/slot.broadcast';
import { connectClient, loginStaff, registerUser, send, startHarness, unwrap } from '../../test/support/harness';
import type { ClientSocket, Harness } from '../../test/support/harness';
import { testConfig } from '../../test/support/env';
import { createRoom, MINUTE } from '../../test/support/timers';
import { waitFor } from '../../test/support/wait';

const WINDOW_MINUTES = 10;

let h: Harness;
let room: Resource;
let owner: ClientSocket;
let watcher: ClientSocket;
let ownerPrincipal: Principal;
/** The injected clock of the releases (ms ahead of real time). */
let aheadMs = 0;
let timed: TimedCommands;
let service: BookingService;
const sockets: ClientSocket[] = [];
const slotEvents: SlotChanged[] = [];

const iso = (ms: number) => new Date(ms).toISOString();

/** Tomorrow's (UTC) whole hour `hour` plus `days` days. */
function at(hour: number, days = 0): number {
  const d = new Date();
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1 + days, hour);
}

async function bookSeries(startMs: number, count: number): Promise<Booking[]> {
  const result = unwrap(
    await send(owner, 'booking:createSeries', {
      resourceId: room.id,
      start: iso(startMs),
      end: iso(startMs + 60 * MINUTE),
      repeat: { every: 'day', count },
      onConflict: 'fail',
      title: 'Stand-up',
    }),
  );
  expect(result.bookings).toHaveLength(count);
  return result.bookings;
}

/** Moves the injected clock to just after the occurrence's check-in deadline and runs its release timer. */
async function release(b: Booking): Promise<string> {
  const deadline = Date.parse(b.start) + WINDOW_MINUTES * MINUTE;
  aheadMs = deadline + MINUTE - Date.now();
  return timed.releaseNoShow({ bookingId: b.id, deadline: new Date(deadline) });
}

async function statuses(list: Booking[]): Promise<Array<[string, string | undefined]>> {
  const mine = unwrap(await send(owner, 'bookings:mine', {})).bookings;
  return list.map((b) => {
    const now = mine.find((m) => m.id === b.id);
    return [now?.status ?? 'missing', now?.cancelReason];
  });
}

const seriesCancelledRecords = (seriesId: string) =>
  h.node.models.Outbox.countDocuments({ type: 'series.cancelled', seriesId: new Types.ObjectId(seriesId) });

beforeAll(async () => {
  h = await startHarness({ label: 'strikes' });
  const staff = await loginStaff(h.node.url);
  room = await createRoom(h.node.url, staff.token, 'Strikes room', {
    checkIn: { windowMinutes: WINDOW_MINUTES, strikes: 2 },
  });
  const [ownerAuth, watcherAuth] = await Promise.all([
    registerUser(h.node.url, 'owner'),
    registerUser(h.node.url, 'watcher'),
  ]);
  owner = await connectClient(h.node.url, ownerAuth.token);
  watcher = await connectClient(h.node.url, watcherAuth.token);
  sockets.push(owner, watcher);
  watcher.on('slot:changed', (e) => slotEvents.push(e));
  ownerPrincipal = { id: ownerAuth.user.id, name: ownerAuth.user.name, role: 'user' };

  const clock = { now: () => new Date(Date.now() + aheadMs) };
  const { stores, data, logger } = h.node;
  const core = createBookingCore({
    config: testConfig({ db: h.db, env: { NODE_ID: `${h.db}-timers` } }),
    stores,
    data,
    clock,
    logger,
    counters: createNodeMetrics(),
  });
  service = core.bookingService;
  timed = timedWithAfterCommit(
    core.bookingService,
    bookingAfterCommit(
      {
        availability: core.availability,
        relay: { name: 'relay', run: () => undefined },
        feeds: { bookingChanged: async () => undefined },
        broadcast: ioSlotBroadcast(h.node.io, clock, core.directory, (err) => logger.warn({ err }, 'broadcast failed')),
      },
      { logger },
    ),
  );
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await h?.close();
});

test('strikes 2: two consecutive no-shows cancel the rest of the series, broadcast, one series.cancelled; a repeat does nothing more', async () => {
  const occ = await bookSeries(at(9), 5);
  const seriesId = occ[0]?.seriesId ?? '';
  const [o0, o1, o2, o3, o4] = occ;
  if (!o0 || !o1 || !o2 || !o3 || !o4) throw new Error('five occurrences');

  expect(await release(o0)).toBe('done');
  // One strike: the rest stays booked.
  expect(await statuses(occ)).toEqual([
    ['cancelled', 'no-show'],
    ['active', undefined],
    ['active', undefined],
    ['active', undefined],
    ['active', undefined],
  ]);
  expect(await seriesCancelledRecords(seriesId)).toBe(0);

  expect(await release(o1)).toBe('done');
  expect(await statuses(occ)).toEqual([
    ['cancelled', 'no-show'],
    ['cancelled', 'no-show'],
    ['cancelled', 'no-show'],
    ['cancelled', 'no-show'],
    ['cancelled', 'no-show'],
  ]);
  expect(await seriesCancelledRecords(seriesId)).toBe(1);
  const record = await h.node.models.Outbox.findOne({
    type: 'series.cancelled',
    seriesId: new Types.ObjectId(seriesId),
  }).lean();
  expect(record?.userId.toHexString()).toBe(ownerPrincipal.id);
  expect(record?.occurrences?.map((o) => o.start.toISOString())).toEqual([o2.start, o3.start, o4.start]);

  // Every cancelled occurrence's slot is broadcast as released to another viewer.
  await waitFor(
    'the released slots of the rest',
    () => [o2, o3, o4].every((o) => slotEvents.some((e) => e.bookingId === o.id && e.change === 'released')),
    10_000,
  );

  // A repeated timer of the second strike, and the timers of the cancelled ones, change nothing.
  expect(await release(o1)).toBe('stale');
  expect(await release(o2)).toBe('stale');
  expect(await seriesCancelledRecords(seriesId)).toBe(1);
}, 60_000);

test('a check-in between no-shows resets the count: only two consecutive ones cancel the rest', async () => {
  const occ = await bookSeries(at(13), 5);
  const seriesId = occ[0]?.seriesId ?? '';
  const [o0, o1, o2, o3, o4] = occ;
  if (!o0 || !o1 || !o2 || !o3 || !o4) throw new Error('five occurrences');

  expect(await release(o0)).toBe('done');
  // The owner checks in to the second occurrence, on the injected clock, during its window.
  aheadMs = Date.parse(o1.start) + MINUTE - Date.now();
  const checkedIn = await service.checkIn({ principal: ownerPrincipal, bookingId: o1.id });
  expect(checkedIn.result.checkedInAt).toBeDefined();
  expect(await release(o1)).toBe('stale');
  expect(await release(o2)).toBe('done');
  // no-show, checked in, no-show: one strike in a row, nothing cancelled.
  expect((await statuses(occ)).map(([s]) => s)).toEqual(['cancelled', 'active', 'cancelled', 'active', 'active']);
  expect(await seriesCancelledRecords(seriesId)).toBe(0);

  expect(await release(o3)).toBe('done');
  expect(await statuses(occ)).toEqual([
    ['cancelled', 'no-show'],
    ['active', undefined],
    ['cancelled', 'no-show'],
    ['cancelled', 'no-show'],
    ['cancelled', 'no-show'],
  ]);
  expect(await seriesCancelledRecords(seriesId)).toBe(1);
}, 60_000);
