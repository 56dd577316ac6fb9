/**
 * The room display page (`/display/#<token>`) in Chromium, against a stand-in for the `/display`
 * namespace that speaks the contract (display-fake-server.ts) with states the test chooses: each
 * state in its colour and words, in every language, at 800×480 and 1920×1080 without overflow,
 * and axe-clean (WCAG 2.1 AA) at one of the two sizes each; German and French in detail; the
 * check-in countdown from the server's clock (the state's `at` is three hours off the device's); the buttons send the contract's commands and an error is said
 * in words; offline banner when the server stops and recovery when it starts again; the revoked
 * screen; the key taken out of the address bar and kept for a reload; no key, a clear screen.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { errorSentence, formatInstant } from '@booking/shared';
import type { DisplayState, DisplayStateName, Locale } from '@booking/shared';
import { artifactPath, axeViolations } from '../../test/support/browser';
import { useBrowserSuite } from '../../test/support/browser-suite';
import { watchPageProblems } from '../../test/support/page-problems';
import { ensureDisplayBuilt } from './display-build';
import { startFakeDisplayServer } from './display-fake-server';
import { displayTranslator } from '../src/display/i18n';
import { STATE_WORD_KEYS } from '../src/display/model';
import type { FakeDisplayServer } from './display-fake-server';

jest.setTimeout(120_000);

const SMALL = { width: 800, height: 480 };
const LARGE = { width: 1920, height: 1080 };
const ZONE = 'Europe/Berlin';
/** The server's clock runs three hours ahead of the device's: the page must count from `at`. */
const SKEW_MS = 3 * 3600_000;
const MIN = 60_000;
const TOKEN = 'test-display-key';

/** The device sits in another zone than the room: times are the room's. */
const DEVICE = { locale: 'en-GB', timezoneId: 'America/New_York' };
const web = useBrowserSuite({
  build: [ensureDisplayBuilt],
  context: DEVICE,
  timeoutMs: 120_000,
});
let fake: FakeDisplayServer;

beforeAll(async () => {
  fake = await startFakeDisplayServer(stateOf('free'));
  fake.tokens.add(TOKEN);
});
afterAll(async () => {
  await fake?.stop();
});
beforeEach(() => {
  fake.commands.splice(0);
  fake.answer = () => ({ ok: true, data: {} });
});

const iso = (ms: number): string => new Date(ms).toISOString();

/** A state as the server would send it now (server time = device time + SKEW_MS). */
function stateOf(name: DisplayStateName, locale: Locale = 'en'): DisplayState {
  const at = Math.floor((Date.now() + SKEW_MS) / MIN) * MIN;
  const resource = { id: 'r1', name: 'Fjord meeting room', timeZone: ZONE, capacity: 8, locale };
  const later = [
    { bookingId: 'n1', start: iso(at + 70 * MIN), end: iso(at + 100 * MIN), title: 'Design review' },
    { bookingId: 'n2', start: iso(at + 120 * MIN), end: iso(at + 180 * MIN) },
    { bookingId: 'n3', start: iso(at + 180 * MIN), end: iso(at + 200 * MIN), title: 'Quarterly planning with finance' },
    { bookingId: 'n4', start: iso(at + 210 * MIN), end: iso(at + 240 * MIN), title: 'Interview' },
    { bookingId: 'n5', start: iso(at + 250 * MIN), end: iso(at + 300 * MIN), title: 'Retro' },
  ];
  const base = { resource, at: iso(at), next: later, freeUntil: null, current: null };
  if (name === 'free') return { ...base, state: 'free', freeUntil: iso(at + 40 * MIN) };
  if (name === 'closed') return { ...base, state: 'closed', next: [] };
  const start = iso(at - 2 * MIN);
  if (name === 'awaiting-check-in')
    return {
      ...base,
      state: name,
      current: {
        bookingId: 'c1',
        start,
        end: iso(at + 58 * MIN),
        title: 'Team stand-up',
        checkInDeadline: iso(at + 8 * MIN),
      },
    };
  return {
    ...base,
    state: name,
    current: { bookingId: 'c1', start, end: iso(at + 58 * MIN), title: 'Team stand-up', checkedInAt: start },
  };
}

const room = (locale: Locale, at: string): string => formatInstant(locale, at, ZONE, 'time');

async function openDisplay(viewport = SMALL, token = TOKEN): Promise<Page> {
  const page = await web.newPage({ viewport });
  await page.goto(`${fake.url}/display/#${token}`);
  await page.locator('.display[data-state]').waitFor();
  return page;
}

