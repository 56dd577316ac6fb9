/**
 * Recurring bookings end to end: two nodes, the notifier in-process and a real SMTP catcher; the
 * calendar file is parsed and its recurrence expanded by node-ical (another library than the one
 * that wrote it).
 */
import { DateTime } from 'luxon';
import * as nodeIcal from 'node-ical';
import type { VEvent } from 'node-ical';
import type { Resource, SeriesResult, SlotChanged } from '@booking/shared';
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { CaughtMail, MailCatcher } from '../../scripts/lib/mail-catcher';
import { startNotificationService } from '../src/notifier';
import type { Notifier } from '../src/notifier';
import { testConfig } from '../../test/support/env';
import { overlappingActivePairs } from '../../test/support/invariants';
import { connectAdmin, http, loginStaff, registerUser, send, sendAdmin, unwrap } from '../../test/support/harness';
import type { ClientSocket } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { waitFor } from '../../test/support/wait';

const sockets = useSockets('all');
let catcher: MailCatcher;
let notifier: Notifier;
let staffToken: string;

beforeAll(async () => {
  catcher = await startMailCatcher();
});
// A 52-week series is above the default quota of 50 per person; the quota is not the subject here.
const h = useHarness({ label: 'series', count: 2, env: { MAX_ACTIVE_BOOKINGS_PER_USER: '500' } });
beforeAll(async () => {
  notifier = await startNotificationService({
    config: testConfig({ db: h.db, env: { NODE_ID: `${h.db}-notifier`, SMTP_URL: catcher.smtpUrl } }),
    retry: { attempts: 3, backoffMs: 100 },
    sweepIntervalMs: 1000,
  });
  staffToken = (await loginStaff(h.node.url)).token;
});

afterAll(async () => {
  await notifier?.close();
  await catcher?.stop();
});

async function user(name: string, nodeIndex = 0): Promise<{ id: string; email: string; socket: ClientSocket }> {
  const auth = await registerUser(h.node.url, name);
  const socket = await sockets.client(h.nodes[nodeIndex]?.url ?? h.node.url, auth.token);
  return { id: auth.user.id, email: auth.user.email, socket };
}

async function room(name: string, timeZone: string, policy: Record<string, unknown> = {}): Promise<Resource> {
  const res = await http<{ resource: Resource }>(h.node.url, '/api/resources', {
    body: { name, type: 'room', timeZone, policy },
    token: staffToken,
  });
  if (res.status !== 201) throw new Error(`resource: ${res.status}`);
  return res.body.resource;
}

/** Next week's `weekday` (1 = Monday) at local `hh:mm` in `zone`, as an ISO instant, and an hour later. */
function nextWeekday(zone: string, weekday: number, hhmm: string, minutes = 60): { start: string; end: string } {
  const [hour, minute] = hhmm.split(':').map(Number);
  // The first such time at least an hour from now: a 52-week series then ends within 365 days.
  const soonest = DateTime.now().setZone(zone).plus({ hours: 1 });
  let d = soonest.set({ hour: hour ?? 9, minute: minute ?? 0, second: 0, millisecond: 0 });
  while (d.weekday !== weekday || d < soonest) d = d.plus({ days: 1 });
  return { start: d.toUTC().toISO() ?? '', end: d.plus({ minutes }).toUTC().toISO() ?? '' };
}

const weeksLater = (iso: string, weeks: number, zone: string) =>
  DateTime.fromISO(iso, { zone }).plus({ weeks }).toUTC().toISO() ?? '';
const mailsTo = (email: string): CaughtMail[] => catcher.messages().filter((m) => m.to.includes(email));
const icsOf = (m: CaughtMail) => String(m.attachments[0]?.content ?? '');
const vevents = (ics: string): VEvent[] =>
  Object.values(nodeIcal.sync.parseICS(ics)).filter((c): c is VEvent => c?.type === 'VEVENT');
