import { app, BrowserWindow, shell } from 'electron';
import { APP_ORIGIN } from './app-origin';
import { EXTERNAL_LINK_HOSTS, hardenWebContents, type HardenOptions } from './security';
import { mainWindowOptions } from './window-options';
import type { Rect } from './window-state';

export interface MainWindowOptions {
  preloadPath: string;
  /** The electron-vite dev server in development; undefined loads the built bundle from app://. */
  devServerUrl: string | undefined;
  /** Where it opens (window-state.ts); absent: the default size, centred. */
  bounds?: Rect;
}

const hardenOptions: HardenOptions = {
  allowedExternalHosts: EXTERNAL_LINK_HOSTS,
  openExternal: (url) => shell.openExternal(url),
};

/**
 * Hardens every web contents the app ever creates (windows, devtools, anything a future feature adds),
 * not only the main window's. Call once, before the first window.
 */
export function hardenAllWebContents(): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, hardenOptions));
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({ ...mainWindowOptions(options.preloadPath), ...options.bounds });
  // Also covered by hardenAllWebContents; explicit so the window is safe whatever the call order.
  hardenWebContents(window.webContents, hardenOptions);
  window.once('ready-to-show', () => window.show());

  const url = options.devServerUrl ?? `${APP_ORIGIN}/index.html`;
  window.loadURL(url).catch((error: unknown) => {
    // A missing bundle is a build problem; say so in the terminal rather than show a blank window.
    console.error(`MLP Lab: could not load ${url}:`, error);
  });
  return window;
}
