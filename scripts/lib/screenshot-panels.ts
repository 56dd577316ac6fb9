/**
 * (v3) Two of the staff dashboard's panels as pictures of `npm run screenshots`:
 * docs/screenshot-reports.png, the reports of the demo week (utilisation and no-show bars per
 * resource, and the weekday × hour heatmap of the busiest resource), and
 * docs/screenshot-access.png, who may see, book and manage the seeded Engineering lab.
 */
import type { Browser, Page } from 'playwright-core';
import { DEMO_ACCESS } from './demo-plan';

/** The resource the heatmap shows: the pool the demo week fills most. */
const HEATMAP_RESOURCE = 'Hot desks';

async function signedIn(page: Page, admin: string, staff: { email: string; password: string }): Promise<void> {
  await page.goto(admin.endsWith('/') ? admin : `${admin}/`);
  await page.fill('input[name=email]', staff.email);
  await page.fill('input[name=password]', staff.password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=connection].live');
}

export async function shootPanels(
  browser: Browser,
  admin: string,
  staff: { email: string; password: string },
  monday: string,
  out: { reports: string; access: string },
): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
  try {
    const page = await context.newPage();
    await signedIn(page, admin, staff);
    // The demo week: Monday to Sunday (the panel's range is whole UTC days, both included).
    const sunday = new Date(Date.parse(`${monday}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
    const reports = page.locator('#reports-panel');
    await reports.locator('input[name=from]').fill(monday);
    await reports.locator('input[name=to]').fill(sunday);
    await reports.getByRole('button', { name: 'Show reports' }).click();
    await reports
      .getByRole('status')
      .filter({ hasText: /^Reports for / })
      .waitFor();
    await reports.locator('select[name=heatmap-resource]').selectOption({ label: HEATMAP_RESOURCE });
    await reports
      .getByRole('img', { name: new RegExp(HEATMAP_RESOURCE) })
      .first()
      .waitFor();
    await page.mouse.move(0, 0);
    await reports.screenshot({ path: out.reports });

    const access = page.locator('#access-panel');
    await access
      .locator('[data-testid=access-resource]')
      .selectOption({ label: `${DEMO_ACCESS.hidden.resource} (room)` });
    await access
      .locator('[data-testid=access-current]')
      .filter({ hasText: /Engineering/ })
      .waitFor();
    await page.locator('#access-editor').screenshot({ path: out.access });
  } finally {
    await context.close();
  }
}
