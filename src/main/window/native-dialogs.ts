import { dialog, type BrowserWindow } from 'electron';
import type { Dialogs } from '../services/dialogs';

/** The services' dialogs as Electron's, modal to the main window when there is one. */
export function nativeDialogs(window: () => BrowserWindow | null): Dialogs {
  return {
    async openPaths({ title, kind, multiple, filters }) {
      const options: Electron.OpenDialogOptions = {
        title,
        filters,
        properties: [kind === 'folder' ? 'openDirectory' : 'openFile', ...(multiple ? (['multiSelections'] as const) : [])],
      };
      const parent = window();
      const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return result.canceled ? [] : result.filePaths;
    },
    async savePath({ title, defaultName, filters }) {
      const options: Electron.SaveDialogOptions = { title, defaultPath: defaultName, filters };
      const parent = window();
      const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      return result.canceled ? null : (result.filePath ?? null);
    },
    async confirm({ title, message, detail, confirmLabel }) {
      const options: Electron.MessageBoxOptions = {
        type: 'question',
        title,
        message,
        detail,
        buttons: [confirmLabel, 'Cancel'],
        defaultId: 1,
        cancelId: 1,
      };
      const parent = window();
      const result = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
      return result.response === 0;
    },
  };
}
