import { beforeAll, describe, expect, it, vi } from 'vitest';
import { apiTables, type Api } from '$shared/ipc/contract';

const { verbs, subscriptions } = apiTables;

// A stand-in for Electron's preload module: contextBridge records what is exposed, ipcRenderer is an
// EventEmitter (as the real one is) with a recorded invoke.
const electron = await vi.hoisted(async () => {
  const { EventEmitter } = await import('node:events');
  const exposed: Record<string, unknown> = {};
  return {
    exposed,
    contextBridge: { exposeInMainWorld: vi.fn((key: string, value: unknown) => void (exposed[key] = value)) },
    ipcRenderer: Object.assign(new EventEmitter(), { invoke: vi.fn(async (..._args: unknown[]) => 'result') }),
    // Electron's answer for a File the page did not get from the file system is to throw.
    webUtils: { getPathForFile: vi.fn((file: File) => { if (file.name === 'web.png') throw new Error('no path'); return `/home/u/${file.name}`; }) },
  };
});
vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer, webUtils: electron.webUtils }));

let api: Api;

beforeAll(async () => {
  // What electron.vite.config.ts's define bakes into the built preload.
  vi.stubGlobal('__MLP_LAB_API_TABLES__', apiTables);
  await import('$preload/index');
  api = electron.exposed.api as Api;
});

describe('preload', () => {
  it('exposes one object, window.api, once', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledWith('api', expect.any(Object));
  });

  it('exposes exactly the verbs, the subscriptions and pathsForFiles, and no raw IPC', () => {
    expect(Object.keys(api).sort()).toEqual([...Object.keys(verbs), ...Object.keys(subscriptions), 'pathsForFiles'].sort());
    for (const forbidden of ['ipcRenderer', 'invoke', 'send', 'sendSync', 'on', 'removeListener', 'postMessage']) {
      expect(api).not.toHaveProperty(forbidden);
    }
    expect(Object.values(api).includes(electron.ipcRenderer as never)).toBe(false);
  });

  it("gives dropped files' paths through webUtils, '' for a file with none", () => {
    expect(api.pathsForFiles([new File([], 'train.csv'), new File([], 'web.png')])).toEqual(['/home/u/train.csv', '']);
    expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it("hands on main's error without Electron's channel prefix, and other errors as they are", async () => {
    electron.ipcRenderer.invoke.mockRejectedValueOnce(new Error("Error invoking remote method 'model:import': Error: /a/model.json: modelTopology is missing"));
    await expect(api.importModel({ kind: 'folder' })).rejects.toThrow(/^\/a\/model\.json: modelTopology is missing$/);
    electron.ipcRenderer.invoke.mockRejectedValueOnce(new Error("Error invoking remote method 'handwriting:finetune': JobCancelledError: The evaluation was cancelled."));
    await expect(api.finetuneHandwriting({ share: 0.3, epochs: 1, augment: true, seed: 1 })).rejects.toThrow(/^JobCancelledError: The evaluation was cancelled\.$/);
    electron.ipcRenderer.invoke.mockRejectedValueOnce(new Error('the disk is full'));
    await expect(api.getAppInfo()).rejects.toThrow(/^the disk is full$/);
  });

  it('invokes the contract channel with the arguments spread', async () => {
    const request = { datasetId: 'mnist' as const, split: 'test' as const, indices: [3] };
    await expect(api.getSamples(request)).resolves.toBe('result');
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(verbs.getSamples, request);
    await api.getAppInfo();
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(verbs.getAppInfo);
  });

  it('hands a subscriber the payload alone, never the IpcRendererEvent', () => {
    const listener = vi.fn();
    const off = api.onModelChanged(listener);
    const ipcEvent = { sender: electron.ipcRenderer, senderId: 0, ports: [] };
    electron.ipcRenderer.emit(subscriptions.onModelChanged, ipcEvent, { id: 'm1', name: 'Model 1' });
    expect(listener).toHaveBeenCalledOnce();
    expect(listener.mock.calls[0]).toEqual([{ id: 'm1', name: 'Model 1' }]);
    off();
  });

  it('unsubscribes the exact listener it added, and only that one', () => {
    const event = subscriptions.onModelChanged;
    const before = electron.ipcRenderer.listenerCount(event);
    const first = vi.fn();
    const second = vi.fn();
    const offFirst = api.onModelChanged(first);
    api.onModelChanged(second);
    const added = electron.ipcRenderer.listeners(event).slice(before);
    expect(added).toHaveLength(2);

    const removeListener = vi.spyOn(electron.ipcRenderer, 'removeListener');
    offFirst();
    expect(removeListener).toHaveBeenCalledExactlyOnceWith(event, added[0]);
    expect(electron.ipcRenderer.listeners(event).slice(before)).toEqual([added[1]]);

    electron.ipcRenderer.emit(event, {}, { id: 'm2', name: 'Model 2' });
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledExactlyOnceWith({ id: 'm2', name: 'Model 2' });
    removeListener.mockRestore();
  });
});
