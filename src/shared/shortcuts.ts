/**
 * The app's keyboard shortcuts, in one list that both sides read: the window's key handlers match
 * against it (`matchesShortcut`), the application menu shows the panel shortcuts from it without
 * registering them, and Help → Keyboard shortcuts lists it. A menu accelerator that equals one of these
 * is a clash (tests/unit/main/menu/menu-template.test.ts), unless the entry names that menu role as the
 * same action.
 *
 * Accelerators use Electron's syntax; CmdOrCtrl is ⌘ on macOS and Ctrl elsewhere.
 */

/** The panels in tab order, with the digit of their Ctrl/⌘ shortcut. panels/registry.ts reads its keys here. */
export const PANEL_SHORTCUTS = [
  { panel: 'draw', label: 'Draw', key: '1' },
  { panel: 'train', label: 'Train', key: '2' },
  { panel: 'gallery', label: 'Gallery', key: '3' },
  { panel: 'weights', label: 'Weights', key: '4' },
  { panel: 'models', label: 'Models', key: '5' },
  { panel: 'data', label: 'Data', key: '6' },
  { panel: 'runs', label: 'Runs', key: '7' },
  { panel: 'projector', label: 'Projector', key: '8' },
] as const;

export type PanelId = (typeof PANEL_SHORTCUTS)[number]['panel'];

export interface Shortcut {
  id: string;
  accelerator: string;
  description: string;
  /** An Edit-menu role that does the same thing where the window does not take the key (text fields). */
  sameAsMenuRole?: 'undo';
}

const SAVE_AS_DIGITS: Shortcut[] = Array.from({ length: 10 }, (_, digit) => ({
  id: `draw:save-as-${digit}`,
  accelerator: `Alt+${digit}`,
  description: `Draw: save the drawing as a ${digit}`,
}));

export const SHORTCUTS: readonly Shortcut[] = [
  ...PANEL_SHORTCUTS.map((p) => ({ id: `panel:${p.panel}`, accelerator: `CmdOrCtrl+${p.key}`, description: `Open the ${p.label} panel` })),
  { id: 'draw:undo', accelerator: 'CmdOrCtrl+Z', description: 'Draw: undo the last stroke', sameAsMenuRole: 'undo' },
  { id: 'draw:clear', accelerator: 'Escape', description: 'Draw: clear the drawing (Delete too)' },
  { id: 'draw:clear-delete', accelerator: 'Delete', description: 'Draw: clear the drawing' },
  ...SAVE_AS_DIGITS,
  { id: 'train:start', accelerator: 'CmdOrCtrl+Enter', description: 'Train: start training' },
  { id: 'train:stop', accelerator: 'Escape', description: 'Train: stop training' },
];

/** The fields of a DOM KeyboardEvent the match reads (declared here: src/shared has no DOM types). */
export interface KeyEventLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/**
 * Whether a key press is `accelerator`. CmdOrCtrl takes either Ctrl or ⌘ (as the window always has);
 * a digit is matched on the digit row or keypad (event.code), so layouts where Alt+digit types a
 * symbol still work; any modifier the accelerator does not name makes it no match.
 */
export function matchesAccelerator(accelerator: string, event: KeyEventLike): boolean {
  const parts = accelerator.split('+');
  const key = parts.pop() ?? '';
  const mods = new Set(parts);
  const cmd = mods.has('CmdOrCtrl');
  if (cmd !== (event.ctrlKey || event.metaKey)) return false;
  if (mods.has('Alt') !== event.altKey || mods.has('Shift') !== event.shiftKey) return false;
  if (/^[0-9]$/.test(key)) return event.code === `Digit${key}` || event.code === `Numpad${key}` || event.key === key;
  return event.key.toLowerCase() === key.toLowerCase();
}

/** Whether a key press is the shortcut `id` of SHORTCUTS. */
export function matchesShortcut(id: string, event: KeyEventLike): boolean {
  const shortcut = SHORTCUTS.find((s) => s.id === id);
  if (!shortcut) throw new Error(`no shortcut ${id}`);
  return matchesAccelerator(shortcut.accelerator, event);
}

/** The shortcut of a panel, by its id. */
export function panelKey(panel: PanelId): string {
  return PANEL_SHORTCUTS.find((p) => p.panel === panel)!.key;
}
