/**
 * The dashboard's part of holds and the waitlist (issue 25), in Debian's Chromium against a live
 * in-process server: a plain hold, a waitlist offer (made by a cancel) and an active booking drawn
 * apart on the timeline (the hold and the offer hatched, tagged "held"/"offer" with their expiry),
 * a pool's fill level with its held units, each resource's queue length from `stats.waitlist`, and
 * live, from other people's sockets with no reload: a hold appearing (its expiry read), confirmed
 * into a booking, a join raising the queue, a cancel whose units go to the next in line as an offer.
 * A hold that runs out leaves the timeline at its `expiresAt`. Axe clean throughout.
 */
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import type { Booking } from '@booking/shared';
import { artifactPath, axeViolations } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import { createResource, loginStaff, registerUser, send, slot, unwrap } from '../../test/support/harness';
import type { Harness } from '../../test/support/harness';
import { useHarness, useSockets } from '../../test/support/suite';
import { ensureRendererBuilt } from './support/admin-build';

const ui = useBrowserSuite({
  build: [ensureRendererBuilt],
  context: { viewport: { width: 1440, height: 1000 } },
  timeoutMs: 60_000,
});
const sockets = useSockets();

/** A day wholly in the future (the next but one UTC day at the latest), and an instant of it. */
const date = slot(26).start.slice(0, 10);
const at = (hhmm: string) => `${date}T${hhmm}:00.000Z`;
const within = (from: string, to: string) => ({ start: at(from), end: at(to) });

async function signedInPage(base: string): Promise<Page> {
  const page = await ui.newPage(undefined, 30_000);
  await page.goto(`${base}/admin/`);
  await page.fill('input[name=email]', 'staff@example.com');
  await page.fill('input[name=password]', 'staff-password');
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=connection].live', { timeout: 10_000 });
  await page.fill('#day', date);
  await page.dispatchEvent('#day', 'change');
  return page;
}

const block = (id: string) => `[data-testid=booking-block][data-booking-id="${id}"]`;
const queue = (resourceId: string) => `.tl-row[data-resource-id="${resourceId}"] [data-testid=queue-length]`;
/** `HH:mm` in UTC, the zone of the resources made here. */
const hhmm = (iso: string) => DateTime.fromISO(iso, { zone: 'UTC' }).toFormat('HH:mm');

/** A person with a connected `/` socket. */
async function person(h: Harness, name: string) {
  const auth = await registerUser(h.node.url, name);
  return { ...auth, socket: await sockets.client(h.node.url, auth.token) };
}

