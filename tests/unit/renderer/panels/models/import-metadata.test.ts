import { describe, expect, it } from 'vitest';
import type { ModelImportPreview } from '$shared/models';
import { classNamesProblem, parseClassNames } from '$renderer/panels/models/import-metadata';
import { ModelsState, type LibraryApi } from '$renderer/panels/models/models.svelte';

const digits = '0123456789'.split('');

describe('class names for an import', () => {
  it('splits on commas and trims', () => {
    expect(parseClassNames(' cat, dog ,bird')).toEqual(['cat', 'dog', 'bird']);
  });
  it('wants one distinct, non-empty name of at most 40 characters per output', () => {
    expect(classNamesProblem(digits, 10)).toBeNull();
    expect(classNamesProblem(['a', 'b'], 3)).toBe('Give 3 class names, one per output (2 given).');
    expect(classNamesProblem(['a', '', 'c'], 3)).toBe('Class name 2 is empty.');
    expect(classNamesProblem(['a', 'b', 'a'], 3)).toBe('“a” is given twice.');
    expect(classNamesProblem(['a', 'x'.repeat(41)], 2)).toMatch(/longer than 40 characters/);
  });
});

describe('ModelsState import preview', () => {
  const preview: ModelImportPreview = {
    token: 't1', file: '/in/model.json', name: 'keras', architecture: '784-64-10', outputs: 10, datasetId: 'mnist',
    defaults: { classNames: digits, normalization: 'divide255' },
  };

  function fake(confirm: LibraryApi['confirmModelImport']): { api: LibraryApi; confirmed: unknown[] } {
    const confirmed: unknown[] = [];
    const api = {
      listModels: async () => ({ models: [], problems: [] }),
      importModel: async () => ({ status: 'needs-metadata', preview }),
      confirmModelImport: async (request: Parameters<LibraryApi['confirmModelImport']>[0]) => (confirmed.push(request), confirm(request)),
      onModelChanged: () => () => undefined,
      onEvaluationProgress: () => () => undefined,
    } as unknown as LibraryApi;
    return { api, confirmed };
  }

  it('asks before adding a model without metadata, proposing 0–9 and ÷255, and sends what the user gave', async () => {
    const state = new ModelsState();
    const { api, confirmed } = fake(async () => ({ model: { name: 'keras' } as never, assumed: ['the MNIST dataset'] }));
    state.connect(api);
    await state.importModel('file');
    expect(state.pendingImport).toEqual(preview);
    expect(state.importClassNames).toBe('0, 1, 2, 3, 4, 5, 6, 7, 8, 9');
    expect(state.importNormalization).toBe('divide255');
    expect(state.notice).toBeNull();

    state.importClassNames = 'a, b';
    expect(state.importProblem).toBe('Give 10 class names, one per output (2 given).');
    await state.confirmImport();
    expect(confirmed).toEqual([]);

    state.importClassNames = 'zero, one, two, three, four, five, six, seven, eight, nine';
    state.importNormalization = 'unit';
    await state.confirmImport();
    expect(confirmed).toEqual([{ token: 't1', classNames: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'], normalization: 'unit' }]);
    expect(state.pendingImport).toBeNull();
    expect(state.notice).toBe('Imported “keras” (assumed: the MNIST dataset)');
  });

  it('keeps the preview when main refuses, showing why', async () => {
    const state = new ModelsState();
    state.connect(fake(async () => Promise.reject(new Error('This import is no longer pending: import the model again'))).api);
    await state.importModel('file');
    await state.confirmImport();
    expect(state.importError).toBe('This import is no longer pending: import the model again');
    expect(state.pendingImport).toEqual(preview);
    state.cancelImport();
    expect(state.pendingImport).toBeNull();
  });
});
