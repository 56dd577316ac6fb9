/**
 * Electron entry. Start order: settings (BOOKING_URL is the first-run default server), IPC
 * handlers, a navigation guard on every web contents ever created, deny-all permission
 * requests, then the window at `<server>/admin/`.
 */
import { join } from 'node:path';
import { BrowserWindow, Notification, app, ipcMain, safeStorage, session, shell } from 'electron';
import { registerIpcHandlers } from './ipc.handlers';
import { ServerUrlArg } from './ipc.schemas';
import { guardNavigation } from './navigation.guard';
import { createSettingsStore } from './settings.store';
import { createMainWindow, dashboardUrl } from './window.factory';

const envUrl = ServerUrlArg.safeParse(process.env.BOOKING_URL ?? 'http://127.0.0.1:3000');
if (!envUrl.success) {
  process.stderr.write(
    `admin: BOOKING_URL must be an https URL (http only on 127.0.0.1 / localhost), got ${process.env.BOOKING_URL ?? ''}\n`,
  );
  process.exit(2);
}

void app.whenReady().then(() => {
  const settings = createSettingsStore({
    file: join(app.getPath('userData'), 'settings.json'),
    // An explicit BOOKING_URL wins over the stored server; otherwise the stored one is used.
    defaultServerUrl: envUrl.data,
    secrets: safeStorage,
  });
  if (process.env.BOOKING_URL) settings.setServerUrl(envUrl.data);
  const openExternal = (url: string) => void shell.openExternal(url);

  app.on('web-contents-created', (_event, contents) =>
    guardNavigation({ contents, origin: () => settings.serverUrl(), openExternal }),
  );
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  let win: BrowserWindow | null = null;
  const open = () => {
    win = createMainWindow({
      origin: () => settings.serverUrl(),
      preloadPath: join(__dirname, '..', 'preload', 'preload.js'),
      openExternal,
    });
    win.on('closed', () => {
      win = null;
    });
  };
  registerIpcHandlers({
    ipcMain,
    settings,
    onServerUrlChanged: (origin) => void win?.loadURL(dashboardUrl(origin)),
    notify: (n) => {
      if (Notification.isSupported()) new Notification({ title: n.title, body: n.body }).show();
    },
  });
  open();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
