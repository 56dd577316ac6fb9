/**
 * Keeps every web contents on the configured server's origin: in-page navigations and
 * redirects elsewhere are cancelled, new windows are denied (http(s) links open in the system
 * browser instead), and <webview> cannot be attached.
 */
import type { HandlerDetails, WebContents } from 'electron';

/** True when `url` is on exactly `origin` (scheme, host and port). */
export function isAllowedUrl(url: string, origin: string): boolean {
  if (!URL.canParse(url)) return false;
  return new URL(url).origin === origin;
}

interface NavigationEvent {
  preventDefault(): void;
}

export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export function guardNavigation(opts: {
  contents: GuardedContents;
  /** The allowed origin, read at each navigation (the staff may switch servers). */
  origin: () => string;
  openExternal?: (url: string) => void;
}): void {
  const { contents } = opts;
  const check = (event: NavigationEvent, url: string) => {
    if (!isAllowedUrl(url, opts.origin())) event.preventDefault();
  };
  contents.on('will-navigate', (event, url) => check(event, url));
  contents.on('will-redirect', (event, url) => check(event, url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler((details: HandlerDetails) => {
    if (opts.openExternal && /^https?:\/\//.test(details.url)) opts.openExternal(details.url);
    return { action: 'deny' };
  });
}
