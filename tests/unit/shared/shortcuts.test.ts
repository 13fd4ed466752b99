import { describe, expect, it } from 'vitest';
import { matchesAccelerator, matchesShortcut, PANEL_SHORTCUTS, SHORTCUTS } from '$shared/shortcuts';

const key = (k: string, code: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {}) => ({
  key: k, code, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods,
});

describe('shortcuts', () => {
  it('matches CmdOrCtrl with either Ctrl or ⌘, and no other modifier', () => {
    expect(matchesAccelerator('CmdOrCtrl+Z', key('z', 'KeyZ', { ctrlKey: true }))).toBe(true);
    expect(matchesAccelerator('CmdOrCtrl+Z', key('z', 'KeyZ', { metaKey: true }))).toBe(true);
    expect(matchesAccelerator('CmdOrCtrl+Z', key('Z', 'KeyZ', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(matchesAccelerator('CmdOrCtrl+Z', key('z', 'KeyZ'))).toBe(false);
    expect(matchesAccelerator('Escape', key('Escape', 'Escape', { ctrlKey: true }))).toBe(false);
  });

  it('matches Alt+digit on the digit row or keypad whatever character the layout types', () => {
    expect(matchesShortcut('draw:save-as-3', key('£', 'Digit3', { altKey: true }))).toBe(true);
    expect(matchesShortcut('draw:save-as-3', key('3', 'Numpad3', { altKey: true }))).toBe(true);
    expect(matchesShortcut('draw:save-as-3', key('3', 'Digit3'))).toBe(false);
  });

  it('names each shortcut once, with one shortcut per panel', () => {
    expect(new Set(SHORTCUTS.map((s) => s.id)).size).toBe(SHORTCUTS.length);
    for (const p of PANEL_SHORTCUTS) expect(matchesShortcut(`panel:${p.panel}`, key(p.key, `Digit${p.key}`, { ctrlKey: true }))).toBe(true);
    expect(() => matchesShortcut('no:such', key('a', 'KeyA'))).toThrow(/no shortcut/);
  });
});
