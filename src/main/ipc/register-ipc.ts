import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { requests, type EventSink, type RequestChannel } from '../../shared/ipc/contract';
import { APP_HOST, APP_SCHEME } from '../window/app-origin';
import type { Dispatch } from './dispatch';

/**
 * The only code that touches ipcMain. Every contract channel gets one handler that first checks who is
 * asking, then hands the raw arguments to dispatch, which validates them against the contract.
 */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  dispatch: Dispatch,
  isTrustedSender: (url: string) => boolean,
): void {
  for (const channel of Object.keys(requests) as RequestChannel[]) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      // senderFrame is null once the frame has navigated away or been destroyed.
      const url = event.senderFrame?.url;
      if (url === undefined || !isTrustedSender(url)) {
        throw new Error(`untrusted sender ${JSON.stringify(url ?? null)} on ${channel}`);
      }
      return dispatch(channel, args);
    });
  }
}

/**
 * Only the app's own bundle may call main: app://bundle/… in production, or in development the exact
 * origin of the electron-vite dev server. Anything else (a page that slipped in, about:blank, file://)
 * is refused even if it somehow got the preload.
 */
export function isTrustedSenderUrl(url: string, devServerUrl?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== '' || parsed.password !== '') return false;
  if (parsed.protocol === `${APP_SCHEME}:`) return parsed.host === APP_HOST;
  if (devServerUrl === undefined || devServerUrl === '') return false;
  let dev: URL;
  try {
    dev = new URL(devServerUrl);
  } catch {
    return false;
  }
  return (dev.protocol === 'http:' || dev.protocol === 'https:') && parsed.origin === dev.origin;
}

type EventTarget = Pick<WebContents, 'send' | 'isDestroyed'>;

/** Pushes contract events to the window, dropping them while there is no live window to receive them. */
export function createWebContentsSink(getContents: () => EventTarget | null): EventSink {
  return (event, payload) => {
    const contents = getContents();
    if (contents === null || contents.isDestroyed()) return;
    contents.send(event, payload);
  };
}
