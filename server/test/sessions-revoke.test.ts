/**
 * Ending sessions (docs/protocol.md v3 "Sessions") on two in-process nodes sharing MongoDB and Redis:
 * `POST /api/auth/logout-all` and `POST /api/auth/password` revoke every token of the user (HTTP
 * and handshake answer 401) and disconnect their sockets on both nodes within 5 s; a refresh chain
 * ends `SESSION_MAX_HOURS` after its sign-in (an injected clock moves time).
 */
import { decodeJwt } from 'jose';
import type { AuthResult } from '@booking/shared';
import { parseConfig } from '../src/infra/config';
import { testConfig } from '../../test/support/env';
import { connectClient, http, registerUser, send, startHarness, unwrap } from '../../test/support/harness';
import type { ClientSocket, Harness } from '../../test/support/harness';

let h: Harness;
const open: ClientSocket[] = [];
const track = (s: ClientSocket): ClientSocket => {
  open.push(s);
  return s;
};

beforeAll(async () => {
  h = await startHarness({ label: 'sessions-revoke', count: 2 });
});
afterEach(() => {
  while (open.length > 0) open.pop()?.close();
});
afterAll(async () => {
  await h?.close();
});

const nodeB = () => h.nodes[1] ?? h.node;
const disconnected = (s: ClientSocket) =>
  new Promise<number>((resolve) => s.once('disconnect', () => resolve(Date.now())));
/** A POST whose answer may have no body (204). */
async function post(
  base: string,
  path: string,
  opts: { token?: string; body?: unknown },
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body ? { 'content-type': 'application/json' } : {}),
    },
    ...(opts.body ? { body: JSON.stringify(opts.body) } : {}),
  });
  return { status: res.status, text: await res.text() };
}
const login = async (email: string, password: string) =>
  http<AuthResult>(h.node.url, '/api/auth/login', { body: { email, password } });

/** Two sessions of one user (two sign-ins), each with a socket on each node. */
async function signedInTwice(): Promise<{ first: AuthResult; second: AuthResult; sockets: ClientSocket[] }> {
  const first = await registerUser(h.node.url, 'revoke');
  const again = await login(first.user.email, 'password123');
  expect(again.status).toBe(200);
  const second = again.body;
  const sockets: ClientSocket[] = [];
  for (const token of [first.token, second.token]) {
    for (const node of h.nodes) sockets.push(track(await connectClient(node.url, token)));
  }
  expect(sockets.length).toBe(4);
  return { first, second, sockets };
}

async function expectRevoked(tokens: string[]): Promise<void> {
  for (const token of tokens) {
    for (const node of h.nodes) {
      const refreshed = await http<{ error: { code: string } }>(node.url, '/api/auth/refresh', {
        method: 'POST',
        token,
      });
      expect(refreshed.status).toBe(401);
      expect(refreshed.body.error.code).toBe('UNAUTHORIZED');
      await expect(connectClient(node.url, token)).rejects.toThrow('UNAUTHORIZED');
    }
  }
}

describe('sign out everywhere', () => {
  it('revokes every token of the caller and disconnects their sockets on both nodes within 5 s', async () => {
    const { first, second, sockets } = await signedInTwice();
    expect(first.user.emailVerified).toBe(true);
    const closed = sockets.map(disconnected);
    const bystander = await registerUser(h.node.url, 'bystander');
    const bystanderSocket = track(await connectClient(nodeB().url, bystander.token));

    const started = Date.now();
    const res = await post(nodeB().url, '/api/auth/logout-all', { token: second.token });
    expect(res).toEqual({ status: 204, text: '' });
    const at = await Promise.all(closed);
    const slowest = Math.max(...at) - started;
    console.log(`logout-all: 4 sockets on 2 nodes disconnected within ${slowest} ms`);
    expect(slowest).toBeLessThan(5000);
    await expectRevoked([first.token, second.token]);

    // Only that user: another user's socket stays, and signing in again works.
    expect(bystanderSocket.connected).toBe(true);
    unwrap(await send(bystanderSocket, 'resources:list', {}));
    expect((await login(first.user.email, 'password123')).status).toBe(200);
  });

  it('needs a valid token', async () => {
    const res = await http<{ error: { code: string } }>(h.node.url, '/api/auth/logout-all', {
      method: 'POST',
      token: 'nonsense',
    });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });
});