/** Every RECURRENCE-ID of a file: node-ical folds instances of one UID into `recurrences` (keyed by date and by instant). */
const recurrenceIds = (ics: string): string[] => {
  const ids = new Set<string>();
  for (const e of vevents(ics)) {
    if (e.recurrenceid) ids.add(new Date(e.recurrenceid.getTime()).toISOString());
    for (const r of Object.values<unknown>(e.recurrences ?? {})) {
      const rid = typeof r === 'object' && r !== null && 'recurrenceid' in r ? r.recurrenceid : null;
      if (rid instanceof Date) ids.add(rid.toISOString());
    }
  }
  return [...ids].sort();
};

describe('a 52-week series against a resource with three taken dates', () => {
  let r: Resource;
  let first: { start: string; end: string };
  const taken = [5, 17, 40];
  const zone = 'Europe/Berlin';

  beforeAll(async () => {
    r = await room('Weekly room', zone);
    first = nextWeekday(zone, 2, '09:00');
    const other = await user('other');
    for (const w of taken) {
      const start = weeksLater(first.start, w, zone);
      // Half an hour into the occurrence: an overlap, not the same interval.
      unwrap(
        await send(other.socket, 'booking:create', {
          resourceId: r.id,
          start: DateTime.fromISO(start).plus({ minutes: 30 }).toUTC().toISO() ?? '',
          end: DateTime.fromISO(start).plus({ minutes: 90 }).toUTC().toISO() ?? '',
        }),
      );
    }
  });

  test('fail books nothing and names the three; skip books 49 and lists three, each broadcast with a consecutive version', async () => {
    const owner = await user('owner');
    const watcher = await user('watcher', 1);
    const payload = { resourceId: r.id, ...first, repeat: { every: 'week' as const, count: 52 } };
    const before = await h.node.models.Booking.countDocuments({ resourceId: r.id });

    const failed = await send(owner.socket, 'booking:createSeries', { ...payload, onConflict: 'fail' });
    if (failed.ok) throw new Error('fail mode booked');
    expect(failed.error.code).toBe('SLOT_TAKEN');
    const details = failed.error.details as { occurrences: Array<{ start: string; code: string }> };
    expect(details.occurrences.map((o) => o.start)).toEqual(
      taken.map((w) => new Date(weeksLater(first.start, w, zone)).toISOString()),
    );
    expect(details.occurrences.every((o) => o.code === 'SLOT_TAKEN')).toBe(true);
    expect(await h.node.models.Booking.countDocuments({ resourceId: r.id })).toBe(before);

    const seen: SlotChanged[] = [];
    watcher.socket.on('slot:changed', (e) => e.resourceId === r.id && seen.push(e));
    const versionBefore = unwrap(
      await send(watcher.socket, 'availability:get', {
        resourceId: r.id,
        from: first.start,
        to: weeksLater(first.start, 1, zone),
      }),
    ).version;
    const key = `series-${Date.now()}`;
    const res: SeriesResult = unwrap(
      await send(owner.socket, 'booking:createSeries', { ...payload, onConflict: 'skip', idempotencyKey: key }),
    );
    expect(res.bookings).toHaveLength(49);
    expect(res.skipped.map((k) => [k.start, k.code])).toEqual(
      taken.map((w) => [new Date(weeksLater(first.start, w, zone)).toISOString(), 'SLOT_TAKEN']),
    );
    for (const b of res.bookings) {
      expect(b.seriesId).toBe(res.seriesId);
      expect(DateTime.fromISO(b.start, { zone }).toFormat('ccc HH:mm')).toBe('Tue 09:00');
    }
    expect(await overlappingActivePairs(h.node.models.Booking)).toEqual([]);

    // Every booked occurrence reaches the other node's client as its own change, versions in a row.
    await waitFor('49 slot:changed', () => seen.length >= 49, 10_000);
    expect(seen.map((e) => e.version)).toEqual(res.bookings.map((_, i) => versionBefore + 1 + i));
    expect(new Set(seen.map((e) => e.bookingId))).toEqual(new Set(res.bookings.map((b) => b.id)));

    // The same key answers the same series and books nothing more; another request under it is refused.
    const again = unwrap(
      await send(owner.socket, 'booking:createSeries', { ...payload, onConflict: 'skip', idempotencyKey: key }),
    );
    expect(again.seriesId).toBe(res.seriesId);
    expect(again.bookings.map((b) => b.id)).toEqual(res.bookings.map((b) => b.id));
    const misuse = await send(owner.socket, 'booking:createSeries', {
      ...payload,
      repeat: { every: 'week', count: 3 },
      onConflict: 'skip',
      idempotencyKey: key,
    });
    expect(misuse.ok ? 'ok' : misuse.error.code).toBe('VALIDATION_ERROR');
    // Another quantity is another request too (not a replay of the first).
    const more = await send(owner.socket, 'booking:createSeries', {
      ...payload,
      quantity: 2,
      onConflict: 'skip',
      idempotencyKey: key,
    });
    expect(more).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_ERROR', message: expect.stringMatching(/idempotency key/) },
    });

    // The cached availability (written by the after-commit effect) holds every occurrence.
    const avail = unwrap(
      await send(watcher.socket, 'availability:get', {
        resourceId: r.id,
        from: weeksLater(first.start, 30, zone),
        to: weeksLater(first.start, 34, zone),
      }),
    );
    expect(avail.busy.filter((b) => res.bookings.some((x) => x.id === b.bookingId))).toHaveLength(4);
  });
});

