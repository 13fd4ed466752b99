import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildApi } from './build-api';

/**
 * The only code that touches ipcRenderer. The page gets window.api and nothing else: no ipcRenderer,
 * no generic invoke/send, and listeners see the payload, never the IpcRendererEvent (which carries
 * `sender`, i.e. ipcRenderer itself).
 */
const api = buildApi(
  (channel, args) => ipcRenderer.invoke(channel, ...args),
  (event, listener) => {
    const wrapped = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => {
      ipcRenderer.removeListener(event, wrapped);
    };
  },
);

contextBridge.exposeInMainWorld('api', api);
