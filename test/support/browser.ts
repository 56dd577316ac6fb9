/**
 * Debian's Chromium driven by playwright-core (a test tool's own browser download fails here).
 * Shared by every browser test: the booking page's and the dashboard's.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type axe from 'axe-core';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

/** Where Chromium lives; `CHROMIUM_PATH` overrides it. */
export const chromiumPath = (): string => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags: no sandbox (tests run as root in a container), no GPU, and nothing that phones home —
 * without the background-networking flags the closed network refuses Chromium's own connections.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
}

/** `artifacts/<name>` at the repository root (gitignored); the folder is created when missing. */
export function artifactPath(name: string): string {
  const dir = join(__dirname, '..', '..', 'artifacts');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR, or null when `buf` is not a PNG. */
export function pngSize(buf: Buffer): { width: number; height: number } | null {
  if (buf.length < 24 || !buf.subarray(0, 8).equals(PNG_SIGNATURE) || buf.toString('ascii', 12, 16) !== 'IHDR')
    return null;
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/** One axe-core finding, reduced to what a failure message needs. */
export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core's minified build: the same rules as `axe.source` (the unminified build, 1.5 MB), in 0.65 MB,
 * which a page compiles in about half the time. Read once per test file.
 */
let axeSource: string | undefined;
const minifiedAxe = (): string =>
  (axeSource ??= readFileSync(join(dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8'));

/** The page's document has axe-core already (an earlier check of the same document put it there). */
const AXE_PRESENT =
  "typeof globalThis.axe === 'object' && globalThis.axe !== null && typeof globalThis.axe.run === 'function'";

/**
 * Runs axe-core's WCAG 2.1 A and AA rules in the page (its source evaluated there, no network) and
 * answers the serious and critical violations.
 *
 * The source is evaluated once per document: compiling it is most of a check's time, and a second
 * check of the same document (a test checking it again after a change) finds it there. Only the
 * violations are aggregated (`resultTypes`): every violating node is still reported, while the passes,
 * the incomplete and the inapplicable results, never read here, keep one node each instead of a
 * unique selector computed for every node of the page.
 */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  // Evaluated through the debugging protocol, not a <script>: a page's CSP (the dashboard's) allows no inline script.
  if (!(await page.evaluate(AXE_PRESENT))) await page.evaluate(minifiedAxe());
  const found = await page.evaluate(async () => {
    // The root tsconfig has no DOM types: the page's global is reached through globalThis.
    const injected = Reflect.get(globalThis, 'axe') as typeof axe;
    const result = await injected.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.map((n) => n.target.map(String).join(' ')),
    }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
