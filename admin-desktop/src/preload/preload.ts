/**
 * Sandboxed preload: runs with contextIsolation, so the page only ever sees the small named API
 * below, never `ipcRenderer` itself or a generic `send(channel)`.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_KEY, IpcChannel } from '../common/ipc.contract';
import type { DesktopApi, NotifyArg } from '../common/ipc.contract';

export const desktopApi: DesktopApi = {
  getServerUrl: () => ipcRenderer.invoke(IpcChannel.getServerUrl) as Promise<string>,
  setServerUrl: (url: string) => ipcRenderer.invoke(IpcChannel.setServerUrl, url) as Promise<void>,
  getToken: () => ipcRenderer.invoke(IpcChannel.getToken) as Promise<string | null>,
  setToken: (token: string | null) => ipcRenderer.invoke(IpcChannel.setToken, token) as Promise<void>,
  notify: (n: NotifyArg) => ipcRenderer.invoke(IpcChannel.notify, n) as Promise<void>,
};

contextBridge.exposeInMainWorld(BRIDGE_KEY, desktopApi);