test('101 occurrences, a first date off the weekdays, a skipped hour: clear errors that change nothing', async () => {
  const zone = 'Europe/Berlin';
  const r = await room('Rule room', zone);
  const u = await user('rules');
  const first = nextWeekday(zone, 3, '10:00');
  const tooMany = await send(u.socket, 'booking:createSeries', {
    resourceId: r.id,
    ...first,
    repeat: { every: 'day', count: 101 },
    onConflict: 'skip',
  });
  expect(tooMany.ok ? 'ok' : tooMany.error.code).toBe('VALIDATION_ERROR');
  const byUntil = await send(u.socket, 'booking:createSeries', {
    resourceId: r.id,
    ...first,
    repeat: { every: 'day', until: DateTime.fromISO(first.start, { zone }).plus({ days: 100 }).toISODate() ?? '' },
    onConflict: 'skip',
  });
  expect(byUntil.ok ? 'ok' : byUntil.error.code).toBe('VALIDATION_ERROR');
  const offDay = await send(u.socket, 'booking:createSeries', {
    resourceId: r.id,
    ...first,
    repeat: { every: 'week', weekdays: ['mon'], count: 2 },
    onConflict: 'skip',
  });
  expect(offDay.ok ? 'ok' : offDay.error.code).toBe('VALIDATION_ERROR');
  expect(await h.node.models.Booking.countDocuments({ resourceId: r.id })).toBe(0);

  // The last Sunday of March, 02:30 local, does not exist in Berlin: that occurrence breaks the policy.
  let sunday = DateTime.now().setZone(zone).set({ month: 3, day: 31, hour: 2, minute: 30, second: 0, millisecond: 0 });
  if (sunday < DateTime.now().plus({ days: 7 })) sunday = sunday.plus({ years: 1 });
  while (sunday.weekday !== 7) sunday = sunday.minus({ days: 1 });
  const startDay = sunday.minus({ days: 2 }).set({ hour: 2, minute: 30 });
  const iv = { start: startDay.toUTC().toISO() ?? '', end: startDay.plus({ minutes: 30 }).toUTC().toISO() ?? '' };
  const strict = await send(u.socket, 'booking:createSeries', {
    resourceId: r.id,
    ...iv,
    repeat: { every: 'day', count: 4 },
    onConflict: 'fail',
  });
  if (strict.ok) throw new Error('a nonexistent local time was booked');
  expect(strict.error.code).toBe('POLICY_VIOLATION');
  const lenient = unwrap(
    await send(u.socket, 'booking:createSeries', {
      resourceId: r.id,
      ...iv,
      repeat: { every: 'day', count: 4 },
      onConflict: 'skip',
    }),
  );
  expect(lenient.bookings).toHaveLength(3);
  expect(lenient.skipped).toEqual([expect.objectContaining({ code: 'POLICY_VIOLATION', rule: 'openingHours' })]);
  expect(DateTime.fromISO(lenient.skipped[0]?.start ?? '', { zone }).toISODate()).toBe(sunday.toISODate());
});

