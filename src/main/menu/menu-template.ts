import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { panelCommand, type MenuCommand } from '$shared/menu-commands';
import { PANEL_SHORTCUTS } from '$shared/shortcuts';

/** What the menu's items do; main implements them (menu/desktop.ts), tests record them. */
export interface MenuActions {
  /** Hands a command to the window (the `menu:command` event). */
  command(command: MenuCommand): void;
  openRecent(file: string): void;
  clearRecent(): void;
  showShortcuts(): void;
  showAbout(): void;
  showLog(): void;
}

export interface MenuContext {
  platform: NodeJS.Platform;
  /** Reload and the developer tools are offered in development only. */
  development: boolean;
  /** Recently opened files, newest first. */
  recent: readonly string[];
}

/**
 * The application menu as Electron's template. Every accelerator is written out, roles' included, so
 * tests see them all. The panel items show the window's own Ctrl/⌘+digit but leave the key to the
 * window (registerAccelerator: false): one handler per key.
 */
export function menuTemplate(context: MenuContext, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = context.platform === 'darwin';
  const send = (command: MenuCommand) => () => actions.command(command);
  const about: MenuItemConstructorOptions = { label: 'About MLP Lab', click: () => actions.showAbout() };

  const recent: MenuItemConstructorOptions[] = context.recent.length
    ? [
        ...context.recent.map((file) => ({ label: path.basename(file), sublabel: file, click: () => actions.openRecent(file) })),
        { type: 'separator' as const },
        { label: 'Clear Recent', click: () => actions.clearRecent() },
      ]
    : [{ label: 'No recent files', enabled: false }];

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Import Dataset…', accelerator: 'CmdOrCtrl+Shift+O', click: send('dataset:import') },
      { label: 'Import Model…', accelerator: 'CmdOrCtrl+O', click: send('model:import') },
      { label: 'Export Model…', accelerator: 'CmdOrCtrl+Shift+E', click: send('model:export') },
      { label: 'Open Recent', submenu: recent },
      { type: 'separator' },
      mac ? { role: 'close', accelerator: 'CmdOrCtrl+W' } : { role: 'quit', accelerator: 'CmdOrCtrl+Q' },
    ],
  };

  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo', accelerator: 'CmdOrCtrl+Z' },
      { role: 'redo', accelerator: 'Shift+CmdOrCtrl+Z' },
      { type: 'separator' },
      { role: 'cut', accelerator: 'CmdOrCtrl+X' },
      { role: 'copy', accelerator: 'CmdOrCtrl+C' },
      { role: 'paste', accelerator: 'CmdOrCtrl+V' },
      { role: 'selectAll', accelerator: 'CmdOrCtrl+A' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...PANEL_SHORTCUTS.map((p) => ({
        label: p.label,
        accelerator: `CmdOrCtrl+${p.key}`,
        registerAccelerator: false,
        click: send(panelCommand(p.panel)),
      })),
      { type: 'separator' },
      { role: 'resetZoom', accelerator: 'CmdOrCtrl+0' },
      { role: 'zoomIn', accelerator: 'CmdOrCtrl+Plus' },
      { role: 'zoomOut', accelerator: 'CmdOrCtrl+-' },
      { type: 'separator' },
      { role: 'togglefullscreen', accelerator: mac ? 'Ctrl+Cmd+F' : 'F11' },
      ...(context.development
        ? [
            { type: 'separator' as const },
            { role: 'reload' as const, accelerator: 'CmdOrCtrl+R' },
            { role: 'forceReload' as const, accelerator: 'Shift+CmdOrCtrl+R' },
            { role: 'toggleDevTools' as const, accelerator: mac ? 'Alt+Cmd+I' : 'Ctrl+Shift+I' },
          ]
        : []),
    ],
  };

  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [
      { label: 'Lessons', click: send('lessons:open') },
      { label: 'Keyboard Shortcuts', accelerator: 'CmdOrCtrl+/', click: () => actions.showShortcuts() },
      { label: 'Show Error Log', click: () => actions.showLog() },
      ...(mac ? [] : [{ type: 'separator' as const }, about]),
    ],
  };

  const appMenu: MenuItemConstructorOptions = {
    label: 'MLP Lab',
    submenu: [about, { type: 'separator' }, { role: 'hide', accelerator: 'Cmd+H' }, { role: 'quit', accelerator: 'Cmd+Q' }],
  };
  return [...(mac ? [appMenu] : []), file, edit, view, help];
}
