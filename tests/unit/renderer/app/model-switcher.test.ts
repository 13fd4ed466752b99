import { describe, expect, it } from 'vitest';
import type { LibraryModel } from '$shared/models';
import { ModelSwitcher, RECENT_MODELS, type SwitcherApi } from '$renderer/app/model-switcher.svelte';

function fakeApi(library: Partial<LibraryModel>[]) {
  const calls: string[] = [];
  let changed: ((change: { id: string; name: string }) => void) | null = null;
  const api: SwitcherApi = {
    listModels: async () => ({ models: library as LibraryModel[], problems: [] }),
    loadModel: async ({ id }) => void calls.push(`load ${id}`),
    saveModel: async ({ name }) => (calls.push(`save ${name}`), { name, dir: `/x/${name}` }),
    onModelChanged: (listener) => ((changed = listener), () => (changed = null)),
  };
  return { api, calls, emit: (id: string, name: string) => changed!({ id, name }) };
}

describe('ModelSwitcher', () => {
  it('keeps this session’s trained models newest first, without the default or saved ones', async () => {
    const fake = fakeApi([{ id: 'default', name: 'Default' }, { id: 'mine', name: 'Mine' }]);
    const switcher = new ModelSwitcher();
    switcher.connect(fake.api);
    await switcher.refresh();
    fake.emit('run-a', 'A');
    fake.emit('default', 'Default');
    fake.emit('mine', 'Mine');
    fake.emit('run-b', 'B');
    // Switching back to run-a keeps the order: the second entry stays the same model, click after click.
    fake.emit('run-a', 'A');
    expect(switcher.recent.map((m) => m.id)).toEqual(['run-b', 'run-a']);
    fake.emit('run-b', 'B');
    expect(switcher.recent.map((m) => m.id)).toEqual(['run-b', 'run-a']);
    for (let i = 0; i < 10; i++) fake.emit(`run-${i}`, `${i}`);
    expect(switcher.recent).toHaveLength(RECENT_MODELS);
  });

  it('tells same-named runs apart by what their metadata says once they have been active', async () => {
    const fake = fakeApi([]);
    const switcher = new ModelSwitcher();
    switcher.connect(fake.api);
    fake.emit('run-a', 'MLP 50 · sgd');
    fake.emit('run-b', 'MLP 50 · sgd');
    switcher.describe('run-a', { name: 'MLP 50 · sgd', metrics: { testAccuracy: 0.9 }, datasetId: 'fashion-mnist', created: '2026-12-05T10:00:00Z' });
    switcher.describe('elsewhere', { name: 'X', metrics: {}, datasetId: 'mnist', created: '' });
    expect(switcher.recent.map((m) => [m.id, m.testAccuracy, m.datasetId])).toEqual([
      ['run-b', null, null],
      ['run-a', 0.9, 'fashion-mnist'],
    ]);
  });

  it('loads by id, and saves the active model under a trimmed name, refusing a blank one', async () => {
    const fake = fakeApi([]);
    const switcher = new ModelSwitcher();
    switcher.connect(fake.api);
    await switcher.load('default');
    await switcher.save('   ');
    expect(switcher.error).toMatch(/name/);
    await switcher.save('  My model ');
    expect(fake.calls).toEqual(['load default', 'save My model']);
    expect(switcher.saved?.name).toBe('My model');
    expect(switcher.error).toBeNull();
  });
});
