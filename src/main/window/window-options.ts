import type { BrowserWindowConstructorOptions } from 'electron';

/** The main window's first size and the least it may shrink to (a restored size is held to these too). */
export const MAIN_WINDOW_SIZE = { width: 1100, height: 780, minWidth: 820, minHeight: 600 };

/**
 * The main window's options. Pure, so a unit test can pin every security flag: the renderer runs web
 * code (Svelte, TensorFlow.js, Chart.js) and must reach main only through the preload's window.api.
 */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    ...MAIN_WINDOW_SIZE,
    // Shown on ready-to-show, so the user never sees an empty white frame.
    show: false,
    title: 'MLP Lab',
    backgroundColor: '#1e1e24',
    webPreferences: {
      preload: preloadPath,
      // The preload and the page live in separate JavaScript worlds; only contextBridge crosses.
      contextIsolation: true,
      // The preload gets a minimal, Node-less require('electron'): it must be a single CJS bundle.
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // Spellcheck would send typed text to a dictionary service and underline model names.
      spellcheck: false,
    },
  };
}
