/**
 * THE leak test of issue 27 part 2: a person who may not view a resource finds no trace of it (its id,
 * its name, any of its booking ids) in anything they receive: HTTP, every `/` command they may send,
 * every broadcast while others book, modify, cancel and hold it and staff update it, their calendar
 * feed and their email. A control person in the resource's group sees it on each of these surfaces,
 * so the test cannot pass by everything being empty. Barriers (a change on an open resource that
 * u0 must hear) stand in for sleeps: a node keeps order per emitter, so anything about the hidden
 * resource sent to u0 would have arrived before the barrier.
 */
import type { AuthResult, Group, Resource } from '@booking/shared';
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { MailCatcher } from '../../scripts/lib/mail-catcher';
import { startNotificationService } from '../src/notifier';
import type { Notifier } from '../src/notifier';
import { testConfig } from '../../test/support/env';
import {
  connectAdmin,
  http,
  loginStaff,
  registerUser,
  send,
  sendAdmin,
  slot,
  unwrap,
} from '../../test/support/harness';
import type { ClientSocket } from '../../test/support/harness';
import { nextSlotChange } from '../../test/support/broadcast';
import { useHarness, useSockets } from '../../test/support/suite';
import { waitFor } from '../../test/support/wait';

const HIDDEN_NAME = 'Hidden Lab';
const UNKNOWN_ID = '665f1c2e8b3a4d00123456ff';

let catcher: MailCatcher;
beforeAll(async () => {
  catcher = await startMailCatcher();
});
afterAll(async () => {
  await catcher?.stop();
});
const h = useHarness({ label: 'access-leak' });
let notifier: Notifier;
beforeAll(async () => {
  notifier = await startNotificationService({
    config: testConfig({ db: h.db, env: { NODE_ID: `${h.db}-notifier`, SMTP_URL: catcher.smtpUrl } }),
    retry: { attempts: 3, backoffMs: 150 },
    sweepIntervalMs: 500,
  });
});
afterAll(async () => {
  await notifier?.close();
});
const sockets = useSockets('each');

/** Everything one person received, in order, as text to search. */
class Inbox {
  readonly items: Array<{ surface: string; value: unknown }> = [];
  add(surface: string, value: unknown): void {
    this.items.push({ surface, value });
  }
  record(surface: string, socket: ClientSocket): void {
    socket.onAny((event: string, ...args: unknown[]) => this.add(`${surface} event ${event}`, args));
  }
  /** The surfaces whose text contains any of `traces`. */
  tracesOf(traces: string[]): string[] {
    return this.items
      .filter(({ value }) => {
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        return traces.some((t) => text.includes(t));
      })
      .map(({ surface }) => surface);
  }
}

