/**
 * The dashboard for resources of several units (issue 24), in Debian's Chromium against a live
 * in-process server: capacity and seats set in the resource editor and saved; the timeline's fill
 * level per stretch following bookings with a quantity live (their `slot:changed`); a booking on
 * behalf with a quantity through the form; a capacity lowered below what is booked refused with
 * the first instant over, then lowered anyway with every booking kept; axe clean throughout.
 */
import type { Page } from 'playwright-core';
import { formatInstant } from '@booking/shared';
import type { Resource } from '@booking/shared';
import { artifactPath, axeViolations } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import { createResource, loginStaff, registerUser, send, sendAdmin, slot, unwrap } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { ensureRendererBuilt } from './support/admin-build';

const ui = useBrowserSuite({
  build: [ensureRendererBuilt],
  context: { viewport: { width: 1440, height: 1000 } },
  timeoutMs: 60_000,
});
const h = useHarness({ label: 'admin-capacity' }, 60_000);
const sockets = useSockets();
let staffToken: string;

beforeAll(async () => {
  staffToken = (await loginStaff(h.node.url)).token;
});

/** A day wholly in the future (the next but one UTC day at the latest), and an instant of it. */
const date = slot(26).start.slice(0, 10);
const at = (hhmm: string) => `${date}T${hhmm}:00.000Z`;

async function signedInPage(): Promise<Page> {
  const page = await ui.newPage(undefined, 30_000);
  await page.goto(`${h.node.url}/admin/`);
  await page.fill('input[name=email]', 'staff@example.com');
  await page.fill('input[name=password]', 'staff-password');
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=connection].live', { timeout: 10_000 });
  await page.fill('#day', date);
  await page.dispatchEvent('#day', 'change');
  return page;
}

/** The resource as the server lists it now. */
async function listed(token: string, id: string): Promise<Resource | undefined> {
  const u = await sockets.client(h.node.url, token);
  return unwrap(await send(u, 'resources:list', {})).resources.find((r) => r.id === id);
}

/** Sets capacity and seats in the resource's editor row and saves it. */
async function saveUnits(page: Page, id: string, capacity: string, seats: string): Promise<void> {
  const row = `form.res-row[data-resource-id="${id}"]`;
  await page.fill(`${row} input[name=capacity]`, capacity);
  await page.fill(`${row} input[name=seats]`, seats);
  await page.click(`${row} button[type=submit]`);
}

const stretch = (id: string, from: string, to: string) =>
  `.tl-row[data-resource-id="${id}"] [data-testid=occupancy-stretch][data-start="${at(from)}"][data-end="${at(to)}"]`;

