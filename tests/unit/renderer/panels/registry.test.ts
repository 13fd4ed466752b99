import { describe, expect, it } from 'vitest';
import { PANELS, panelForShortcut } from '$renderer/panels/registry';
import { TrainingState } from '$renderer/panels/train/training.svelte';

const press = (key: string, modifiers: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...modifiers,
});

describe('the panel registry', () => {
  it('lists each panel once, with the shortcuts Ctrl+1 to Ctrl+7 in tab order', () => {
    expect(PANELS.map((p) => p.id)).toEqual(['draw', 'train', 'gallery', 'weights', 'models', 'data', 'runs']);
    expect(PANELS.map((p) => p.key)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(panelForShortcut(PANELS, press('7', { ctrlKey: true }))?.id).toBe('runs');
  });

  it('gives the Train panel a state of its own that connects to main', () => {
    const state = PANELS.find((p) => p.id === 'train')?.createState?.({} as never);
    expect(state).toBeInstanceOf(TrainingState);
    expect(typeof state?.connect).toBe('function');
  });

  it('selects a built panel with Ctrl or ⌘ and its digit, and nothing else', () => {
    expect(panelForShortcut(PANELS, press('2', { ctrlKey: true }))?.id).toBe('train');
    expect(panelForShortcut(PANELS, press('1', { metaKey: true }))?.id).toBe('draw');
    expect(panelForShortcut(PANELS, press('2'))).toBeNull();
    expect(panelForShortcut(PANELS, press('2', { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(panelForShortcut(PANELS, press('2', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(panelForShortcut(PANELS, press('9', { ctrlKey: true }))).toBeNull();
  });

  it('does not open a panel that is still to come', () => {
    const coming = PANELS.filter((p) => p.component === null);
    for (const panel of coming) expect(panelForShortcut(PANELS, press(panel.key, { ctrlKey: true }))).toBeNull();
  });
});
