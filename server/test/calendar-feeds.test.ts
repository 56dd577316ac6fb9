/**
 * Calendar feeds (docs/protocol.md "HTTP", v2), parsed by node-ical (another library than the one that
 * writes them): the right bookings at the right local times, cancelled ones gone, resource feeds
 * without names, 304 on an unchanged ETag with no database read, 404 after revocation, tokens
 * that cannot be guessed or reused, and the per-token rate limit.
 */
import * as nodeIcal from 'node-ical';
import type { VEvent } from 'node-ical';
import { DateTime } from 'luxon';
import type { Resource } from '@booking/shared';
import { connectClient, http, loginStaff, registerUser, send, startHarness, unwrap } from '../../test/support/harness';
import type { ClientSocket, Harness } from '../../test/support/harness';

const ZONE = 'Europe/Berlin';
let h: Harness;
let base: string;
let staffToken: string;
let room: Resource;

beforeAll(async () => {
  h = await startHarness({ label: 'calfeeds' });
  base = h.node.url;
  staffToken = (await loginStaff(base)).token;
  const res = await http<{ resource: Resource }>(base, '/api/resources', {
    body: { name: 'Atrium', type: 'room', timeZone: ZONE },
    token: staffToken,
  });
  room = res.body.resource;
});
afterAll(async () => {
  await h.close();
});

const vevents = (ics: string): VEvent[] =>
  Object.values(nodeIcal.sync.parseICS(ics)).filter((c): c is VEvent => c?.type === 'VEVENT');

/** Local wall-clock 09:00–10:00 in the room's zone, `days` days ahead. */
function localSlot(days: number, hour = 9): { start: string; end: string } {
  const start = DateTime.now().setZone(ZONE).plus({ days }).set({ hour, minute: 0, second: 0, millisecond: 0 });
  return { start: start.toUTC().toISO() ?? '', end: start.plus({ hours: 1 }).toUTC().toISO() ?? '' };
}

async function newFeed(token: string, body: unknown): Promise<string> {
  const res = await http<{ url: string }>(base, '/api/calendar/feeds', { body, token });
  expect(res.status).toBe(201);
  return res.body.url;
}

async function fetchFeed(
  url: string,
  etag?: string,
): Promise<{ status: number; etag: string | null; text: string; type: string | null }> {
  const res = await fetch(url, etag ? { headers: { 'if-none-match': etag } } : {});
  return {
    status: res.status,
    etag: res.headers.get('etag'),
    text: await res.text(),
    type: res.headers.get('content-type'),
  };
}

async function book(socket: ClientSocket, s: { start: string; end: string }) {
  return unwrap(await send(socket, 'booking:create', { resourceId: room.id, ...s })).booking;
}

