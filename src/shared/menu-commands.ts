import { PANEL_SHORTCUTS, type PanelId } from './shortcuts';

/**
 * What the application menu asks the window to do, sent on the `menu:command` event. The window's one
 * table (renderer app/menu-commands.ts) maps every command to a function; its type makes a missing one
 * a compile error.
 */
export const MENU_COMMANDS = [
  ...PANEL_SHORTCUTS.map((p) => `panel:${p.panel}` as const),
  'dataset:import',
  'model:import',
  'model:export',
  'lessons:open',
] as const;

export type MenuCommand = (typeof MENU_COMMANDS)[number];

export const panelCommand = (panel: PanelId): MenuCommand => `panel:${panel}`;
