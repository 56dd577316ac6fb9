/**
 * Mail durability against real MongoDB, a Redis of this suite's own (it gets flushed), a real
 * SMTP server and a node and the notifier in-process with short retry timings (notifier options;
 * the real policy is checked as numbers): SMTP down for longer than the old retry budget, Redis
 * losing a handed-over job, a permanent refusal retried in bulk, and what expires.
 */
import { Redis } from 'ioredis';
import type { Queue } from 'bullmq';
import type { Booking } from '@booking/shared';
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { CaughtMail, MailCatcher } from '../../scripts/lib/mail-catcher';
import { startRedis } from '../../scripts/lib/embedded-redis';
import type { EmbeddedRedis } from '../../scripts/lib/embedded-redis';
import { NOTIFICATIONS_QUEUE } from '../src/infra/channels';
import { openQueue } from '../src/infra/queue';
import { backoffDelay, defaultRetryPolicy, retryWindowMs } from '../src/notifications/notification.job';
import type { NotificationJobData } from '../src/notifications/notification.job';
import { createNotificationAdmin } from '../src/notifications/notification.admin';
import type { NotificationAdmin } from '../src/notifications/notification.admin';
import { startNotificationService } from '../src/notifier';
import type { Notifier } from '../src/notifier';
import { testConfig } from '../../test/support/env';
import {
  connectAdmin,
  connectClient,
  createResource,
  loginStaff,
  registerUser,
  send,
  sendAdmin,
  slot,
  startHarness,
  unwrap,
} from '../../test/support/harness';
import type { ClientSocket, Harness } from '../../test/support/harness';
import { waitFor } from '../../test/support/wait';

/** The retry budget before v2: 8 attempts. */
const OLD_ATTEMPTS = 8;

let redis: EmbeddedRedis;
let h: Harness;
let catcher: MailCatcher;
let notifier: Notifier;
let admin: NotificationAdmin;
let queue: Queue<NotificationJobData>;
const refused = new Set<string>();
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  redis = await startRedis();
  catcher = await startMailCatcher({
    onRcpt: (address) => (refused.has(address) ? { code: 550, message: 'mailbox unavailable' } : null),
  });
  h = await startHarness({ label: 'durable', env: { REDIS_URL: redis.url } });
  notifier = await startNotificationService({
    config: testConfig({
      db: h.db,
      env: { NODE_ID: `${h.db}-notifier`, REDIS_URL: redis.url, SMTP_URL: catcher.smtpUrl },
    }),
    // Many attempts, 20 ms doubling up to 100 ms: the old budget is used up within a second.
    retry: { attempts: 1000, backoffMs: 20, maxBackoffMs: 100 },
    sweepIntervalMs: 200,
    rehandAfterMs: 1500,
  });
  const { redis: conns, names } = h.node.stores;
  admin = createNotificationAdmin({ connection: conns.bullmqOptions, names });
  queue = openQueue<NotificationJobData>({ name: NOTIFICATIONS_QUEUE, connection: conns.bullmqOptions, names });
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await admin?.close();
  await queue?.close();
  await notifier?.close();
  await h?.close();
  await catcher?.stop();
  await redis?.stop();
}, 30_000);

function mailsTo(email: string): CaughtMail[] {
  return catcher.messages().filter((m) => m.to.includes(email));
}

async function bookMany(
  label: string,
  count: number,
  hoursAhead: number,
): Promise<{ email: string; bookings: Booking[] }> {
  const staff = await loginStaff(h.node.url);
  const resource = await createResource(h.node.url, staff.token, `${label} Room`);
  const user = await registerUser(h.node.url, label);
  const s = await connectClient(h.node.url, user.token);
  sockets.push(s);
  const bookings: Booking[] = [];
  for (let i = 0; i < count; i += 1)
    bookings.push(
      unwrap(await send(s, 'booking:create', { resourceId: resource.id, ...slot(hoursAhead + i) })).booking,
    );
  return { email: user.user.email, bookings };
}

const outboxOf = (bookingId: string) => notifier.models.Outbox.findOne({ bookingId }).lean();

