/**
 * The staff dashboard's picture of `npm run screenshots` (docs/screenshot-admin.png): the demo
 * Monday on the timeline with its bookings, the staged hold and offer with their expiry and the
 * waitlist's queue length, (v3) the seeded request awaiting approval on Orion, in the approvals
 * queue and counted as "Pending approvals: 1", and one of Alice's bookings selected.
 */
import type { Browser } from 'playwright-core';
import { DEMO_BOOKINGS, DEMO_HOLDS, DEMO_OFFERS, DEMO_WAITLIST } from './demo-plan';
import { awaitApprovalsQueue } from './screenshot-approval';

export async function shootAdmin(
  browser: Browser,
  admin: string,
  staff: { email: string; password: string },
  monday: string,
  out: string,
): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
  try {
    const page = await context.newPage();
    await page.goto(admin.endsWith('/') ? admin : `${admin}/`);
    await page.fill('input[name=email]', staff.email);
    await page.fill('input[name=password]', staff.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=connection].live');
    await page.fill('#day', monday);
    await page.dispatchEvent('#day', 'change');
    const mondays = DEMO_BOOKINGS.filter((b) => b.day === 0).length;
    await page
      .locator('[data-testid=booking-block]:not([data-hold]):not([data-awaiting-approval])')
      .nth(mondays - 1)
      .waitFor();
    for (const kind of ['hold', 'offer'] as const) {
      const count = (kind === 'hold' ? DEMO_HOLDS : DEMO_OFFERS).length;
      if (count > 0)
        await page
          .locator(`[data-testid=booking-block][data-hold=${kind}][data-expires-at]`)
          .nth(count - 1)
          .waitFor();
    }
    const longest = Math.max(
      0,
      ...DEMO_WAITLIST.map((w) => DEMO_WAITLIST.filter((x) => x.resource === w.resource).length),
    );
    if (longest > 0) await page.locator(`[data-testid=queue-length]:text-is("${longest} waiting")`).waitFor();
    await awaitApprovalsQueue(page);
    await page.click('[data-testid=booking-block]:not([data-hold]):not([data-awaiting-approval]):has-text("Alice")');
    await page.waitForSelector('[data-testid=selected-booking]');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: out, fullPage: true });
  } finally {
    await context.close();
  }
}
