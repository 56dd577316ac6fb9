/**
 * The local OpenID provider (scripts/lib/oidc-dev-provider.mjs: the certified `oidc-provider`
 * library, never a mock) in a child process on a free loopback port, and a browser's part of a
 * sign-in done by hand: each redirect followed explicitly, the provider's cookies carried in a
 * small jar (the node itself sets none), and the demo sign-in form submitted as a browser would.
 */
import { startDevProviderProcess } from '../../scripts/lib/oidc-dev';

export interface DevProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Replaces a demo person's groups claim (`dana`, `sam`). */
  setGroups(login: string, groups: string[]): Promise<void>;
  /** Destroys every grant of a demo person: the provider refuses their refresh tokens. */
  revoke(login: string): Promise<void>;
  /** Adds a person the provider knows. */
  addPerson(login: string, person: { name: string; email: string; groups: string[] }): Promise<void>;
  close(): Promise<void>;
}

export async function startDevProvider(opts: { redirectUri: string }): Promise<DevProvider> {
  const p = await startDevProviderProcess({
    redirectUris: [opts.redirectUri],
    clientId: 'booking-test',
    clientSecret: `secret-${Math.random().toString(36).slice(2)}`,
  });
  const control = async (login: string, action: string, body?: unknown) => {
    const res = await fetch(`${p.issuer}/dev/people/${login}/${action}`, {
      method: 'POST',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status !== 204) throw new Error(`dev control ${action}: ${res.status}`);
  };
  return {
    issuer: p.issuer,
    clientId: p.clientId,
    clientSecret: p.clientSecret,
    setGroups: (login, groups) => control(login, 'groups', groups),
    revoke: (login) => control(login, 'revoke'),
    addPerson: (login, person) => control(login, 'create', person),
    close: () => p.stop(),
  };
}

/** A browser without a cookie store of its own: redirects followed by hand, cookies kept by name. */
export class HandBrowser {
  private readonly jar = new Map<string, string>();

  async get(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        ...(this.jar.size ? { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair && eq > 0) this.jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
    }
    return res;
  }

  /** Follows redirects from `url` until one leaves for `stopAt` (returned, not followed) or a page answers. */
  async follow(url: string, stopAt: string): Promise<{ location: string | null; res: Response }> {
    let next = url;
    for (let hops = 0; hops < 10; hops += 1) {
      const res = await this.get(next);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { location: null, res };
      next = new URL(location, next).href;
      if (next.startsWith(stopAt)) return { location: next, res };
    }
    throw new Error('too many redirects');
  }
}

/**
 * The browser's part of a sign-in: the node's login redirect, the provider's demo sign-in form
 * (as `login`), back to the node's callback. Returns the callback URL (not yet visited).
 */
export async function signInAtProvider(
  b: HandBrowser,
  nodeUrl: string,
  login: string,
  returnTo = '/',
): Promise<string> {
  const start = await b.get(`${nodeUrl}/api/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`);
  const authorize = start.headers.get('location');
  if (start.status !== 302 || !authorize) throw new Error(`login answered ${start.status}`);
  const toForm = await b.follow(authorize, `${nodeUrl}/`);
  const page = await toForm.res.text();
  const action = /action="([^"]+)"/.exec(page)?.[1];
  if (!action) throw new Error(`no sign-in form: ${page.slice(0, 200)}`);
  const posted = await b.get(new URL(action, authorize).href, { method: 'POST', form: { login } });
  const after = posted.headers.get('location');
  if (!after) throw new Error(`sign-in form answered ${posted.status}`);
  const back = await b.follow(new URL(after, authorize).href, `${nodeUrl}/`);
  if (!back.location) throw new Error(`provider did not come back: ${back.res.status}`);
  return back.location;
}