/** Every booking's mail arrives within `mailMs`, each outbox entry is stamped sent, and the mails are exactly one per booking. */
async function expectEveryMailSent(booked: { email: string; bookings: Booking[] }, what: string, mailMs: number) {
  await waitFor(what, () => mailsTo(booked.email).length >= booked.bookings.length, mailMs, 50);
  await waitFor(
    'every outbox entry stamped sent',
    async () => (await Promise.all(booked.bookings.map((b) => outboxOf(b.id)))).every((o) => o?.sentAt),
    10_000,
  );
  expect(
    mailsTo(booked.email)
      .map((m) => m.headers['x-booking-id'])
      .sort(),
  ).toEqual(booked.bookings.map((b) => b.id).sort());
}

test('the real policy: backoff doubles from 2 s up to a 10-minute cap and keeps going for at least 24 hours', () => {
  const delays = Array.from({ length: defaultRetryPolicy.attempts - 1 }, (_, i) =>
    backoffDelay(defaultRetryPolicy, i + 1),
  );
  expect(delays.slice(0, 3)).toEqual([2000, 4000, 8000]);
  expect(Math.max(...delays)).toBe(10 * 60_000);
  expect(retryWindowMs(defaultRetryPolicy)).toBeGreaterThanOrEqual(24 * 3600_000);
  // Not absurdly longer either: the last attempt comes within 24 hours and one cap.
  expect(retryWindowMs(defaultRetryPolicy)).toBeLessThan(24 * 3600_000 + 10 * 60_000);
});

test('SMTP down for longer than the old retry budget: every mail arrives, once, when it is back', async () => {
  await catcher.stopSmtp();
  let booked: { email: string; bookings: Booking[] };
  try {
    booked = await bookMany('outlasting', 4, 10);
    // Every job went past the old budget and is still scheduled, not parked.
    for (const b of booked.bookings) {
      const entry = await waitFor('the outbox entry handed over', async () => {
        const o = await outboxOf(b.id);
        return o?.handedOverAt ? o : null;
      });
      const jobId = entry._id.toHexString();
      await waitFor(
        `job ${jobId} past ${OLD_ATTEMPTS} attempts`,
        async () => ((await queue.getJob(jobId))?.attemptsMade ?? 0) > OLD_ATTEMPTS + 2,
        30_000,
        50,
      );
      const state = await (await queue.getJob(jobId))?.getState();
      expect(['delayed', 'waiting', 'active', 'prioritized']).toContain(state);
    }
    expect((await admin.counts()).failed).toBe(0);
    expect(mailsTo(booked.email)).toHaveLength(0);
  } finally {
    await catcher.startSmtp();
  }
  await expectEveryMailSent(booked, 'every mail after SMTP is back', 15_000);
});

test('Redis flushed after the hand-over and before the send: the mail still arrives', async () => {
  await catcher.stopSmtp();
  let booked: { email: string; bookings: Booking[] };
  const flusher = new Redis(redis.url);
  try {
    booked = await bookMany('flushed', 2, 40);
    const jobIds: string[] = [];
    for (const b of booked.bookings) {
      const entry = await waitFor('the outbox entry handed over', async () => {
        const o = await outboxOf(b.id);
        return o?.handedOverAt ? o : null;
      });
      const jobId = entry._id.toHexString();
      await waitFor(
        'a failed attempt while SMTP is down',
        async () => ((await queue.getJob(jobId))?.attemptsMade ?? 0) >= 1,
      );
      jobIds.push(jobId);
    }
    // Redis loses every job (a restart without its append-only file looks the same).
    await flusher.flushall();
    for (const jobId of jobIds) expect(await queue.getJob(jobId)).toBeUndefined();
    expect(mailsTo(booked.email)).toHaveLength(0);
  } finally {
    flusher.disconnect();
    await catcher.startSmtp();
  }
  await expectEveryMailSent(booked, 'the mails handed over again and sent', 20_000);
});