describe('password change', () => {
  it('refuses a wrong current password or a short new one and changes nothing', async () => {
    const u = await registerUser(h.node.url, 'pw-wrong');
    const s = track(await connectClient(nodeB().url, u.token));
    const wrong = await http<{ error: { code: string } }>(h.node.url, '/api/auth/password', {
      body: { current: 'not-it-at-all', next: 'another-password' },
      token: u.token,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    const short = await http<{ error: { code: string } }>(h.node.url, '/api/auth/password', {
      body: { current: 'password123', next: 'short' },
      token: u.token,
    });
    expect(short.status).toBe(400);
    expect(short.body.error.code).toBe('VALIDATION_ERROR');
    // Nothing changed: the token, the socket and the old password still work.
    expect((await http(h.node.url, '/api/auth/refresh', { method: 'POST', token: u.token })).status).toBe(200);
    unwrap(await send(s, 'resources:list', {}));
    expect((await login(u.user.email, 'password123')).status).toBe(200);
  });

  it('revokes every session, disconnects every socket on both nodes within 5 s; only the new password signs in', async () => {
    const { first, second, sockets } = await signedInTwice();
    const closed = sockets.map(disconnected);
    const started = Date.now();
    const res = await post(h.node.url, '/api/auth/password', {
      body: { current: 'password123', next: 'a-new-password' },
      token: first.token,
    });
    expect(res).toEqual({ status: 204, text: '' });
    const slowest = Math.max(...(await Promise.all(closed))) - started;
    console.log(`password change: 4 sockets on 2 nodes disconnected within ${slowest} ms`);
    expect(slowest).toBeLessThan(5000);
    await expectRevoked([first.token, second.token]);

    const old = await login(first.user.email, 'password123');
    expect(old.status).toBe(401);
    // The caller's client keeps its session by signing in again with the password it just set.
    const fresh = await login(first.user.email, 'a-new-password');
    expect(fresh.status).toBe(200);
    track(await connectClient(nodeB().url, fresh.body.token));
  });

  it('refuses guesses of the current password after 10 wrong ones (a stolen token is no password oracle)', async () => {
    const u = await registerUser(h.node.url, 'pw-guess');
    for (let i = 0; i < 10; i += 1) {
      const res = await http(h.node.url, '/api/auth/password', {
        body: { current: `guess-${i}-guess`, next: 'another-password' },
        token: u.token,
      });
      expect(res.status).toBe(401);
    }
    const blocked = await http<{ error: { code: string } }>(h.node.url, '/api/auth/password', {
      body: { current: 'password123', next: 'another-password' },
      token: u.token,
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('RATE_LIMITED');
  });
});

describe('SESSION_MAX_HOURS', () => {
  let timed: Harness;
  let offsetMs = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs) };
  const HOUR = 3_600_000;

  beforeAll(async () => {
    timed = await startHarness({ label: 'sessions-max', env: { SESSION_MAX_HOURS: '2' }, node: { clock } });
  });
  afterAll(async () => {
    await timed?.close();
  });

  const refresh = (token: string) =>
    http<AuthResult & { error?: { code: string } }>(timed.node.url, '/api/auth/refresh', { method: 'POST', token });

  it('a refresh keeps the sign-in time, and the chain ends SESSION_MAX_HOURS after it', async () => {
    offsetMs = 0;
    const signedIn = await registerUser(timed.node.url, 'chain');
    const sit = decodeJwt(signedIn.token).sit;
    expect(typeof sit).toBe('number');

    offsetMs = 50 * 60_000;
    const second = await refresh(signedIn.token);
    expect(second.status).toBe(200);
    expect(decodeJwt(second.body.token).sit).toBe(sit);

    offsetMs = 100 * 60_000;
    const third = await refresh(second.body.token);
    expect(third.status).toBe(200);
    const claims = decodeJwt(third.body.token);
    expect(claims.sit).toBe(sit);
    // An hour from "now" would pass the chain's end: the token ends with the chain instead.
    expect(claims.exp).toBe(Number(sit) + 2 * 3600);

    // A socket with it works until then.
    const s = await connectClient(timed.node.url, third.body.token);
    s.close();

    offsetMs = 2 * HOUR + 1000;
    const past = await refresh(third.body.token);
    expect(past.status).toBe(401);
    expect(past.body.error?.code).toBe('UNAUTHORIZED');
    await expect(connectClient(timed.node.url, third.body.token)).rejects.toThrow('UNAUTHORIZED');
  });

  it('the socket refresh ends with the chain too', async () => {
    offsetMs = 0;
    const signedIn = await registerUser(timed.node.url, 'chain-socket');
    const s = await connectClient(timed.node.url, signedIn.token);
    try {
      offsetMs = 50 * 60_000;
      expect((await send(s, 'session:refresh', {})).ok).toBe(true);
      offsetMs = 2 * HOUR + 1000;
      const late = await send(s, 'session:refresh', {});
      expect(late.ok ? 'ok' : late.error.code).toBe('UNAUTHORIZED');
    } finally {
      s.close();
    }
  });

  it('a new sign-in starts a new chain', async () => {
    offsetMs = 2 * HOUR + 5000;
    const u = await registerUser(timed.node.url, 'chain-new');
    const res = await http<AuthResult>(timed.node.url, '/api/auth/login', {
      body: { email: u.user.email, password: 'password123' },
    });
    expect(res.status).toBe(200);
    offsetMs += 30 * 60_000;
    expect((await refresh(res.body.token)).status).toBe(200);
  });
});

describe('configuration', () => {
  const base = {
    MONGO_URL: 'mongodb://127.0.0.1:27017/x',
    REDIS_URL: 'redis://127.0.0.1:6379',
    AUTH_SECRET: 'a'.repeat(40),
  };

  it('defaults: 720-hour chains, verification off, links to http://HOST:PORT', () => {
    const config = parseConfig({ ...base, HOST: '0.0.0.0', PORT: '8080' });
    expect(config.sessionMaxMs).toBe(720 * 3_600_000);
    expect(config.emailVerification).toBe('off');
    expect(config.publicUrl).toBe('http://0.0.0.0:8080');
  });

  it('accepts fractions of an hour, `required`, and a PUBLIC_URL (without its trailing slash)', () => {
    const config = testConfig({
      db: 'x',
      env: { SESSION_MAX_HOURS: '0.25', EMAIL_VERIFICATION: 'required', PUBLIC_URL: 'https://rooms.example.org/' },
    });
    expect(config.sessionMaxMs).toBe(15 * 60_000);
    expect(config.emailVerification).toBe('required');
    expect(config.publicUrl).toBe('https://rooms.example.org');
  });

  it('refuses malformed values with one line naming the variable', () => {
    expect(() => parseConfig({ ...base, EMAIL_VERIFICATION: 'maybe' })).toThrow(
      /^config: EMAIL_VERIFICATION is invalid/,
    );
    expect(() => parseConfig({ ...base, SESSION_MAX_HOURS: '0' })).toThrow(/^config: SESSION_MAX_HOURS is invalid/);
    expect(() => parseConfig({ ...base, PUBLIC_URL: 'ftp://x' })).toThrow(/^config: PUBLIC_URL is invalid/);
  });
});
