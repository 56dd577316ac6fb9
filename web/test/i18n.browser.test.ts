/**
 * The booking page in the person's language, in a real browser (Chromium via playwright-core)
 * against a real node: a German person (registered with `locale: "de"`) reads the page in German
 * (headings, buttons, the grid's weekday in the resource's zone, and the sentence of a booking the
 * server refused), a French person who switches the language in the header reads it in French,
 * and the choice is kept (the server's `profile:update`, and a reload); before sign-in the
 * switcher's choice is kept in the browser. No serious or critical axe finding on either page.
 */
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { commonTranslator, formatInstant, type AuthResult, type Resource } from '@booking/shared';
import { axeViolations } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import {
  connectClient,
  createResource,
  http,
  loginStaff,
  registerUser,
  send,
  unwrap,
} from '../../test/support/harness';
import { useHarness } from '../../test/support/suite';
import { ensureWebBuilt } from './web-build';

jest.setTimeout(120_000);

const web = useBrowserSuite({
  build: [ensureWebBuilt],
  context: { locale: 'en-GB', timezoneId: 'UTC', viewport: { width: 1280, height: 900 } },
});
const harness = useHarness({ label: 'web-i18n' });
let base: string;
let room: Resource;

beforeAll(async () => {
  base = harness.node.url;
  const staff = await loginStaff(base);
  room = await createResource(base, staff.token, `Sprachraum ${Date.now()}`, { type: `lang-${Date.now()}` });
});

/** Tomorrow (UTC, the resource's zone) as `YYYY-MM-DD`. */
const tomorrow = (): string => DateTime.utc().startOf('day').plus({ days: 1 }).toISODate() ?? '';

async function registerIn(locale: string, name: string): Promise<AuthResult> {
  const email = `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const res = await http<AuthResult>(base, '/api/auth/register', {
    body: { name, email, password: 'password123', locale },
  });
  expect(res.status).toBe(201);
  return res.body;
}

/** Signs in on the (English, the browser's language) form; `heading` is the signed-in page's title. */
async function signIn(page: Page, email: string, heading: string): Promise<void> {
  await page.goto(base);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('password123');
  await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
  await page.getByRole('heading', { name: heading, exact: true }).waitFor();
}

it('shows a German person the page in German: texts, a weekday, and a refused booking', async () => {
  const de = await registerIn('de', 'Greta');
  expect(de.user.locale).toBe('de');
  const page = await web.newPage();
  await signIn(page, de.user.email, 'Buchungen');
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe('de');
  await page.getByRole('heading', { name: 'Meine Buchungen' }).waitFor();
  await page.getByText('Noch keine anstehenden Buchungen.').waitFor();
  await page.getByRole('button', { name: 'Abmelden', exact: true }).waitFor();
  await expect(page.getByLabel('Sprache').inputValue()).resolves.toBe('de');

  // The grid of tomorrow: its day header is the German weekday and date in the resource's zone.
  await page.getByRole('button', { name: new RegExp(`^${room.name} `) }).click();
  await page.getByLabel('Datum', { exact: true }).fill(tomorrow());
  await page.getByRole('grid', { name: `Verfügbarkeit von ${room.name}` }).waitFor();
  await page.locator('[role=grid][aria-busy=false]').waitFor();
  const day = formatInstant('de', `${tomorrow()}T12:00:00Z`, room.timeZone, 'date');
  expect(day).toMatch(/^(Mo|Di|Mi|Do|Fr|Sa|So)\., /);
  await expect(page.getByRole('columnheader').nth(1).textContent()).resolves.toBe(day);
  await expect(page.getByRole('columnheader').first().textContent()).resolves.toBe('Uhrzeit');
  expect(await axeViolations(page)).toEqual([]);

  // Find a free time, let someone else take it meanwhile: the server refuses, in German.
  const find = page.getByRole('region', { name: 'Freien Raum finden' });
  await find.getByLabel('Art').selectOption(room.type);
  await find.getByLabel('Minuten').fill('60');
  await find.getByRole('button', { name: 'Freie Zeiten suchen' }).click();
  const first = find.getByRole('list', { name: 'Freie Zeiten' }).getByRole('listitem').first();
  await first.waitFor();
  const start = (await first.getAttribute('data-start')) ?? '';
  const other = await registerUser(base, 'quicker');
  const socket = await connectClient(base, other.token);
  try {
    const end = new Date(Date.parse(start) + 3_600_000).toISOString();
    unwrap(await send(socket, 'booking:create', { resourceId: room.id, start, end }));
  } finally {
    socket.close();
  }
  await first.getByRole('button', { name: new RegExp(`^${room.name} buchen`) }).click();
  const refusal = find.getByRole('alert');
  await refusal.waitFor();
  const text = (await refusal.textContent()) ?? '';
  expect(text).toContain(commonTranslator('de').t('errors.SLOT_TAKEN'));
  expect(text).toContain('Suchen Sie erneut nach der nächsten freien Zeit.');
  expect(await axeViolations(page)).toEqual([]);
});

it('switches a signed-in person to French, keeps it on the server and across a reload', async () => {
  const person = await registerUser(base, 'chloe');
  expect(person.user.locale).toBe('en');
  const page = await web.newPage();
  await signIn(page, person.user.email, 'Bookings');
  await page.getByLabel('Language').selectOption('fr');
  await page.getByRole('heading', { name: 'Réservations', exact: true }).waitFor();
  await page.getByRole('heading', { name: 'Mes réservations' }).waitFor();
  await page.getByRole('heading', { name: 'Trouver une salle libre' }).waitFor();
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe('fr');
  expect(await axeViolations(page)).toEqual([]);

  // The server keeps the person's language (their emails follow it): a new sign-in says so.
  const login = await http<AuthResult>(base, '/api/auth/login', {
    body: { email: person.user.email, password: 'password123' },
  });
  expect(login.body.user.locale).toBe('fr');

  await page.reload();
  await page.getByRole('heading', { name: 'Réservations', exact: true }).waitFor();
  await expect(page.getByLabel('Langue').inputValue()).resolves.toBe('fr');
});

it('keeps the language chosen before sign-in in the browser', async () => {
  const page = await web.newPage();
  await page.goto(base);
  await page.getByRole('heading', { name: 'Book a room, desk or device' }).waitFor();
  await page.getByLabel('Language').selectOption('es');
  await page.getByRole('heading', { name: 'Reserve una sala, un puesto o un equipo' }).waitFor();
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
  await page.reload();
  await page.getByRole('heading', { name: 'Reserve una sala, un puesto o un equipo' }).waitFor();
  await expect(page.getByLabel('Correo electrónico').count()).resolves.toBe(1);
});
