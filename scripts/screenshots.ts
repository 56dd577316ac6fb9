/**
 * `npm run screenshots`: regenerates the README's pictures (docs/screenshot-web.png,
 * docs/screenshot-pool.png, docs/screenshot-hold.png, docs/screenshot-approval.png,
 * docs/screenshot-admin.png, and (v3) docs/screenshot-reports.png, docs/screenshot-access.png and the
 * room display of the seeded Focus booth at 800×480 and 1920×1080, docs/screenshot-display-*.png,
 * booked from the next minute so it awaits check-in) from the seeded demo, not from test data.
 *
 * Builds the booking page and the dashboard (skip with `--no-build` to serve what web/dist and
 * admin-desktop/dist/renderer hold), starts the whole system as `npm start` does (MongoDB, Redis,
 * two nodes, the notifier, the gateway) in a fresh temporary data folder, runs `npm run seed` with
 * a staff password made for this run, registers one more person, books the demo week of
 * scripts/lib/demo-plan.ts, stages its holds, waitlist entries and offers, and photographs the
 * booking page (Alice's week of Atlas; the pool's day; Alice holding a time, her waitlist entry
 * and offer beside it; Alice opening the page at `#approvals` to decide Bob's seeded request for
 * Orion: scripts/lib/screenshot-approval.ts) and the staff dashboard (the demo Monday, with the
 * hold, the offer, the queue and the approvals queue: scripts/lib/screenshot-admin.ts) in Debian's
 * Chromium. Stops everything it started, within
 * SCREENSHOTS_TIME_LIMIT_MS (default 5 minutes) or on Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { useStretches } from '@booking/shared';
import type { AuthResult, Resource } from '@booking/shared';
import { launchBrowser } from '../test/support/browser';
import { command, connectSocket } from './bench/client';
import type { BenchSocket, Outcome } from './bench/client';
import { openResource } from './lib/booking-page';
import { buildPages } from './lib/build-pages';
import {
  DEMO_APPROVAL,
  DEMO_BOOKINGS,
  DEMO_HOLDS,
  DEMO_OFFERS,
  DEMO_PASSWORD,
  DEMO_PEOPLE,
  DEMO_WAITLIST,
  DISPLAY_SHOT,
  HOLD_SHOT,
  WEB_SHOT,
  bookingTimes,
  demoMonday,
} from './lib/demo-plan';
import type { DemoPerson, PlannedBooking } from './lib/demo-plan';
import { runScript } from './lib/own-group';
import { shootAdmin } from './lib/screenshot-admin';
import { shootApproval } from './lib/screenshot-approval';
import { bookDisplayShot, createDisplayUrl, shootDisplay } from './lib/screenshot-display';
import { shootPanels } from './lib/screenshot-panels';
import { startStack } from './lib/stack';
import type { Stack } from './lib/stack';

/** The pool the third picture shows (docs/screenshot-pool.png). */
const POOL_SHOT = 'Hot desks';

const root = resolve(__dirname, '..');
const say = (line: string) => process.stdout.write(`${line}\n`);
const timeLimitMs = Number(process.env.SCREENSHOTS_TIME_LIMIT_MS ?? 5 * 60_000);
const STAFF_EMAIL = 'staff@example.com';

async function post<T>(base: string, path: string, body: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(new URL(path, base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** `npm run seed` against the stack's MongoDB, with this run's staff password. */
function seed(stack: Stack, staffPassword: string, signal: AbortSignal): Promise<void> {
  const tsx = join(root, 'node_modules', '.bin', 'tsx');
  const env = { ...process.env, MONGO_URL: stack.env.MONGO_URL, STAFF_EMAIL, STAFF_PASSWORD: staffPassword };
  return new Promise((done, fail) => {
    const child = spawn(tsx, [join('scripts', 'seed.ts')], {
      cwd: root,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
      signal,
    });
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`seed exited with ${code}`))));
  });
}

