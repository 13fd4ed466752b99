import { describe, expect, it } from 'vitest';
import { DataState, type DataApi } from '$renderer/panels/data/data.svelte';
import { catalogSummary, type DatasetSummary, type SplitLabels } from '$shared/datasets/dataset-summary';
import type { DownloadProgress } from '$shared/datasets/download';

const NAMES = ['a', 'b', 'c'];
/** 250 train images labelled i % 3 and 30 test images all labelled 1; each image's pixels are its index. */
const LABELS: Record<'train' | 'test', Uint8Array> = {
  train: Uint8Array.from({ length: 250 }, (_, i) => i % 3),
  test: new Uint8Array(30).fill(1),
};

function summaries(fashionAvailable: boolean): DatasetSummary[] {
  return [
    { ...catalogSummary('mnist', true), classNames: NAMES },
    { ...catalogSummary('fashion-mnist', fashionAvailable), classNames: NAMES },
  ];
}

function progress(state: DownloadProgress['state'], received: number): DownloadProgress {
  return { datasetId: 'fashion-mnist', state, files: [], received, total: 100, bytesPerSecond: 10, etaSeconds: 3, failures: [], message: null };
}

function fakeApi() {
  const sampleCalls: { split: string; indices: number[] }[] = [];
  const cancelled: string[] = [];
  let fashionAvailable = false;
  let onProgress: ((p: DownloadProgress) => void) | null = null;
  let onChanged: ((list: DatasetSummary[]) => void) | null = null;
  let finishDownload: ((p: DownloadProgress) => void) | null = null;
  const api: DataApi = {
    listDatasets: async () => summaries(fashionAvailable),
    getDatasetLabels: async ({ datasetId, split }): Promise<SplitLabels> => ({ datasetId, split, rows: 2, cols: 2, labels: LABELS[split] }),
    getSamples: async ({ datasetId, split, indices }) => {
      sampleCalls.push({ split, indices });
      return {
        datasetId,
        split,
        rows: 2,
        cols: 2,
        indices,
        images: Uint8Array.from(indices.flatMap((i) => [i % 256, 0, 0, 0])),
        labels: Uint8Array.from(indices, (i) => LABELS[split][i]),
      };
    },
    downloadDataset: () => new Promise((resolve) => (finishDownload = resolve)),
    cancelDownload: async ({ datasetId }) => void cancelled.push(datasetId),
    previewImport: async () => null,
    cancelImport: async () => undefined,
    saveImport: () => Promise.reject(new Error('not in these tests')),
    listImported: async () => ({ datasets: [], problems: [] }),
    deleteImported: async () => false,
    onDownloadProgress: (listener) => {
      onProgress = listener;
      return () => (onProgress = null);
    },
    onDatasetsChanged: (listener) => {
      onChanged = listener;
      return () => (onChanged = null);
    },
    onImportProgress: () => () => undefined,
  };
  return {
    api,
    sampleCalls,
    cancelled,
    makeFashionAvailable: () => (fashionAvailable = true),
    emitProgress: (p: DownloadProgress) => onProgress?.(p),
    emitChanged: (list: DatasetSummary[]) => onChanged?.(list),
    finish: (p: DownloadProgress) => finishDownload?.(p),
    subscribed: () => onProgress !== null && onChanged !== null,
  };
}

async function connected(random = () => 0.5) {
  const fake = fakeApi();
  const state = new DataState({}, random);
  const disconnect = state.connect(fake.api);
  await state.refresh();
  return { fake, state, disconnect };
}

describe('DataState', () => {
  it('lists the datasets and opens the first page of the bundled one with class counts per split', async () => {
    const { fake, state } = await connected();
    expect(state.datasets.map((d) => d.id)).toEqual(['mnist', 'fashion-mnist']);
    expect(state.counts).toEqual({ train: [84, 83, 83], test: [0, 30, 0] });
    expect(state.pages).toBe(3);
    expect(state.pageImages?.indices).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(fake.sampleCalls.at(-1)?.split).toBe('train');
  });

  it('filters by class and split, starting again from the first page', async () => {
    const { fake, state } = await connected();
    await state.goToPage(2);
    await state.setClassFilter(2);
    expect(state.page).toBe(0);
    expect(state.items.length).toBe(83);
    expect(fake.sampleCalls.at(-1)?.indices.slice(0, 3)).toEqual([2, 5, 8]);
    await state.setSplit('test');
    expect(state.items.length).toBe(0);
    expect(state.pageImages).toBeNull();
    await state.setClassFilter(1);
    expect(fake.sampleCalls.at(-1)).toEqual({ split: 'test', indices: Array.from({ length: 30 }, (_, i) => i) });
  });

  it('moves the selection with keys, turning pages, and shows the selected pixels', async () => {
    const { state } = await connected();
    await state.select(99);
    expect(state.selected).toMatchObject({ index: 99, label: 0 });
    expect(Array.from(state.selected!.pixels!)).toEqual([99, 0, 0, 0]);
    await state.key('ArrowRight');
    expect(state.page).toBe(1);
    expect(state.selected).toMatchObject({ index: 100, label: 1 });
    expect(Array.from(state.selected!.pixels!)).toEqual([100, 0, 0, 0]);
    await state.key('End');
    expect(state.selected?.index).toBe(249);
    expect(state.page).toBe(2);
    await state.key('PageUp');
    expect(state.selected?.index).toBe(149);
  });

  it('picks a random image of the current filter', async () => {
    const { state } = await connected(() => 0.999);
    await state.setClassFilter(1);
    await state.randomImage();
    expect(state.selected?.index).toBe(247); // the last of class 1
    expect(state.page).toBe(0);
  });

  it('shows download progress, cancels, and opens the dataset once it is downloaded', async () => {
    const { fake, state } = await connected();
    const running = state.download('fashion-mnist');
    fake.emitProgress(progress('downloading', 40));
    expect(state.downloads.get('fashion-mnist')?.received).toBe(40);
    await state.cancelDownload('fashion-mnist');
    expect(fake.cancelled).toEqual(['fashion-mnist']);
    fake.makeFashionAvailable();
    await state.selectDataset('fashion-mnist'); // not yet available in the state's list: nothing loads
    expect(state.labels.train).toBeUndefined();
    fake.finish(progress('done', 100));
    await running;
    expect(state.downloads.get('fashion-mnist')?.state).toBe('done');
    expect(state.summary?.available).toBe(true);
    expect(state.labels.train?.labels.length).toBe(250);
  });

  it('takes a changed dataset list from main, and unsubscribes on disconnect', async () => {
    const { fake, state, disconnect } = await connected();
    fake.emitChanged(summaries(true));
    expect(state.datasets[1].available).toBe(true);
    expect(fake.subscribed()).toBe(true);
    disconnect();
    expect(fake.subscribed()).toBe(false);
  });
});
