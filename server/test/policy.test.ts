/**
 * Resource policy end to end over sockets on two nodes: every `details.rule` from a real command,
 * quotas, `open` for a week, `slots:find` across zones, and the buffer and quota under
 * concurrency (locks on and off).
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Ack, AuthResult, Booking, Resource } from '@booking/shared';
import { overlappingActivePairs } from '../../test/support/invariants';
import {
  connectClient,
  http,
  loginStaff,
  registerUser,
  send,
  sendAdmin,
  sendUntilDecided,
  unwrap,
} from '../../test/support/harness';
import type { AdminSocket, ClientSocket } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { createUsers } from '../../test/support/users';
import { waitFor } from '../../test/support/wait';

const weekdays = (hours: [string, string]) => ({
  mon: [hours],
  tue: [hours],
  wed: [hours],
  thu: [hours],
  fri: [hours],
  sat: [],
  sun: [],
});

/** A local wall-clock time in `zone` as an ISO instant. */
const local = (zone: string, date: string, time: string) =>
  DateTime.fromISO(`${date}T${time}`, { zone }).toUTC().toISO() ?? '';

/** The date (YYYY-MM-DD) of the `weekday` (1 = Monday) at least `minDays` from now, in `zone`. */
function nextWeekday(zone: string, weekday: number, minDays: number): string {
  let d = DateTime.now().setZone(zone).plus({ days: minDays }).startOf('day');
  while (d.weekday !== weekday) d = d.plus({ days: 1 });
  return d.toISODate() ?? '';
}

