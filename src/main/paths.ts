import path from 'node:path';
import type { App } from 'electron';

export interface AppPaths {
  /** Bundled datasets and the default model: the repo's resources/ in development and preview. */
  resourcesDir: string;
  /** The built renderer, served on app://bundle/. */
  rendererDir: string;
  /** The sandboxed preload: one CommonJS file. */
  preloadPath: string;
  /** Per-user writable data: downloaded datasets, saved models. */
  userDataDir: string;
}

/**
 * Where everything lives. `mainDir` is the folder of the built main bundle (out/main), which the
 * renderer and preload bundles sit beside.
 */
export function appPaths(app: Pick<App, 'getAppPath' | 'getPath'>, mainDir: string = import.meta.dirname): AppPaths {
  return {
    resourcesDir: path.join(app.getAppPath(), 'resources'),
    rendererDir: path.join(mainDir, '../renderer'),
    preloadPath: path.join(mainDir, '../preload/index.cjs'),
    userDataDir: app.getPath('userData'),
  };
}
