import { BrowserWindow } from 'electron';
import type { WebPreferences } from 'electron';
import { guardNavigation } from './navigation.guard';

/** The only web preferences the dashboard window is ever created with. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** The dashboard page of a server origin. */
export function dashboardUrl(origin: string): string {
  return `${origin}/admin/`;
}

export function createMainWindow(opts: {
  origin: () => string;
  preloadPath: string;
  openExternal?: (url: string) => void;
}): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Booking — staff dashboard',
    show: false,
    webPreferences: secureWebPreferences(opts.preloadPath),
  });
  guardNavigation({
    contents: win.webContents,
    origin: opts.origin,
    ...(opts.openExternal ? { openExternal: opts.openExternal } : {}),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(dashboardUrl(opts.origin()));
  return win;
}