/** Every element of the screen lies inside the viewport, and the document does not scroll either way. */
async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth) out.push(`scrollWidth ${doc.scrollWidth} > ${window.innerWidth}`);
    if (doc.scrollHeight > window.innerHeight) out.push(`scrollHeight ${doc.scrollHeight} > ${window.innerHeight}`);
    for (const el of document.querySelectorAll('.display *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const what = `${el.tagName}.${el.className} "${el.textContent?.slice(0, 30)}"`;
      if (r.right > window.innerWidth + 0.5 || r.bottom > window.innerHeight + 0.5 || r.left < -0.5 || r.top < -0.5)
        out.push(`${what} outside the viewport at ${JSON.stringify(r)}`);
      // Nor does anything spill out of its column into the next one (a long word, a wide row).
      const column = el.closest('.now, .next, .top');
      const c = column?.getBoundingClientRect();
      if (c && (r.right > c.right + 0.5 || r.left < c.left - 0.5 || (el as HTMLElement).scrollWidth > r.width + 1))
        out.push(`${what} wider than its column (${JSON.stringify(r)} in ${JSON.stringify(c)})`);
    }
    return out;
  });
}

/** Buttons smaller than 44×44 CSS pixels. */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('button')]
      .map((b) => ({ text: b.textContent ?? '', r: b.getBoundingClientRect() }))
      .filter(({ r }) => r.width < 44 || r.height < 44)
      .map(({ text, r }) => `${text}: ${r.width}×${r.height}`),
  );
}

const COLOURS: Record<DisplayStateName, string> = {
  free: 'rgb(27, 94, 32)',
  'awaiting-check-in': 'rgb(255, 179, 0)',
  'in-use': 'rgb(183, 28, 28)',
  closed: 'rgb(69, 90, 100)',
};
const WORDS: Record<DisplayStateName, string> = {
  free: 'Free',
  'awaiting-check-in': 'Awaiting check-in',
  'in-use': 'In use',
  closed: 'Closed',
};
const BUTTONS: Record<DisplayStateName, string[]> = {
  free: ['15 minutes', '30 minutes'],
  'awaiting-check-in': ['Check in'],
  'in-use': ['Extend by 15 minutes', 'End now'],
  closed: [],
};

const STATES = Object.keys(WORDS) as DisplayStateName[];
const LOCALES: Locale[] = ['en', 'de', 'fr', 'es'];

/**
 * axe runs at one of the two sizes for each language and state, alternating, so that each state
 * and each language is checked at both sizes (a Latin square: 16 runs, not one per size each).
 */
const axeHere = (locale: Locale, name: DisplayStateName, sizeIndex: number): boolean =>
  (LOCALES.indexOf(locale) + STATES.indexOf(name) + sizeIndex) % 2 === 0;

/**
 * One display page per size for the states and languages below, each state pushed to it in turn,
 * as the server does to a display on the wall (one context, not one per state: the page load is
 * most of such a test's time); its problems are asserted after each test like any other page's.
 * A page opened on a state is tested below: each state is the first that one of those pages gets.
 */
function useDisplayAt(viewport: typeof SMALL): () => Page {
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    context = await web.browser.newContext({ ...DEVICE, viewport });
    page = await context.newPage();
    await watchPageProblems(page, web.problems);
    page.setDefaultTimeout(10_000);
    fake.setState(stateOf('closed'));
    await page.goto(`${fake.url}/display/#${TOKEN}`);
    await page.locator('.display[data-state]').waitFor();
  });
  afterAll(async () => {
    await context?.close();
  });
  return () => {
    if (!page) throw new Error('the display page is not open yet');
    return page;
  };
}

/** Pushes `state` to the display and waits until it shows it in its language. */
async function show(page: Page, state: DisplayState): Promise<void> {
  fake.setState(state);
  const { locale } = state.resource;
  const word = displayTranslator(locale).t(STATE_WORD_KEYS[state.state]);
  await page.locator(`html[lang="${locale}"] .display[data-state="${state.state}"]`).waitFor();
  await page.getByRole('heading', { level: 2, name: word, exact: true }).waitFor();
}

