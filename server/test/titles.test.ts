/**
 * (v3) Booking titles: who sees them. The owner, staff and the resource's managers always (acks,
 * `bookings:mine`, the `/admin` snapshot and its `slot:changed`); everyone else only when the
 * resource's policy has `publicTitles`: `availability:get` busy entries, `slot:changed` on `/`, and
 * a resource's calendar feed (whose SUMMARY is "Busy" otherwise). Switching `publicTitles` off
 * hides them at once, cached availability and feeds included. Also: the 120-character bound,
 * `booking:modify` keeping, replacing and clearing a title, a series' occurrences carrying it, the
 * REST API, and `booking:history` on `/` for one's own bookings only.
 */
import * as nodeIcal from 'node-ical';
import type { VEvent } from 'node-ical';
import { ErrorCode } from '@booking/shared';
import type { Booking, Resource, SlotChanged } from '@booking/shared';
import {
  connectAdmin,
  connectClient,
  createResource,
  http,
  loginStaff,
  registerUser,
  send,
  sendAdmin,
  startHarness,
  unwrap,
} from '../../test/support/harness';
import type { AdminSocket, ClientSocket, Harness } from '../../test/support/harness';
import { waitFor } from '../../test/support/wait';

const HOUR = 3_600_000;

let h: Harness;
let staffToken: string;
let admin: AdminSocket;
let owner: ClientSocket;
let other: ClientSocket;
let ownerToken: string;
let otherToken: string;
/** A room whose titles are private, and one whose titles are public. */
let privateRoom: Resource;
let publicRoom: Resource;
const otherEvents: SlotChanged[] = [];
const adminEvents: SlotChanged[] = [];
const sockets: Array<{ close(): void }> = [];

/** Tomorrow's (UTC) whole hour plus `hours`. */
const base = (() => {
  const d = new Date();
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1, 8);
})();
const slot = (hours: number) => ({
  start: new Date(base + hours * HOUR).toISOString(),
  end: new Date(base + hours * HOUR + HOUR / 2).toISOString(),
});

async function book(socket: ClientSocket, room: Resource, hours: number, title?: string): Promise<Booking> {
  return unwrap(
    await send(socket, 'booking:create', { resourceId: room.id, ...slot(hours), ...(title ? { title } : {}) }),
  ).booking;
}

/** The busy entry of `bookingId` as another person's `availability:get` shows it. */
async function busyOf(socket: ClientSocket, room: Resource, bookingId: string) {
  const { busy } = unwrap(
    await send(socket, 'availability:get', {
      resourceId: room.id,
      from: new Date(base).toISOString(),
      to: new Date(base + 24 * HOUR).toISOString(),
    }),
  );
  const entry = busy.find((b) => b.bookingId === bookingId);
  if (!entry) throw new Error(`no busy entry for ${bookingId}`);
  return entry;
}

async function setPublicTitles(room: Resource, publicTitles: boolean): Promise<void> {
  const { resource } = unwrap(await sendAdmin(admin, 'resource:update', { id: room.id, policy: { publicTitles } }));
  expect(resource.policy.publicTitles).toBe(publicTitles);
}

/** A resource feed's events' SUMMARY by UID. */
async function feedSummaries(url: string): Promise<Map<string, string>> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const events = Object.values(nodeIcal.sync.parseICS(await res.text())).filter(
    (c): c is VEvent => c?.type === 'VEVENT',
  );
  return new Map(events.map((e) => [e.uid, typeof e.summary === 'string' ? e.summary : e.summary.val]));
}

async function resourceFeed(token: string, room: Resource): Promise<string> {
  const res = await http<{ url: string }>(h.node.url, '/api/calendar/feeds', {
    body: { scope: 'resource', resourceId: room.id },
    token,
  });
  expect(res.status).toBe(201);
  return res.body.url;
}

beforeAll(async () => {
  h = await startHarness({ label: 'titles' });
  staffToken = (await loginStaff(h.node.url)).token;
  privateRoom = await createResource(h.node.url, staffToken, 'Titles private');
  publicRoom = await createResource(h.node.url, staffToken, 'Titles public', { policy: { publicTitles: true } });
  expect(publicRoom.policy.publicTitles).toBe(true);
  expect(privateRoom.policy.publicTitles).toBe(false);
  const [ownerAuth, otherAuth] = await Promise.all([
    registerUser(h.node.url, 'owner'),
    registerUser(h.node.url, 'other'),
  ]);
  ownerToken = ownerAuth.token;
  otherToken = otherAuth.token;
  owner = await connectClient(h.node.url, ownerToken);
  other = await connectClient(h.node.url, otherToken);
  admin = await connectAdmin(h.node.url, staffToken);
  sockets.push(owner, other, admin);
  other.on('slot:changed', (e) => otherEvents.push(e));
  admin.on('slot:changed', (e) => adminEvents.push(e));
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await h?.close();
});

