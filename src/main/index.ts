import { createRequire } from 'node:module';
import path from 'node:path';
import { app, BrowserWindow, clipboard, ipcMain, net, session, shell } from 'electron';
import { createHandlers } from './handlers';
import { createDispatch } from './ipc/dispatch';
import { createWebContentsSink, isTrustedSenderUrl, registerIpc } from './ipc/register-ipc';
import { appPaths } from './paths';
import { createServices } from './services/create-services';
import { spawnTrainingWorker } from '../engine/training/spawn-worker';
import { handleAppProtocol, registerAppScheme } from './window/app-protocol';
import { developmentCsp } from './window/csp';
import { createMainWindow, hardenAllWebContents } from './window/main-window';
import { nativeDialogs } from './window/native-dialogs';
import { denyAllPermissions } from './window/security';

// electron-vite dev sets this; a packaged app ignores it, so an environment variable can never point
// the trusted window (and its IPC) at some other page.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL || undefined;
const paths = appPaths(app);
let mainWindow: BrowserWindow | null = null;

function openMainWindow(): void {
  mainWindow = createMainWindow({ preloadPath: paths.preloadPath, devServerUrl });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
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
    clipboard: { writeText: (text) => clipboard.writeText(text) },
  });
  app.on('will-quit', () => void services.training.dispose());
  registerIpc(ipcMain, createDispatch(createHandlers(services)), (url) => isTrustedSenderUrl(url, devServerUrl));

  hardenAllWebContents();
  openMainWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.whenReady().then(onReady, (error: unknown) => {
    console.error('MLP Lab failed to start:', error);
    app.exit(1);
  });
  // macOS keeps the app alive with no windows and reopens one from the dock.
  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) openMainWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