/** Each demo person's token: the seeded ones sign in, the others register (or sign in when they exist). */
async function demoTokens(base: string): Promise<Record<DemoPerson, string>> {
  const tokens: Partial<Record<DemoPerson, string>> = {};
  for (const [key, p] of Object.entries(DEMO_PEOPLE) as Array<[DemoPerson, (typeof DEMO_PEOPLE)[DemoPerson]]>) {
    const credentials = { email: p.email, password: DEMO_PASSWORD };
    let res = p.seeded
      ? await post<AuthResult>(base, '/api/auth/login', credentials)
      : await post<AuthResult>(base, '/api/auth/register', { name: p.name, ...credentials });
    if (res.status === 409) res = await post<AuthResult>(base, '/api/auth/login', credentials);
    if (res.status !== 200 && res.status !== 201) throw new Error(`${p.email}: sign-in answered ${res.status}`);
    tokens[key] = res.body.token;
  }
  return tokens as Record<DemoPerson, string>;
}

/** Books the demo week; returns the seeded resources by name. */
async function bookDemoWeek(base: string, tokens: Record<DemoPerson, string>, monday: string) {
  const listed = await fetch(new URL('/api/resources', base), { headers: { authorization: `Bearer ${tokens.alice}` } });
  const { resources } = (await listed.json()) as { resources: Resource[] };
  const byName = new Map(resources.map((r) => [r.name, r]));
  for (const person of Object.keys(tokens) as DemoPerson[]) {
    const socket = await connectSocket(base, tokens[person]);
    try {
      for (const b of DEMO_BOOKINGS.filter((x) => x.person === person)) {
        const resource = byName.get(b.resource);
        if (!resource) throw new Error(`the seed made no resource "${b.resource}"`);
        const times = bookingTimes(b, monday, resource.timeZone);
        const quantity = b.quantity ? { quantity: b.quantity } : {};
        const ack = await command(socket, 'booking:create', { resourceId: resource.id, ...times, ...quantity });
        if (!ack.ok) throw new Error(`${person} on ${b.resource} ${times.start}: ${ack.code} ${ack.message}`);
      }
    } finally {
      socket.close();
    }
  }
  say(`booked ${DEMO_BOOKINGS.length} demo bookings in the week of ${monday}`);
  return byName;
}

/**
 * The demo Monday's holds and waitlist: each offer's booking is made, its waiter joins the
 * waitlist for it and the booking is cancelled (which offers the time to the waiter); then the
 * waitlist entries are joined and the holds taken. Offers and holds run out in minutes: the
 * pictures are taken right after.
 */
async function stageHoldsAndWaitlist(
  base: string,
  tokens: Record<DemoPerson, string>,
  monday: string,
  byName: Map<string, Resource>,
): Promise<void> {
  const sockets = new Map<DemoPerson, BenchSocket>();
  const socketOf = async (person: DemoPerson) => {
    const open = sockets.get(person) ?? (await connectSocket(base, tokens[person]));
    sockets.set(person, open);
    return open;
  };
  const slotOf = (b: PlannedBooking) => {
    const resource = byName.get(b.resource);
    if (!resource) throw new Error(`the seed made no resource "${b.resource}"`);
    return { resourceId: resource.id, ...bookingTimes(b, monday, resource.timeZone) };
  };
  const must = <T>(what: string, ack: Outcome<T>): T => {
    if (!ack.ok) throw new Error(`${what}: ${ack.code} ${ack.message}`);
    return ack.data;
  };
  try {
    for (const { booking: b, waiter } of DEMO_OFFERS) {
      const what = `offer of ${b.resource} ${b.from} to ${waiter}`;
      const slot = slotOf(b);
      const { booking } = must(what, await command(await socketOf(b.person), 'booking:create', slot));
      must(what, await command(await socketOf(waiter), 'waitlist:join', slot));
      must(what, await command(await socketOf(b.person), 'booking:cancel', { bookingId: booking.id }));
    }
    for (const w of DEMO_WAITLIST) {
      must(
        `${w.person} waiting for ${w.resource}`,
        await command(await socketOf(w.person), 'waitlist:join', slotOf(w)),
      );
    }
    for (const h of DEMO_HOLDS) {
      must(`${h.person} holding ${h.resource}`, await command(await socketOf(h.person), 'booking:hold', slotOf(h)));
    }
  } finally {
    for (const open of sockets.values()) open.close();
  }
  say(
    `staged ${DEMO_OFFERS.length} offer(s), ${DEMO_WAITLIST.length} waitlist entries and ${DEMO_HOLDS.length} hold(s)`,
  );
}