test('private titles: the owner and staff see the title; another viewer sees none in availability, slot:changed or the resource feed', async () => {
  const booking = await book(owner, privateRoom, 0, '  Budget review  ');
  expect(booking.title).toBe('Budget review');
  const mine = unwrap(await send(owner, 'bookings:mine', {})).bookings.find((b) => b.id === booking.id);
  expect(mine?.title).toBe('Budget review');

  const seen = await waitFor('both slot:changed', () => {
    const o = otherEvents.find((e) => e.bookingId === booking.id);
    const a = adminEvents.find((e) => e.bookingId === booking.id);
    return o && a ? { o, a } : undefined;
  });
  expect(seen.o.title).toBeUndefined();
  expect(seen.a.title).toBe('Budget review');
  // Read twice: the second read comes from the cache, which must not leak either.
  expect((await busyOf(other, privateRoom, booking.id)).title).toBeUndefined();
  expect((await busyOf(other, privateRoom, booking.id)).title).toBeUndefined();

  const snapshot = unwrap(await sendAdmin(admin, 'dashboard:snapshot', { date: booking.start.slice(0, 10) }));
  expect(snapshot.bookings.find((b) => b.id === booking.id)?.title).toBe('Budget review');

  const summaries = await feedSummaries(await resourceFeed(otherToken, privateRoom));
  expect(summaries.get(`${booking.id}@booking`)).toBe('Busy');
  expect([...summaries.values()].join('\n')).not.toContain('Budget review');
  // Staff's bookings report fills its title column.
  const day = booking.start.slice(0, 10);
  const csv = await fetch(
    `${h.node.url}/api/reports/bookings.csv?from=${day}T00:00:00Z&to=${day}T23:59:00Z&resourceId=${privateRoom.id}`,
    { headers: { authorization: `Bearer ${staffToken}` } },
  );
  expect(csv.status).toBe(200);
  const row = (await csv.text()).split('\n').find((line) => line.startsWith(booking.id));
  expect(row?.trimEnd().endsWith(',Budget review')).toBe(true);
});

test('public titles: another viewer sees them in availability, slot:changed and the resource feed; switching publicTitles off hides them at once', async () => {
  const booking = await book(owner, publicRoom, 1, 'Design crit');
  const event = await waitFor('slot:changed', () => otherEvents.find((e) => e.bookingId === booking.id));
  expect(event.title).toBe('Design crit');
  expect((await busyOf(other, publicRoom, booking.id)).title).toBe('Design crit');
  const feed = await resourceFeed(otherToken, publicRoom);
  expect((await feedSummaries(feed)).get(`${booking.id}@booking`)).toBe('Design crit');

  // Off: the cached availability and the cached feed stop showing it on the next read.
  await setPublicTitles(publicRoom, false);
  expect((await busyOf(other, publicRoom, booking.id)).title).toBeUndefined();
  expect((await feedSummaries(feed)).get(`${booking.id}@booking`)).toBe('Busy');
  const cancelled = unwrap(await send(owner, 'booking:cancel', { bookingId: booking.id })).booking;
  expect(cancelled.title).toBe('Design crit');
  const released = await waitFor('the released slot:changed', () =>
    otherEvents.find((e) => e.bookingId === booking.id && e.change === 'released'),
  );
  expect(released.title).toBeUndefined();

  // On again: shown again, also for a booking made while titles were private.
  const later = await book(owner, publicRoom, 2, 'Retro');
  await setPublicTitles(publicRoom, true);
  expect((await busyOf(other, publicRoom, later.id)).title).toBe('Retro');
  expect((await feedSummaries(feed)).get(`${later.id}@booking`)).toBe('Retro');
});

test('a title of 121 characters is refused (VALIDATION_ERROR); 120 are kept', async () => {
  const tooLong = await send(owner, 'booking:create', {
    resourceId: privateRoom.id,
    ...slot(3),
    title: 'x'.repeat(121),
  });
  expect(tooLong.ok).toBe(false);
  if (!tooLong.ok) expect(tooLong.error.code).toBe(ErrorCode.VALIDATION_ERROR);
  const held = await send(owner, 'booking:hold', { resourceId: privateRoom.id, ...slot(3), title: 'y'.repeat(121) });
  expect(held.ok).toBe(false);
  const booking = await book(owner, privateRoom, 3, 'x'.repeat(120));
  expect(booking.title).toHaveLength(120);
});