describe.each([
  ['800x480', SMALL, 0],
  ['1920x1080', LARGE, 1],
] as const)('at %s', (size, viewport, sizeIndex) => {
  const displayPage = useDisplayAt(viewport);

  it.each(STATES)('shows %s in its colour and words, nothing cut, large buttons, axe-clean', async (name) => {
    const page = displayPage();
    const state = stateOf(name);
    await show(page, state);
    const screen = page.locator(`.display[data-state="${name}"]`);
    await expect(screen.evaluate((el) => getComputedStyle(el).backgroundColor)).resolves.toBe(COLOURS[name]);
    await expect(page.getByRole('heading', { level: 2, name: WORDS[name], exact: true }).count()).resolves.toBe(1);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Fjord meeting room');
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
    const buttons = await page.getByRole('button').allTextContents();
    expect(buttons).toEqual(BUTTONS[name]);
    if (name === 'free')
      await page.getByText(`Free until ${room('en', state.freeUntil ?? '')}`, { exact: true }).waitFor();
    if (state.current) {
      const { start, end } = state.current;
      await page.getByText(`${room('en', start)} – ${room('en', end)}`, { exact: true }).waitFor();
      await page.getByText('Team stand-up', { exact: true }).waitFor();
    }
    if (name === 'in-use') await page.getByText(/^Ends in (57|58) minutes$/).waitFor();
    const next = page.getByRole('complementary', { name: 'Next' });
    if (name === 'closed') await next.getByText('No more bookings today').waitFor();
    else {
      await expect(next.getByRole('listitem').count()).resolves.toBe(5);
      await next
        .getByText(`${room('en', state.next[0]?.start ?? '')} – ${room('en', state.next[0]?.end ?? '')}`)
        .waitFor();
    }
    if (axeHere('en', name, sizeIndex)) expect(await axeViolations(page)).toEqual([]);
    expect(await overflow(page)).toEqual([]);
    expect(await smallTargets(page)).toEqual([]);
    await page.screenshot({ path: artifactPath(`display-${name}-${size}.png`) });
  });

  it('fits every state in every other language, large buttons, axe-clean', async () => {
    const page = displayPage();
    for (const locale of LOCALES.filter((l) => l !== 'en'))
      for (const name of STATES) {
        await show(page, stateOf(name, locale));
        await expect(
          page.locator(`.display[data-state="${name}"]`).evaluate((el) => getComputedStyle(el).backgroundColor),
        ).resolves.toBe(COLOURS[name]);
        expect([locale, name, await overflow(page), await smallTargets(page)]).toEqual([locale, name, [], []]);
        if (axeHere(locale, name, sizeIndex))
          expect([locale, name, await axeViolations(page)]).toEqual([locale, name, []]);
      }
  });
});

it('counts down to the check-in deadline from the server’s clock, every second', async () => {
  fake.setState(stateOf('awaiting-check-in'));
  const page = await openDisplay();
  const timer = page.getByRole('timer');
  await expect(timer.textContent()).resolves.toMatch(/^Check in within[78]:\d\d$/);
  const count = page.locator('.count');
  const first = await count.textContent();
  // Eight minutes at most (the deadline is at + 8 min), not three hours more (the device's own clock).
  expect(first).toMatch(/^[78]:\d\d$/);
  await page.waitForFunction((before) => document.querySelector('.count')?.textContent !== before, first);
  await expect(count.textContent()).resolves.toMatch(/^[78]:\d\d$/);
});

it('sends the contract’s commands and says an error in words', async () => {
  fake.setState(stateOf('free'));
  fake.answer = ({ event }) =>
    event === 'display:bookNow'
      ? { ok: false, error: { code: 'SLOT_TAKEN', message: 'taken' } }
      : { ok: true, data: {} };
  const page = await openDisplay();
  // Only the walk-ins that end by freeUntil (40 minutes away) are offered.
  const bookNow = page.getByRole('group', { name: 'Book now' });
  await expect(bookNow.getByRole('button').allTextContents()).resolves.toEqual(['15 minutes', '30 minutes']);
  await bookNow.getByRole('button', { name: '30 minutes' }).click();
  await page.getByRole('alert').getByText(errorSentence('en', 'SLOT_TAKEN')).waitFor();
  expect(fake.commands).toEqual([{ event: 'display:bookNow', payload: { minutes: 30 } }]);

  // The error spoke of the free room: once it is awaiting check-in, it is gone.
  fake.setState(stateOf('awaiting-check-in'));
  await page.locator('.error:empty').waitFor({ state: 'attached' });
  await page.getByRole('button', { name: 'Check in' }).click();
  await page.waitForFunction(() => !document.querySelector('button:disabled'));
  fake.setState(stateOf('in-use'));
  await page.getByRole('button', { name: 'Extend by 15 minutes' }).click();
  await page.waitForFunction(() => !document.querySelector('button:disabled'));
  await page.getByRole('button', { name: 'End now' }).click();
  await page.waitForFunction(() => !document.querySelector('button:disabled'));
  expect(fake.commands.slice(1)).toEqual([
    { event: 'display:checkIn', payload: { bookingId: 'c1' } },
    { event: 'display:extend', payload: { bookingId: 'c1', minutes: 15 } },
    { event: 'display:endEarly', payload: { bookingId: 'c1' } },
  ]);
  // Every one of them succeeded: no error is on screen.
  await expect(page.locator('.error').textContent()).resolves.toBe('');
});