async function createResource(base: string, token: string, body: Record<string, unknown>): Promise<Resource> {
  const res = await http<{ resource: Resource }>(base, '/api/resources', { body: { type: 'room', ...body }, token });
  if (res.status !== 201) throw new Error(`create resource failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.resource;
}

const h = useHarness({ label: 'policy', count: 2 });
const sockets = useSockets('all');
let staff: AuthResult;
let user: AuthResult;
let u: ClientSocket;
let s: ClientSocket;
let admin: AdminSocket;

beforeAll(async () => {
  staff = await loginStaff(h.node.url);
  user = await registerUser(h.node.url, 'policyuser');
  [u, s, admin] = await Promise.all([
    sockets.client(h.nodes[1]?.url ?? '', user.token),
    sockets.client(h.node.url, staff.token),
    sockets.admin(h.node.url, staff.token),
  ]);
});

describe('rules over sockets', () => {
  it('each broken rule answers POLICY_VIOLATION with its rule; the slot itself stays SLOT_TAKEN', async () => {
    const zone = 'Europe/Berlin';
    const tue = nextWeekday(zone, 2, 3);
    const wed = DateTime.fromISO(tue).plus({ days: 1 }).toISODate() ?? '';
    const room = await createResource(h.node.url, staff.token, {
      name: 'Policy room',
      timeZone: zone,
      policy: {
        openingHours: weekdays(['08:00', '18:00']),
        closures: [{ date: wed, reason: 'holiday' }],
        slotMinutes: 15,
        minMinutes: 15,
        maxMinutes: 120,
        minNoticeMinutes: 60,
        maxAdvanceDays: 60,
        bufferMinutes: 10,
      },
    });
    expect(room).toMatchObject({
      timeZone: zone,
      policy: { slotMinutes: 15, bufferMinutes: 10, maxActivePerUser: null, checkIn: null },
    });
    const book = (start: string, end: string, socket: ClientSocket = u) =>
      send(socket, 'booking:create', { resourceId: room.id, start, end });
    const rule = (r: string) => ({ ok: false, error: { code: 'POLICY_VIOLATION', details: { rule: r } } });

    expect(await book(local(zone, tue, '18:30'), local(zone, tue, '19:00'))).toMatchObject(rule('openingHours'));
    expect(await book(local(zone, wed, '09:00'), local(zone, wed, '10:00'))).toMatchObject(rule('closure'));
    expect(await book(local(zone, tue, '09:05'), local(zone, tue, '09:35'))).toMatchObject(rule('grid'));
    expect(await book(local(zone, tue, '09:00'), local(zone, tue, '12:00'))).toMatchObject(rule('duration'));
    const soon = DateTime.now().plus({ minutes: 20 });
    const soonStart = soon.set({
      minute: Math.ceil(soon.minute / 15) * 15 === 60 ? 45 : Math.ceil(soon.minute / 15) * 15,
      second: 0,
      millisecond: 0,
    });
    expect(
      await book(soonStart.toUTC().toISO() ?? '', soonStart.plus({ minutes: 30 }).toUTC().toISO() ?? ''),
    ).toMatchObject(rule('notice'));
    expect(
      await book(
        DateTime.now().minus({ hours: 2 }).startOf('hour').toUTC().toISO() ?? '',
        DateTime.now().minus({ hours: 1 }).startOf('hour').toUTC().toISO() ?? '',
      ),
    ).toMatchObject(rule('past'));
    const far = nextWeekday(zone, 2, 70);
    expect(await book(local(zone, far, '09:00'), local(zone, far, '10:00'))).toMatchObject(rule('advance'));

    const first = unwrap(await book(local(zone, tue, '10:00'), local(zone, tue, '11:00'))).booking;
    // Back to back, or closer than the 10-minute buffer on either side: buffer.
    expect(await book(local(zone, tue, '11:00'), local(zone, tue, '11:30'))).toMatchObject(rule('buffer'));
    expect(await book(local(zone, tue, '09:30'), local(zone, tue, '10:00'))).toMatchObject(rule('buffer'));
    expect(await book(local(zone, tue, '10:30'), local(zone, tue, '11:30'))).toMatchObject({
      ok: false,
      error: { code: 'SLOT_TAKEN' },
    });
    const later = unwrap(await book(local(zone, tue, '11:15'), local(zone, tue, '12:00'))).booking;
    expect(later.start).toBe(local(zone, tue, '11:15'));
    // A move is checked the same way: back to back with the later booking breaks the buffer.
    expect(
      await send(u, 'booking:modify', {
        bookingId: first.id,
        start: local(zone, tue, '10:15'),
        end: local(zone, tue, '11:15'),
      }),
    ).toMatchObject(rule('buffer'));

    // Staff are exempt from notice and advance (booking on behalf at short notice), not from the rest.
    const open = await createResource(h.node.url, staff.token, {
      name: 'Notice room',
      policy: { slotMinutes: 15, minNoticeMinutes: 60, maxAdvanceDays: 60 },
    });
    const soonIv = {
      start: soonStart.toUTC().toISO() ?? '',
      end: soonStart.plus({ minutes: 30 }).toUTC().toISO() ?? '',
    };
    const farIv = { start: local(zone, far, '09:00'), end: local(zone, far, '10:00') };
    expect(await send(u, 'booking:create', { resourceId: open.id, ...soonIv })).toMatchObject(rule('notice'));
    expect(await send(u, 'booking:create', { resourceId: open.id, ...farIv })).toMatchObject(rule('advance'));
    expect(
      await sendAdmin(admin, 'booking:create', { resourceId: open.id, ...soonIv, userId: user.user.id }),
    ).toMatchObject({ ok: true });
    expect(
      await sendAdmin(admin, 'booking:create', { resourceId: open.id, ...farIv, userId: user.user.id }),
    ).toMatchObject({ ok: true });
    expect(
      await sendAdmin(admin, 'booking:create', {
        resourceId: room.id,
        start: local(zone, wed, '09:00'),
        end: local(zone, wed, '10:00'),
        userId: user.user.id,
      }),
    ).toMatchObject(rule('closure'));
  });

  it('refuses a bad policy or zone with VALIDATION_ERROR naming the path, and changes nothing', async () => {
    const bad = await http<{ error: { code: string; details: Array<{ path: string }> } }>(
      h.node.url,
      '/api/resources',
      {
        body: { name: 'Bad', type: 'room', policy: { slotMinutes: 7 } },
        token: staff.token,
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_ERROR');
    expect(bad.body.error.details.map((d) => d.path)).toContain('policy.slotMinutes');
    const zone = await sendAdmin(admin, 'resource:create', { name: 'Bad zone', type: 'room', timeZone: 'Mars/Base' });
    expect(zone).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    const room = await createResource(h.node.url, staff.token, { name: 'Limits', policy: { minMinutes: 30 } });
    // Merged with the stored policy, maxMinutes below minMinutes is refused at its path.
    const merged = await sendAdmin(admin, 'resource:update', { id: room.id, policy: { maxMinutes: 20 } });
    expect(merged).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    expect(merged.ok === false && JSON.stringify(merged.error.details)).toContain('policy.maxMinutes');
    const listed = unwrap(await send(u, 'resources:list', {})).resources.find((r) => r.id === room.id);
    expect(listed?.policy).toMatchObject({ minMinutes: 30, maxMinutes: 1440 });
  });

  it('maxActivePerUser answers QUOTA_EXCEEDED with the scope and limit; staff on behalf are exempt', async () => {
    const room = await createResource(h.node.url, staff.token, {
      name: 'Desk quota',
      type: 'desk',
      policy: { maxActivePerUser: 2, slotMinutes: 60 },
    });
    const day = DateTime.now().plus({ days: 2 }).startOf('day');
    const iv = (hour: number) => ({
      start: day.plus({ hours: hour }).toUTC().toISO() ?? '',
      end:
        day
          .plus({ hours: hour + 1 })
          .toUTC()
          .toISO() ?? '',
    });
    unwrap(await send(u, 'booking:create', { resourceId: room.id, ...iv(9) }));
    const second = unwrap(await send(u, 'booking:create', { resourceId: room.id, ...iv(10) })).booking;
    expect(await send(u, 'booking:create', { resourceId: room.id, ...iv(11) })).toMatchObject({
      ok: false,
      error: { code: 'QUOTA_EXCEEDED', details: { scope: 'resource', limit: 2 } },
    });
    // A move of a booking already held does not count itself.
    expect(unwrap(await send(u, 'booking:modify', { bookingId: second.id, ...iv(12) })).booking.start).toBe(
      iv(12).start,
    );
    expect(
      (await sendAdmin(admin, 'booking:create', { resourceId: room.id, ...iv(13), userId: user.user.id })).ok,
    ).toBe(true);
    unwrap(await send(u, 'booking:cancel', { bookingId: second.id }));
    // Three held (one by staff on behalf), one cancelled: still two or more, so still refused.
    expect(await send(u, 'booking:create', { resourceId: room.id, ...iv(14) })).toMatchObject({
      ok: false,
      error: { code: 'QUOTA_EXCEEDED' },
    });
  });
  it("judges by the stored policy even when a node's directory is stale, in both directions", async () => {
    // The node checks with the rules its directory holds and the fence answers the stored ones;
    // a write straight to MongoDB leaves every directory stale (no resource:changed is sent).
    const room = await createResource(h.node.url, staff.token, { name: 'Stale directory room' });
    const hours = (from: number, minutes: number) => {
      const start = DateTime.now().plus({ days: 3 }).startOf('hour').plus({ hours: from });
      return { start: start.toUTC().toISO() ?? '', end: start.plus({ minutes }).toUTC().toISO() ?? '' };
    };
    // The directory on u's node knows the room (a first booking went through it).
    unwrap(await send(u, 'booking:create', { resourceId: room.id, ...hours(0, 60) }));
    await h.node.models.Resource.updateOne({ _id: room.id }, { $set: { policy: { maxMinutes: 30 } } });
    expect(await send(u, 'booking:create', { resourceId: room.id, ...hours(2, 60) })).toMatchObject({
      ok: false,
      error: { code: 'POLICY_VIOLATION', details: { rule: 'duration' } },
    });
    expect(
      await send(u, 'booking:modify', {
        bookingId: (await h.node.models.Booking.findOne({ resourceId: room.id }).lean())?._id.toHexString() ?? '',
        ...hours(4, 90),
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'POLICY_VIOLATION', details: { rule: 'duration' } },
    });
    // Now the directories learn the strict policy, and the store is relaxed behind their back.
    unwrap(await sendAdmin(admin, 'resource:update', { id: room.id, policy: { maxMinutes: 30 } }));
    await waitFor('the strict policy on u’s node', async () => {
      const ack = await send(u, 'slots:find', {
        from: hours(6, 0).start,
        to: hours(30, 0).start,
        minutes: 60,
        resourceIds: [room.id],
      });
      return ack.ok && ack.data.slots.length === 0;
    });
    await h.node.models.Resource.updateOne({ _id: room.id }, { $set: { 'policy.maxMinutes': 120 } });
    unwrap(await send(u, 'booking:create', { resourceId: room.id, ...hours(6, 60) }));
    expect(await h.node.models.Booking.countDocuments({ resourceId: room.id, status: 'active' })).toBe(2);
  });
});

describe('availability in local time', () => {
  it('answers the zone and the open stretches of a week with hours and a closure', async () => {
    const zone = 'America/New_York';
    const monday = nextWeekday(zone, 1, 7);
    const wednesday = DateTime.fromISO(monday).plus({ days: 2 }).toISODate() ?? '';
    const room = await createResource(h.node.url, staff.token, {
      name: 'NY room',
      timeZone: zone,
      policy: { openingHours: weekdays(['09:00', '17:00']), closures: [{ date: wednesday }] },
    });
    const from = local(zone, monday, '00:00');
    const to = DateTime.fromISO(monday, { zone }).plus({ days: 7 }).toUTC().toISO() ?? '';
    const week = unwrap(await send(u, 'availability:get', { resourceId: room.id, from, to }));
    expect(week.timeZone).toBe(zone);
    const expected = [0, 1, 3, 4].map((offset) => {
      const date = DateTime.fromISO(monday).plus({ days: offset }).toISODate() ?? '';
      return {
        start: new Date(local(zone, date, '09:00')).toISOString(),
        end: new Date(local(zone, date, '17:00')).toISOString(),
      };
    });
    expect(week.open).toEqual(expected);
    // A resource without hours is open over the whole range.
    const plain = await createResource(h.node.url, staff.token, { name: 'Plain room' });
    expect(unwrap(await send(u, 'availability:get', { resourceId: plain.id, from, to })).open).toEqual([
      { start: new Date(from).toISOString(), end: new Date(to).toISOString() },
    ]);
  });

  it('follows a policy change at once, and clients hear resource:changed', async () => {
    const room = await createResource(h.node.url, staff.token, { name: 'Changing room' });
    const heard: Resource[] = [];
    u.on('resource:changed', ({ resource }) => {
      if (resource.id === room.id) heard.push(resource);
    });
    const monday = nextWeekday('UTC', 1, 7);
    const range = { resourceId: room.id, from: `${monday}T00:00:00.000Z`, to: `${monday}T23:00:00.000Z` };
    expect(unwrap(await send(u, 'availability:get', range)).open).toHaveLength(1);
    unwrap(
      await sendAdmin(admin, 'resource:update', {
        id: room.id,
        policy: { openingHours: weekdays(['10:00', '12:00']) },
      }),
    );
    await waitFor('resource:changed on the other node', () => heard.some((r) => r.policy.openingHours !== null));
    // u is on the other node: its directory was told through the adapter.
    await waitFor('the other node to answer with the new hours', async () => {
      const open = unwrap(await send(u, 'availability:get', range)).open;
      return (
        open.length === 1 && open[0]?.start === `${monday}T10:00:00.000Z` && open[0]?.end === `${monday}T12:00:00.000Z`
      );
    });
  });
});

describe('slots:find', () => {
  it('lists the earliest bookable interval per resource across zones, buffers and bookings, respecting the caller’s quota', async () => {
    const type = `lab${Date.now().toString(36)}`;
    const date = nextWeekday('UTC', 2, 14);
    const [berlin, newYork, utc, limited] = await Promise.all([
      createResource(h.node.url, staff.token, {
        name: 'A Berlin',
        type,
        timeZone: 'Europe/Berlin',
        policy: { openingHours: weekdays(['08:00', '18:00']), slotMinutes: 15, bufferMinutes: 10 },
      }),
      createResource(h.node.url, staff.token, {
        name: 'B New York',
        type,
        timeZone: 'America/New_York',
        policy: { openingHours: weekdays(['08:00', '18:00']), slotMinutes: 30 },
      }),
      createResource(h.node.url, staff.token, { name: 'C UTC', type, policy: { bufferMinutes: 30, slotMinutes: 30 } }),
      createResource(h.node.url, staff.token, { name: 'D limited', type, policy: { maxActivePerUser: 1 } }),
    ]);
    const berlinOpen = local('Europe/Berlin', date, '08:00');
    unwrap(
      await send(s, 'booking:create', {
        resourceId: berlin.id,
        start: berlinOpen,
        end: DateTime.fromISO(berlinOpen).plus({ hours: 1 }).toUTC().toISO() ?? '',
      }),
    );
    unwrap(
      await send(s, 'booking:create', {
        resourceId: utc.id,
        start: `${date}T00:00:00.000Z`,
        end: `${date}T07:00:00.000Z`,
      }),
    );
    unwrap(
      await send(u, 'booking:create', {
        resourceId: limited.id,
        start: `${date}T20:00:00.000Z`,
        end: `${date}T21:00:00.000Z`,
      }),
    );

    const found = unwrap(
      await send(u, 'slots:find', { from: `${date}T00:00:00.000Z`, to: `${date}T23:59:00.000Z`, minutes: 60, type }),
    ).slots;
    const berlinStart = DateTime.fromISO(berlinOpen).plus({ minutes: 75 }).toUTC().toISO() ?? ''; // 09:00 + 10 min buffer → 09:15 local
    expect(found).toEqual(
      [
        { resourceId: utc.id, start: `${date}T07:30:00.000Z`, end: `${date}T08:30:00.000Z` },
        {
          resourceId: berlin.id,
          start: new Date(berlinStart).toISOString(),
          end: new Date(Date.parse(berlinStart) + 3_600_000).toISOString(),
        },
        {
          resourceId: newYork.id,
          start: new Date(local('America/New_York', date, '08:00')).toISOString(),
          end: new Date(local('America/New_York', date, '09:00')).toISOString(),
        },
      ].sort((a, b) => a.start.localeCompare(b.start)),
    );
    // The quota-bound resource is found for someone who holds nothing there.
    const other = await registerUser(h.node.url, 'finder');
    const otherSocket = await connectClient(h.node.url, other.token);
    const forOther = unwrap(
      await send(otherSocket, 'slots:find', {
        from: `${date}T00:00:00.000Z`,
        to: `${date}T23:59:00.000Z`,
        minutes: 60,
        type,
        limit: 2,
      }),
    ).slots;
    otherSocket.close();
    expect(forOther.map((f) => f.resourceId)).toEqual([limited.id, utc.id]);
    // A slot it finds can be booked as found.
    const [first] = found;
    if (!first) throw new Error('nothing found');
    expect(
      unwrap(await send(u, 'booking:create', { resourceId: first.resourceId, start: first.start, end: first.end }))
        .booking.start,
    ).toBe(first.start);
    expect(
      await send(u, 'slots:find', { from: `${date}T10:00:00.000Z`, to: `${date}T09:00:00.000Z`, minutes: 60 }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
  });
});

describe.each([
  ['on', 'with Redlock'],
  ['off', 'without locks'],
])('under concurrency, BOOKING_LOCKS=%s', (locks) => {
  const hh = useHarness({
    label: `policyrace-${locks}`,
    count: 2,
    env: { BOOKING_LOCKS: locks },
    node: { rateLimit: { points: 1000, durationSec: 1 } },
  });
  let room: Resource;
  beforeAll(async () => {
    const st = await loginStaff(hh.node.url);
    room = await createResource(hh.node.url, st.token, {
      name: 'Buffered',
      policy: { bufferMinutes: 10, maxMinutes: 60 },
    });
  });

  it('50 racers on two nodes whose intervals break the buffer pairwise: no two active bookings closer than the buffer', async () => {
    const users = await createUsers(hh.nodes[0] ?? hh.node, { count: 50, label: `buf${locks}` });
    const sockets = await Promise.all(users.map((x, i) => connectClient(hh.nodes[i % 2]?.url ?? '', x.token)));
    const base = DateTime.now().plus({ days: 3 }).startOf('hour');
    // Racer i wants [base + 35i min, +30 min): no two overlap, but neighbours are 5 minutes apart.
    // BUSY (the lock not had in time, under load) is safe to retry with the same key, and racers do,
    // as clients would.
    const bookRetryingBusy = (socket: ClientSocket, payload: { resourceId: string; start: string; end: string }) =>
      sendUntilDecided(socket, 'booking:create', { ...payload, idempotencyKey: randomUUID() });
    const acks = await Promise.all(
      sockets.map((socket, i) =>
        bookRetryingBusy(socket, {
          resourceId: room.id,
          start:
            base
              .plus({ minutes: 35 * i })
              .toUTC()
              .toISO() ?? '',
          end:
            base
              .plus({ minutes: 35 * i + 30 })
              .toUTC()
              .toISO() ?? '',
        }),
      ),
    );
    for (const socket of sockets) socket.close();
    const winners = acks.filter((a): a is Extract<Ack<{ booking: Booking }>, { ok: true }> => a.ok);
    const refused = acks
      .filter((a) => !a.ok)
      .map((a) => (a.ok ? '' : `${a.error.code}:${JSON.stringify(a.error.details ?? null)}`));
    expect(winners.length).toBeGreaterThan(0);
    expect(new Set(refused)).toEqual(new Set(refused.length > 0 ? ['POLICY_VIOLATION:{"rule":"buffer"}'] : []));
    expect(await overlappingActivePairs(hh.node.models.Booking, 10 * 60_000)).toEqual([]);
    expect(await hh.node.models.Booking.countDocuments({ resourceId: room.id, status: 'active' })).toBe(winners.length);
  });

  it('20 concurrent bookings by one user with maxActivePerUser 3 → exactly 3', async () => {
    const st = await loginStaff(hh.node.url);
    const desk = await createResource(hh.node.url, st.token, { name: 'Quota desk', policy: { maxActivePerUser: 3 } });
    const [owner] = await createUsers(hh.node, { count: 1, label: `quota${locks}` });
    if (!owner) throw new Error('no user');
    const sockets = await Promise.all([0, 1].map((i) => connectClient(hh.nodes[i]?.url ?? '', owner.token)));
    const base = DateTime.now().plus({ days: 4 }).startOf('hour');
    const acks = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        // Retrying BUSY with its key, as clients do: the assertion is the quota's answer.
        sendUntilDecided(sockets[i % 2] ?? sockets[0]!, 'booking:create', {
          idempotencyKey: randomUUID(),
          resourceId: desk.id,
          start: base.plus({ hours: i }).toUTC().toISO() ?? '',
          end: base.plus({ hours: i, minutes: 30 }).toUTC().toISO() ?? '',
        }),
      ),
    );
    for (const socket of sockets) socket.close();
    expect(acks.filter((a) => a.ok)).toHaveLength(3);
    expect(acks.filter((a) => !a.ok).every((a) => !a.ok && a.error.code === 'QUOTA_EXCEEDED')).toBe(true);
    expect(await hh.node.models.Booking.countDocuments({ resourceId: desk.id, status: 'active' })).toBe(3);
  });
});
