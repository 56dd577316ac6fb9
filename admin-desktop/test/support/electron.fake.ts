/**
 * A stand-in for the `electron` module in main-process tests (`jest.mock('electron', ...)`):
 * records what the code under test asks of Electron so the tests can check it.
 */
import type { IpcMainInvokeEvent } from 'electron';

type Listener = (...args: unknown[]) => unknown;
type InvokeListener = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

export class FakeWebContents {
  readonly listeners = new Map<string, Listener[]>();
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  /** Fires `event` like Electron would, with a preventDefault spy; returns whether it was prevented. */
  emitNavigation(event: string, url: string): boolean {
    let prevented = false;
    const ev = { preventDefault: () => (prevented = true) };
    for (const l of this.listeners.get(event) ?? []) l(ev, url);
    return prevented;
  }
}

export class BrowserWindow {
  static readonly instances: BrowserWindow[] = [];
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances;
  }
  readonly webContents = new FakeWebContents();
  readonly loaded: string[] = [];
  constructor(readonly options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>) {
    BrowserWindow.instances.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return Promise.resolve();
  }
  once(): this {
    return this;
  }
  on(): this {
    return this;
  }
  show(): void {}
}

export const ipcMain = {
  handlers: new Map<string, InvokeListener>(),
  handle(channel: string, listener: InvokeListener): void {
    ipcMain.handlers.set(channel, listener);
  },
};

export const ipcRenderer = {
  invocations: [] as Array<{ channel: string; args: unknown[] }>,
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    ipcRenderer.invocations.push({ channel, args });
    return Promise.resolve(null);
  },
};

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    contextBridge.exposed.set(key, api);
  },
};

/** Reversible "encryption" that is visibly not the plain text. */
export const safeStorage = {
  available: true,
  isEncryptionAvailable: () => safeStorage.available,
  encryptString: (plain: string) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
  decryptString: (cipher: Buffer) => Buffer.from(cipher.map((b) => b ^ 0x5a)).toString('utf8'),
};

export const shell = {
  opened: [] as string[],
  openExternal: (url: string) => Promise.resolve(void shell.opened.push(url)),
};
export const app = { getPath: () => '/tmp', whenReady: () => new Promise<void>(() => undefined), on: () => app };
export const session = { defaultSession: { setPermissionRequestHandler: () => undefined } };
export class Notification {
  static isSupported(): boolean {
    return true;
  }
  show(): void {}
}
