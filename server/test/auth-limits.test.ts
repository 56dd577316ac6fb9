/**
 * Login and register throttling at the real numbers of docs/protocol.md (every other suite raises the
 * per-address limits, since all tests come from 127.0.0.1), and a login flood that must not
 * starve the node: password hashes run at most two at a time, so the libuv pool stays free for
 * everything else.
 */
import { request } from 'node:http';
import { http, registerUser, startHarness } from '../../test/support/harness';
import type { Harness } from '../../test/support/harness';
import { createUsers } from '../../test/support/users';
import { HASH_QUEUE_LIMIT } from '../src/auth/password';

const post = (base: string, path: string, body: unknown) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('login limits at the contract’s numbers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      label: 'loginlimits',
      env: { LOGIN_LIMIT_PER_ADDRESS: '30', REGISTER_LIMIT_PER_ADDRESS: '300' },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('10 wrong passwords for one email are 401, the 11th is 429 RATE_LIMITED with Retry-After', async () => {
    const [u] = await createUsers(h.node, { count: 1, label: 'victim' });
    if (!u) throw new Error('no user');
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1)
      statuses.push(
        (await post(h.node.url, '/api/auth/login', { email: u.user.email, password: `wrong-${i}` })).status,
      );
    expect(statuses).toEqual(Array(10).fill(401));
    const eleventh = await post(h.node.url, '/api/auth/login', { email: u.user.email, password: 'wrong-again' });
    expect(eleventh.status).toBe(429);
    expect(await eleventh.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    const retryAfter = Number(eleventh.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Even the right password waits now; another email from the same address does not.
    expect((await post(h.node.url, '/api/auth/login', { email: u.user.email, password: 'password123' })).status).toBe(
      429,
    );
    const [other] = await createUsers(h.node, { count: 1, label: 'bystander' });
    expect(
      (await post(h.node.url, '/api/auth/login', { email: other?.user.email, password: 'password123' })).status,
    ).toBe(200);
  });

  it('successful logins do not add up, and 30 failed ones from one address block the address', async () => {
    const [u] = await createUsers(h.node, { count: 1, label: 'regular' });
    for (let i = 0; i < 12; i += 1)
      expect(
        (await post(h.node.url, '/api/auth/login', { email: u?.user.email, password: 'password123' })).status,
      ).toBe(200);
    // The first test spent 12 of this address's 30 (its two 429s took none); fail until blocked.
    const statuses: number[] = [];
    for (let i = 0; i < 25 && statuses.at(-1) !== 429; i += 1) {
      statuses.push(
        (await post(h.node.url, '/api/auth/login', { email: `nobody-${i}@example.com`, password: 'password123' }))
          .status,
      );
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((s) => s === 401).length).toBe(30 - 12);
    const blocked = await post(h.node.url, '/api/auth/login', { email: u?.user.email, password: 'password123' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('register limit', () => {
  it('answers 429 past the per-address number (3 here, 300 by default)', async () => {
    const h = await startHarness({ label: 'reglimits', env: { REGISTER_LIMIT_PER_ADDRESS: '3' } });
    try {
      for (let i = 0; i < 3; i += 1) await registerUser(h.node.url, 'limited');
      const res = await http<{ error: { code: string } }>(h.node.url, '/api/auth/register', {
        body: { name: 'x', email: 'fourth@example.com', password: 'password123' },
      });
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe('RATE_LIMITED');
      expect(await h.node.models.User.countDocuments({ email: 'fourth@example.com' })).toBe(0);
    } finally {
      await h.close();
    }
  });
});

describe('a login flood', () => {
  it('200 logins at once: each gets an answer (200, 401, or 429 with Retry-After past the hash queue), /healthz answers throughout', async () => {
    // Limits out of the way (the test env's), so every one of the 200 reaches the hash queue: the worst case.
    const h = await startHarness({ label: 'loginflood' });
    try {
      const users = await createUsers(h.node, { count: 20, label: 'flood' });
      const quiet: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const t = performance.now();
        expect((await fetch(`${h.node.url}/healthz`)).status).toBe(200);
        quiet.push(performance.now() - t);
      }
      const floodStarted = performance.now();
      let floodDone = false;
      // A reset or a dropped connection is recorded as such (never thrown past the other answers).
      const flood = Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          post(h.node.url, '/api/auth/login', {
            email: users[i % users.length]?.user.email,
            password: i % 2 === 0 ? 'password123' : 'wrong-password',
          }).then(
            async (r) => ({
              i,
              status: r.status,
              retryAfter: r.headers.get('retry-after'),
              code: r.status === 200 ? null : ((await r.json()) as { error: { code: string } }).error.code,
            }),
            (err: unknown) => ({
              i,
              status: 0,
              retryAfter: null,
              code: `network: ${String((err as { cause?: unknown }).cause ?? err)}`,
            }),
          ),
        ),
      ).finally(() => (floodDone = true));
      const during: number[] = [];
      // Probe /healthz while the flood runs (bounded: at most 100 probes).
      while (!floodDone && during.length < 100) {
        const t = performance.now();
        const res = await fetch(`${h.node.url}/healthz`, { signal: AbortSignal.timeout(5000) });
        expect(res.status).toBe(200);
        during.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 20));
      }
      const answers = await flood;
      const floodMs = performance.now() - floodStarted;
      const sorted = [...during].sort((a, b) => a - b);
      const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
      const count = (status: number) => answers.filter((a) => a.status === status).length;
      console.log(
        `login flood: 200 logins in ${floodMs.toFixed(0)} ms (${count(200)} ok, ${count(401)} 401, ` +
          `${count(429)} 429 past the hash queue of ${HASH_QUEUE_LIMIT}); ` +
          `/healthz quiet max ${Math.max(...quiet).toFixed(1)} ms; during the flood ${during.length} probes, ` +
          `p50 ${pct(50).toFixed(1)} ms, p95 ${pct(95).toFixed(1)} ms, max ${Math.max(...during).toFixed(1)} ms`,
      );
      // Every login has an answer: no reset, no dropped connection, no 5xx.
      expect(answers.filter((a) => ![200, 401, 429].includes(a.status))).toEqual([]);
      // Those admitted to the hash queue were judged right; those past it were told when to come back.
      for (const a of answers) {
        if (a.status === 200) expect(a.i % 2).toBe(0);
        if (a.status === 401) expect([a.i % 2, a.code]).toEqual([1, 'INVALID_CREDENTIALS']);
        if (a.status === 429) {
          expect(a.code).toBe('RATE_LIMITED');
          expect(Number(a.retryAfter)).toBeGreaterThan(0);
        }
      }
      // The queue admits at least its length (plus the running hashes), and refuses the rest of a burst.
      expect(count(200) + count(401)).toBeGreaterThanOrEqual(HASH_QUEUE_LIMIT);
      expect(count(429)).toBeGreaterThan(0);
      expect(during.length).toBeGreaterThan(0);
      // Generous, for a loaded 2-core machine; the figure above is the one to read.
      expect(Math.max(...during)).toBeLessThan(2000);
      // After the flood, a person signs in as usual.
      expect(
        (await post(h.node.url, '/api/auth/login', { email: users[0]?.user.email, password: 'password123' })).status,
      ).toBe(200);
    } finally {
      await h.close();
    }
  });
});

/** A login sent from the local address `from` (any of 127/8 works on Linux), with an X-Forwarded-For of its choosing. */
function loginFrom(base: string, from: string, forwardedFor: string, email: string): Promise<number> {
  const url = new URL('/api/auth/login', base);
  const body = JSON.stringify({ email, password: 'wrong-password' });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: from,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-forwarded-for': forwardedFor,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('TRUSTED_PROXIES: whose X-Forwarded-For is believed', () => {
  let h: Harness;
  beforeAll(async () => {
    // The gateway is 127.0.0.1; 127.0.0.2 stands for a client that reaches the node directly.
    h = await startHarness({
      label: 'trustedproxies',
      env: { TRUSTED_PROXIES: '127.0.0.1', LOGIN_LIMIT_PER_ADDRESS: '3' },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a client that is not a listed gateway cannot escape the per-address limit by inventing addresses', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1)
      statuses.push(await loginFrom(h.node.url, '127.0.0.2', `203.0.113.${i + 1}`, `spoof-${i}@example.com`));
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('the listed gateway’s header is believed: each forwarded client has a budget of its own', async () => {
    const distinct: number[] = [];
    for (let i = 0; i < 4; i += 1)
      distinct.push(await loginFrom(h.node.url, '127.0.0.1', `198.51.100.${i + 1}`, `fwd-${i}@example.com`));
    expect(distinct).toEqual([401, 401, 401, 401]);
    const same: number[] = [];
    for (let i = 0; i < 4; i += 1)
      same.push(await loginFrom(h.node.url, '127.0.0.1', '198.51.100.200', `same-${i}@example.com`));
    expect(same).toEqual([401, 401, 401, 429]);
  });
});
