/**
 * The desktop app's settings file (`<userData>/settings.json`): the server origin and the staff
 * token. The token is written only encrypted by `safeStorage` (the OS keychain); where the OS
 * offers no real encryption (none, or Linux's `basic_text` backend, which only obfuscates with a
 * fixed key) it is kept in memory for the session and never written. The token is bound to the
 * origin it was issued for: it is forgotten when the server changes, and never handed to another.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { isAcceptableServerUrl } from './ipc.schemas';

const SettingsFile = z.object({
  serverUrl: z.string().optional(),
  /** base64 of safeStorage.encryptString(token) */
  tokenCipher: z.string().optional(),
  /** The server origin the token was issued for. */
  tokenOrigin: z.string().optional(),
});
type SettingsFile = z.infer<typeof SettingsFile>;

/** The part of Electron's safeStorage this store uses. */
export interface SecretBox {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(cipher: Buffer): string;
  /** Linux only: which store backs it (`basic_text` is a fixed key: plain text in effect). */
  getSelectedStorageBackend?(): string;
}

/** Linux backends that do not protect a secret (`unknown`: asked before the app was ready). */
const WEAK_BACKENDS = new Set(['basic_text', 'unknown']);

export interface SettingsStore {
  serverUrl(): string;
  setServerUrl(origin: string): void;
  token(): string | null;
  setToken(token: string | null): void;
}

export function createSettingsStore(opts: {
  file: string;
  defaultServerUrl: string;
  secrets: SecretBox;
  platform?: NodeJS.Platform;
}): SettingsStore {
  const platform = opts.platform ?? process.platform;
  /** Real encryption only: on Linux, `basic_text` counts as none. */
  const canEncrypt = (): boolean => {
    if (!opts.secrets.isEncryptionAvailable()) return false;
    if (platform !== 'linux') return true;
    const backend = opts.secrets.getSelectedStorageBackend?.() ?? 'unknown';
    return !WEAK_BACKENDS.has(backend);
  };
  const read = (): SettingsFile => {
    if (!existsSync(opts.file)) return {};
    try {
      const parsed = SettingsFile.safeParse(JSON.parse(readFileSync(opts.file, 'utf8')));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  };
  let state = read();
  let memoryToken: { token: string; origin: string } | null = null;
  const write = () => {
    mkdirSync(dirname(opts.file), { recursive: true });
    writeFileSync(opts.file, JSON.stringify(state, null, 2), { mode: 0o600 });
  };
  // A stored plain-http server on a network (written by an older version) is not used.
  const serverUrl = () =>
    state.serverUrl && isAcceptableServerUrl(state.serverUrl) ? state.serverUrl : opts.defaultServerUrl;
  const withoutToken = (s: SettingsFile): SettingsFile => {
    const { tokenCipher: _cipher, tokenOrigin: _origin, ...rest } = s;
    return rest;
  };
  return {
    serverUrl,
    setServerUrl(origin) {
      // Another server: the token of the old one must not follow (it would be sent there).
      if (origin !== serverUrl()) {
        memoryToken = null;
        state = withoutToken(state);
      }
      state = { ...state, serverUrl: origin };
      write();
    },
    token() {
      const origin = serverUrl();
      if (memoryToken) return memoryToken.origin === origin ? memoryToken.token : null;
      if (!state.tokenCipher || state.tokenOrigin !== origin || !canEncrypt()) return null;
      try {
        return opts.secrets.decryptString(Buffer.from(state.tokenCipher, 'base64'));
      } catch {
        return null;
      }
    },
    setToken(token) {
      memoryToken = null;
      const rest = withoutToken(state);
      if (token === null) {
        state = rest;
      } else if (canEncrypt()) {
        state = {
          ...rest,
          tokenCipher: opts.secrets.encryptString(token).toString('base64'),
          tokenOrigin: serverUrl(),
        };
      } else {
        memoryToken = { token, origin: serverUrl() };
        state = rest;
      }
      write();
    },
  };
}
