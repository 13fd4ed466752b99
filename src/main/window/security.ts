import type { Session, WebContents } from 'electron';

/**
 * Hosts whose https pages the renderer may open in the user's browser, and nothing else: the project
 * and Fashion-MNIST live on GitHub, TensorFlow.js documents the engine, arXiv holds the dataset papers.
 * Kept tiny because an open link is a way out of the sandbox (the OS picks the handler).
 */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['github.com', 'www.tensorflow.org', 'arxiv.org'];

export interface HardenOptions {
  allowedExternalHosts: readonly string[];
  openExternal: (url: string) => Promise<void>;
}

/** True for a plain https URL on the default port, no credentials, host exactly on the list. */
export function isAllowedExternalUrl(url: string, allowedHosts: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === '' &&
    allowedHosts.includes(parsed.hostname)
  );
}

type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

// web-contents-created also fires for the main window, which is hardened explicitly as well.
const hardened = new WeakSet<object>();

const refuse = (event: { preventDefault(): void }): void => event.preventDefault();

/**
 * The app is one page that never navigates: every navigation, redirect, webview and popup is refused,
 * in the main frame and in any subframe. An allowlisted https link is handed to the system browser
 * instead, never opened inside the app.
 */
export function hardenWebContents(contents: HardenableContents, options: HardenOptions): void {
  if (hardened.has(contents)) return;
  hardened.add(contents);

  // Same-document changes (hash, pushState) fire none of these, so the app loses nothing. The app's
  // own loadURL fires no will-navigate either; a redirect is refused whatever started the navigation.
  contents.on('will-navigate', refuse);
  // will-navigate only sees the main frame; subframes are refused here rather than left to frame-src.
  contents.on('will-frame-navigate', refuse);
  // A server redirect can turn a navigation that was let through into one that leaves the app.
  contents.on('will-redirect', refuse);
  contents.on('will-attach-webview', refuse);
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url, options.allowedExternalHosts)) {
      options.openExternal(url).catch(() => {
        // No browser, or the user cancelled: nothing the app can do, and nothing to tell the page.
      });
    }
    return { action: 'deny' };
  });
}

type PermissionSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> &
  Partial<Pick<Session, 'setDevicePermissionHandler'>>;

/** MLP Lab needs no camera, microphone, notifications, USB, HID, serial, geolocation or clipboard read. */
export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler?.(() => false);
}
