/**
 * A dashboard page signed in as the harness's staff account (`staff@example.com`), live: what
 * the panel tests start from. `newPage` is the browser suite's (`useBrowserSuite().newPage`).
 */
import type { Page } from 'playwright-core';

export async function openStaffDashboard(newPage: () => Promise<Page>, serverUrl: string): Promise<Page> {
  const page = await newPage();
  await page.goto(`${serverUrl}/admin/`);
  await page.fill('input[name=email]', 'staff@example.com');
  await page.fill('input[name=password]', 'staff-password');
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=connection].live');
  return page;
}