async function login(email: string): Promise<AuthResult> {
  const res = await http<AuthResult>(h.node.url, '/api/auth/login', { body: { email, password: 'password123' } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return res.body;
}

async function feedText(token: string, body: unknown): Promise<{ status: number; body: unknown; ics?: string }> {
  const res = await http<{ url: string }>(h.node.url, '/api/calendar/feeds', { body, token });
  if (res.status !== 201) return res;
  return { ...res, ics: await (await fetch(res.body.url)).text() };
}

it('u0 finds no trace of the hidden resource anywhere, while a member of its group sees it everywhere', async () => {
  const base = h.node.url;
  const staff = (await loginStaff(base)).token;
  const admin = sockets.track(await connectAdmin(base, staff));
  const group: Group = unwrap(await sendAdmin(admin, 'group:create', { name: 'Lab people' })).group;
  const hiddenRes = await http<{ resource: Resource }>(base, '/api/resources', {
    body: { name: HIDDEN_NAME, type: 'lab', access: { visibleTo: [group.id] } },
    token: staff,
  });
  expect(hiddenRes.status).toBe(201);
  const hidden = hiddenRes.body.resource;
  const open = (
    await http<{ resource: Resource }>(base, '/api/resources', {
      body: { name: 'Open Commons', type: 'lab' },
      token: staff,
    })
  ).body.resource;

  const u0 = await registerUser(base, 'outsider');
  const member = async (name: string): Promise<AuthResult> => {
    const p = await registerUser(base, name);
    unwrap(await sendAdmin(admin, 'user:setGroups', { userId: p.user.id, groupIds: [group.id] }));
    return login(p.user.email);
  };
  const control = await member('control');
  const other = await member('other');

  const u0in = new Inbox();
  const ctl = new Inbox();
  const traces = [hidden.id, HIDDEN_NAME];

  const plain = await sockets.client(base, u0.token);
  const watcher = await sockets.client(base, u0.token);
  u0in.record('u0 (every resource)', plain);
  u0in.record('u0 (watching)', watcher);
  const cs = await sockets.client(base, control.token);
  ctl.record('control', cs);
  const os = await sockets.client(base, other.token);

  // ---- Reads, as u0 and as the control person. ----
  u0in.add('GET /api/resources', await http(base, '/api/resources', { token: u0.token }));
  ctl.add('GET /api/resources', await http(base, '/api/resources', { token: control.token }));
  u0in.add('resources:list', await send(plain, 'resources:list', {}));
  ctl.add('resources:list', await send(cs, 'resources:list', {}));
  const range = { from: slot(1).start, to: slot(30).start };
  const asUnknown = async (
    event: 'availability:get' | 'booking:create' | 'booking:hold' | 'waitlist:join' | 'booking:createSeries',
    payload: (resourceId: string) => object,
  ): Promise<void> => {
    const onHidden = await send(plain, event, payload(hidden.id) as never);
    const onUnknown = await send(plain, event, payload(UNKNOWN_ID) as never);
    u0in.add(event, onHidden);
    expect([event, onHidden]).toEqual([event, onUnknown]);
    expect(onHidden).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  };
  await asUnknown('availability:get', (resourceId) => ({ resourceId, ...range }));
  ctl.add('availability:get', await send(cs, 'availability:get', { resourceId: hidden.id, ...range }));
  await asUnknown('booking:create', (resourceId) => ({ resourceId, ...slot(5) }));
  await asUnknown('booking:hold', (resourceId) => ({ resourceId, ...slot(5) }));
  await asUnknown('waitlist:join', (resourceId) => ({ resourceId, ...slot(5) }));
  await asUnknown('booking:createSeries', (resourceId) => ({
    resourceId,
    ...slot(5),
    repeat: { every: 'day', count: 2 },
    onConflict: 'fail',
  }));
  const find = { ...range, minutes: 60 };
  u0in.add('slots:find', await send(plain, 'slots:find', find));
  ctl.add('slots:find', await send(cs, 'slots:find', find));
  const findHidden = await send(plain, 'slots:find', { ...find, resourceIds: [hidden.id] });
  expect(findHidden).toEqual(await send(plain, 'slots:find', { ...find, resourceIds: [UNKNOWN_ID] }));
  u0in.add('slots:find [H]', findHidden);
  ctl.add('slots:find [H]', await send(cs, 'slots:find', { ...find, resourceIds: [hidden.id] }));
  expect(await send(watcher, 'slots:watch', { resourceIds: [hidden.id, open.id] })).toEqual({ ok: true, data: {} });

  // ---- Others book, modify, hold and cancel H; staff update it. ----
  const hiddenBookings: string[] = [];
  const first = unwrap(await send(cs, 'booking:create', { resourceId: hidden.id, ...slot(6) })).booking;
  hiddenBookings.push(first.id);
  unwrap(await send(cs, 'booking:modify', { bookingId: first.id, ...slot(7) }));
  hiddenBookings.push(unwrap(await send(cs, 'booking:hold', { resourceId: hidden.id, ...slot(8) })).booking.id);
  const second = unwrap(await send(os, 'booking:create', { resourceId: hidden.id, ...slot(9) })).booking;
  hiddenBookings.push(second.id);
  unwrap(await send(os, 'booking:cancel', { bookingId: second.id }));
  const series = unwrap(
    await send(os, 'booking:createSeries', {
      resourceId: hidden.id,
      ...slot(10),
      repeat: { every: 'day', count: 2 },
      onConflict: 'fail',
    }),
  );
  hiddenBookings.push(...series.bookings.map((b) => b.id));
  // A waitlist entry on H's taken slot, then the slot freed (an offer to `other`, not to u0).
  hiddenBookings.push(unwrap(await send(os, 'waitlist:join', { resourceId: hidden.id, ...slot(7) })).entry.id);
  unwrap(await send(cs, 'booking:cancel', { bookingId: first.id }));
  unwrap(
    await sendAdmin(admin, 'resource:update', {
      id: hidden.id,
      description: `${HIDDEN_NAME}: microscopes`,
      access: { visibleTo: [group.id] },
    }),
  );
  traces.push(...hiddenBookings);

  // ---- Barriers on the open resource: u0 must hear these, and would have heard H's before. ----
  const changed = new Promise<void>((resolve) =>
    plain.on('resource:changed', (e) => e.resource.id === open.id && resolve()),
  );
  unwrap(await sendAdmin(admin, 'resource:update', { id: open.id, description: 'anyone' }));
  await changed;
  const heardPlain = nextSlotChange(plain, (e) => e.resourceId === open.id);
  const heardWatcher = nextSlotChange(watcher, (e) => e.resourceId === open.id);
  const mine = unwrap(await send(plain, 'booking:create', { resourceId: open.id, ...slot(6) })).booking;
  expect((await heardPlain).bookingId).toBe(mine.id);
  expect((await heardWatcher).bookingId).toBe(mine.id);

  // ---- u0's own lists and feeds. ----
  u0in.add('bookings:mine', await send(plain, 'bookings:mine', {}));
  u0in.add('waitlist:mine', await send(plain, 'waitlist:mine', {}));
  u0in.add('approvals:list', await send(plain, 'approvals:list', {}));
  const feedHidden = await feedText(u0.token, { scope: 'resource', resourceId: hidden.id });
  expect(feedHidden).toEqual(await feedText(u0.token, { scope: 'resource', resourceId: UNKNOWN_ID }));
  expect(feedHidden.status).toBe(404);
  u0in.add('feed resource H', feedHidden);
  const mineFeed = await feedText(u0.token, { scope: 'mine' });
  expect(mineFeed.ics).toContain('Open Commons');
  u0in.add('feed mine', mineFeed);
  const controlFeed = await feedText(control.token, { scope: 'resource', resourceId: hidden.id });
  ctl.add('feed resource H', controlFeed);
  ctl.add('bookings:mine', await send(cs, 'bookings:mine', {}));

  // ---- Email: u0's confirmation arrived; the control person's mail about H did. ----
  await waitFor(
    'u0’s confirmation and the control person’s mails',
    () =>
      catcher.messages().some((m) => m.to.includes(u0.user.email) && m.headers['x-booking-id'] === mine.id) &&
      catcher.messages().some((m) => m.to.includes(control.user.email) && m.headers['x-booking-id'] === first.id),
    20_000,
  );
  for (const m of catcher.messages()) {
    if (m.to.includes(u0.user.email)) u0in.add(`mail ${m.subject}`, m);
    if (m.to.includes(control.user.email)) ctl.add(`mail ${m.subject}`, m);
  }

  // u0 cannot open /admin at all (so /admin's slot:changed never reaches them).
  await expect(connectAdmin(base, u0.token)).rejects.toThrow();

  // ---- The verdict. ----
  expect(u0in.tracesOf(traces)).toEqual([]);
  expect(u0in.items.filter((i) => i.surface.startsWith('mail')).length).toBeGreaterThan(0);
  expect(u0in.items.filter((i) => i.surface.includes('event slot:changed')).length).toBeGreaterThanOrEqual(2);
  const seen = (needle: string): string[] => {
    const found = ctl.tracesOf([needle]);
    return [...new Set(found.map((s) => s.replace(/^mail .*/, 'mail')))].sort();
  };
  expect(seen(HIDDEN_NAME)).toEqual(
    expect.arrayContaining([
      'GET /api/resources',
      'control event resource:changed',
      'feed resource H',
      'mail',
      'resources:list',
    ]),
  );
  expect(seen(hidden.id)).toEqual(
    expect.arrayContaining([
      'availability:get',
      'bookings:mine',
      'control event slot:changed',
      'slots:find',
      'slots:find [H]',
    ]),
  );
});
