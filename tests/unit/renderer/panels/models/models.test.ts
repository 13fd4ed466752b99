import { describe, expect, it } from 'vitest';
import type { LibraryModel, ModelListing } from '$shared/models';
import { ModelsState, type LibraryApi } from '$renderer/panels/models/models.svelte';
import { sortModels, sparklinePoints } from '$renderer/panels/models/sort-models';

const model = (id: string, extra: Partial<LibraryModel> = {}): LibraryModel => ({
  id, name: id, builtIn: false, architecture: '784-10', parameters: 7850, datasetId: 'mnist', testAccuracy: 0.9, epochs: 1, created: '2026-01-01', backend: 'wasm', curve: [], ...extra,
});

describe('sortModels', () => {
  const list = [model('b', { testAccuracy: 0.95, epochs: 3 }), model('default', { builtIn: true, testAccuracy: 0.99 }), model('a', { testAccuracy: null, epochs: 9 }), model('c', { testAccuracy: 0.91 })];
  it('keeps the default first and orders the rest by the key, either way', () => {
    expect(sortModels(list, 'testAccuracy', true).map((m) => m.id)).toEqual(['default', 'b', 'c', 'a']);
    expect(sortModels(list, 'testAccuracy', false).map((m) => m.id)).toEqual(['default', 'a', 'c', 'b']);
    expect(sortModels(list, 'name', false).map((m) => m.id)).toEqual(['default', 'a', 'b', 'c']);
    expect(sortModels(list, 'epochs', true).map((m) => m.id)).toEqual(['default', 'a', 'b', 'c']);
  });
  it('draws the curve from its minimum (bottom) to its maximum (top)', () => {
    expect(sparklinePoints([0.5, 1, 0.75], 10, 4)).toBe('0.0,4.0 5.0,0.0 10.0,2.0');
    expect(sparklinePoints([0.5], 10, 4)).toBe('');
  });
});

describe('ModelsState', () => {
  function fakeApi(overrides: Partial<LibraryApi> = {}): { api: LibraryApi; calls: string[] } {
    const calls: string[] = [];
    const listing: ModelListing = { models: [model('default', { builtIn: true }), model('mine')], problems: [] };
    const api = {
      listModels: async () => (calls.push('list'), listing),
      loadModel: async ({ id }: { id: string }) => void calls.push(`load ${id}`),
      exportModel: async () => ({ path: '/tmp/x.zip' }),
      importModel: async () => {
        // As the preload hands it on: main's message, without Electron's "Error invoking remote method" prefix.
        throw new Error('/a/model.json: modelTopology is missing');
      },
      onModelChanged: () => () => undefined,
      onEvaluationProgress: () => () => undefined,
      ...overrides,
    } as unknown as LibraryApi;
    return { api, calls };
  }

  it('lists on connect, loads, and reports an export and a failed import plainly', async () => {
    const state = new ModelsState();
    const { api, calls } = fakeApi();
    state.connect(api);
    await state.refresh();
    expect(state.models.map((m) => m.id)).toEqual(['default', 'mine']);
    await state.load('mine');
    expect(calls).toContain('load mine');
    await state.exportModel('mine', 'zip');
    expect(state.notice).toBe('Exported to /tmp/x.zip');
    await state.importModel('file');
    expect(state.importError).toBe('/a/model.json: modelTopology is missing');
    expect(state.busy).toBe(false);
  });

  it('continues a model: loads it first, then hands it to the Train tab; a failed load hands nothing', async () => {
    const handed: { id: string; name: string }[] = [];
    const state = new ModelsState({ app: { requestContinue: (model) => void handed.push(model) } });
    const { api, calls } = fakeApi();
    state.connect(api);
    await state.continueModel('mine', 'Mine');
    expect(calls).toContain('load mine');
    expect(handed).toEqual([{ id: 'mine', name: 'Mine' }]);

    const failing = new ModelsState({ app: { requestContinue: (model) => void handed.push(model) } });
    failing.connect(fakeApi({ loadModel: async () => Promise.reject(new Error('/lib/mine: weights.bin is missing')) }).api);
    await failing.continueModel('mine', 'Mine');
    expect(failing.error).toBe('/lib/mine: weights.bin is missing');
    expect(handed).toHaveLength(1);
  });
});
