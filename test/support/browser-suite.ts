/**
 * A browser suite's lifecycle written once: the served bundles built when stale and Chromium
 * launched in `beforeAll`; each `newPage()` in a context of its own, watched for page problems
 * (CSP violations, console errors, uncaught exceptions) from before its first load; after each
 * test its contexts closed and no problem recorded; the browser closed in `afterAll`.
 *
 * Declare it before `useHarness` so that `afterAll` closes the browser before the nodes, as
 * jest-circus runs a block's `afterAll` hooks in the order they were declared.
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { listenToPage, watchContextProblems } from './page-problems';

export interface BrowserSuite {
  /** The suite's Chromium (throws before `beforeAll` ran). */
  readonly browser: Browser;
  /** What the pages did wrong in this test so far; asserted empty after each test. */
  readonly problems: string[];
  /**
   * A page in a new context (the suite's context options, then `context`), problems watched,
   * actions timing out after `timeoutMs` (10 s unless given).
   */
  newPage(context?: BrowserContextOptions, timeoutMs?: number): Promise<Page>;
}

export function useBrowserSuite(opts: {
  /** Builds what the pages load (e.g. `ensureWebBuilt`), before the launch. */
  build?: Array<() => void>;
  /** Every page's context options unless `newPage` says otherwise. */
  context?: BrowserContextOptions;
  /** The `beforeAll` timeout (a build may take a while). */
  timeoutMs?: number;
}): BrowserSuite {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  beforeAll(async () => {
    for (const build of opts.build ?? []) build();
    browser = await launchBrowser();
  }, opts.timeoutMs);
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    // The pages run under a strict Content-Security-Policy: nothing they do may be refused, from
    // the sign-in screen on; nor may they log an error or throw.
    expect(problems.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
  });
  const need = (): Browser => {
    if (!browser) throw new Error('useBrowserSuite: the browser is not launched yet');
    return browser;
  };
  return {
    get browser() {
      return need();
    },
    problems,
    async newPage(context, timeoutMs = 10_000) {
      const made = await need().newContext({ ...opts.context, ...context });
      contexts.push(made);
      await watchContextProblems(made, problems);
      // The CSP watch is set on the context, so that its page starts with it (no round trips of its own).
      const page = await made.newPage();
      listenToPage(page, problems);
      page.setDefaultTimeout(timeoutMs);
      return page;
    },
  };
}
