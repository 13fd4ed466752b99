import { describe, expect, it } from 'vitest';
import { DEFAULT_TEST_FRACTION, ImportState, type ImportApi } from '$renderer/panels/data/import.svelte';
import type { ImportedDataset, ImportedProblem, ImportPreview } from '$shared/datasets/imported';

const PREVIEW: ImportPreview = {
  token: 't1',
  format: 'csv',
  sources: ['my-digits.csv'],
  rows: 2,
  cols: 2,
  numClasses: 2,
  classNames: ['0', '1'],
  counts: { train: 7, test: null },
  classCounts: [4, 3],
  skipped: [],
  skippedCount: 0,
  sample: { images: new Uint8Array(8), labels: Uint8Array.from([0, 1]) },
};

function fakeApi(answers: (ImportPreview | null | Error | Promise<ImportPreview | null>)[], problems: ImportedProblem[] = []) {
  const saved: unknown[] = [];
  let cancels = 0;
  const stored: ImportedDataset[] = [];
  const deleted: string[] = [];
  const api: ImportApi = {
    previewImport: async () => {
      const next = answers.shift() ?? null;
      if (next instanceof Error) throw next;
      return next;
    },
    cancelImport: async () => void cancels++,
    saveImport: async (request) => {
      saved.push(request);
      const dataset = { id: 'mine-1', name: request.name, classNames: request.classNames, rows: 2, cols: 2, counts: { train: 6, test: 1 }, importedAt: 'now' };
      stored.push(dataset);
      return dataset;
    },
    listImported: async () => ({ datasets: [...stored], problems: [...problems] }),
    // As main: a problem folder's name is the id it would have, so the same verb deletes it.
    deleteImported: async ({ id }) => {
      deleted.push(id);
      const at = stored.findIndex((d) => d.id === id);
      if (at >= 0) stored.splice(at, 1);
      const bad = problems.findIndex((p) => p.folder === id);
      if (bad >= 0) problems.splice(bad, 1);
      return at >= 0 || bad >= 0;
    },
  };
  return { api, saved, deleted, cancels: () => cancels };
}

describe('ImportState', () => {
  it('previews, takes a name and edited class names, saves and lists, then deletes', async () => {
    const { api, saved } = fakeApi([PREVIEW]);
    const state = new ImportState();
    await state.open(api);
    expect(state.preview?.token).toBe('t1');
    expect(state.name).toBe('my-digits');
    expect(state.classNames).toEqual(['0', '1']);
    state.classNames[1] = '';
    expect(state.canSave).toBe(false);
    state.classNames[1] = ' one ';
    expect(state.canSave).toBe(true);
    await state.save(api);
    expect(saved).toEqual([{ token: 't1', name: 'my-digits', classNames: ['0', 'one'], testFraction: DEFAULT_TEST_FRACTION }]);
    expect(state.preview).toBeNull();
    expect(state.imported.map((d) => d.name)).toEqual(['my-digits']);
    await state.remove(api, 'mine-1');
    expect(state.imported).toEqual([]);
  });

  it('takes the test share in whole percent, and refuses one it cannot use, saying so', async () => {
    const { api, saved } = fakeApi([PREVIEW]);
    const state = new ImportState();
    await state.open(api);
    expect(state.testPercent).toBe(14);
    for (const bad of [200, -50, 0.5, null]) {
      state.testPercent = bad;
      expect(state.testProblem).toMatch(/^Test share: enter a whole percentage from 1 to 50/);
      expect(state.canSave).toBe(false);
    }
    state.testPercent = 25;
    expect(state.canSave).toBe(true);
    await state.save(api);
    expect(saved[0]).toMatchObject({ testFraction: 0.25 });
  });

  it('keeps what it had when the dialog is cancelled, and shows a reader error', async () => {
    const { api } = fakeApi([PREVIEW, null, new Error('train.csv: line 3: has 4 values, but 5 are expected')]);
    const state = new ImportState();
    await state.open(api);
    await state.open(api);
    expect(state.preview?.token).toBe('t1');
    await state.open(api);
    expect(state.preview).toBeNull();
    expect(state.error).toBe('train.csv: line 3: has 4 values, but 5 are expected');
    expect(state.busy).toBe(false);
  });

  it('shows the folders that do not read, and deletes one by its name', async () => {
    const problems = [
      { folder: 'old-digits-m1', message: 'dataset.json: file not found: expected an MLP Lab dataset manifest here' },
      { folder: 'copy-m2', message: 'dataset.json names another dataset (old-digits-m1)' },
    ];
    const { api, deleted } = fakeApi([], problems);
    const state = new ImportState();
    await state.refresh(api);
    expect(state.imported).toEqual([]);
    expect(state.problems.map((p) => p.folder)).toEqual(['old-digits-m1', 'copy-m2']);
    await state.remove(api, 'copy-m2');
    expect(deleted).toEqual(['copy-m2']);
    expect(state.problems).toEqual([problems[0]]);
    expect(state.error).toBeNull();
  });

  it('shows a folder read\'s progress while it runs, cancels it through main, and drops late progress', async () => {
    let answer: (preview: ImportPreview | null) => void = () => undefined;
    const { api, cancels } = fakeApi([new Promise((resolve) => (answer = resolve))]);
    const state = new ImportState();
    const opening = state.open(api);
    state.onProgress({ done: 1200, total: 5000 });
    expect(state.progress).toEqual({ done: 1200, total: 5000 });
    await state.cancel(api);
    expect(cancels()).toBe(1);
    // Main answers a cancelled read as a cancelled dialog: no preview, no error.
    answer(null);
    await opening;
    expect([state.busy, state.progress, state.preview, state.error]).toEqual([false, null, null, null]);
    state.onProgress({ done: 5000, total: 5000 });
    expect(state.progress).toBeNull();
  });
});
