/**
 * Where the dashboard runs: inside Electron (the preload's `window.bookingAdmin`: token kept
 * with safeStorage, native notifications, switchable server) or in a plain browser at
 * `<server>/admin/` (token in localStorage, same-origin server, web notifications if allowed).
 */
import { BRIDGE_KEY } from '../common/ipc.contract';
import type { DesktopApi, NotifyArg } from '../common/ipc.contract';

export interface Host {
  readonly desktop: boolean;
  serverUrl(): Promise<string>;
  setServerUrl(url: string): Promise<void>;
  getToken(): Promise<string | null>;
  setToken(token: string | null): Promise<void>;
  notify(n: NotifyArg): Promise<void>;
}

const TOKEN_KEY = 'booking-admin-token';

function desktopApi(): DesktopApi | null {
  const candidate: unknown = Reflect.get(window, BRIDGE_KEY);
  if (typeof candidate !== 'object' || candidate === null) return null;
  return typeof Reflect.get(candidate, 'getToken') === 'function' ? (candidate as DesktopApi) : null;
}

export function detectHost(): Host {
  const api = desktopApi();
  if (api) {
    return {
      desktop: true,
      serverUrl: () => api.getServerUrl(),
      setServerUrl: (url) => api.setServerUrl(url),
      getToken: () => api.getToken(),
      setToken: (token) => api.setToken(token),
      notify: (n) => api.notify(n),
    };
  }
  return {
    desktop: false,
    serverUrl: async () => window.location.origin,
    setServerUrl: async () => undefined,
    async getToken() {
      return window.localStorage.getItem(TOKEN_KEY);
    },
    async setToken(token) {
      if (token === null) window.localStorage.removeItem(TOKEN_KEY);
      else window.localStorage.setItem(TOKEN_KEY, token);
    },
    async notify(n) {
      if ('Notification' in window && Notification.permission === 'granted')
        new Notification(n.title, { body: n.body });
    },
  };
}