describe('calendar feeds', () => {
  it('a mine feed holds the active bookings at their local times, in the zone with its VTIMEZONE; a cancelled one is gone', async () => {
    const alice = await registerUser(base, 'alice');
    const socket = await connectClient(base, alice.token);
    try {
      const kept = await book(socket, localSlot(3));
      const dropped = await book(socket, localSlot(4, 14));
      unwrap(await send(socket, 'booking:cancel', { bookingId: dropped.id }));
      const url = await newFeed(alice.token, { scope: 'mine' });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/calendar\/feeds\/[A-Za-z0-9_-]{43}\.ics$/);

      const feed = await fetchFeed(url);
      expect(feed.status).toBe(200);
      expect(feed.type).toMatch(/^text\/calendar/);
      expect(feed.text).toContain('BEGIN:VTIMEZONE');
      expect(feed.text).toContain(`TZID:${ZONE}`);
      expect(feed.text).not.toContain('METHOD:');
      const events = vevents(feed.text);
      expect(events.map((e) => e.uid)).toEqual([`${kept.id}@booking`]);
      const [event] = events;
      if (!event) throw new Error('no event');
      expect(event.summary).toBe('Atrium');
      expect(event.start.tz).toBe(ZONE);
      expect(DateTime.fromJSDate(event.start).setZone(ZONE).toFormat('HH:mm')).toBe('09:00');
      expect(event.start.toISOString()).toBe(new Date(kept.start).toISOString());
      expect(event.end?.toISOString()).toBe(new Date(kept.end).toISOString());
    } finally {
      socket.close();
    }
  });

  it('a resource feed holds every active booking as Busy, with no names of people or of the resource on events', async () => {
    const bob = await registerUser(base, 'Bookerman');
    const socket = await connectClient(base, bob.token);
    try {
      const booking = await book(socket, localSlot(5, 11));
      const url = await newFeed(staffToken, { scope: 'resource', resourceId: room.id });
      const feed = await fetchFeed(url);
      expect(feed.status).toBe(200);
      const ev = vevents(feed.text).find((e) => e.uid === `${booking.id}@booking`);
      if (!ev) throw new Error('booking missing from the resource feed');
      expect(ev.summary).toBe('Busy');
      expect(DateTime.fromJSDate(ev.start).setZone(ZONE).toFormat('HH:mm')).toBe('11:00');
      expect(feed.text).not.toMatch(/Bookerman|ATTENDEE|ORGANIZER|mailto:/i);
      expect(vevents(feed.text).every((e) => e.summary === 'Busy')).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('a booking of several units shows its quantity in the summary of both feeds; one unit shows the name alone', async () => {
    const created = await http<{ resource: Resource }>(base, '/api/resources', {
      body: { name: 'Desk Pool', type: 'desk', timeZone: ZONE, capacity: 6 },
      token: staffToken,
    });
    expect(created.status).toBe(201);
    const pool = created.body.resource;
    const team = await registerUser(base, 'teamlead');
    const solo = await registerUser(base, 'loner');
    const t = await connectClient(base, team.token);
    const s = await connectClient(base, solo.token);
    try {
      const iv = localSlot(8, 10);
      const many = unwrap(await send(t, 'booking:create', { resourceId: pool.id, ...iv, quantity: 3 })).booking;
      const one = unwrap(await send(s, 'booking:create', { resourceId: pool.id, ...iv })).booking;
      const summaries = async (url: string) =>
        new Map(vevents((await fetchFeed(url)).text).map((e) => [e.uid, [e.summary, e.location]]));

      const teams = await summaries(await newFeed(team.token, { scope: 'mine' }));
      expect(teams.get(`${many.id}@booking`)).toEqual(['Desk Pool × 3', 'Desk Pool']);
      const solos = await summaries(await newFeed(solo.token, { scope: 'mine' }));
      expect(solos.get(`${one.id}@booking`)).toEqual(['Desk Pool', 'Desk Pool']);
      const pools = await summaries(await newFeed(staffToken, { scope: 'resource', resourceId: pool.id }));
      expect(pools.get(`${many.id}@booking`)?.[0]).toBe('Busy × 3');
      expect(pools.get(`${one.id}@booking`)?.[0]).toBe('Busy');

      // A change of quantity reaches the feed like a move does.
      unwrap(await send(t, 'booking:modify', { bookingId: many.id, ...iv, quantity: 2 }));
      const after = await summaries(await newFeed(team.token, { scope: 'mine' }));
      expect(after.get(`${many.id}@booking`)?.[0]).toBe('Desk Pool × 2');
    } finally {
      t.close();
      s.close();
    }
  });

  it('an unchanged feed answers 304 to its ETag without reading MongoDB; a change gives a new ETag', async () => {
    const carol = await registerUser(base, 'carol');
    const socket = await connectClient(base, carol.token);
    try {
      await book(socket, localSlot(6));
      const url = await newFeed(carol.token, { scope: 'mine' });
      // Every read the feed could make of MongoDB goes through these stores.
      const reads = [
        jest.spyOn(h.node.data.bookings, 'ofUser'),
        jest.spyOn(h.node.data.bookings, 'activeBetween'),
        jest.spyOn(h.node.data.resources, 'version'),
        jest.spyOn(h.node.data.calendarFeeds, 'findByHash'),
      ];
      const readCount = () => reads.reduce((n, spy) => n + spy.mock.calls.length, 0);
      const first = await fetchFeed(url);
      expect(first.status).toBe(200);
      if (!first.etag) throw new Error('no ETag');
      expect(readCount()).toBeGreaterThan(0);

      for (const spy of reads) spy.mockClear();
      const again = await fetchFeed(url, first.etag);
      const plain = await fetchFeed(url);
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      expect([plain.status, plain.etag, plain.text]).toEqual([200, first.etag, first.text]);
      expect(readCount()).toBe(0);
      for (const spy of reads) spy.mockRestore();

      const added = await book(socket, localSlot(7));
      const changed = await fetchFeed(url, first.etag);
      expect(changed.status).toBe(200);
      expect(changed.etag).not.toBe(first.etag);
      expect(vevents(changed.text).map((e) => e.uid)).toContain(`${added.id}@booking`);
    } finally {
      socket.close();
    }
  });

  it('after DELETE every feed URL of the caller answers 404, the others keep working, and tokens cannot be guessed', async () => {
    const dave = await registerUser(base, 'dave');
    const erin = await registerUser(base, 'erin');
    const mine = await newFeed(dave.token, { scope: 'mine' });
    const resource = await newFeed(dave.token, { scope: 'resource', resourceId: room.id });
    const erins = await newFeed(erin.token, { scope: 'mine' });
    expect(new Set([mine, resource, erins]).size).toBe(3);
    expect((await fetchFeed(mine)).status).toBe(200);

    const del = await fetch(`${base}/api/calendar/feeds`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${dave.token}` },
    });
    expect(del.status).toBe(204);
    expect((await fetchFeed(mine)).status).toBe(404);
    expect((await fetchFeed(resource)).status).toBe(404);
    expect((await fetchFeed(erins)).status).toBe(200);

    // Erin's URL with one character changed, or a made-up token, names nothing.
    const last = erins.at(-5) === 'A' ? 'B' : 'A';
    expect((await fetchFeed(`${erins.slice(0, -5)}${last}.ics`)).status).toBe(404);
    expect((await fetchFeed(`${base}/api/calendar/feeds/${'x'.repeat(43)}.ics`)).status).toBe(404);
    // Revoking needs the owner's session; Dave's DELETE did not touch Erin's feed.
    expect((await http(base, '/api/calendar/feeds', { method: 'DELETE' })).status).toBe(401);
  });

  it('refuses bad input with a code and changes nothing', async () => {
    const frank = await registerUser(base, 'frank');
    expect((await http(base, '/api/calendar/feeds', { body: { scope: 'mine' } })).status).toBe(401);
    const bad = await http<{ error: { code: string } }>(base, '/api/calendar/feeds', {
      body: { scope: 'everything' },
      token: frank.token,
    });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
    const unknown = await http<{ error: { code: string } }>(base, '/api/calendar/feeds', {
      body: { scope: 'resource', resourceId: '0123456789abcdef01234567' },
      token: frank.token,
    });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('rate-limits polls per token with 429 and Retry-After', async () => {
    const gina = await registerUser(base, 'gina');
    const url = await newFeed(gina.token, { scope: 'mine' });
    const other = await newFeed(gina.token, { scope: 'mine' });
    let status = 200;
    let retryAfter: string | null = null;
    for (let i = 0; i < 200 && status !== 429; i += 1) {
      const res = await fetch(url);
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      await res.arrayBuffer();
    }
    expect(status).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect((await fetchFeed(other)).status).toBe(200);
  });
});
