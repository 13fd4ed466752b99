import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requests } from '../../src/shared/ipc/contract';
import { findPreset } from '../../src/shared/presets';
import { REPO_ROOT } from '../helpers/datasets';

/**
 * The built main process (out/main/index.js) started for real, with only the `electron` module faked:
 * Electron cannot run here, so this is how the app's wiring — paths, protocol, IPC, the bundled training
 * worker — is exercised as users run it.
 */
const fake = vi.hoisted(() => {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const windows: { options: Record<string, unknown>; url?: string; sent: [string, unknown][] }[] = [];
  const calls: string[] = [];
  return { handlers, windows, calls, userData: '' };
});

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const { REPO_ROOT: root } = await import('../helpers/datasets');
  class BrowserWindow extends Emitter {
    static getAllWindows = () => fake.windows;
    webContents = Object.assign(new Emitter(), {
      setWindowOpenHandler: () => undefined,
      isDestroyed: () => false,
      send: (channel: string, payload: unknown) => this.record.sent.push([channel, payload]),
    });
    private record: (typeof fake.windows)[number];
    constructor(options: Record<string, unknown>) {
      super();
      this.record = { options, sent: [] };
      fake.windows.push(this.record);
    }
    async loadURL(url: string) {
      this.record.url = url;
    }
    show() {}
    isMinimized() {
      return false;
    }
    // Window state (src/main/window/window-state.ts) reads these when the window moves or closes.
    isMaximized() {
      return false;
    }
    maximize() {}
    getNormalBounds() {
      return { x: 0, y: 0, width: 1280, height: 800 };
    }
  }
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    isReady: () => true,
    getAppPath: () => root,
    getPath: () => fake.userData,
    getVersion: () => '0.0.0-test',
    quit: () => undefined,
    exit: () => undefined,
    addRecentDocument: () => undefined,
    clearRecentDocuments: () => undefined,
  });
  // One 1920×1080 display, for the window's restored place (an off-screen one is replaced).
  const display = { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 } };
  const session = {
    defaultSession: {
      setPermissionRequestHandler: () => fake.calls.push('permissions'),
      setPermissionCheckHandler: () => undefined,
      setDevicePermissionHandler: () => undefined,
      webRequest: { onHeadersReceived: () => fake.calls.push('dev-csp') },
    },
  };
  return {
    app,
    BrowserWindow,
    session,
    shell: { openExternal: async () => undefined },
    // The application menu is built from its template and installed; its items are tested in tests/unit/main/menu.
    Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: () => fake.calls.push('menu') },
    clipboard: { writeText: () => undefined },
    dialog: { showMessageBox: async () => ({ response: 0 }) },
    screen: { getAllDisplays: () => [display], getPrimaryDisplay: () => display },
    ipcMain: { handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => fake.handlers.set(channel, handler) },
    protocol: {
      registerSchemesAsPrivileged: () => fake.calls.push('scheme'),
      handle: (scheme: string) => fake.calls.push(`protocol:${scheme}`),
    },
  };
});

const trusted = { senderFrame: { url: 'app://bundle/index.html' } };
const invoke = (channel: string, ...args: unknown[]) => fake.handlers.get(channel)!(trusted, ...args);

beforeAll(async () => {
  fake.userData = await mkdtemp(path.join(tmpdir(), 'mlp-lab-main-'));
  delete process.env.ELECTRON_RENDERER_URL;
  await import(/* @vite-ignore */ path.join(REPO_ROOT, 'out/main/index.js'));
  await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
});
afterAll(async () => {
  // As on quit: the app ends its training worker.
  const { app } = await import('electron');
  app.emit('will-quit');
  await rm(fake.userData, { recursive: true, force: true });
});

describe('the built main process', () => {
  it('registers the scheme, denies permissions, serves app:// and opens one hardened window on the bundle', () => {
    expect(fake.calls).toEqual(expect.arrayContaining(['scheme', 'permissions', 'protocol:app', 'menu']));
    expect(fake.calls).not.toContain('dev-csp');
    const [window] = fake.windows;
    expect(window.url).toBe('app://bundle/index.html');
    const preload = (window.options.webPreferences as { preload: string }).preload;
    expect(preload).toBe(path.join(REPO_ROOT, 'out/preload/index.cjs'));
    expect(existsSync(preload)).toBe(true);
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
  });

  it('handles every contract channel and refuses untrusted senders', async () => {
    expect([...fake.handlers.keys()].sort()).toEqual(Object.keys(requests).sort());
    await expect(async () => fake.handlers.get('app:get-info')!({ senderFrame: { url: 'https://evil.example/' } })).rejects.toThrow(
      /untrusted/i,
    );
    expect(await invoke('app:get-info')).toMatchObject({ version: '0.0.0-test', trainingBackend: expect.any(String) });
    const model = (await invoke('model:get-active')) as { metadata: { datasetId: string } };
    expect(model.metadata.datasetId).toBe('mnist');
  });

  it('trains in the bundled worker (out/main/training-worker.js) and makes the result the active model', async () => {
    const spec = { ...findPreset('sklearn-exercise')!.spec, epochs: 1, trainSubset: 2000 };
    const { runId } = (await invoke('training:start', { spec, datasetId: 'mnist' })) as { runId: string };
    const sent = fake.windows[0].sent;
    await vi.waitFor(() => expect(sent.some(([channel]) => channel === 'training:finished')).toBe(true), { timeout: 60_000 });
    const finished = sent.find(([channel]) => channel === 'training:finished')![1];
    expect(finished).toMatchObject({ runId, stopped: false, epochsDone: 1 });
    expect(sent.find(([channel]) => channel === 'model:changed')![1]).toEqual({ id: runId, name: 'MLP 50 · sgd' });
    expect(sent.filter(([channel]) => channel === 'training:status').at(-1)![1]).toMatchObject({ phase: 'idle', backend: expect.stringMatching(/^(kernel|tensorflow|wasm|cpu)$/) });
    const saved = (await invoke('model:save', { name: 'from main' })) as { dir: string };
    expect(saved.dir).toBe(path.join(fake.userData, 'models', 'from-main'));
  });
});