describe('holds, offers and queues on the timeline', () => {
  const h = useHarness({ label: 'admin-holds' }, 60_000);

  it('draws holds and offers apart from bookings with their expiry, the queue lengths, and follows them live', async () => {
    const staff = (await loginStaff(h.node.url)).token;
    const room = await createResource(h.node.url, staff, `Holds room ${Date.now()}`);
    const pool = await createResource(h.node.url, staff, `Holds pool ${Date.now()}`, { capacity: 3 });
    const [ada, bob, cy, dee, eve] = await Promise.all(['Ada', 'Bob', 'Cy', 'Dee', 'Eve'].map((n) => person(h, n)));
    if (!ada || !bob || !cy || !dee || !eve) throw new Error('people missing');

    // Ada books 10-11; Bob, Cy and Dee queue for it in that order; Ada's cancel offers it to Bob.
    const first = unwrap(
      await send(ada.socket, 'booking:create', { resourceId: room.id, ...within('10:00', '11:00') }),
    );
    for (const p of [bob, cy, dee])
      unwrap(await send(p.socket, 'waitlist:join', { resourceId: room.id, ...within('10:00', '11:00') }));
    const active = unwrap(
      await send(ada.socket, 'booking:create', { resourceId: room.id, ...within('14:00', '15:00') }),
    );
    unwrap(await send(ada.socket, 'booking:cancel', { bookingId: first.booking.id }));
    const bobs = unwrap(await send(bob.socket, 'waitlist:mine', {})).entries;
    expect(bobs[0]).toMatchObject({ status: 'offered' });
    const offerId = bobs[0]?.bookingId ?? '';
    // Eve holds 12-13; on the pool Ada holds 2 units and books 1 at 12-13: full, 2 of 3 held.
    const hold = unwrap(await send(eve.socket, 'booking:hold', { resourceId: room.id, ...within('12:00', '13:00') }));
    const poolHold = unwrap(
      await send(ada.socket, 'booking:hold', { resourceId: pool.id, ...within('12:00', '13:00'), quantity: 2 }),
    );
    unwrap(await send(ada.socket, 'booking:create', { resourceId: pool.id, ...within('12:00', '13:00') }));

    const page = await signedInPage(h.node.url);
    try {
      const offerBlock = await page.waitForSelector(`${block(offerId)}[data-hold=offer]`, { timeout: 10_000 });
      const offerExpires = (await offerBlock.getAttribute('data-expires-at')) ?? '';
      expect(Date.parse(offerExpires)).toBeGreaterThan(Date.now());
      expect(await page.textContent(`${block(offerId)} [data-testid=hold-tag]`)).toBe('offer');
      expect(await page.textContent(`${block(offerId)} [data-testid=hold-expiry]`)).toBe(`until ${hhmm(offerExpires)}`);
      expect(await offerBlock.getAttribute('title')).toContain(
        `waitlist offer, not confirmed, expires at ${hhmm(offerExpires)}`,
      );
      await page.click(block(offerId));
      expect(await (await page.waitForSelector('[data-testid=selected-status]')).textContent()).toBe(
        `waitlist offer, not confirmed until ${hhmm(offerExpires)}`,
      );

      const holdExpires = hold.booking.expiresAt ?? '';
      expect(await page.getAttribute(block(hold.booking.id), 'data-hold')).toBe('hold');
      expect(await page.getAttribute(block(hold.booking.id), 'data-expires-at')).toBe(holdExpires);
      expect(await page.textContent(`${block(hold.booking.id)} [data-testid=hold-tag]`)).toBe('held');
      expect(await page.textContent(`${block(hold.booking.id)} [data-testid=hold-expiry]`)).toBe(
        `until ${hhmm(holdExpires)}`,
      );
      expect(await page.getAttribute(block(hold.booking.id), 'title')).toContain(
        `held, not confirmed, expires at ${hhmm(holdExpires)}`,
      );
      // The active booking is no hold: no tag, not hatched.
      expect(await page.getAttribute(block(active.booking.id), 'data-status')).toBe('active');
      expect(await page.$(`${block(active.booking.id)} [data-testid=hold-tag]`)).toBeNull();
      expect(await page.$eval(block(active.booking.id), (el) => getComputedStyle(el).borderStyle)).toBe('solid');
      expect(await page.$eval(block(hold.booking.id), (el) => getComputedStyle(el).borderStyle)).toBe('dashed');

      // Cy and Dee still wait for 10-11; nobody for the pool.
      expect(await (await page.waitForSelector(queue(room.id), { timeout: 10_000 })).textContent()).toBe('2 waiting');
      expect(await page.$(queue(pool.id))).toBeNull();
      const poolStretch = `.tl-row[data-resource-id="${pool.id}"] [data-testid=occupancy-stretch][data-start="${at('12:00')}"]`;
      expect(await page.getAttribute(poolStretch, 'data-used')).toBe('3');
      expect(await page.getAttribute(poolStretch, 'data-held')).toBe('2');
      expect(await page.textContent(`${poolStretch} .tl-occ-label`)).toBe('3/3 (2 held)');
      expect(await page.getAttribute(`${block(poolHold.booking.id)}`, 'data-hold')).toBe('hold');
      expect(await axeViolations(page)).toEqual([]);

      // Live, from another person's socket: a hold appears with its expiry, then is confirmed.
      const fin = await person(h, 'Fin');
      const live = unwrap(await send(fin.socket, 'booking:hold', { resourceId: room.id, ...within('16:00', '17:00') }));
      await page.waitForSelector(
        `${block(live.booking.id)}[data-hold=hold][data-expires-at="${live.booking.expiresAt ?? ''}"]`,
        {
          timeout: 10_000,
        },
      );
      unwrap(await send(fin.socket, 'booking:confirm', { bookingId: live.booking.id }));
      await page.waitForSelector(`${block(live.booking.id)}[data-status=active]:not([data-hold])`, { timeout: 10_000 });

      // Gus queues for Eve's held 12-13: the queue grows with the next stats push.
      const gus = await person(h, 'Gus');
      unwrap(await send(gus.socket, 'waitlist:join', { resourceId: room.id, ...within('12:00', '13:00') }));
      await page.waitForSelector(`${queue(room.id)}:text-is("3 waiting")`, { timeout: 10_000 });
      // Eve lets her hold go: it leaves the timeline, and its units are offered to Gus, live.
      unwrap(await send(eve.socket, 'booking:cancel', { bookingId: hold.booking.id }));
      await page.waitForSelector(block(hold.booking.id), { state: 'detached', timeout: 10_000 });
      const gusOffer = unwrap(await send(gus.socket, 'waitlist:mine', {})).entries[0];
      expect(gusOffer).toMatchObject({ status: 'offered' });
      await page.waitForSelector(`${block(gusOffer?.bookingId ?? '')}[data-hold=offer][data-expires-at]`, {
        timeout: 10_000,
      });
      await page.waitForSelector(`${queue(room.id)}:text-is("2 waiting")`, { timeout: 10_000 });
      await page.screenshot({ path: artifactPath('admin-holds.png'), fullPage: true });
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});

describe('a hold that runs out', () => {
  // Holds of 3 s: the timeline drops one at its expiresAt (the data-level rule), timer or not.
  const h = useHarness({ label: 'admin-holds-expiry', env: { HOLD_MINUTES: '0.05' } }, 60_000);

  it('leaves the timeline and the fill level at its expiresAt', async () => {
    const staff = (await loginStaff(h.node.url)).token;
    const pool = await createResource(h.node.url, staff, `Expiry pool ${Date.now()}`, { capacity: 2 });
    const page = await signedInPage(h.node.url);
    try {
      await page.waitForSelector(`.tl-row[data-resource-id="${pool.id}"]`, { timeout: 10_000 });
      const ivy = await person(h, 'Ivy');
      const held: Booking = unwrap(
        await send(ivy.socket, 'booking:hold', { resourceId: pool.id, ...within('09:00', '10:00') }),
      ).booking;
      const stretch = `.tl-row[data-resource-id="${pool.id}"] [data-testid=occupancy-stretch][data-held="1"]`;
      await page.waitForSelector(`${block(held.id)}[data-hold=hold]`, { timeout: 10_000 });
      await page.waitForSelector(stretch, { timeout: 10_000 });
      await page.waitForSelector(block(held.id), { state: 'detached', timeout: 15_000 });
      expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(held.expiresAt ?? ''));
      expect(await page.$(stretch)).toBeNull();
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
