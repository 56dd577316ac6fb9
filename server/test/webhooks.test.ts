/**
 * Webhooks (issue 28): a real receiver on 127.0.0.1 (WEBHOOK_ALLOW_PRIVATE=1 for this file), a real
 * node and an in-process notifier whose clock the test moves. Signatures verify with the Standard
 * Webhooks reference library; an event answered 500 twice is not overtaken by its resource's next
 * event while another resource's events go on; replay resends with the original ids; the HTTP
 * routes obey roles and key scopes; SSRF refusals; 24 h of failures → failed and disabled. The
 * collections have their indexes (the pending-head read examines pending events only) and the
 * 30-day retention.
 */
import { Webhook as StandardWebhook } from 'standardwebhooks';
import type { Booking, Webhook } from '@booking/shared';
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { MailCatcher } from '../../scripts/lib/mail-catcher';
import { eventOf, startReceiver } from '../../scripts/bench/webhooks-receiver';
import type { Received, Receiver } from '../../scripts/bench/webhooks-receiver';
import { startNotificationService } from '../src/notifier';
import type { Notifier } from '../src/notifier';
import { restrictStats } from '../src/admin/admin.scope';
import { AppError } from '../src/infra/errors';
import { createWebhookSender } from '../src/integrations/webhooks/webhook.sender';
import { checkTargetResolves, checkTargetUrl, isRefusedAddress } from '../src/integrations/webhooks/webhook.ssrf';
import { testConfig } from '../../test/support/env';
import {
  connectAdmin,
  connectClient,
  createResource,
  http,
  loginStaff,
  registerUser,
  send,
  sendAdmin,
  slot,
  startHarness,
  unwrap,
} from '../../test/support/harness';
import type { AdminSocket, ClientSocket, Harness } from '../../test/support/harness';
import { waitFor } from '../../test/support/wait';
import type { Document } from 'mongodb';
import { Types } from 'mongoose';
import { registerWebhookModels } from '../src/integrations/webhooks/webhook.model';
import { createWebhookStore } from '../src/integrations/webhooks/webhook.store';

process.env.WEBHOOK_ALLOW_PRIVATE = '1';

let h: Harness;
let catcher: MailCatcher;
let receiver: Receiver;
let notifier: Notifier;
let admin: AdminSocket;
let user: ClientSocket;
let staffToken: string;
/** The notifier's clock: real time plus an offset the test moves. */
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };

beforeAll(async () => {
  catcher = await startMailCatcher({ keep: 10_000 });
  receiver = await startReceiver();
  h = await startHarness({ label: 'webhooks', env: { MAX_ACTIVE_BOOKINGS_PER_USER: '1000' } });
  notifier = await startNotificationService({
    config: testConfig({ db: h.db, env: { NODE_ID: `${h.db}-notifier`, SMTP_URL: catcher.smtpUrl } }),
    sweepIntervalMs: 1000,
    clock,
    webhooks: { allowPrivate: true, pollMs: 200, timeoutMs: 2_000 },
  });
  const staff = await loginStaff(h.node.url);
  staffToken = staff.token;
  admin = await connectAdmin(h.node.url, staff.token);
  user = await connectClient(h.node.url, (await registerUser(h.node.url, 'hooked')).token);
});

afterAll(async () => {
  user?.close();
  admin?.close();
  await notifier?.close();
  await h?.close();
  await receiver?.close();
  await catcher?.stop();
});

const path = (r: Received) => r.path;
const ok = (list: Received[]) => list.filter((r) => r.status < 300);

async function createHook(pathName: string, events: Webhook['events']): Promise<{ webhook: Webhook; secret: string }> {
  return unwrap(
    await sendAdmin(admin, 'webhook:create', { url: `${receiver.url}${pathName}`, events, description: pathName }),
  );
}

async function book(resourceId: string, hours: number): Promise<Booking> {
  return unwrap(await send(user, 'booking:create', { resourceId, ...slot(hours) })).booking;
}

