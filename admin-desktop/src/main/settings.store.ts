/**
 * The desktop app's settings file (`<userData>/settings.json`): the server origin and the staff
 * token. The token is written only encrypted by `safeStorage` (the OS keychain); where the OS
 * offers no encryption it is kept in memory for the session and never written in clear.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

const SettingsFile = z.object({
  serverUrl: z.string().optional(),
  /** base64 of safeStorage.encryptString(token) */
  tokenCipher: z.string().optional(),
});
type SettingsFile = z.infer<typeof SettingsFile>;

/** The part of Electron's safeStorage this store uses. */
export interface SecretBox {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(cipher: Buffer): string;
}

export interface SettingsStore {
  serverUrl(): string;
  setServerUrl(origin: string): void;
  token(): string | null;
  setToken(token: string | null): void;
}

export function createSettingsStore(opts: { file: string; defaultServerUrl: string; secrets: SecretBox }): SettingsStore {
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
  let memoryToken: string | null = null;
  const write = () => {
    mkdirSync(dirname(opts.file), { recursive: true });
    writeFileSync(opts.file, JSON.stringify(state, null, 2), { mode: 0o600 });
  };
  return {
    serverUrl: () => state.serverUrl ?? opts.defaultServerUrl,
    setServerUrl(origin) {
      state = { ...state, serverUrl: origin };
      write();
    },
    token() {
      if (memoryToken) return memoryToken;
      if (!state.tokenCipher || !opts.secrets.isEncryptionAvailable()) return null;
      try {
        return opts.secrets.decryptString(Buffer.from(state.tokenCipher, 'base64'));
      } catch {
        return null;
      }
    },
    setToken(token) {
      memoryToken = null;
      const { tokenCipher: _old, ...rest } = state;
      if (token === null) {
        state = rest;
      } else if (opts.secrets.isEncryptionAvailable()) {
        state = { ...rest, tokenCipher: opts.secrets.encryptString(token).toString('base64') };
      } else {
        memoryToken = token;
        state = rest;
      }
      write();
    },
  };
}
