/**
 * Single sign-on end to end (docs/protocol.md "Single sign-on"): the real `oidc-provider` in a child
 * process on loopback (test/support/oidc-provider.ts), a node configured for it with
 * AUTH_PASSWORD=off, and a browser's part done by hand (redirects followed explicitly, the
 * provider's cookies carried, its demo sign-in form submitted). The node's clock is injected so an
 * exchange code can be shown to age past 60 s.
 */
import type { AuthResult, Group } from '@booking/shared';
import { freePort } from '../../scripts/lib/net';
import { connectAdmin, http, loginStaff, sendAdmin, startHarness } from '../../test/support/harness';
import type { Harness } from '../../test/support/harness';
import { HandBrowser, signInAtProvider, startDevProvider } from '../../test/support/oidc-provider';
import type { DevProvider } from '../../test/support/oidc-provider';
import { testConfig } from '../../test/support/env';
import { waitFor } from '../../test/support/wait';
import { spawnServerProcess } from '../../test/support/spawn';
import { startNode } from '../src/app';
import { safeReturnTo, ssoLocale } from '../src/auth/oidc.service';
import { ConfigError, parseConfig } from '../src/infra/config';

describe('single sign-on against a real OpenID provider', () => {
  let h: Harness;
  let provider: DevProvider;
  let url: string;
  let offsetMs = 0;
  let engineering: Group;

  /** A full sign-in as a demo person: returns the callback's redirect and the exchange's answer. */
  const signIn = async (login: string) => {
    const callback = await signInAtProvider(new HandBrowser(), url, login, '/book?day=1');
    const res = await fetch(callback, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = res.headers.get('location') ?? '';
    const code = /^\/book\?day=1#signin=([\w-]+)$/.exec(location)?.[1];
    expect(code).toBeDefined();
    const exchanged = await http<AuthResult>(url, '/api/auth/oidc/exchange', { body: { code } });
    expect(exchanged.status).toBe(200);
    return { code: code ?? '', result: exchanged.body };
  };

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    provider = await startDevProvider({ redirectUri: `${url}/api/auth/oidc/callback` });
    h = await startHarness({
      label: 'oidc',
      env: {
        PORT: String(port),
        AUTH_PASSWORD: 'off',
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: provider.clientId,
        OIDC_CLIENT_SECRET: provider.clientSecret,
        OIDC_STAFF_GROUPS: 'facilities-staff, other-admins',
        OIDC_NAME: 'Demo directory',
      },
      node: { clock: { now: () => new Date(Date.now() + offsetMs) } },
    });
    const staff = await loginStaff(url);
    const admin = await connectAdmin(url, staff.token);
    const created = await sendAdmin(admin, 'group:create', { name: 'Engineering', externalId: 'engineering' });
    admin.close();
    if (!created.ok) throw new Error(created.error.message);
    engineering = created.data.group;
  });
  afterAll(async () => {
    await h?.close();
    await provider?.close();
  });

  it('shows which buttons to show, and password sign-in is off except for the STAFF_EMAIL account', async () => {
    expect(await http(url, '/api/auth/config')).toEqual({
      status: 200,
      body: { password: false, oidc: { name: 'Demo directory' } },
    });
    const register = await http<{ error: { code: string } }>(url, '/api/auth/register', {
      body: { name: 'Eve', email: 'eve@example.com', password: 'password123' },
    });
    expect([register.status, register.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const login = await http<{ error: { code: string } }>(url, '/api/auth/login', {
      body: { email: 'dana@example.test', password: 'password123' },
    });
    expect([login.status, login.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await loginStaff(url)).user.role).toBe('staff');
  });

  it('creates a new person with groups from the claim; a returning one is the same user with groups updated', async () => {
    await provider.setGroups('dana', ['engineering', 'unknown-group']);
    const first = (await signIn('dana')).result;
    expect(first.user).toMatchObject({ name: 'Dana Demo', email: 'dana@example.test', role: 'user' });
    expect(first.user.groups).toEqual([engineering.id]);
    expect((await http(url, '/api/auth/refresh', { method: 'POST', token: first.token })).status).toBe(200);

    await provider.setGroups('dana', []);
    const again = (await signIn('dana')).result;
    expect(again.user.id).toBe(first.user.id);
    expect(again.user.groups).toEqual([]);
    // The groups changed: the first session's token no longer works.
    expect((await http(url, '/api/auth/refresh', { method: 'POST', token: first.token })).status).toBe(401);
  });

  it('refuses a tampered or replayed state with a 400 page, a replayed code and a code older than 60 s with 401', async () => {
    await provider.setGroups('dana', ['engineering']);
    const start = await fetch(`${url}/api/auth/oidc/login?returnTo=https://evil.example/`, { redirect: 'manual' });
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${provider.issuer}/auth`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      state: expect.any(String),
      nonce: expect.any(String),
      scope: 'openid email profile offline_access',
    });
    const callback = await signInAtProvider(new HandBrowser(), url, 'dana');
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${tampered.searchParams.get('state') ?? ''}x`);
    const bad = await fetch(tampered, { redirect: 'manual' });
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toMatch(/<p>[^<]*sign in again\.<\/p>/);
    expect(page).not.toMatch(/at .*\.(ts|js):\d+/);

    const good = await fetch(callback, { redirect: 'manual' });
    expect(good.status).toBe(302);
    expect((await fetch(callback, { redirect: 'manual' })).status).toBe(400);
    const code = /#signin=([\w-]+)$/.exec(good.headers.get('location') ?? '')?.[1];
    expect((await http(url, '/api/auth/oidc/exchange', { body: { code } })).status).toBe(200);
    expect((await http(url, '/api/auth/oidc/exchange', { body: { code } })).status).toBe(401);

    const late = await fetch(await signInAtProvider(new HandBrowser(), url, 'dana'), { redirect: 'manual' });
    const lateCode = /#signin=([\w-]+)$/.exec(late.headers.get('location') ?? '')?.[1];
    offsetMs += 61_000;
    const expired = await http<{ error: { code: string } }>(url, '/api/auth/oidc/exchange', {
      body: { code: lateCode },
    });
    expect([expired.status, expired.body.error.code]).toEqual([401, 'UNAUTHORIZED']);
  });

  it('a group removed at the provider takes staff away at the next refresh and closes the /admin socket', async () => {
    await provider.setGroups('sam', ['facilities-staff']);
    const sam = (await signIn('sam')).result;
    expect(sam.user.role).toBe('staff');
    const admin = await connectAdmin(url, sam.token);
    const closed = new Promise<number>((resolve) => admin.once('disconnect', () => resolve(Date.now())));

    await provider.setGroups('sam', ['engineering']);
    const refreshed = await http<AuthResult>(url, '/api/auth/refresh', { method: 'POST', token: sam.token });
    const refreshedAt = Date.now();
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.user).toMatchObject({ id: sam.user.id, role: 'user', groups: [engineering.id] });
    expect((await closed) - refreshedAt).toBeLessThan(5000);
    await expect(connectAdmin(url, refreshed.body.token)).rejects.toThrow();
    expect((await http(url, '/api/auth/refresh', { method: 'POST', token: sam.token })).status).toBe(401);
  });

  it('a refresh the provider refuses ends the session: 401 and the sockets closed (HTTP and session:refresh)', async () => {
    await provider.setGroups('sam', ['facilities-staff']);
    const viaHttp = (await signIn('sam')).result;
    const admin = await connectAdmin(url, viaHttp.token);
    await provider.revoke('sam');
    const refused = await http<{ error: { code: string } }>(url, '/api/auth/refresh', {
      method: 'POST',
      token: viaHttp.token,
    });
    expect([refused.status, refused.body.error.code]).toEqual([401, 'UNAUTHORIZED']);
    await waitFor('the /admin socket closed', () => admin.disconnected, 5000);
    expect((await http(url, '/api/auth/refresh', { method: 'POST', token: viaHttp.token })).status).toBe(401);

    // The socket's own refresh asks the provider the same way.
    const viaSocket = (await signIn('sam')).result;
    const again = await connectAdmin(url, viaSocket.token);
    await provider.revoke('sam');
    expect(await sendAdmin(again, 'session:refresh', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    await waitFor('the second /admin socket closed', () => again.disconnected, 5000);
    expect((await http(url, '/api/auth/refresh', { method: 'POST', token: viaSocket.token })).status).toBe(401);
  });

  it('links a password account by a verified email, but never the STAFF_EMAIL break-glass account', async () => {
    const pat = await h.node.data.users.insert({
      name: 'Pat',
      email: 'pat@example.test',
      passwordHash: 'x',
      role: 'user',
    });
    await provider.addPerson('pat', { name: 'Pat Provider', email: 'Pat@example.test', groups: ['engineering'] });
    const linked = (await signIn('pat')).result;
    expect(linked.user).toMatchObject({ id: pat._id.toHexString(), groups: [engineering.id] });

    await provider.addPerson('mallory', { name: 'Mallory', email: 'staff@example.com', groups: [] });
    const refused = await fetch(await signInAtProvider(new HandBrowser(), url, 'mallory'), { redirect: 'manual' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('An account with this email exists already');
    expect((await loginStaff(url)).user.role).toBe('staff');
  });

  it('(v3) a new person’s language: the provider’s locale claim if ours, else the callback’s Accept-Language', async () => {
    await provider.addPerson('lena', { name: 'Lena', email: 'lena@example.test', groups: [] });
    const callback = await signInAtProvider(new HandBrowser(), url, 'lena', '/');
    const res = await fetch(callback, {
      redirect: 'manual',
      headers: { 'accept-language': 'de-AT,de;q=0.9,en;q=0.5' },
    });
    const code = /#signin=([\w-]+)$/.exec(res.headers.get('location') ?? '')?.[1];
    const lena = await http<AuthResult>(url, '/api/auth/oidc/exchange', { body: { code } });
    expect(lena.body.user).toMatchObject({ name: 'Lena', locale: 'de' });
    // The claim first (any casing or separator), then the header, then English.
    expect([
      ssoLocale('fr-CA', 'de'),
      ssoLocale('es_ES', undefined),
      ssoLocale('it', 'es'),
      ssoLocale(7, undefined),
    ]).toEqual(['fr', 'es', 'es', 'en']);
    // A failed sign-in's page speaks the browser's language.
    await provider.addPerson('mallory-fr', { name: 'Mallory', email: 'staff@example.com', groups: [] });
    const refused = await fetch(await signInAtProvider(new HandBrowser(), url, 'mallory-fr'), {
      redirect: 'manual',
      headers: { 'accept-language': 'fr' },
    });
    expect(refused.status).toBe(409);
    const page = await refused.text();
    expect(page).toContain('<html lang="fr">');
    expect(page).toContain('Échec de la connexion');
    expect(page).toContain('Un compte existe déjà avec cette adresse e-mail');
  });

  it('keeps returnTo to paths of this site', () => {
    expect(['/a?b=1', 'https://evil.example/', '//evil.example', '/\\evil', 'x', 7].map(safeReturnTo)).toEqual([
      '/a?b=1',
      '/',
      '/',
      '/',
      '/',
      '/',
    ]);
  });
});

describe('a misconfigured single sign-on stops the start with one line', () => {
  const base = { MONGO_URL: 'mongodb://127.0.0.1:1/x', REDIS_URL: 'redis://127.0.0.1:1', AUTH_SECRET: 'x'.repeat(40) };
  const lineOf = (env: Record<string, string>): string => {
    try {
      parseConfig({ ...base, ...env });
    } catch (err) {
      if (err instanceof ConfigError) return err.message;
    }
    return 'accepted';
  };

  it('names what is wrong in the environment', () => {
    expect(lineOf({ OIDC_ISSUER: 'http://127.0.0.1:9/' })).toBe(
      'config: OIDC_CLIENT_ID is invalid: is required when OIDC_ISSUER is set',
    );
    expect(lineOf({ OIDC_ISSUER: 'http://127.0.0.1:9/', OIDC_CLIENT_ID: 'c' })).toMatch(/^config: OIDC_CLIENT_SECRET /);
    expect(lineOf({ OIDC_CLIENT_ID: 'c' })).toMatch(/^config: OIDC_ISSUER /);
    expect(lineOf({ AUTH_PASSWORD: 'off' })).toMatch(
      /^config: AUTH_PASSWORD is invalid: off needs OIDC_ISSUER or STAFF_EMAIL/,
    );
    expect(lineOf({ AUTH_PASSWORD: 'off', STAFF_EMAIL: 's@example.com' })).toBe('accepted');
  });

  it('the node process itself exits at once with that one line', async () => {
    const env = { ...base, AUTH_PASSWORD: 'off', OIDC_CLIENT_SECRET: 's' };
    const node = await spawnServerProcess({ kind: 'node', bareEnv: true, env, waitReady: false });
    const exit = await node.exited;
    expect(exit.code).toBe(78);
    expect(
      node
        .lines()
        .filter((l) => l.stream === 'err' && l.line.trim() !== '')
        .map((l) => l.line),
    ).toEqual(['config: OIDC_ISSUER is invalid: is required when OIDC_CLIENT_ID or OIDC_CLIENT_SECRET is set']);
  });

  it('a provider that cannot be discovered fails the start naming OIDC_ISSUER', async () => {
    const issuer = `http://127.0.0.1:${await freePort()}`;
    const config = testConfig({
      db: 'oidc-misconfigured',
      env: { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 's' },
    });
    const failed = await startNode({ config }).then(
      () => 'started',
      (err: Error) => err.message,
    );
    expect(failed).toMatch(new RegExp(`^config: OIDC_ISSUER discovery at ${issuer} failed: [^\\n]+$`));
  });
});