test('a permanent 550 parks the jobs in the failed set; notifications:retry {all: true} delivers them', async () => {
  const staff = await loginStaff(h.node.url);
  const user = await registerUser(h.node.url, 'bounced');
  refused.add(user.user.email);
  const resource = await createResource(h.node.url, staff.token, 'Bounced Room');
  const s = await connectClient(h.node.url, user.token);
  sockets.push(s);
  const bookings: Booking[] = [];
  for (let i = 0; i < 3; i += 1)
    bookings.push(unwrap(await send(s, 'booking:create', { resourceId: resource.id, ...slot(60 + i) })).booking);

  const failed = await waitFor(
    'three failed jobs',
    async () => {
      const list = (await admin.failedJobs()).filter((j) => bookings.some((b) => b.id === j.bookingId));
      return list.length === 3 ? list : null;
    },
    15_000,
    50,
  );
  // Parked after one attempt (a 5xx is not retried), and stamped failed so the relay leaves it.
  expect(failed.every((j) => j.attemptsMade === 1 && /550|mailbox unavailable/.test(j.failedReason))).toBe(true);
  await waitFor('the entries stamped failed', async () =>
    (await Promise.all(bookings.map((b) => outboxOf(b.id)))).every((o) => o?.failedAt && !o.sentAt),
  );
  expect(mailsTo(user.user.email)).toHaveLength(0);

  refused.delete(user.user.email);
  const staffSocket = await connectAdmin(h.node.url, staff.token);
  try {
    const bad = await sendAdmin(staffSocket, 'notifications:retry', { all: false } as unknown as { all: true });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('VALIDATION_ERROR');
    const ack = await sendAdmin(staffSocket, 'notifications:retry', { all: true });
    expect(ack).toEqual({ ok: true, data: { retried: 3 } });
  } finally {
    staffSocket.close();
  }
  await waitFor('the three retried mails', () => mailsTo(user.user.email).length >= 3, 15_000, 50);
  await waitFor('the failed set empty', async () => (await admin.counts()).failed === 0);
  await waitFor('the entries stamped sent', async () =>
    (await Promise.all(bookings.map((b) => outboxOf(b.id)))).every((o) => o?.sentAt && !o.failedAt),
  );
  expect(
    mailsTo(user.user.email)
      .map((m) => m.headers['x-booking-id'])
      .sort(),
  ).toEqual(bookings.map((b) => b.id).sort());
});

test('retention: sent outbox entries and sent records expire after 30 days; completed jobs by age and count, failed ones by age', async () => {
  const days30 = 30 * 24 * 3600;
  const outboxTtl = (await notifier.models.Outbox.collection.indexes()).find((i) => i.expireAfterSeconds !== undefined);
  expect(outboxTtl).toMatchObject({ key: { sentAt: 1 }, expireAfterSeconds: days30 });
  const sentTtl = (await notifier.models.SentNotification.collection.indexes()).find(
    (i) => i.expireAfterSeconds !== undefined,
  );
  expect(sentTtl).toMatchObject({ key: { sentAt: 1 }, expireAfterSeconds: days30 });

  const { bookings } = await bookMany('retained', 1, 80);
  const entry = await waitFor('the outbox entry', () => outboxOf(bookings[0]?.id ?? ''));
  const job = await waitFor('its job', () => queue.getJob(entry._id.toHexString()));
  // Completed jobs are a short history (an hour, 1,000 at most); the sent records deduplicate.
  expect(job.opts.removeOnComplete).toEqual({ age: 3600, count: 1000 });
  expect(job.opts.removeOnFail).toMatchObject({ age: days30 });
  // The queue's events stream (read by nothing here) is capped at 1,000 entries, not 10,000,
  // and the cap comes back after the flush above (the relay writes it again on its passes).
  await waitFor(
    'the events cap',
    async () => (await (await queue.client).hget(queue.keys.meta ?? '', 'opts.maxLenEvents')) === '1000',
  );
});

test('a sent entry handed over again after its completed job is gone sends nothing and is stamped sent', async () => {
  // Completed jobs go within an hour (or past the newest 1,000), so the job id no longer keeps a
  // re-add out: the worker's sent record must. A crash that lost the entry's sent stamp is the case.
  const booked = await bookMany('resent', 1, 90);
  await expectEveryMailSent(booked, 'the first mail', 15_000);
  const entry = await waitFor('the outbox entry', () => outboxOf(booked.bookings[0]?.id ?? ''));
  const jobId = entry._id.toHexString();
  await waitFor('its job completed', async () => (await queue.getJobState(jobId)) === 'completed');
  await queue.remove(jobId);
  await notifier.models.Outbox.updateOne(
    { _id: entry._id },
    { $set: { sentAt: null, handedOverAt: new Date(Date.now() - 60_000) } },
  );

  // The state first, then the job: a job read before it completed has no return value yet.
  const outcome = await waitFor('the entry handed over again and run', async () =>
    (await queue.getJobState(jobId)) === 'completed' ? ((await queue.getJob(jobId))?.returnvalue ?? null) : null,
  );
  expect(outcome).toEqual({ sent: false });
  await waitFor('the entry stamped sent again', async () => (await outboxOf(booked.bookings[0]?.id ?? ''))?.sentAt);
  expect(mailsTo(booked.email)).toHaveLength(1);
});
