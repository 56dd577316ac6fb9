/**
 * Everything a browser test's page must not do, recorded from before its first load (the sign-in
 * screen included): a Content-Security-Policy violation, a console error, an uncaught exception.
 *
 * CSP violations are heard through the page's own `securitypolicyviolation` events: an init
 * script (run before any of the page's scripts, through the debugging protocol, so the page's CSP
 * does not apply to it) keeps each in `window.__cspViolations` and hands it to the test through a
 * binding at once, so a page the test closes early still reports. Chromium does not log every
 * violation to the console (a blocked `new Function` that the page catches, as a library probing
 * for eval does, only fires the event), so listening to the console alone misses some.
 *
 * A console error counts too, except Chromium's own line for an HTTP error answer ("Failed to load
 * resource: … status of 4xx"): the pages ask questions whose documented answer is a 4xx (a wrong
 * password, an expired link) and show it; the line is the browser's network log, not the page's.
 */
import type { BrowserContext, Page } from 'playwright-core';

const BINDING = '__reportPageProblem';

/** Runs in the page before its own scripts: plain JavaScript (the root tsconfig has no DOM types). */
const INIT_SCRIPT = `(() => {
  const seen = [];
  window.__cspViolations = seen;
  document.addEventListener('securitypolicyviolation', (e) => {
    const where = (e.sourceFile || e.documentURI) + ':' + e.lineNumber;
    const text = 'CSP violation: ' + e.effectiveDirective + ' refused ' + (e.blockedURI || '(inline)') + ' in ' + where;
    seen.push(text);
    const report = window.${BINDING};
    if (typeof report === 'function') void report(text);
  }, true);
})();`;

const HTTP_ERROR_ANSWER = /^Failed to load resource: the server responded with a status of 4\d\d\b/;

/**
 * Starts recording `page`'s problems into `into`. Call it before the page's first `goto`; a test
 * asserts `into` empty at its end.
 */
export async function watchPageProblems(page: Page, into: string[]): Promise<void> {
  await page.exposeBinding(BINDING, (_source, text: unknown) => {
    into.push(String(text));
  });
  await page.addInitScript({ content: INIT_SCRIPT });
  listenToPage(page, into);
}

/**
 * The same watch for every page of `context`: its CSP violations from the binding and init script,
 * set once on the context before its first page (each page then starts with them, with no round trip
 * of its own), and each page's console errors and uncaught exceptions from `listenToPage`, which the
 * caller attaches to a page before its first `goto`.
 */
export async function watchContextProblems(context: BrowserContext, into: string[]): Promise<void> {
  await context.exposeBinding(BINDING, (_source, text: unknown) => {
    into.push(String(text));
  });
  await context.addInitScript({ content: INIT_SCRIPT });
}

/** Records `page`'s console errors (but the browser's line for a 4xx answer) and uncaught exceptions into `into`. */
export function listenToPage(page: Page, into: string[]): void {
  page.on('console', (message) => {
    if (message.type() !== 'error' || HTTP_ERROR_ANSWER.test(message.text())) return;
    into.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (err) => into.push(`page error: ${err.message}`));
}

/** The violations the page kept in `window.__cspViolations` (for a page still open). */
export async function cspViolationsIn(page: Page): Promise<string[]> {
  const kept: unknown = await page.evaluate('window.__cspViolations ?? []');
  return Array.isArray(kept) ? kept.map(String) : [];
}