/**
 * The booking page: Alice's week of Atlas, her bookings beside everyone else's; or, for a pool
 * (capacity above 1), her Monday of it, each slot saying how many units are free.
 */
async function shootWeb(browser: Browser, base: string, monday: string, resource: Resource, out: string) {
  const pool = resource.capacity > 1;
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: resource.timeZone,
  });
  try {
    const page = await context.newPage();
    await openResource(page, base, WEB_SHOT.person, resource, monday, pool ? 'Day' : 'Week');
    // Every planned booking is drawn (the days arrive one answer at a time); on a pool, its units.
    for (const b of DEMO_BOOKINGS.filter((x) => x.resource === resource.name && !pool)) {
      const { start } = bookingTimes(b, monday, resource.timeZone);
      const state = b.person === WEB_SHOT.person ? 'mine' : 'taken';
      await page.locator(`[role=gridcell][data-start="${start}"][data-state="${state}"]`).waitFor();
    }
    if (pool) {
      // The fullest moment of the demo Monday is drawn with its few free units.
      const occupants = DEMO_BOOKINGS.filter((x) => x.resource === resource.name && x.day === 0).map((b) => {
        const { start, end } = bookingTimes(b, monday, resource.timeZone);
        return { start: Date.parse(start), end: Date.parse(end), quantity: b.quantity ?? 1 };
      });
      const peak = Math.max(0, ...useStretches(occupants).map((s) => s.used));
      await page
        .locator(`[role=gridcell][data-free="${resource.capacity - peak}"]`)
        .first()
        .waitFor();
    }
    await page.mouse.move(0, 0);
    await page.screenshot({ path: out });
  } finally {
    await context.close();
  }
}

/** The little of the DOM a check run in the page reads (scripts compile without the DOM library). */
interface PageDocument {
  querySelector(selector: string): { textContent: string | null } | null;
}

/**
 * The booking page holding a time (HOLD_SHOT): Alice's day of Cosmos with a free slot selected,
 * held for her with its countdown running; in My bookings her own hold and the offer the waitlist
 * made her (each with Confirm) and her waitlist entries. Her hold is let go again (Clear
 * selection) before the dashboard's picture.
 */
