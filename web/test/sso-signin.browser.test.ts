/**
 * Single sign-on in a real browser (Debian's Chromium via playwright-core) through the REAL local
 * provider (scripts/lib/oidc-dev-provider.mjs: the certified `oidc-provider` library in a child
 * process on loopback, never a mock), against an in-process node configured for it:
 * - the booking page shows "Sign in with Demo" beside the password form (axe clean); the button
 *   goes to the provider, the demo person is chosen there, and the page comes back signed in with
 *   the `#signin=` code gone from the address; the same code opened again is refused with its
 *   sentence;
 * - the dashboard signs staff in the same way (a staff group at the provider), and refuses a
 *   person who is not staff;
 * - with AUTH_PASSWORD=off the page offers the button only: no password form, no registration;
 *   the dashboard keeps the break-glass staff account's form folded away.
 */
import type { Page } from 'playwright-core';
import { singleSignOnSentences } from '@booking/client';
import type { AuthResult } from '@booking/shared';
import { freePort } from '../../scripts/lib/net';
import { axeViolations } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import { startDevProvider } from '../../test/support/oidc-provider';
import type { DevProvider } from '../../test/support/oidc-provider';
import { useHarness } from '../../test/support/suite';
import { ensureRendererBuilt } from '../../admin-desktop/test/support/admin-build';
import { ensureWebBuilt } from './web-build';

jest.setTimeout(60_000);

const web = useBrowserSuite({
  build: [ensureWebBuilt, ensureRendererBuilt],
  context: { locale: 'en-GB', viewport: { width: 1280, height: 900 } },
  timeoutMs: 90_000,
});

let provider: DevProvider | undefined;
let port = 0;
beforeAll(async () => {
  // The node's address is known before it starts: the provider must accept its callback.
  port = await freePort();
  provider = await startDevProvider({ redirectUri: `http://127.0.0.1:${port}/api/auth/oidc/callback` });
});
afterAll(async () => {
  await provider?.close();
});

const oidcEnv = (): Record<string, string> => {
  if (!provider) throw new Error('the provider starts first');
  return {
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: provider.clientId,
    OIDC_CLIENT_SECRET: provider.clientSecret,
    OIDC_STAFF_GROUPS: 'facilities-staff',
    OIDC_NAME: 'Demo',
  };
};
const node = useHarness(() => ({
  label: 'web-sso',
  env: { ...oidcEnv(), PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` },
}));
const noPassword = useHarness(() => ({ label: 'web-sso-off', env: { ...oidcEnv(), AUTH_PASSWORD: 'off' } }));

/**
 * Clicks "Sign in with Demo" and picks `person` on the provider's demo page; answers the address
 * the node's callback sent the browser back to (with its `#signin=` code).
 */
async function signInThroughProvider(page: Page, person: RegExp): Promise<string> {
  await page.getByRole('button', { name: 'Sign in with Demo' }).click();
  await page.getByRole('heading', { name: 'Demo sign-in (local provider)' }).waitFor();
  expect(new URL(page.url()).origin).toBe(provider?.issuer);
  // The callback is a hop of the provider's redirect chain: its answer is read, not intercepted.
  const callback = page.waitForResponse((r) => r.url().startsWith(`http://127.0.0.1:${port}/api/auth/oidc/callback`));
  await page.getByRole('button', { name: person }).click();
  const back = (await callback).headers()['location'];
  if (!back) throw new Error('the callback sent the browser nowhere');
  await page.waitForURL((url) => url.origin === `http://127.0.0.1:${port}` && !url.pathname.startsWith('/api/'));
  return back;
}

const storedAuth = (page: Page): Promise<AuthResult | null> =>
  page.evaluate(() => JSON.parse(localStorage.getItem('booking.auth') ?? 'null') as AuthResult | null);

describe('the booking page', () => {
  it('signs in through the provider, drops the code from the address, and refuses it a second time', async () => {
    const base = node.node.url;
    const page = await web.newPage();
    await page.goto(base);
    await page.getByRole('button', { name: 'Sign in with Demo' }).waitFor();
    // Password sign-in is on too: the form and registration are offered beside the button.
    await page.getByLabel('Email').waitFor();
    await page.getByRole('button', { name: 'Create account' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    const back = await signInThroughProvider(page, /Dana Demo/);
    expect(back).toMatch(/^\/#signin=[A-Za-z0-9._~-]+$/);
    await page.getByRole('heading', { name: 'Bookings', exact: true }).waitFor();
    expect(new URL(page.url()).hash).toBe('');
    const auth = await storedAuth(page);
    expect(auth?.user).toMatchObject({ name: 'Dana Demo', email: 'dana@example.test', role: 'user' });

    // The code works once: opened again (another tab), it is refused and said so.
    const again = await web.newPage();
    await again.goto(`${base}${back}`);
    await again.getByRole('status').filter({ hasText: singleSignOnSentences.codeSpent }).waitFor();
    expect(new URL(again.url()).hash).toBe('');
    expect(await storedAuth(again)).toBeNull();
    await again.getByRole('button', { name: 'Sign in with Demo' }).waitFor();
  });

  it('with AUTH_PASSWORD=off offers single sign-on only', async () => {
    const page = await web.newPage();
    await page.goto(noPassword.node.url);
    await page.getByRole('button', { name: 'Sign in with Demo' }).waitFor();
    expect(await page.getByLabel('Email').count()).toBe(0);
    expect(await page.getByLabel('Password').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Create account' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe('the dashboard', () => {
  it('signs staff in through the provider and refuses a person who is not staff', async () => {
    const base = node.node.url;
    const dana = await web.newPage();
    await dana.goto(`${base}/admin/`);
    const back = await signInThroughProvider(dana, /Dana Demo/);
    expect(back).toMatch(/^\/admin\/#signin=/);
    await dana.getByRole('alert').filter({ hasText: 'This account is not staff.' }).waitFor();
    expect(new URL(dana.url()).hash).toBe('');

    const sam = await web.newPage();
    await sam.goto(`${base}/admin/`);
    expect(await axeViolations(sam)).toEqual([]);
    await signInThroughProvider(sam, /Sam Staffer/);
    await sam.waitForSelector('[data-testid=connection].live');
    expect(new URL(sam.url()).hash).toBe('');
  });

  it('with AUTH_PASSWORD=off keeps the emergency staff account folded under the button', async () => {
    const page = await web.newPage();
    await page.goto(`${noPassword.node.url}/admin/`);
    await page.getByRole('button', { name: 'Sign in with Demo' }).waitFor();
    expect(await page.isVisible('input[name=email]')).toBe(false);
    await page.locator('summary', { hasText: 'Emergency staff account' }).click();
    await page.getByText(singleSignOnSentences.emergencyOnly).waitFor();
    await page.fill('input[name=email]', 'staff@example.com');
    await page.fill('input[name=password]', 'staff-password');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=connection].live');
  });
});