test('cancel one occurrence, cancel from a date on, and another user’s series is FORBIDDEN', async () => {
  const zone = 'America/New_York';
  const r = await room('Cancel room', zone);
  const owner = await user('canceller');
  const stranger = await user('stranger');
  const first = nextWeekday(zone, 4, '14:00');
  const s = unwrap(
    await send(owner.socket, 'booking:createSeries', {
      resourceId: r.id,
      ...first,
      repeat: { every: 'week', count: 6 },
      onConflict: 'fail',
    }),
  );
  expect(s.bookings).toHaveLength(6);

  const forbidden = await send(stranger.socket, 'booking:cancelSeries', { seriesId: s.seriesId });
  expect(forbidden.ok ? 'ok' : forbidden.error.code).toBe('FORBIDDEN');
  const forbiddenOne = await send(stranger.socket, 'booking:cancel', { bookingId: s.bookings[0]?.id ?? '' });
  expect(forbiddenOne.ok ? 'ok' : forbiddenOne.error.code).toBe('FORBIDDEN');
  const unknown = await send(owner.socket, 'booking:cancelSeries', { seriesId: 'ffffffffffffffffffffffff' });
  expect(unknown.ok ? 'ok' : unknown.error.code).toBe('NOT_FOUND');

  const one = unwrap(await send(owner.socket, 'booking:cancel', { bookingId: s.bookings[1]?.id ?? '' }));
  expect(one.booking.status).toBe('cancelled');
  expect(one.booking.seriesId).toBe(s.seriesId);

  const from = s.bookings[3]?.start ?? '';
  const rest = unwrap(await send(owner.socket, 'booking:cancelSeries', { seriesId: s.seriesId, from }));
  expect(rest.bookings.map((b) => b.id)).toEqual(s.bookings.slice(3).map((b) => b.id));
  expect(rest.bookings.every((b) => b.status === 'cancelled')).toBe(true);

  const mine = unwrap(await send(owner.socket, 'bookings:mine', {})).bookings.filter((b) => b.seriesId === s.seriesId);
  const status = new Map(mine.map((b) => [b.id, b.status]));
  expect(s.bookings.map((b) => status.get(b.id))).toEqual([
    'active',
    'cancelled',
    'active',
    'cancelled',
    'cancelled',
    'cancelled',
  ]);

  // Staff cancel the rest of anyone's series on /admin.
  const admin = await connectAdmin(h.node.url, staffToken);
  try {
    const byStaff = unwrap(await sendAdmin(admin, 'booking:cancelSeries', { seriesId: s.seriesId }));
    expect(byStaff.bookings.map((b) => b.id)).toEqual([s.bookings[0]?.id, s.bookings[2]?.id]);
  } finally {
    admin.close();
  }
});

test('staff book a series on behalf of a user on /admin', async () => {
  const zone = 'UTC';
  const r = await room('Behalf room', zone);
  const u = await user('behalf');
  const admin = await connectAdmin(h.node.url, staffToken);
  try {
    const first = nextWeekday(zone, 1, '08:00');
    const res = unwrap(
      await sendAdmin(admin, 'booking:createSeries', {
        resourceId: r.id,
        ...first,
        repeat: { every: 'day', weekdays: ['mon', 'tue'], count: 4 },
        onConflict: 'fail',
        userId: u.id,
      }),
    );
    expect(res.bookings.map((b) => b.userId)).toEqual([u.id, u.id, u.id, u.id]);
    expect(res.bookings.map((b) => DateTime.fromISO(b.start, { zone: 'UTC' }).toFormat('ccc'))).toEqual([
      'Mon',
      'Tue',
      'Mon',
      'Tue',
    ]);
    const snapshot = unwrap(await sendAdmin(admin, 'dashboard:snapshot', { date: first.start.slice(0, 10) }));
    expect(snapshot.bookings.find((b) => b.id === res.bookings[0]?.id)?.seriesId).toBe(res.seriesId);
  } finally {
    admin.close();
  }
});

