/**
 * EMAIL_VERIFICATION=required end to end: two nodes, the notification service and a real SMTP
 * server (scripts/lib/mail-catcher.ts). A new account may sign in but its booking commands answer
 * FORBIDDEN `unverified` until it posts the one-time token its mail carries; a resend mails a new
 * link (the old one stops working), at most 5 an hour.
 */
import type { AuthResult, Resource, User } from '@booking/shared';
import { startMailCatcher } from '../../scripts/lib/mail-catcher';
import type { MailCatcher } from '../../scripts/lib/mail-catcher';
import { startNotificationService } from '../src/notifier';
import type { Notifier } from '../src/notifier';
import { testConfig } from '../../test/support/env';
import { createResource, http, loginStaff, registerUser, send, slot, unwrap } from '../../test/support/harness';
import type { ClientSocket } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { waitFor } from '../../test/support/wait';

const PUBLIC_URL = 'https://booking.example.test';
const sockets = useSockets('all');
let catcher: MailCatcher;
let notifier: Notifier;
let room: Resource;

beforeAll(async () => {
  catcher = await startMailCatcher();
});
const h = useHarness({ label: 'email-verify', count: 2, env: { EMAIL_VERIFICATION: 'required', PUBLIC_URL } });
beforeAll(async () => {
  notifier = await startNotificationService({
    config: testConfig({
      db: h.db,
      env: { NODE_ID: `${h.db}-notifier`, SMTP_URL: catcher.smtpUrl, EMAIL_VERIFICATION: 'required', PUBLIC_URL },
    }),
  });
  room = await createResource(h.node.url, (await loginStaff(h.node.url)).token, 'Verified room');
});
afterAll(async () => {
  await notifier?.close();
  await catcher?.stop();
});

const client = (token: string, nodeIndex = 1): Promise<ClientSocket> =>
  sockets.client((h.nodes[nodeIndex] ?? h.node).url, token);

/** The tokens of every verification link mailed to `email`, oldest first. */
function linksTo(email: string): string[] {
  return catcher
    .messages()
    .filter((m) => m.to.includes(email) && m.headers['x-booking-kind'] === 'email.verify')
    .map((m) => {
      const match = /#verify=([A-Za-z0-9_-]+)/.exec(m.text);
      if (!match?.[1] || !m.text.includes(`${PUBLIC_URL}/#verify=`)) throw new Error(`no link in: ${m.text}`);
      return match[1];
    });
}

async function post(
  path: string,
  opts: { token?: string; body?: unknown },
): Promise<{ status: number; body: unknown; retryAfter: string | null }> {
  const res = await fetch(`${h.node.url}${path}`, {
    method: 'POST',
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body ? { 'content-type': 'application/json' } : {}),
    },
    ...(opts.body ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as unknown) : null,
    retryAfter: res.headers.get('retry-after'),
  };
}

it('an unverified account signs in but may not book until it follows its link; the link works once', async () => {
  const u: AuthResult = await registerUser(h.node.url, 'unverified');
  expect(u.user.emailVerified).toBe(false);
  const s = await client(u.token);

  const refused = await send(s, 'booking:create', { resourceId: room.id, ...slot(30) });
  expect(refused.ok ? null : refused.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'unverified' } });
  const series = await send(s, 'booking:createSeries', {
    resourceId: room.id,
    ...slot(31),
    repeat: { every: 'day', count: 2 },
    onConflict: 'fail',
  });
  expect(series.ok ? null : series.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'unverified' } });
  // A hold and a waitlist entry ask for a booking too.
  for (const event of ['booking:hold', 'waitlist:join'] as const) {
    const asked = await send(s, event, { resourceId: room.id, ...slot(32) });
    expect(asked.ok ? null : asked.error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'unverified' } });
  }
  // Reading is open.
  expect(unwrap(await send(s, 'bookings:mine', {})).bookings).toEqual([]);

  const [first] = await waitFor('the verification mail', () =>
    linksTo(u.user.email).length > 0 ? linksTo(u.user.email) : null,
  );
  expect(first).toBeDefined();

  expect((await post('/api/auth/verify', { body: { token: 'x'.repeat(43) } })).status).toBe(404);
  expect((await post('/api/auth/verify', { body: { token: 'bad token!' } })).status).toBe(400);

  const verified = await post('/api/auth/verify', { body: { token: first } });
  expect(verified.status).toBe(200);
  expect((verified.body as { user: User }).user).toMatchObject({ id: u.user.id, emailVerified: true });
  // One time only.
  expect((await post('/api/auth/verify', { body: { token: first } })).status).toBe(404);

  // The same socket books now (no reconnect), and sign-in answers say verified.
  unwrap(await send(s, 'booking:create', { resourceId: room.id, ...slot(30) }));
  const again = await http<AuthResult>(h.node.url, '/api/auth/login', {
    body: { email: u.user.email, password: 'password123' },
  });
  expect(again.body.user.emailVerified).toBe(true);
  expect((await post('/api/auth/verify/resend', { token: u.token })).status).toBe(409);
});

it('a resend mails a new link and the old one stops working; over 5 an hour is RATE_LIMITED', async () => {
  const u = await registerUser(h.node.url, 'resend');
  await waitFor('the first mail', () => linksTo(u.user.email).length === 1 || null);
  expect((await post('/api/auth/verify/resend', { token: u.token })).status).toBe(204);
  const links = await waitFor('the second mail', () =>
    linksTo(u.user.email).length === 2 ? linksTo(u.user.email) : null,
  );
  const [old, latest] = links;
  expect(old).not.toBe(latest);
  expect((await post('/api/auth/verify', { body: { token: old } })).status).toBe(404);

  for (let i = 0; i < 4; i += 1) expect((await post('/api/auth/verify/resend', { token: u.token })).status).toBe(204);
  const limited = await post('/api/auth/verify/resend', { token: u.token });
  expect(limited.status).toBe(429);
  expect(limited.body).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  expect(Number(limited.retryAfter)).toBeGreaterThan(0);

  // The last link mailed works.
  const last = await waitFor('the resent mails', () => {
    const all = linksTo(u.user.email);
    return all.length >= 3 ? all : null;
  });
  await waitFor('every asked-for mail sent', async () => {
    const doc = await h.node.models.User.findById(u.user.id, { verifyMail: 1 }).lean();
    return doc && !doc.verifyMail ? true : null;
  });
  const final = linksTo(u.user.email).at(-1) ?? last.at(-1);
  expect((await post('/api/auth/verify', { body: { token: final } })).status).toBe(200);
});

it('staff accounts are verified and the resend needs a token', async () => {
  const staff = await loginStaff(h.node.url);
  expect(staff.user.emailVerified).toBe(true);
  const s = await client(staff.token, 0);
  unwrap(await send(s, 'booking:create', { resourceId: room.id, ...slot(40) }));
  expect((await post('/api/auth/verify/resend', {})).status).toBe(401);
});
