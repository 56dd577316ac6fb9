/**
 * The Electron main and preload code against a mocked `electron` module: the window's web
 * preferences, the navigation guard, and the IPC handlers' sender and argument checks.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IpcChannel } from '../src/common/ipc.contract';
import type { IpcMainInvokeEvent } from 'electron';
import type { DesktopApi } from '../src/common/ipc.contract';
import { registerIpcHandlers } from '../src/main/ipc.handlers';
import { ServerUrlArg } from '../src/main/ipc.schemas';
import { createSettingsStore } from '../src/main/settings.store';
import { createMainWindow } from '../src/main/window.factory';
import { BrowserWindow, contextBridge, ipcMain, ipcRenderer, safeStorage, shell } from './support/electron.fake';

/** A settings folder for one test, removed when the file's tests end. */
const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'admin-ipc-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

jest.mock('electron', () => jest.requireActual('./support/electron.fake'));

const ORIGIN = 'http://127.0.0.1:3000';

describe('main window', () => {
  const win = () => {
    const w = BrowserWindow.instances.at(-1);
    if (!w) throw new Error('no window');
    return w;
  };
  beforeAll(() => {
    createMainWindow({
      origin: () => ORIGIN,
      preloadPath: '/app/dist/preload/preload.js',
      openExternal: (u) => void shell.openExternal(u),
    });
  });

  it('is created with the secure web preferences and loads the server dashboard', () => {
    expect(win().options.webPreferences).toEqual(
      expect.objectContaining({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        preload: '/app/dist/preload/preload.js',
      }),
    );
    expect(win().loaded).toEqual([`${ORIGIN}/admin/`]);
  });

  it('cancels navigation and redirects to any other origin, allows its own', () => {
    const wc = win().webContents;
    for (const event of ['will-navigate', 'will-redirect']) {
      expect(wc.emitNavigation(event, 'https://evil.example/phish')).toBe(true);
      expect(wc.emitNavigation(event, 'http://127.0.0.1:3001/admin/')).toBe(true); // other port
      expect(wc.emitNavigation(event, 'https://127.0.0.1:3000/admin/')).toBe(true); // other scheme
      expect(wc.emitNavigation(event, 'file:///etc/passwd')).toBe(true);
      expect(wc.emitNavigation(event, 'not a url')).toBe(true);
      expect(wc.emitNavigation(event, `${ORIGIN}/admin/?day=2026-12-01`)).toBe(false);
    }
    expect(wc.emitNavigation('will-attach-webview', `${ORIGIN}/admin/`)).toBe(true);
  });

  it('denies every new window; http(s) links go to the system browser', () => {
    const handler = win().webContents.windowOpenHandler;
    expect(handler).not.toBeNull();
    expect(handler?.({ url: 'https://example.org/help' })).toEqual({ action: 'deny' });
    expect(handler?.({ url: `${ORIGIN}/admin/` })).toEqual({ action: 'deny' });
    expect(handler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(shell.opened).toContain('https://example.org/help');
    expect(shell.opened).not.toContain('javascript:alert(1)');
  });
});

describe('IPC handlers', () => {
  const dir = tempDir();
  const file = join(dir, 'settings.json');
  const settings = createSettingsStore({ file, defaultServerUrl: ORIGIN, secrets: safeStorage });
  const changed: string[] = [];
  const notified: unknown[] = [];
  registerIpcHandlers({
    ipcMain,
    settings,
    onServerUrlChanged: (o) => changed.push(o),
    notify: (n) => notified.push(n),
  });

  const trusted = { senderFrame: { url: `${ORIGIN}/admin/`, parent: null } };
  const invoke = async (
    channel: string,
    event: { senderFrame: { url: string; parent: unknown } | null },
    ...args: unknown[]
  ) => {
    const handler = ipcMain.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    // Only senderFrame is read; a partial event stands in for Electron's.
    return handler(event as unknown as IpcMainInvokeEvent, ...args);
  };

  it('registers exactly the bridge channels', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual(Object.values(IpcChannel).sort());
  });

  it('rejects a sender from another origin, a subframe, or no frame at all', async () => {
    const wrong = [
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      { senderFrame: { url: 'http://127.0.0.1:3001/admin/', parent: null } },
      { senderFrame: { url: `${ORIGIN}/admin/`, parent: { url: `${ORIGIN}/admin/` } } },
      { senderFrame: null },
    ];
    for (const event of wrong) {
      for (const channel of Object.values(IpcChannel)) {
        await expect(invoke(channel, event, 'x')).rejects.toThrow('untrusted sender');
      }
    }
    expect(changed).toEqual([]);
  });

  it('rejects bad arguments', async () => {
    await expect(invoke(IpcChannel.setServerUrl, trusted, 'javascript:alert(1)')).rejects.toThrow('invalid arguments');
    await expect(invoke(IpcChannel.setServerUrl, trusted, 'file:///etc/passwd')).rejects.toThrow('invalid arguments');
    await expect(invoke(IpcChannel.setServerUrl, trusted, 42)).rejects.toThrow('invalid arguments');
    await expect(invoke(IpcChannel.setServerUrl, trusted)).rejects.toThrow('invalid arguments');
    await expect(invoke(IpcChannel.setToken, trusted, { token: 'x' })).rejects.toThrow('invalid arguments');
    await expect(invoke(IpcChannel.setToken, trusted, '')).rejects.toThrow('invalid arguments');
    await expect(invoke(IpcChannel.setToken, trusted, 'a'.repeat(5000))).rejects.toThrow('invalid arguments');
    await expect(invoke(IpcChannel.notify, trusted, { title: '', body: 'x' })).rejects.toThrow('invalid arguments');
    await expect(invoke(IpcChannel.notify, trusted, { title: 't', body: 'b', icon: '/etc/passwd' })).rejects.toThrow(
      'invalid arguments',
    );
    await expect(invoke(IpcChannel.getToken, trusted, 'extra')).rejects.toThrow('invalid arguments');
    expect(changed).toEqual([]);
    expect(notified).toEqual([]);
  });

  it('serves a trusted sender: token kept encrypted, server switched to an origin, notifications shown', async () => {
    expect(await invoke(IpcChannel.getServerUrl, trusted)).toBe(ORIGIN);
    await invoke(IpcChannel.setToken, trusted, 'secret-token-value');
    expect(await invoke(IpcChannel.getToken, trusted)).toBe('secret-token-value');
    expect(readFileSync(file, 'utf8')).not.toContain('secret-token-value');
    await invoke(IpcChannel.notify, trusted, { title: 'Hello', body: 'there' });
    expect(notified).toEqual([{ title: 'Hello', body: 'there' }]);
    await invoke(IpcChannel.setToken, trusted, null);
    expect(await invoke(IpcChannel.getToken, trusted)).toBeNull();

    await invoke(IpcChannel.setServerUrl, trusted, 'https://booking.example.com:8443/some/path?q=1');
    expect(changed).toEqual(['https://booking.example.com:8443']);
    // The old origin is no longer trusted; the new one is.
    await expect(invoke(IpcChannel.getServerUrl, trusted)).rejects.toThrow('untrusted sender');
    expect(
      await invoke(IpcChannel.getServerUrl, {
        senderFrame: { url: 'https://booking.example.com:8443/admin/', parent: null },
      }),
    ).toBe('https://booking.example.com:8443');
  });

  it('accepts https servers, and plain http only on the loopback', async () => {
    settings.setServerUrl(ORIGIN); // the test above moved to another server
    const before = changed.length;
    for (const url of ['http://booking.example.com', 'http://10.0.0.5:3000', 'http://192.168.1.2', 'ftp://127.0.0.1']) {
      await expect(invoke(IpcChannel.setServerUrl, trusted, url)).rejects.toThrow('invalid arguments');
    }
    expect(changed).toHaveLength(before);
    for (const url of ['http://localhost:3000', 'http://[::1]:3000', 'https://booking.example.com']) {
      expect(ServerUrlArg.safeParse(url).success).toBe(true);
    }
  });

  it('forgets the token when the server changes, and never hands it to another origin', async () => {
    settings.setServerUrl(ORIGIN);
    await invoke(IpcChannel.setToken, trusted, 'token-for-origin-a');
    await invoke(IpcChannel.setServerUrl, trusted, 'https://other.example.com');
    const other = { senderFrame: { url: 'https://other.example.com/admin/', parent: null } };
    expect(await invoke(IpcChannel.getToken, other)).toBeNull();
    expect(readFileSync(file, 'utf8')).not.toContain('tokenCipher');
    // Switching back does not bring it back either: it was forgotten, not hidden.
    await invoke(IpcChannel.setServerUrl, other, ORIGIN);
    expect(await invoke(IpcChannel.getToken, trusted)).toBeNull();
    // The same origin again keeps the token.
    await invoke(IpcChannel.setToken, trusted, 'token-again');
    await invoke(IpcChannel.setServerUrl, trusted, `${ORIGIN}/admin/`);
    expect(await invoke(IpcChannel.getToken, trusted)).toBe('token-again');
  });

  it('ignores a stored token bound to another origin, and a stored plain-http server on a network', () => {
    const dir3 = tempDir();
    const f = join(dir3, 's.json');
    const cipher = safeStorage.encryptString('stolen').toString('base64');
    writeFileSync(
      f,
      JSON.stringify({ serverUrl: ORIGIN, tokenCipher: cipher, tokenOrigin: 'https://evil.example.com' }),
    );
    expect(createSettingsStore({ file: f, defaultServerUrl: ORIGIN, secrets: safeStorage }).token()).toBeNull();
    writeFileSync(f, JSON.stringify({ serverUrl: 'http://booking.example.com' }));
    expect(createSettingsStore({ file: f, defaultServerUrl: ORIGIN, secrets: safeStorage }).serverUrl()).toBe(ORIGIN);
  });

  it('refuses to store the token when Linux safeStorage is plain text (basic_text)', () => {
    const dir4 = tempDir();
    const f = join(dir4, 's.json');
    const weak = { ...safeStorage, getSelectedStorageBackend: () => 'basic_text' };
    const store = createSettingsStore({ file: f, defaultServerUrl: ORIGIN, secrets: weak, platform: 'linux' });
    store.setToken('weakly-kept');
    expect(store.token()).toBe('weakly-kept');
    const written = readFileSync(f, 'utf8');
    expect(written).not.toContain('tokenCipher');
    expect(written).not.toContain(safeStorage.encryptString('weakly-kept').toString('base64'));
    // A real keyring backend stores it (encrypted).
    const strong = createSettingsStore({
      file: f,
      defaultServerUrl: ORIGIN,
      secrets: { ...safeStorage, getSelectedStorageBackend: () => 'gnome_libsecret' },
      platform: 'linux',
    });
    strong.setToken('strongly-kept');
    expect(readFileSync(f, 'utf8')).toContain('tokenCipher');
    expect(
      createSettingsStore({ file: f, defaultServerUrl: ORIGIN, secrets: weak, platform: 'linux' }).token(),
    ).toBeNull();
  });

  it('never writes the token in clear when the OS has no encryption', () => {
    const dir2 = tempDir();
    const store = createSettingsStore({
      file: join(dir2, 's.json'),
      defaultServerUrl: ORIGIN,
      secrets: { ...safeStorage, isEncryptionAvailable: () => false },
    });
    store.setToken('plain-token');
    expect(store.token()).toBe('plain-token');
    expect(readFileSync(join(dir2, 's.json'), 'utf8')).not.toContain('plain-token');
  });
});

describe('preload', () => {
  it('exposes one small named API that maps to the invoke channels', async () => {
    await import('../src/preload/preload');
    const api = contextBridge.exposed.get('bookingAdmin') as DesktopApi | undefined;
    expect(api).toBeDefined();
    expect(Object.keys(api ?? {}).sort()).toEqual(['getServerUrl', 'getToken', 'notify', 'setServerUrl', 'setToken']);
    await api?.setToken('t');
    await api?.notify({ title: 'a', body: 'b' });
    expect(ipcRenderer.invocations).toEqual([
      { channel: IpcChannel.setToken, args: ['t'] },
      { channel: IpcChannel.notify, args: [{ title: 'a', body: 'b' }] },
    ]);
  });
});
