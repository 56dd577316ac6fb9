/**
 * The one bridge between the dashboard page and the Electron main process. The preload exposes
 * exactly `DesktopApi` as `window.bookingAdmin`; each method maps to one invoke channel, whose
 * arguments the main process validates (`main/ipc.schemas.ts`), never trusting the page.
 * No runtime imports here: the sandboxed preload bundles this file and nothing heavy.
 */
export const IpcChannel = {
  getServerUrl: 'admin:get-server-url',
  setServerUrl: 'admin:set-server-url',
  getToken: 'admin:get-token',
  setToken: 'admin:set-token',
  notify: 'admin:notify',
} as const;
export type IpcChannel = (typeof IpcChannel)[keyof typeof IpcChannel];

/** A desktop notification request. */
export interface NotifyArg {
  title: string;
  body: string;
}

/** What the page sees as `window.bookingAdmin` inside Electron. */
export interface DesktopApi {
  getServerUrl(): Promise<string>;
  /** Stores the server origin and reloads the window at its dashboard. */
  setServerUrl(url: string): Promise<void>;
  /** The stored token (kept encrypted with the OS keychain through safeStorage), or null. */
  getToken(): Promise<string | null>;
  setToken(token: string | null): Promise<void>;
  notify(n: NotifyArg): Promise<void>;
}

/** The name the preload exposes the API under. */
export const BRIDGE_KEY = 'bookingAdmin';