test('deliveries are signed by the Standard Webhooks scheme and say what changed', async () => {
  const { webhook, secret } = await createHook('/signed', ['booking.created', 'booking.cancelled']);
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{40,}={0,2}$/);
  expect(Buffer.from(secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
  const listed = unwrap(await sendAdmin(admin, 'webhook:list', {})).webhooks.find((w) => w.id === webhook.id);
  expect(listed).toEqual(webhook);
  expect(JSON.stringify(listed)).not.toContain(secret.slice(6));

  const room = await createResource(h.node.url, staffToken, 'Signed room');
  const b = await book(room.id, 30);
  unwrap(await send(user, 'booking:cancel', { bookingId: b.id }));
  const mine = () => ok(receiver.received.filter((r) => path(r) === '/signed'));
  await waitFor('two signed deliveries', () => mine().length >= 2);

  const verifier = new StandardWebhook(secret);
  const [created, cancelled] = mine();
  for (const r of [created, cancelled]) {
    if (!r) throw new Error('missing delivery');
    expect(() => verifier.verify(r.body, r.headers)).not.toThrow();
    expect(r.headers['webhook-id']).toMatch(/^msg_/);
  }
  // A body changed by one byte does not verify: the check can fail.
  expect(() => verifier.verify(`${created?.body ?? ''} `, created?.headers ?? {})).toThrow();
  expect(() =>
    new StandardWebhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(
      created?.body ?? '',
      created?.headers ?? {},
    ),
  ).toThrow();
  const [e1, e2] = [eventOf(created as Received), eventOf(cancelled as Received)];
  expect(e1).toMatchObject({
    type: 'booking.created',
    data: { booking: { id: b.id, resourceId: room.id, status: 'active' } },
  });
  expect(e2).toMatchObject({ type: 'booking.cancelled', data: { booking: { id: b.id, status: 'cancelled' } } });
  expect(created?.headers['webhook-id']).not.toBe(cancelled?.headers['webhook-id']);

  // Each attempt is logged once its answer is back (after the receiver recorded the request).
  const deliveries = await waitFor('two logged attempts', async () => {
    const list = unwrap(await sendAdmin(admin, 'webhook:deliveries', { id: webhook.id })).deliveries;
    return list.length === 2 ? list : null;
  });
  expect(deliveries.map((d) => [d.type, d.attempt, d.status])).toEqual([
    ['booking.cancelled', 1, 200],
    ['booking.created', 1, 200],
  ]);
  unwrap(await sendAdmin(admin, 'webhook:delete', { id: webhook.id }));
});

test('an event answered 500 twice holds back its resource’s next event, not other resources’', async () => {
  const { webhook } = await createHook('/order', ['booking.created', 'booking.cancelled']);
  const [r1, r2] = await Promise.all([
    createResource(h.node.url, staffToken, 'Order one'),
    createResource(h.node.url, staffToken, 'Order two'),
  ]);
  const failures = new Map<string, number>();
  receiver.answer = ({ path: p, body, headers }) => {
    if (p !== '/order') return 200;
    const e = eventOf({ body } as Received);
    if (e.type !== 'booking.created' || e.data.booking?.resourceId !== r1.id) return 200;
    const id = headers['webhook-id'] ?? '';
    const n = failures.get(id) ?? 0;
    failures.set(id, n + 1);
    return n < 2 ? 500 : 200;
  };
  const b1 = await book(r1.id, 40);
  unwrap(await send(user, 'booking:cancel', { bookingId: b1.id }));
  const b2 = await book(r2.id, 40);
  const order = () => receiver.received.filter((r) => path(r) === '/order');
  const of = (bookingId: string, type: string) =>
    order().filter((r) => eventOf(r).data.booking?.id === bookingId && eventOf(r).type === type);

  // The other resource is not held back; event 1 failed once; its cancel has not gone.
  await waitFor(
    'r2 delivered and r1 attempted',
    () => of(b2.id, 'booking.created').length === 1 && of(b1.id, 'booking.created').length === 1,
  );
  expect(of(b1.id, 'booking.cancelled')).toHaveLength(0);
  // The retry comes within 10 s: move the notifier's clock past it.
  offsetMs += 10_000;
  await notifier.webhooks.pass();
  await waitFor('second attempt', () => of(b1.id, 'booking.created').length === 2);
  expect(of(b1.id, 'booking.cancelled')).toHaveLength(0);
  offsetMs += 20_000;
  await notifier.webhooks.pass();
  await waitFor('r1 cancel delivered', () => of(b1.id, 'booking.cancelled').length === 1);

  const r1Events = order().filter((r) => eventOf(r).data.booking?.id === b1.id);
  expect(r1Events.map((r) => [eventOf(r).type, r.status])).toEqual([
    ['booking.created', 500],
    ['booking.created', 500],
    ['booking.created', 200],
    ['booking.cancelled', 200],
  ]);
  expect(new Set(r1Events.slice(0, 3).map((r) => r.headers['webhook-id'])).size).toBe(1);
  const log = unwrap(await sendAdmin(admin, 'webhook:deliveries', { id: webhook.id, limit: 10 })).deliveries;
  expect(log.filter((d) => d.type === 'booking.created' && d.status !== 200).map((d) => d.attempt)).toEqual([2, 1]);
  expect(
    unwrap(await sendAdmin(admin, 'webhook:list', {})).webhooks.find((w) => w.id === webhook.id)?.failingSince,
  ).toBeUndefined();
  receiver.answer = () => 200;

  // Replay: every event since before b1 goes again, in order, with its original id.
  const before = order().length;
  const firstIds = order()
    .filter((r) => r.status === 200)
    .map((r) => r.headers['webhook-id']);
  const { queued } = unwrap(
    await sendAdmin(admin, 'webhook:replay', { id: webhook.id, since: new Date(Date.now() - 3_600_000).toISOString() }),
  );
  expect(queued).toBe(3);
  await waitFor('replayed', () => order().length === before + 3);
  const again = order().slice(before);
  expect(new Set(again.map((r) => r.headers['webhook-id']))).toEqual(new Set(firstIds));
  const r1Again = again.filter((r) => eventOf(r).data.booking?.id === b1.id).map((r) => eventOf(r).type);
  expect(r1Again).toEqual(['booking.created', 'booking.cancelled']);
  unwrap(await sendAdmin(admin, 'webhook:delete', { id: webhook.id }));
});

test('HTTP: staff and keys with webhooks:manage manage endpoints; others are refused', async () => {
  const created = await http<{ webhook: Webhook; secret: string }>(h.node.url, '/api/webhooks', {
    token: staffToken,
    body: { url: `${receiver.url}/http`, events: ['booking.modified'] },
  });
  expect(created.status).toBe(201);
  expect(created.body.secret).toMatch(/^whsec_/);
  const person = await registerUser(h.node.url, 'nothooks');
  expect((await http(h.node.url, '/api/webhooks', { token: person.token })).status).toBe(403);
  expect((await http(h.node.url, '/api/webhooks')).status).toBe(401);
  const manage = unwrap(await sendAdmin(admin, 'apiKey:create', { name: 'hooks', scopes: ['webhooks:manage'] })).secret;
  const read = unwrap(await sendAdmin(admin, 'apiKey:create', { name: 'reader', scopes: ['bookings:read'] })).secret;
  const listed = await http<{ webhooks: Webhook[] }>(h.node.url, '/api/webhooks', { token: manage });
  expect(listed.status).toBe(200);
  expect(listed.body.webhooks.map((w) => w.id)).toContain(created.body.webhook.id);
  expect((await http(h.node.url, '/api/webhooks', { token: read })).status).toBe(403);
  const bad = await http<{ error: { code: string } }>(h.node.url, '/api/webhooks', {
    token: manage,
    body: { url: 'ftp://example.com/x', events: ['booking.created'] },
  });
  expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
  const del = await fetch(`${h.node.url}/api/webhooks/${created.body.webhook.id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${manage}` },
  });
  expect(del.status).toBe(204);
  const gone = await http<{ webhooks: Webhook[] }>(h.node.url, '/api/webhooks', { token: staffToken });
  expect(gone.body.webhooks.map((w) => w.id)).not.toContain(created.body.webhook.id);
});