test('booking:modify keeps an omitted title, replaces it, clears it with null or an empty string; a title-only change is allowed', async () => {
  const booking = await book(owner, privateRoom, 4, 'Planning');
  const moved = unwrap(await send(owner, 'booking:modify', { bookingId: booking.id, ...slot(5) })).booking;
  expect(moved.title).toBe('Planning');
  const renamed = unwrap(
    await send(owner, 'booking:modify', { bookingId: booking.id, ...slot(5), title: 'Planning, part 2' }),
  ).booking;
  expect(renamed).toMatchObject({ title: 'Planning, part 2', start: moved.start, end: moved.end });
  const cleared = unwrap(
    await send(owner, 'booking:modify', { bookingId: booking.id, ...slot(5), title: null }),
  ).booking;
  expect(cleared.title).toBeUndefined();
  unwrap(await send(owner, 'booking:modify', { bookingId: booking.id, ...slot(5), title: 'Again' }));
  const emptied = unwrap(await send(owner, 'booking:modify', { bookingId: booking.id, ...slot(5), title: '' })).booking;
  expect(emptied.title).toBeUndefined();
  const mine = unwrap(await send(owner, 'bookings:mine', {})).bookings.find((b) => b.id === booking.id);
  expect(mine?.title).toBeUndefined();
});

test('every occurrence of a series carries its title; an idempotent repeat with another title is another request', async () => {
  const result = unwrap(
    await send(owner, 'booking:createSeries', {
      resourceId: privateRoom.id,
      ...slot(10),
      repeat: { every: 'day', count: 3 },
      onConflict: 'fail',
      title: 'Daily sync',
      idempotencyKey: 'titled-series',
    }),
  );
  expect(result.bookings.map((b) => b.title)).toEqual(['Daily sync', 'Daily sync', 'Daily sync']);
  const again = await send(owner, 'booking:createSeries', {
    resourceId: privateRoom.id,
    ...slot(10),
    repeat: { every: 'day', count: 3 },
    onConflict: 'fail',
    title: 'Daily sync',
    idempotencyKey: 'titled-series',
  });
  expect(unwrap(again).seriesId).toBe(result.seriesId);
  const other = await send(owner, 'booking:createSeries', {
    resourceId: privateRoom.id,
    ...slot(10),
    repeat: { every: 'day', count: 3 },
    onConflict: 'fail',
    title: 'Another sync',
    idempotencyKey: 'titled-series',
  });
  expect(other.ok).toBe(false);
  if (!other.ok) expect(other.error.code).toBe(ErrorCode.VALIDATION_ERROR);
});

test('REST: POST /api/bookings sets the title, PATCH keeps or clears it', async () => {
  const created = await http<{ booking: Booking }>(h.node.url, '/api/bookings', {
    body: { resourceId: privateRoom.id, ...slot(12), title: 'Interview' },
    token: ownerToken,
  });
  expect(created.status).toBe(201);
  expect(created.body.booking.title).toBe('Interview');
  const path = `/api/bookings/${created.body.booking.id}`;
  const kept = await http<{ booking: Booking }>(h.node.url, path, {
    method: 'PATCH',
    body: { ...slot(13) },
    token: ownerToken,
  });
  expect(kept.body.booking.title).toBe('Interview');
  const cleared = await http<{ booking: Booking }>(h.node.url, path, {
    method: 'PATCH',
    body: { ...slot(13), title: null },
    token: ownerToken,
  });
  expect(cleared.status).toBe(200);
  expect(cleared.body.booking.title).toBeUndefined();
});

test('booking:history on / answers one’s own booking’s events, as /admin does, and NOT_FOUND for someone else’s', async () => {
  const booking = await book(owner, privateRoom, 14, 'History');
  unwrap(await send(owner, 'booking:modify', { bookingId: booking.id, ...slot(15) }));
  const own = unwrap(await send(owner, 'booking:history', { bookingId: booking.id })).events;
  expect(own.map((e) => e.action)).toEqual(['create', 'modify']);
  const staffView = unwrap(await sendAdmin(admin, 'booking:history', { bookingId: booking.id })).events;
  expect(own).toEqual(staffView);
  const theirs = await send(other, 'booking:history', { bookingId: booking.id });
  expect(theirs.ok).toBe(false);
  if (!theirs.ok) expect(theirs.error.code).toBe(ErrorCode.NOT_FOUND);
});
