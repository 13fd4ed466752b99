import { createRequire } from 'node:module';
import path from 'node:path';
import { app, BrowserWindow, clipboard, ipcMain, net, screen, session, shell } from 'electron';
import { createHandlers } from './handlers';
import { createDispatch } from './ipc/dispatch';
import { createWebContentsSink, isTrustedSenderUrl, registerIpc } from './ipc/register-ipc';
import { Desktop } from './desktop/desktop';
import { logUnhandledErrors } from './desktop/error-log';
import { claimSingleInstance, filesFromArgv } from './open-files';
import { appPaths } from './paths';
import { createServices } from './services/create-services';
import { spawnTrainingWorker } from '../engine/training/spawn-worker';
import { handleAppProtocol, registerAppScheme } from './window/app-protocol';
import { developmentCsp } from './window/csp';
import { createMainWindow, hardenAllWebContents } from './window/main-window';
import { nativeDialogs } from './window/native-dialogs';
import { denyAllPermissions } from './window/security';
import { MAIN_WINDOW_SIZE } from './window/window-options';
import { readWindowState, restoreWindow, trackWindowState, WINDOW_STATE_FILE, writeWindowState } from './window/window-state';

// electron-vite dev sets this; a packaged app ignores it, so an environment variable can never point
// the trusted window (and its IPC) at some other page.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL || undefined;
const paths = appPaths(app);
let mainWindow: BrowserWindow | null = null;
const desktop = new Desktop({ userDataDir: paths.userDataDir, development: !app.isPackaged, window: () => mainWindow });
// From the first line on: an error before the window exists is logged too (shown once the app is ready).
logUnhandledErrors(process, desktop.log, (error) => desktop.notify(`An unexpected error happened: ${error instanceof Error ? error.message : String(error)}`));

async function openMainWindow(): Promise<void> {
  const stateFile = path.join(paths.userDataDir, WINDOW_STATE_FILE);
  const place = restoreWindow(await readWindowState(stateFile), screen.getAllDisplays().map((d) => d.workArea), screen.getPrimaryDisplay().workArea, MAIN_WINDOW_SIZE);
  const window = createMainWindow({ preloadPath: paths.preloadPath, devServerUrl, bounds: place.bounds });
  mainWindow = window;
  if (place.maximized) window.maximize();
  trackWindowState(window, (state) => writeWindowState(stateFile, state), (error) => desktop.log.write('window state', error));
  // Files given at launch (or while the window loaded) wait for a window that can take them.
  window.webContents.once('did-finish-load', () => void desktop.opener.ready());
  window.on('closed', () => {
    mainWindow = null;
  });
}

function focusMainWindow(): void {
  if (mainWindow === null) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

function applyDevelopmentCsp(url: string): void {
  const csp = developmentCsp(url);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}

function onReady(): void {
  denyAllPermissions(session.defaultSession);
  handleAppProtocol(paths.rendererDir);
  if (devServerUrl !== undefined) applyDevelopmentCsp(devServerUrl);

  const services = createServices({
    resourcesDir: paths.resourcesDir,
    userDataDir: paths.userDataDir,
    version: app.getVersion(),
    events: createWebContentsSink(() => mainWindow?.webContents ?? null),
    resolveModule: createRequire(import.meta.url).resolve,
    // Built next to this file by electron-vite (see electron.vite.config.ts).
    spawnWorker: (config) => spawnTrainingWorker(path.join(import.meta.dirname, 'training-worker.js'), config),
    dialogs: nativeDialogs(() => mainWindow),
    // Electron's fetch follows the system proxy settings, as a user expects a download to.
    fetch: (url, init) => net.fetch(url, init),
    trash: (target) => shell.trashItem(target),
    reveal: (target) => shell.showItemInFolder(target),
    packaged: app.isPackaged,
    clipboard: { writeText: (text) => clipboard.writeText(text) },
  });
  app.on('will-quit', () => void services.training.dispose());
  registerIpc(ipcMain, createDispatch(createHandlers(services)), (url) => isTrustedSenderUrl(url, devServerUrl));

  desktop.connect(createWebContentsSink(() => mainWindow?.webContents ?? null), () => services.training.status(), services.lessons);
  void desktop.recent.load().then(() => desktop.installMenu());
  desktop.installMenu();
  hardenAllWebContents();
  void openMainWindow();
}

if (!claimSingleInstance(app, { focus: focusMainWindow, opener: desktop.opener })) {
  app.quit();
} else {
  registerAppScheme();
  void desktop.opener.open(filesFromArgv(process.argv, process.cwd()));
  app.whenReady().then(onReady, (error: unknown) => {
    desktop.log.write('start-up', error);
    console.error('MLP Lab failed to start:', error);
    app.exit(1);
  });
  // macOS keeps the app alive with no windows and reopens one from the dock.
  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) void openMainWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
