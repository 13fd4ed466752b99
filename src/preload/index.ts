import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { buildApi } from './build-api';
import { plainRemoteError } from './remote-error';

/**
 * The only code that touches ipcRenderer. The page gets window.api and nothing else: no ipcRenderer,
 * no generic invoke/send, and listeners see the payload, never the IpcRendererEvent (which carries
 * `sender`, i.e. ipcRenderer itself).
 */
const api = buildApi(
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