it('speaks German and French when the resource does, times in the room’s zone', async () => {
  const de = stateOf('in-use', 'de');
  fake.setState(de);
  const page = await openDisplay(LARGE);
  await page.getByRole('heading', { name: 'Belegt', exact: true }).waitFor();
  await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('de');
  await page.getByRole('button', { name: 'Um 15 Minuten verlängern' }).waitFor();
  await page.getByRole('button', { name: 'Jetzt beenden' }).waitFor();
  await page.getByText(/^Endet in (57|58) Minuten$/).waitFor();
  await page.getByRole('complementary', { name: 'Als Nächstes' }).waitFor();
  const { start, end } = de.current ?? { start: '', end: '' };
  await page.getByText(`${room('de', start)} – ${room('de', end)}`, { exact: true }).waitFor();
  expect(await axeViolations(page)).toEqual([]);

  const fr = stateOf('awaiting-check-in', 'fr');
  fake.setState(fr);
  await page.getByRole('heading', { name: 'En attente d’enregistrement', exact: true }).waitFor();
  await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('fr');
  await page.getByRole('button', { name: 'S’enregistrer' }).waitFor();
  await page
    .getByText(`Libérée à ${room('fr', fr.current?.checkInDeadline ?? '')} si personne ne s’enregistre`)
    .waitFor();
  await expect(page.title()).resolves.toBe('Fjord meeting room — affichage de salle');
  fake.answer = () => ({ ok: false, error: { code: 'INVALID_STATE', message: 'over' } });
  await page.getByRole('button', { name: 'S’enregistrer' }).click();
  await page.getByRole('alert').getByText(errorSentence('fr', 'INVALID_STATE')).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: artifactPath('display-fr-awaiting.png') });
});

it('says it is offline when the server stops, keeps the last state greyed, and recovers when it starts again', async () => {
  fake.setState(stateOf('in-use'));
  const page = await openDisplay(SMALL, TOKEN);
  await page.getByRole('heading', { name: 'In use', exact: true }).waitFor();
  await fake.stop();
  await page.getByRole('status').getByText('Offline — reconnecting…', { exact: true }).waitFor();
  await page.locator('.display[data-offline="true"][data-state="in-use"]').waitFor();
  await page.getByRole('heading', { name: 'In use', exact: true }).waitFor();
  await expect(page.getByRole('button', { name: 'End now' }).isDisabled()).resolves.toBe(true);
  expect(await axeViolations(page)).toEqual([]);
  expect(await overflow(page)).toEqual([]);
  await page.screenshot({ path: artifactPath('display-offline.png') });

  fake.setState(stateOf('free'));
  await fake.start();
  await page.locator('.display[data-state="free"]:not([data-offline])').waitFor({ timeout: 20_000 });
  await expect(page.locator('.banner').textContent()).resolves.toBe('');
  // While the server was down, Chromium logged each refused reconnection attempt: expected here, and only here.
  const refused = /^console error: WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/socket\.io\/.*' failed/;
  const others = web.problems.filter((p) => !refused.test(p));
  web.problems.splice(0, web.problems.length, ...others);
});

it('shows that its key was revoked and stops trying', async () => {
  const token = `revocable-${Date.now()}`;
  fake.tokens.add(token);
  fake.setState(stateOf('free'));
  const page = await openDisplay(SMALL, token);
  fake.revoke(token);
  await page.getByRole('heading', { name: 'This display’s key was revoked', exact: true }).waitFor();
  // Given its key back, the page still does not come back: it stopped for good. No event says
  // "nothing happened", so a window longer than socket.io's largest reconnection delay (5 s) is watched;
  // the revoked screen's own checks run inside that window.
  const handshakes = fake.handshakes;
  fake.tokens.add(token);
  await fake.stop();
  await fake.start();
  const windowEnds = Date.now() + 6000;
  await page.getByText('Ask staff for a new display link.').waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.waitForTimeout(Math.max(0, windowEnds - Date.now()));
  expect(fake.handshakes).toBe(handshakes);
  await expect(page.locator('[data-screen="revoked"]').count()).resolves.toBe(1);
});

it('takes the key out of the address bar, keeps it for a reload, and says so when there is none', async () => {
  fake.setState(stateOf('closed'));
  const page = await openDisplay(LARGE);
  expect(page.url()).toBe(`${fake.url}/display/`);
  await page.reload();
  await page.getByRole('heading', { name: 'Closed', exact: true }).waitFor();

  const bare = await web.newPage({ viewport: SMALL });
  await bare.goto(`${fake.url}/display/`);
  await bare.getByRole('heading', { name: 'This display has no key', exact: true }).waitFor();
  expect(await axeViolations(bare)).toEqual([]);
  expect(await overflow(bare)).toEqual([]);
});