test('SSRF: http, loopback, private, link-local, unspecified and mapped targets are refused without the flag', async () => {
  const strict = { allowPrivate: false };
  const refusedCode = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return err instanceof AppError ? err.code : 'other';
    }
    return 'accepted';
  };
  for (const url of [
    'http://example.com/hook',
    'https://127.0.0.1/hook',
    'https://10.1.2.3/hook',
    'https://192.168.1.1/hook',
    'https://172.16.5.5/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://0.0.0.0/hook',
    'https://[::1]/hook',
    'https://[::]/hook',
    'https://[fe80::1]/hook',
    'https://[fd00::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://[::ffff:a9fe:a9fe]/hook',
  ]) {
    expect([url, refusedCode(() => checkTargetUrl(url, strict))]).toEqual([url, 'VALIDATION_ERROR']);
  }
  expect(refusedCode(() => checkTargetUrl('https://hooks.example.com/x', strict))).toBe('accepted');
  expect(refusedCode(() => checkTargetUrl(`${receiver.url}/x`, { allowPrivate: true }))).toBe('accepted');
  expect(isRefusedAddress('8.8.8.8')).toBe(false);
  expect(isRefusedAddress('2606:4700::1111')).toBe(false);
  // A name is checked on resolution: localhost resolves to loopback only.
  await expect(checkTargetResolves(new URL('https://localhost/x'), strict)).rejects.toMatchObject({
    code: 'VALIDATION_ERROR',
  });
  // At delivery the socket's own lookup checks the address it connects to (no rebinding past it).
  const sender = createWebhookSender({ policy: strict, timeoutMs: 2_000 });
  const port = new URL(receiver.url).port;
  const before = receiver.received.length;
  const viaName = await sender.send(
    { url: `https://localhost:${port}/x`, secret: `whsec_${'A'.repeat(40)}` },
    { messageId: 'msg_x', body: '{}' },
    new Date(),
  );
  expect(viaName).toMatchObject({ ok: false, status: null });
  expect(viaName.error).toMatch(/refused address/);
  const plain = await sender.send(
    { url: `${receiver.url}/x`, secret: `whsec_${'A'.repeat(40)}` },
    { messageId: 'msg_x', body: '{}' },
    new Date(),
  );
  expect(plain).toMatchObject({ ok: false, status: null });
  sender.close();
  expect(receiver.received.length).toBe(before);
});

