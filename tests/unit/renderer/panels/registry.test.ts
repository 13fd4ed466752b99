import { describe, expect, it } from 'vitest';
import { AppState } from '$renderer/app/app-state.svelte';
import { Classifier } from '$renderer/app/classifier.svelte';
import type { Services } from '$renderer/app/context';
import { Drawing } from '$renderer/app/drawing.svelte';
import { Drops } from '$renderer/app/drops.svelte';
import { Handwriting } from '$renderer/app/handwriting.svelte';
import { PanelActions } from '$renderer/app/panel-actions';
import { SpecHandoff } from '$renderer/app/spec-handoff.svelte';
import { PANELS, panelForShortcut } from '$renderer/panels/registry';
import { TrainingState } from '$renderer/panels/train/training.svelte';

function services(): Services {
  const app = new AppState();
  return { app, classifier: new Classifier(), drawing: new Drawing(), drops: new Drops(app), handoff: new SpecHandoff(), handwriting: new Handwriting(), actions: new PanelActions() };
}

const press = (key: string, modifiers: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...modifiers,
});

describe('the panel registry', () => {
  it('lists each panel once, with the shortcuts Ctrl+1 to Ctrl+8 in tab order', () => {
    expect(PANELS.map((p) => p.id)).toEqual(['draw', 'train', 'gallery', 'weights', 'models', 'data', 'runs', 'projector']);
    expect(PANELS.map((p) => p.key)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(panelForShortcut(PANELS, press('7', { ctrlKey: true }))?.id).toBe('runs');
    expect(panelForShortcut(PANELS, press('8', { ctrlKey: true }))?.id).toBe('projector');
  });

  it('gives every panel but Draw a state of its own, made from the app-wide services, that connects to main', () => {
    const shared = services();
    const states = new Map(PANELS.map((p) => [p.id, p.setUp?.(shared).state]));
    expect(states.get('draw')).toBeUndefined();
    expect(states.get('train')).toBeInstanceOf(TrainingState);
    for (const id of ['train', 'gallery', 'weights', 'models', 'data', 'runs']) expect(typeof states.get(id)?.connect).toBe('function');
  });

  it('selects a built panel with Ctrl or ⌘ and its digit, and nothing else', () => {
    expect(panelForShortcut(PANELS, press('2', { ctrlKey: true }))?.id).toBe('train');
    expect(panelForShortcut(PANELS, press('1', { metaKey: true }))?.id).toBe('draw');
    expect(panelForShortcut(PANELS, press('2'))).toBeNull();
    expect(panelForShortcut(PANELS, press('2', { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(panelForShortcut(PANELS, press('2', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(panelForShortcut(PANELS, press('9', { ctrlKey: true }))).toBeNull();
  });
});
