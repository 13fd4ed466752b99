import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { menuTemplate, type MenuActions, type MenuContext } from '$main/menu/menu-template';
import { MENU_COMMANDS } from '$shared/menu-commands';
import { PANEL_SHORTCUTS, SHORTCUTS } from '$shared/shortcuts';

/** Every action the menu may call, recording each call. */
function recorder(): { actions: MenuActions; calls: string[] } {
  const calls: string[] = [];
  const actions: MenuActions = {
    command: (command) => void calls.push(`command:${command}`),
    openRecent: (file) => void calls.push(`openRecent:${file}`),
    clearRecent: () => void calls.push('clearRecent'),
    showShortcuts: () => void calls.push('showShortcuts'),
    showAbout: () => void calls.push('showAbout'),
    showLog: () => void calls.push('showLog'),
  };
  return { actions, calls };
}

function items(template: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
}

/** Modifiers in one order and one spelling, so CmdOrCtrl+Shift+Z and Shift+CmdOrCtrl+Z compare equal. */
function normal(accelerator: string): string {
  const parts = accelerator.split('+').map((p) => (p === 'CommandOrControl' ? 'CmdOrCtrl' : p));
  const key = parts.pop()!.toUpperCase();
  return [...parts.sort(), key].join('+');
}

const contexts: MenuContext[] = (['linux', 'win32', 'darwin'] as const).flatMap((platform) => [
  { platform, development: false, recent: [] },
  { platform, development: true, recent: ['/home/u/models/a.mlpmodel', '/home/u/lessons/b.mlplesson'] },
]);

describe.each(contexts)('application menu on $platform (development: $development)', (context) => {
  const { actions, calls } = recorder();
  const all = items(menuTemplate(context, actions));

  it('gives every item a handler: a role, a submenu, a click, or a disabled placeholder', () => {
    for (const item of all) {
      const handled = item.type === 'separator' || item.role !== undefined || Array.isArray(item.submenu) || typeof item.click === 'function' || item.enabled === false;
      expect(handled, JSON.stringify(item.label ?? item.role)).toBe(true);
    }
  });

  it("each click reaches one action, and every command it sends is in the window's table", () => {
    for (const item of all) {
      if (typeof item.click !== 'function') continue;
      const before = calls.length;
      (item.click as () => void)();
      expect(calls.length - before, String(item.label)).toBe(1);
    }
    const sent = calls.filter((c) => c.startsWith('command:')).map((c) => c.slice('command:'.length));
    expect([...new Set(sent)].sort()).toEqual([...MENU_COMMANDS].sort());
    expect(calls).toContain('showAbout');
    expect(calls).toContain('showShortcuts');
    if (context.recent.length) expect(calls).toContain(`openRecent:${context.recent[0]}`);
  });

  it("registers no accelerator the window uses for itself, and none twice", () => {
    const registered = all.filter((item) => item.accelerator && item.registerAccelerator !== false);
    const own = new Map(SHORTCUTS.map((s) => [normal(s.accelerator), s]));
    for (const item of registered) {
      const shortcut = own.get(normal(String(item.accelerator)));
      // Allowed only where the shortcut names this very role as the same action (text undo in fields).
      if (shortcut) {
        const same = shortcut.sameAsMenuRole !== undefined && shortcut.sameAsMenuRole === item.role;
        expect(same, `${item.accelerator} (${item.label ?? item.role}) clashes with ${shortcut.id}`).toBe(true);
      }
    }
    const keys = registered.map((item) => normal(String(item.accelerator)));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("shows each panel's shortcut from the shared list without registering it", () => {
    for (const p of PANEL_SHORTCUTS) {
      const item = all.find((i) => i.label === p.label);
      expect(item?.accelerator).toBe(`CmdOrCtrl+${p.key}`);
      expect(item?.registerAccelerator).toBe(false);
    }
  });

  it('offers reload and the developer tools in development only', () => {
    const roles = all.map((item) => item.role);
    expect(roles.includes('reload')).toBe(context.development);
    expect(roles.includes('toggleDevTools')).toBe(context.development);
    expect(roles).toEqual(expect.arrayContaining(['undo', 'copy', 'paste', 'zoomIn', 'zoomOut', 'resetZoom']));
  });
});
