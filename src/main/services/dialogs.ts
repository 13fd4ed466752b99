/**
 * The native dialogs main asks the user through. Electron's entry answers them with real dialogs
 * (src/main/window/native-dialogs.ts); the e2e harness answers them from the test (launchApp's
 * `dialogs`), so services never import Electron and tests never wait on a window.
 */

export interface FileFilter {
  name: string;
  /** Without the dot: 'zip', 'png'. */
  extensions: string[];
}

export interface Dialogs {
  /** A file or folder to read from; null when the user cancels. */
  openPath(request: { title: string; kind: 'file' | 'folder'; filters?: FileFilter[] }): Promise<string | null>;
  /** Where to write; null when the user cancels. */
  savePath(request: { title: string; defaultName: string; filters?: FileFilter[] }): Promise<string | null>;
  /** A yes/no question before something that cannot be undone; false when the user declines. */
  confirm(request: { title: string; message: string; detail?: string; confirmLabel: string }): Promise<boolean>;
}

/** Dialogs for a process with no one to ask (a test that scripted none): each call says so plainly. */
export const NO_DIALOGS: Dialogs = {
  openPath: (request) => Promise.reject(new Error(`no answer was given for the dialog "${request.title}"`)),
  savePath: (request) => Promise.reject(new Error(`no answer was given for the dialog "${request.title}"`)),
  confirm: (request) => Promise.reject(new Error(`no answer was given for the dialog "${request.title}"`)),
};