it('sets capacity and seats in the editor, then shows the fill level of bookings with a quantity, live', async () => {
  const pool = await createResource(h.node.url, staffToken, `Desk pool ${Date.now()}`);
  const ada = await registerUser(h.node.url, 'Ada');
  const admin = await sockets.admin(h.node.url, staffToken);
  const page = await signedInPage();
  try {
    await page.waitForSelector(`.tl-row[data-resource-id="${pool.id}"]`);
    // Capacity 1: no fill level, as before.
    expect(await page.$(`.tl-row[data-resource-id="${pool.id}"] [data-testid=occupancy]`)).toBeNull();

    await saveUnits(page, pool.id, '4', '12');
    await page.waitForSelector('[data-testid=status]:has-text("Resource saved.")', { timeout: 10_000 });
    expect(await listed(ada.token, pool.id)).toMatchObject({ capacity: 4, seats: 12 });
    const label = await page.waitForSelector(`.tl-row[data-resource-id="${pool.id}"] [data-testid=capacity-label]`);
    expect(await label.textContent()).toBe('4 units · 12 seats · peak 0/4');
    // The editor shows what was saved.
    expect(await page.inputValue(`form.res-row[data-resource-id="${pool.id}"] input[name=capacity]`)).toBe('4');

    // Staggered bookings: 3 units 10-12 and 1 unit 11-13 fill the pool only 11-12.
    const three = unwrap(
      await sendAdmin(admin, 'booking:create', {
        resourceId: pool.id,
        userId: ada.user.id,
        start: at('10:00'),
        end: at('12:00'),
        quantity: 3,
      }),
    );
    unwrap(
      await sendAdmin(admin, 'booking:create', {
        resourceId: pool.id,
        userId: ada.user.id,
        start: at('11:00'),
        end: at('13:00'),
      }),
    );
    await page.waitForSelector(`${stretch(pool.id, '11:00', '12:00')}.full[data-used="4"]`, { timeout: 10_000 });
    expect(await page.getAttribute(`${stretch(pool.id, '10:00', '11:00')}`, 'data-used')).toBe('3');
    expect(await page.getAttribute(`${stretch(pool.id, '12:00', '13:00')}`, 'data-used')).toBe('1');
    expect(await page.textContent(`${stretch(pool.id, '11:00', '12:00')} .tl-occ-label`)).toBe('4/4');
    const block = `[data-testid=booking-block][data-booking-id="${three.booking.id}"]`;
    expect(await page.textContent(`${block} [data-testid=booking-quantity]`)).toBe(' × 3');
    await page.waitForSelector(
      `.tl-row[data-resource-id="${pool.id}"] [data-testid=capacity-label]:has-text("peak 4/4")`,
    );

    // On behalf with a quantity through the form: 2 units 14:00-15:00.
    await page.waitForSelector(`select[aria-label=user] option[value="${ada.user.id}"]`, { state: 'attached' });
    await page.selectOption('select[aria-label=user]', ada.user.id);
    await page.selectOption('select[aria-label=resource]', pool.id);
    await page.waitForSelector('[data-testid=book-quantity]:visible');
    expect(await page.getAttribute('[data-testid=book-quantity]', 'max')).toBe('4');
    await page.fill('[data-testid=book-quantity]', '2');
    await page.fill('input[aria-label="start time (local)"]', '14:00');
    await page.fill('input[aria-label=minutes]', '60');
    await page.click('[data-testid=book-form] button[type=submit]');
    await page.waitForSelector(`${stretch(pool.id, '14:00', '15:00')}[data-used="2"]`, { timeout: 10_000 });
    const snap = unwrap(await sendAdmin(admin, 'dashboard:snapshot', { date }));
    expect(snap.bookings.find((b) => b.resourceId === pool.id && b.start === at('14:00'))).toMatchObject({
      quantity: 2,
      userId: ada.user.id,
    });

    // 3 more units at 14:00 do not fit beside those 2: the status line says how many are free.
    await page.fill('[data-testid=book-quantity]', '3');
    await page.click('[data-testid=book-form] button[type=submit]');
    await page.waitForSelector('[data-testid=status]:has-text("Only 2 units are free then. (SLOT_TAKEN)")', {
      timeout: 10_000,
    });
    await page.screenshot({ path: artifactPath('admin-capacity.png'), fullPage: true });

    await page.click(block);
    expect(await (await page.waitForSelector('[data-testid=selected-quantity]')).textContent()).toBe('3');

    // A cancel frees its units on the timeline from the event alone.
    unwrap(await sendAdmin(admin, 'booking:cancel', { bookingId: three.booking.id }));
    await page.waitForSelector(`${stretch(pool.id, '11:00', '13:00')}[data-used="1"]`, { timeout: 10_000 });
    expect(await page.$(stretch(pool.id, '10:00', '11:00'))).toBeNull();

    expect(await axeViolations(page)).toEqual([]);
  } finally {
    await page.close();
  }
}, 60_000);

it('refuses lowering a capacity below what is booked with the first instant over, and lowers it anyway on request', async () => {
  const cart = await createResource(h.node.url, staffToken, `Laptop cart ${Date.now()}`);
  const lin = await registerUser(h.node.url, 'Lin');
  const admin = await sockets.admin(h.node.url, staffToken);
  unwrap(await sendAdmin(admin, 'resource:update', { id: cart.id, capacity: 5 }));
  const booked = unwrap(
    await sendAdmin(admin, 'booking:create', {
      resourceId: cart.id,
      userId: lin.user.id,
      start: at('09:00'),
      end: at('10:30'),
      quantity: 3,
    }),
  );
  const page = await signedInPage();
  try {
    await page.waitForSelector(`${stretch(cart.id, '09:00', '10:30')}[data-used="3"]`, { timeout: 10_000 });
    await saveUnits(page, cart.id, '2', '');
    const text = await page.waitForSelector('[data-testid=capacity-refusal-text]', { timeout: 10_000 });
    expect(await text.textContent()).toBe(
      // The day as the dashboard writes it (Intl, in the resource's zone), then the time.
      `The capacity of ${cart.name} cannot be lowered to 2: more than 2 units are already booked at ` +
        `${formatInstant('en', at('09:00'), 'UTC', 'date')} 09:00 (UTC).`,
    );
    expect(await text.getAttribute('data-at')).toBe(at('09:00'));
    expect(await listed(lin.token, cart.id)).toMatchObject({ capacity: 5 });
    expect(await axeViolations(page)).toEqual([]);

    await page.click('[data-testid=force-capacity]');
    await page.waitForSelector('[data-testid=status]:has-text("capacity is lowered and every booking kept")', {
      timeout: 10_000,
    });
    expect(await listed(lin.token, cart.id)).toMatchObject({ capacity: 2, seats: null });
    await page.waitForSelector('[data-testid=capacity-refusal-text]', { state: 'detached' });
    // Every booking kept: the day shows 3 units of 2 in use, marked over the capacity.
    await page.waitForSelector(`${stretch(cart.id, '09:00', '10:30')}.over[data-used="3"]`, { timeout: 10_000 });
    const snap = unwrap(await sendAdmin(admin, 'dashboard:snapshot', { date }));
    expect(snap.bookings.find((b) => b.id === booked.booking.id)).toMatchObject({ status: 'active', quantity: 3 });
    expect(await axeViolations(page)).toEqual([]);
  } finally {
    await page.close();
  }
}, 60_000);