async function shootHold(browser: Browser, base: string, monday: string, resource: Resource, out: string) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: resource.timeZone,
  });
  try {
    const page = await context.newPage();
    await openResource(page, base, HOLD_SHOT.person, resource, monday, 'Day');
    const { start } = bookingTimes(HOLD_SHOT, monday, resource.timeZone);
    await page.locator(`[role=gridcell][data-start="${start}"][data-state="free"]`).click();
    const selection = page.getByRole('region', { name: 'Selection' });
    await selection.getByText(/^Held for you for \d+:\d\d$/).waitFor();
    const held = page.getByRole('list', { name: 'Held for you' });
    await held.locator('li.hold').waitFor();
    const offers = DEMO_OFFERS.filter((o) => o.waiter === HOLD_SHOT.person).length;
    if (offers > 0)
      await held
        .locator('li.offer')
        .nth(offers - 1)
        .waitFor();
    const waiting = DEMO_WAITLIST.filter((w) => w.person === HOLD_SHOT.person).length;
    const waitlist = page.getByRole('list', { name: 'Waitlist' });
    await waitlist
      .locator('li[data-status="waiting"]')
      .nth(waiting - 1)
      .waitFor();
    // The countdown is running (ticked past where it started), and the hold's row in My bookings,
    // on its own second timer, says the same time left.
    const started = (await selection.locator('.hold-countdown strong').textContent()) ?? '';
    await page.waitForFunction((was) => {
      const { document } = globalThis as unknown as { document: PageDocument };
      const left = document.querySelector('.hold-countdown strong')?.textContent ?? was;
      const listed = document.querySelector('.held-list li.hold .countdown')?.textContent ?? '';
      return left !== was && listed.endsWith(` ${left}`);
    }, started);
    await page.mouse.move(0, 0);
    // Down to the end of My bookings (its waitlist), not the calendar feed and account below it.
    const mine = await page.locator('section[aria-labelledby="mine-heading"]').boundingBox();
    if (!mine) throw new Error('My bookings is not on the page');
    await page.screenshot({
      path: out,
      fullPage: true,
      clip: { x: 0, y: 0, width: 1280, height: Math.ceil(mine.y + mine.height + 12) },
    });
    await selection.getByRole('button', { name: 'Clear selection' }).click();
    await held.locator('li.hold').waitFor({ state: 'detached' });
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  const aborter = new AbortController();
  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c().catch((err: unknown) => say(`cleanup: ${String(err)}`));
    cleanups.length = 0;
  };
  const stopNow = (why: string, code: number) => {
    say(`${why}: stopping`);
    aborter.abort();
    void cleanup().finally(() => process.exit(code));
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => stopNow(sig, 130));
  const watchdog = setTimeout(() => stopNow(`not done within ${timeLimitMs} ms`, 1), timeLimitMs);
  try {
    if (!process.argv.includes('--no-build')) await buildPages(root, aborter.signal, say);
    const dataDir = mkdtempSync(join(tmpdir(), 'booking-screenshots-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const staffPassword = randomBytes(12).toString('base64url');
    say(`starting the stack in ${dataDir}`);
    const stack = await startStack({
      root,
      dataDir,
      staff: { email: STAFF_EMAIL, password: staffPassword },
      logLevel: 'warn',
      signal: aborter.signal,
    });
    cleanups.push(() => stack.stop());
    process.on('exit', () => stack.killNow());
    await seed(stack, staffPassword, aborter.signal);
    const base = stack.urls.booking;
    const monday = demoMonday(new Date());
    const tokens = await demoTokens(base);
    const resources = await bookDemoWeek(base, tokens, monday);
    const shown = resources.get(WEB_SHOT.resource);
    if (!shown) throw new Error(`no resource ${WEB_SHOT.resource}`);
    // Booked now, from the next minute: by the display pictures (taken last) the first has begun.
    const booth = resources.get(DISPLAY_SHOT.resource);
    if (!booth) throw new Error(`no resource ${DISPLAY_SHOT.resource}`);
    say(`booked ${await bookDisplayShot(base, tokens, booth)} bookings of ${booth.name} for its display`);
    const browser = await launchBrowser();
    cleanups.push(() => browser.close());
    const web = join(root, 'docs', 'screenshot-web.png');
    const poolShot = join(root, 'docs', 'screenshot-pool.png');
    const holdShot = join(root, 'docs', 'screenshot-hold.png');
    const approvalShot = join(root, 'docs', 'screenshot-approval.png');
    const admin = join(root, 'docs', 'screenshot-admin.png');
    const panels = {
      reports: join(root, 'docs', 'screenshot-reports.png'),
      access: join(root, 'docs', 'screenshot-access.png'),
    };
    await shootWeb(browser, base, monday, shown, web);
    const pool = resources.get(POOL_SHOT);
    if (!pool) throw new Error(`no resource ${POOL_SHOT}`);
    await shootWeb(browser, base, monday, pool, poolShot);
    // Holds and offers run out in minutes: staged now, after the two pictures without them.
    await stageHoldsAndWaitlist(base, tokens, monday, resources);
    const holding = resources.get(HOLD_SHOT.resource);
    if (!holding) throw new Error(`no resource ${HOLD_SHOT.resource}`);
    await shootHold(browser, base, monday, holding, holdShot);
    const approving = resources.get(DEMO_APPROVAL.resource);
    if (!approving) throw new Error(`no resource ${DEMO_APPROVAL.resource}`);
    await shootApproval(browser, base, monday, approving, approvalShot);
    await shootAdmin(browser, stack.urls.admin, { email: STAFF_EMAIL, password: staffPassword }, monday, admin);
    await shootPanels(browser, stack.urls.admin, { email: STAFF_EMAIL, password: staffPassword }, monday, panels);
    const staff = { email: STAFF_EMAIL, password: staffPassword };
    const boothUrl = await createDisplayUrl(base, staff, booth.id, `${booth.name} door`);
    const displayShots = await shootDisplay(browser, base, boothUrl, 'awaiting-check-in');
    say(`wrote ${web}, ${poolShot}, ${holdShot}, ${approvalShot}, ${admin}, ${panels.reports} and ${panels.access}`);
    say(`wrote ${displayShots.join(' and ')}`);
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

runScript('screenshots', main);
