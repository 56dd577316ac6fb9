/**
 * The booking page's account controls in a real browser (Debian's Chromium via playwright-core)
 * against two in-process nodes with EMAIL_VERIFICATION=required: the unverified notice and its
 * "Resend link", the verification link opened in the page, "Change password" (the page signs in
 * again; another tab is signed out) and "Sign out everywhere". No serious or critical axe finding.
 */
import type { Page } from 'playwright-core';
import type { AuthResult } from '@booking/shared';
import { axeViolations } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import { http, registerUser } from '../../test/support/harness';
import { useHarness } from '../../test/support/suite';
import { createEmailVerificationStore } from '../../server/src/auth/email-verification.store';
import { ensureWebBuilt } from './web-build';
import { waitFor } from '../../test/support/wait';

jest.setTimeout(90_000);

const web = useBrowserSuite({
  build: [ensureWebBuilt],
  context: { locale: 'en-GB', viewport: { width: 1280, height: 900 } },
});
const harness = useHarness({ label: 'web-account', env: { EMAIL_VERIFICATION: 'required' } });
let base: string;

beforeAll(() => {
  base = harness.node.url;
});

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(base);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
  await page.getByRole('heading', { name: 'Bookings', exact: true }).waitFor();
}

/**
 * A verification token for the user, set straight in the database the way the notifier's sender
 * claims one (the mail itself is covered by server/test/email-verification.test.ts).
 */
async function issueLink(userId: string): Promise<string> {
  const store = createEmailVerificationStore(harness.node.models.User);
  const claim = await waitFor('a claimable verification request', async () => {
    const c = await store.claim(new Date());
    return c && c.userId === userId ? c : null;
  });
  // "Mailed": the request is done, as after SMTP accepted it.
  await store.sent(claim);
  return claim.token;
}

describe('email verification on the page', () => {
  it('shows the notice with Resend link, and the link confirms the address', async () => {
    const u: AuthResult = await registerUser(base, 'unverified-page');
    const page = await web.newPage();
    await signIn(page, u.user.email, 'password123');
    const notice = page.getByRole('region', { name: 'Confirm your email address' });
    await notice.waitFor();
    expect(await axeViolations(page)).toEqual([]);

    // The first link is claimed (as the sender would), then the resend asks for another one.
    const first = await issueLink(u.user.id);
    await notice.getByRole('button', { name: 'Resend link' }).click();
    await notice.getByRole('status').filter({ hasText: 'A new link is on its way' }).waitFor();
    const resent = await harness.node.models.User.findById(u.user.id, { verifyMail: 1 }).lean();
    expect(resent?.verifyMail?.requestedAt).toBeInstanceOf(Date);
    const latest = await issueLink(u.user.id);
    expect(latest).not.toBe(first);

    // Opening the link in the page confirms the address; the fragment leaves the address bar.
    await page.goto(`${base}/#verify=${latest}`);
    await page.getByRole('status').filter({ hasText: 'Your email address is confirmed' }).waitFor();
    await expect(notice.count()).resolves.toBe(0);
    expect(new URL(page.url()).hash).toBe('');
    const doc = await harness.node.models.User.findById(u.user.id, { emailVerified: 1 }).lean();
    expect(doc?.emailVerified).toBe(true);

    // A spent link says so, by its code.
    await page.goto(`${base}/#verify=${first}`);
    await page.getByRole('status').filter({ hasText: 'unknown, used or expired' }).waitFor();
  });

  it('Resend link says when the hourly limit is reached', async () => {
    const u = await registerUser(base, 'resend-page');
    const page = await web.newPage();
    await signIn(page, u.user.email, 'password123');
    const notice = page.getByRole('region', { name: 'Confirm your email address' });
    for (let i = 0; i < 5; i += 1) {
      await notice.getByRole('button', { name: 'Resend link' }).click();
      await notice.getByRole('status').filter({ hasText: 'A new link is on its way' }).waitFor();
      await page.waitForFunction(() => !document.querySelector('.banner.verify button')?.hasAttribute('disabled'));
    }
    await notice.getByRole('button', { name: 'Resend link' }).click();
    await notice.getByRole('status').filter({ hasText: 'Please wait a while' }).waitFor();
  });
});

describe('account controls', () => {
  it('Change password keeps this page signed in with the new password and signs out another tab', async () => {
    const u = await registerUser(base, 'pw-page');
    const page = await web.newPage();
    const other = await web.newPage();
    await signIn(page, u.user.email, 'password123');
    await signIn(other, u.user.email, 'password123');

    const form = page.getByRole('form', { name: 'Change password' });
    await form.getByLabel('Current password').fill('wrong-password');
    await form.getByLabel('New password').fill('brand-new-password');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByRole('alert').filter({ hasText: 'The current password is not right.' }).waitFor();

    await form.getByLabel('Current password').fill('password123');
    await form.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Password changed' }).waitFor();
    await page.getByRole('heading', { name: 'Bookings', exact: true }).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    // The other tab's socket is cut and its token refused: it is back at the sign-in form.
    await other.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    // Only the new password works now.
    expect(
      (await http(base, '/api/auth/login', { body: { email: u.user.email, password: 'password123' } })).status,
    ).toBe(401);
    expect(
      (await http(base, '/api/auth/login', { body: { email: u.user.email, password: 'brand-new-password' } })).status,
    ).toBe(200);
    // This page goes on: its stored session is a working one.
    await page.reload();
    await page.getByRole('heading', { name: 'Bookings', exact: true }).waitFor();
  });

  it('Sign out everywhere signs out this page and another tab', async () => {
    const u = await registerUser(base, 'everywhere-page');
    const page = await web.newPage();
    const other = await web.newPage();
    await signIn(page, u.user.email, 'password123');
    await signIn(other, u.user.email, 'password123');
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByRole('status').filter({ hasText: 'signed out everywhere' }).waitFor();
    await other.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });
});
