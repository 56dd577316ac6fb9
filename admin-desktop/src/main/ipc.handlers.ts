/**
 * The main side of the bridge. Every handler first checks who is calling: the top frame of a
 * page on the configured server origin, nothing else (not an iframe, not another site that got
 * loaded somehow); then validates its arguments with zod. A refusal rejects the invoke.
 */
import type { IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import { IpcChannel } from '../common/ipc.contract';
import type { NotifyArg as NotifyArgType } from '../common/ipc.contract';
import { isAllowedUrl } from './navigation.guard';
import { NoArgs, NotifyArg, ServerUrlArg, TokenArg } from './ipc.schemas';
import type { SettingsStore } from './settings.store';

/** The frame fields the sender check reads. */
interface SenderFrame {
  url: string;
  parent: unknown;
}

export class IpcRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IpcRefused';
  }
}

/** Throws unless the invoke came from the top frame of the allowed origin. */
export function assertTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, origin: string): void {
  const frame = event.senderFrame as SenderFrame | null;
  if (!frame || frame.parent !== null || !isAllowedUrl(frame.url, origin)) {
    throw new IpcRefused('untrusted sender');
  }
}

function parseArgs<S extends z.ZodType>(schema: S, args: unknown[]): z.output<S> {
  const parsed = schema.safeParse(args);
  if (!parsed.success) throw new IpcRefused('invalid arguments');
  return parsed.data;
}

export function registerIpcHandlers(deps: {
  /** Electron's ipcMain (or a test double). */
  ipcMain: { handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void };
  settings: SettingsStore;
  /** Called after the server origin changed (the window reloads there). */
  onServerUrlChanged: (origin: string) => void;
  notify: (n: NotifyArgType) => void;
}): void {
  const { ipcMain, settings } = deps;
  const handle = <S extends z.ZodType, R>(channel: string, schema: S, fn: (args: z.output<S>) => R) => {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      assertTrustedSender(event, settings.serverUrl());
      return fn(parseArgs(schema, args));
    });
  };

  handle(IpcChannel.getServerUrl, NoArgs, () => settings.serverUrl());
  handle(IpcChannel.setServerUrl, z.tuple([ServerUrlArg]), ([origin]) => {
    settings.setServerUrl(origin);
    deps.onServerUrlChanged(origin);
  });
  handle(IpcChannel.getToken, NoArgs, () => settings.token());
  handle(IpcChannel.setToken, z.tuple([TokenArg]), ([token]) => {
    settings.setToken(token);
  });
  handle(IpcChannel.notify, z.tuple([NotifyArg]), ([n]) => deps.notify(n));
}