test('an endpoint failing every attempt for 24 h: it is disabled and nothing more is sent to it', async () => {
  const { webhook } = await createHook('/dead', ['booking.created']);
  receiver.answer = ({ path: p }) => (p === '/dead' ? 503 : 200);
  const room = await createResource(h.node.url, staffToken, 'Dead room');
  const b = await book(room.id, 50);
  const dead = () => receiver.received.filter((r) => path(r) === '/dead');
  await waitFor('first failed attempt', () => dead().length === 1);
  // The attempt's outcome is written once its answer is back (after the receiver recorded it).
  const failing = await waitFor('failingSince', async () =>
    unwrap(await sendAdmin(admin, 'webhook:list', {})).webhooks.find((w) => w.id === webhook.id && w.failingSince),
  );
  expect(failing?.disabledAt).toBeUndefined();
  // 23 hours later it is still retried and still enabled.
  offsetMs += 23 * 3600_000;
  await notifier.webhooks.pass();
  await waitFor('second attempt', () => dead().length === 2);
  expect(
    unwrap(await sendAdmin(admin, 'webhook:list', {})).webhooks.find((w) => w.id === webhook.id)?.disabledAt,
  ).toBeUndefined();
  offsetMs += 3600_000 + 1000;
  await notifier.webhooks.pass();
  await waitFor('third attempt', () => dead().length === 3);
  const disabled = await waitFor('disabled', async () =>
    unwrap(await sendAdmin(admin, 'webhook:list', {})).webhooks.find((w) => w.id === webhook.id && w.disabledAt),
  );
  expect(new Date(disabled.disabledAt ?? 0).getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
  expect(eventOf(dead()[0] as Received).data.booking?.id).toBe(b.id);
  // Disabled: nothing more is sent to it.
  await book(room.id, 51);
  offsetMs += 3600_000;
  await notifier.webhooks.pass();
  await notifier.relay.sweep();
  await notifier.webhooks.pass();
  expect(dead()).toHaveLength(3);
  receiver.answer = () => 200;
});

test('a disabled endpoint counts in the staff stats’ webhooksFailing, not in a manager’s', async () => {
  const snap = unwrap(await sendAdmin(admin, 'dashboard:snapshot', {}));
  // The endpoint the previous test disabled (deleted ones are gone from the count).
  const failing = unwrap(await sendAdmin(admin, 'webhook:list', {})).webhooks.filter(
    (w) => w.disabledAt !== undefined || w.failingSince !== undefined,
  );
  expect(failing.length).toBeGreaterThanOrEqual(1);
  expect(snap.stats.webhooksFailing).toBe(failing.length);
  // A manager's scoped stats leave it out (endpoints are staff's).
  const scoped = await restrictStats(
    {
      bookings: { overlapping: async () => [], countPending: async () => 0, findById: async () => null },
      now: new Date(),
    },
    snap.stats,
    ['000000000000000000000000'],
    new Date().toISOString().slice(0, 10),
  );
  expect(scoped.webhooksFailing).toBeUndefined();
  expect(scoped.pendingApprovals).toBe(0);
});

test('a check-in delivers booking.checkedIn; a resource update delivers resource.updated after its bookings’ events', async () => {
  const { webhook } = await createHook('/v3-events', ['booking.created', 'booking.checkedIn', 'resource.updated']);
  const room = await createResource(h.node.url, staffToken, 'Check-in hook room');
  // Starts two minutes from now: the check-in window (10 minutes before the start) is open.
  const start = Math.floor(Date.now() / 60_000) * 60_000 + 2 * 60_000;
  const b = unwrap(
    await send(user, 'booking:create', {
      resourceId: room.id,
      start: new Date(start).toISOString(),
      end: new Date(start + 30 * 60_000).toISOString(),
    }),
  ).booking;
  const checked = unwrap(await send(user, 'booking:checkIn', { bookingId: b.id })).booking;
  unwrap(await sendAdmin(admin, 'resource:update', { id: room.id, name: 'Renamed hook room' }));

  const mine = () => ok(receiver.received.filter((r) => path(r) === '/v3-events'));
  await waitFor('three deliveries', () => mine().length >= 3);
  // (Signed like every event: the first test verifies the scheme; the notifier's clock runs a day ahead here.)
  const events = mine().map(
    (r) => JSON.parse(r.body) as { type: string; data: Record<string, { id: string } & object> },
  );
  // One stream (this endpoint, this room), in commit order: created, checked in, renamed.
  expect(events.map((e) => e.type)).toEqual(['booking.created', 'booking.checkedIn', 'resource.updated']);
  expect(events[1]?.data.booking).toMatchObject({ id: b.id, status: 'active', checkedInAt: checked.checkedInAt });
  expect(events[2]?.data.resource).toMatchObject({ id: room.id, name: 'Renamed hook room' });
  // Each attempt is logged under its event's type.
  const deliveries = unwrap(await sendAdmin(admin, 'webhook:deliveries', { id: webhook.id })).deliveries;
  expect(deliveries.map((d) => d.type).sort()).toEqual(['booking.checkedIn', 'booking.created', 'resource.updated']);
  unwrap(await sendAdmin(admin, 'webhook:delete', { id: webhook.id }));
});

test('every collection the notifier registers has its indexes: the webhooks’ pending-head index and 30-day retention among them', async () => {
  const conn = notifier.stores.conn;
  // The connection builds no index by itself (autoIndex off): connectMongo builds what each
  // registered model declares. The webhook models were once registered after it, and had none.
  const missing = await Promise.all(
    Object.values(conn.models).map(async (m) => ({ model: m.modelName, toCreate: (await m.diffIndexes()).toCreate })),
  );
  expect(missing.filter((m) => m.toCreate.length > 0)).toEqual([]);
  expect(Object.keys(conn.models)).toEqual(
    expect.arrayContaining(['WebhookEndpoint', 'WebhookEvent', 'WebhookAttempt']),
  );
  const ttl = async (collection: string) =>
    (await conn.collection(collection).indexes()).filter((i) => i.expireAfterSeconds !== undefined).map((i) => i.name);
  expect(await ttl('webhook_events')).toEqual(['doneAt_ttl']);
  expect(await ttl('webhook_attempts')).toEqual(['at_ttl']);
});

/** What mongod's profiler saw on one collection of this suite's database while `run` ran. */
async function profiled(collection: string, run: () => Promise<unknown>): Promise<Document[]> {
  const db = notifier.stores.conn.db;
  if (!db) throw new Error('no database');
  const since = new Date();
  await db.command({ profile: 2 });
  try {
    await run();
  } finally {
    await db.command({ profile: 0 });
  }
  return db
    .collection('system.profile')
    .find({ ns: `${db.databaseName}.${collection}`, ts: { $gte: since } })
    .toArray();
}

test('the due-heads read examines the pending events, not every event delivered before', async () => {
  const conn = notifier.stores.conn;
  const { webhook } = await createHook('/history', ['booking.created']);
  const endpointId = new Types.ObjectId(webhook.id);
  const resourceId = new Types.ObjectId();
  const at = clock.now();
  const models = registerWebhookModels(conn);
  // 3,000 delivered events of a live endpoint: what a busy day leaves behind for 30 days.
  const n = 3000;
  await models.events.insertMany(
    Array.from({ length: n }, (_, i) => ({
      _id: `history-${i}`,
      endpointId,
      resourceId,
      version: i + 1,
      eventAt: at,
      type: 'booking.created' as const,
      messageId: `msg_history_${i}`,
      body: '{}',
      state: 'delivered' as const,
      attempts: 1,
      firstAttemptAt: at,
      nextAttemptAt: at,
      lockedUntil: null,
      doneAt: at,
    })),
  );
  const store = createWebhookStore(models);
  const reads = await profiled('webhook_events', () => store.dueHeads(clock.now(), 1000));
  // The notifier's own dispatcher polls with the same read meanwhile (every 200 ms here): each one
  // counts. The pending ones this file left (a handful) and the index's seeks; 3,000 on the old code.
  const heads = reads.filter((p) => p.op === 'command');
  expect(heads.length).toBeGreaterThanOrEqual(1);
  for (const read of heads) {
    expect(Number(read.docsExamined)).toBeLessThan(50);
    expect(Number(read.keysExamined)).toBeLessThan(50);
  }
  await models.events.deleteMany({ endpointId });
  unwrap(await sendAdmin(admin, 'webhook:delete', { id: webhook.id }));
});

test('an endpoint’s deliveries log reads its latest attempts, not every attempt kept', async () => {
  const conn = notifier.stores.conn;
  const { webhook } = await createHook('/attempts', ['booking.created']);
  const endpointId = new Types.ObjectId(webhook.id);
  const models = registerWebhookModels(conn);
  const at = clock.now().getTime();
  // 2,000 attempts kept (30 days of a busy endpoint keep far more); the log shows the latest 50.
  await models.attempts.insertMany(
    Array.from({ length: 2000 }, (_, i) => ({
      endpointId,
      messageId: `msg_attempt_${i}`,
      type: 'booking.created',
      attempt: 1,
      at: new Date(at - i * 1000),
      status: 200,
      durationMs: 3,
    })),
  );
  let shown: Array<{ webhookId: string }> = [];
  const reads = await profiled('webhook_attempts', async () => {
    shown = unwrap(await sendAdmin(admin, 'webhook:deliveries', { id: webhook.id })).deliveries;
  });
  expect(shown[0]?.webhookId).toBe('msg_attempt_0');
  // Only the log reads attempts (the dispatcher may insert one meanwhile).
  const queries = reads.filter((p) => p.op === 'query');
  expect(queries).toHaveLength(1);
  // The page and no more (2,000 on the old index, whose order lacked the _id tie-break).
  expect(Number(queries[0]?.keysExamined)).toBeLessThanOrEqual(shown.length);
  await models.attempts.deleteMany({ endpointId });
  unwrap(await sendAdmin(admin, 'webhook:delete', { id: webhook.id }));
});