test('mail: one email for a series whose .ics expands to exactly the booked occurrences; a single cancellation carries RECURRENCE-ID', async () => {
  const zone = 'Europe/Berlin';
  const r = await room('Calendar room', zone);
  const owner = await user('calendar');
  const other = await user('blocker');
  // Thirty Mondays at 09:00: across the spring daylight-saving change whenever the test runs in winter.
  const first = nextWeekday(zone, 1, '09:00');
  const blocked = weeksLater(first.start, 2, zone);
  unwrap(
    await send(other.socket, 'booking:create', {
      resourceId: r.id,
      start: blocked,
      end: DateTime.fromISO(blocked).plus({ hours: 1 }).toUTC().toISO() ?? '',
    }),
  );
  const seen: string[] = [];
  owner.socket.on('notification', (n) => seen.push(n.type));
  const s = unwrap(
    await send(owner.socket, 'booking:createSeries', {
      resourceId: r.id,
      ...first,
      repeat: { every: 'week', count: 30 },
      onConflict: 'skip',
    }),
  );
  expect(s.bookings).toHaveLength(29);

  const mail = await waitFor(
    'the series mail',
    () => mailsTo(owner.email).find((m) => m.subject.startsWith('Series confirmed')),
    15_000,
  );
  await waitFor('the series notice', () => seen.includes('series.confirmed'), 10_000);
  const ics = icsOf(mail);
  expect(ics).toMatch(/^METHOD:REQUEST\r$/m);
  expect(ics).toMatch(/^BEGIN:VTIMEZONE\r$/m);
  expect(ics).toMatch(/^TZID:Europe\/Berlin\r$/m);
  expect(ics).toMatch(/^RRULE:FREQ=WEEKLY;.*COUNT=30/m);
  const [event] = vevents(ics);
  if (!event?.rrule) throw new Error('no recurring event');
  expect(event.uid).toBe(`${s.seriesId}@booking`);
  const excluded = new Set(Object.values(event.exdate ?? {}).map((d) => new Date(d).getTime()));
  const expanded = event.rrule
    .between(new Date(Date.parse(first.start) - 86_400_000), new Date(Date.parse(first.start) + 400 * 86_400_000), true)
    .map((d) => d.getTime())
    .filter((t) => !excluded.has(t));
  expect(expanded.map((t) => new Date(t).toISOString())).toEqual(
    s.bookings.map((b) => new Date(b.start).toISOString()),
  );
  expect(new Set(expanded.map((t) => DateTime.fromMillis(t, { zone }).toFormat('ccc HH:mm')))).toEqual(
    new Set(['Mon 09:00']),
  );
  expect(mail.text).toContain('Skipped:');
  // No per-occurrence confirmations.
  expect(mailsTo(owner.email).filter((m) => m.subject.startsWith('Booking confirmed'))).toHaveLength(0);

  const target = s.bookings[4];
  if (!target) throw new Error('no fifth occurrence');
  unwrap(await send(owner.socket, 'booking:cancel', { bookingId: target.id }));
  const cancelMail = await waitFor(
    'the occurrence cancellation',
    () => mailsTo(owner.email).find((m) => m.subject.startsWith('Booking cancelled')),
    15_000,
  );
  const cancelIcs = icsOf(cancelMail);
  expect(cancelIcs).toMatch(/^METHOD:CANCEL\r$/m);
  const [cancelled] = vevents(cancelIcs);
  expect(cancelled?.uid).toBe(`${s.seriesId}@booking`);
  expect(recurrenceIds(cancelIcs)).toEqual([new Date(target.start).toISOString()]);
  expect(cancelled?.rrule).toBeUndefined();
  expect(Number(cancelled?.sequence)).toBeGreaterThan(Number(event.sequence));

  unwrap(await send(owner.socket, 'booking:cancelSeries', { seriesId: s.seriesId, from: s.bookings[20]?.start ?? '' }));
  const rest = await waitFor(
    'the series cancellation',
    () => mailsTo(owner.email).find((m) => m.subject.startsWith('Series cancelled')),
    15_000,
  );
  expect(icsOf(rest)).toMatch(/^METHOD:CANCEL\r$/m);
  expect(recurrenceIds(icsOf(rest))).toEqual(s.bookings.slice(20).map((b) => new Date(b.start).toISOString()));
  expect(mailsTo(owner.email)).toHaveLength(3);
});
