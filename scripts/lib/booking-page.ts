/**
 * Driving the booking page for `npm run screenshots`: signing a demo person in and opening a
 * resource on the demo day or week, as a person would (the labels and roles the page shows).
 */
import type { Page } from 'playwright-core';
import type { Resource } from '@booking/shared';
import { DEMO_PASSWORD, DEMO_PEOPLE } from './demo-plan';
import type { DemoPerson } from './demo-plan';

/**
 * Signs a demo person in on the booking page (opened at `hash`, e.g. `#approvals`, when given) and
 * opens a resource on the demo day or week.
 */
export async function openResource(
  page: Page,
  base: string,
  person: DemoPerson,
  resource: Resource,
  date: string,
  view: 'Day' | 'Week',
  hash = '',
): Promise<void> {
  await page.goto(`${base.endsWith('/') ? base : `${base}/`}${hash}`);
  await page.getByLabel('Email').fill(DEMO_PEOPLE[person].email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
  await page.getByRole('heading', { name: 'Bookings', exact: true }).waitFor();
  await page.getByRole('button', { name: new RegExp(`^${resource.name} `) }).click();
  await page.getByLabel('Date', { exact: true }).fill(date);
  await page.getByRole('button', { name: view, exact: true }).click();
  await page.locator('[role=grid][aria-busy=false]').waitFor();
}
