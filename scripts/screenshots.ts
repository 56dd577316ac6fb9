/**
 * `npm run screenshots`: regenerates the README's pictures (docs/screenshot-web.png,
 * docs/screenshot-pool.png, docs/screenshot-admin.png) from the seeded demo, not from test data.
 *
 * Builds the booking page and the dashboard (skip with `--no-build` to serve what web/dist and
 * admin-desktop/dist/renderer hold), starts the whole system as `npm start` does (MongoDB, Redis,
 * two nodes, the notifier, the gateway) in a fresh temporary data folder, runs `npm run seed` with
 * a staff password made for this run, registers one more person, books the demo week of
 * scripts/lib/demo-plan.ts, and photographs the booking page (Alice's week of Atlas) and the
 * staff dashboard (the demo Monday) in Debian's Chromium. Stops everything it started, within
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
import { buildPages } from './lib/build-pages';
import { DEMO_BOOKINGS, DEMO_PASSWORD, DEMO_PEOPLE, WEB_SHOT, bookingTimes, demoMonday } from './lib/demo-plan';
import type { DemoPerson } from './lib/demo-plan';
import { leadOwnProcessGroup } from './lib/own-group';
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
    await page.goto(base);
    await page.getByLabel('Email').fill(DEMO_PEOPLE[WEB_SHOT.person].email);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
    await page.getByRole('heading', { name: 'Bookings', exact: true }).waitFor();
    await page.getByRole('button', { name: new RegExp(`^${resource.name} `) }).click();
    await page.getByLabel('Date', { exact: true }).fill(monday);
    await page.getByRole('button', { name: pool ? 'Day' : 'Week', exact: true }).click();
    await page.locator('[role=grid][aria-busy=false]').waitFor();
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

/** The staff dashboard on the demo Monday, one of Alice's bookings selected. */
async function shootAdmin(browser: Browser, admin: string, staffPassword: string, monday: string, out: string) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
  try {
    const page = await context.newPage();
    await page.goto(admin.endsWith('/') ? admin : `${admin}/`);
    await page.fill('input[name=email]', STAFF_EMAIL);
    await page.fill('input[name=password]', staffPassword);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=connection].live');
    await page.fill('#day', monday);
    await page.dispatchEvent('#day', 'change');
    const mondays = DEMO_BOOKINGS.filter((b) => b.day === 0).length;
    await page
      .locator('[data-testid=booking-block]')
      .nth(mondays - 1)
      .waitFor();
    await page.click('[data-testid=booking-block]:has-text("Alice")');
    await page.waitForSelector('[data-testid=selected-booking]');
    await page.screenshot({ path: out, fullPage: true });
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
    const resources = await bookDemoWeek(base, await demoTokens(base), monday);
    const shown = resources.get(WEB_SHOT.resource);
    if (!shown) throw new Error(`no resource ${WEB_SHOT.resource}`);
    const browser = await launchBrowser();
    cleanups.push(() => browser.close());
    const web = join(root, 'docs', 'screenshot-web.png');
    const poolShot = join(root, 'docs', 'screenshot-pool.png');
    const admin = join(root, 'docs', 'screenshot-admin.png');
    await shootWeb(browser, base, monday, shown, web);
    const pool = resources.get(POOL_SHOT);
    if (!pool) throw new Error(`no resource ${POOL_SHOT}`);
    await shootWeb(browser, base, monday, pool, poolShot);
    await shootAdmin(browser, stack.urls.admin, staffPassword, monday, admin);
    say(`wrote ${web}, ${poolShot} and ${admin}`);
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

const leads = leadOwnProcessGroup(() => process.exit(1));
if (leads) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`screenshots failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
