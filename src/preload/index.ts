import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { ApiTables } from '../shared/ipc/contract';
import { buildApi } from './build-api';
import { plainRemoteError } from './remote-error';

/**
 * The contract's `apiTables`, put in as a literal when the preload is built (the `define` in
 * electron.vite.config.ts): importing the contract itself would bundle zod and every schema into the
 * sandboxed preload for the sake of a few names.
 */
declare const __MLP_LAB_API_TABLES__: ApiTables;

/**
 * The only code that touches ipcRenderer. The page gets window.api and nothing else: no ipcRenderer,
 * no generic invoke/send, and listeners see the payload, never the IpcRendererEvent (which carries
 * `sender`, i.e. ipcRenderer itself).
 */
const api = buildApi(
  __MLP_LAB_API_TABLES__,
  (channel, args) =>
    ipcRenderer.invoke(channel, ...args).catch((error: unknown) => {
      throw plainRemoteError(error);
    }),
  (event, listener) => {
    const wrapped = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => {
      ipcRenderer.removeListener(event, wrapped);
    };
  },
  // The page cannot see a dropped file's path (File.path is gone since Electron 32); only the preload can.
  {
    pathsForFiles: (files) =>
      Array.from(files, (file) => {
        try {
          return webUtils.getPathForFile(file);
        } catch {
          return '';
        }
      }),
  },
);

contextBridge.exposeInMainWorld('api', api);
