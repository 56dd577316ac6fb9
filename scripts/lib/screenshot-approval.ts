/**
 * The approval pictures of `npm run screenshots` (issue 26). The seed has made Orion, a room whose
 * bookings wait for its approver (DEMO_APPROVAL), and Bob's request on it on the demo Monday.
 * docs/screenshot-approval.png is the booking page as the approver opens it from the approval
 * email's link (`#approvals`): the request in the Approvals list with Approve and Decline, and
 * Orion's demo Monday on the grid beside it, where the request holds its time, "Awaiting
 * approval". The staff dashboard's picture waits for the same request in its approvals queue and
 * for "Pending approvals: 1" (awaitApprovalsQueue). Nothing is decided: the request stays for the
 * person trying the demo.
 */
import type { Browser, Page } from 'playwright-core';
import type { Resource } from '@booking/shared';
import { openResource } from './booking-page';
import { DEMO_APPROVAL, DEMO_PEOPLE, bookingTimes } from './demo-plan';

/** The seeded requests the pictures show: the demo's one. */
const REQUESTS = 1;

export async function shootApproval(browser: Browser, base: string, monday: string, resource: Resource, out: string) {
  const { approver, request } = DEMO_APPROVAL;
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: resource.timeZone,
  });
  try {
    const page = await context.newPage();
    await openResource(page, base, approver, resource, monday, 'Day', '#approvals');
    const approvals = page.getByRole('region', { name: 'Approvals' });
    const listed = approvals.getByRole('list', { name: 'Requests awaiting your decision' }).locator('li');
    await listed.filter({ hasText: DEMO_PEOPLE[request.person].name }).waitFor();
    await approvals
      .getByRole('button', { name: new RegExp(`^Approve ${DEMO_PEOPLE[request.person].name}: `) })
      .waitFor();
    if ((await listed.count()) !== REQUESTS)
      throw new Error(`the Approvals list holds ${await listed.count()} requests`);
    // The request holds its time on the grid: each of its cells says it awaits approval.
    const { start } = bookingTimes(request, monday, resource.timeZone);
    await page.locator(`[role=gridcell][data-start="${start}"][data-pending="true"]`).waitFor();
    await page.mouse.move(0, 0);
    // The top of the page: the grid with the request and the Approvals list beside it (the side
    // column's first section), not the rest of the side column below them.
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    const main = await page.locator('main.panel').boundingBox();
    const list = await approvals.boundingBox();
    if (!main || !list) throw new Error('the grid or the Approvals list is not on the page');
    const bottom = Math.max(main.y + main.height, list.y + list.height) + 12;
    await page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.ceil(bottom) } });
  } finally {
    await context.close();
  }
}

/** On the staff dashboard: the seeded request in the approvals queue, on Orion's timeline, and counted in the stats. */
export async function awaitApprovalsQueue(page: Page): Promise<void> {
  const who = DEMO_PEOPLE[DEMO_APPROVAL.request.person].name;
  await page.locator('[data-testid=approval-request]').filter({ hasText: who }).first().waitFor();
  await page.locator(`[data-testid=approvals-count]:text-is("${REQUESTS} waiting")`).waitFor();
  await page.locator(`[data-testid=stat-pending-approvals]:text-is("${REQUESTS}")`).waitFor();
  await page.locator('[data-testid=booking-block][data-awaiting-approval]').filter({ hasText: who }).waitFor();
}
