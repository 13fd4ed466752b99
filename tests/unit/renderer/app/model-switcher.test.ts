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
    fake.emit('run-a', 'A');
    expect(switcher.recent.map((m) => m.id)).toEqual(['run-a', 'run-b']);
    for (let i = 0; i < 10; i++) fake.emit(`run-${i}`, `${i}`);
    expect(switcher.recent).toHaveLength(RECENT_MODELS);
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
