import type { CatalogId, DatasetId } from '$shared/datasets/catalog';
import type { DatasetSummary, SampleImages, SplitLabels } from '$shared/datasets/dataset-summary';
import type { DownloadProgress } from '$shared/datasets/download';
import type { Api } from '$shared/ipc/contract';
import { classCounts, indicesOf, moveSelection, PAGE_SIZE, pageCount, pageItems, type GridKey } from './browse';
import type { Drops } from '../../app/drops.svelte';
import { ImportState, type ImportApi } from './import.svelte';
import { errorText } from '../../app/error-text';
import type { PanelActions } from '../../app/panel-actions';
import { Latest } from '../../lib/latest';

export type DataApi = Pick<
  Api,
  'listDatasets' | 'getDatasetLabels' | 'getSamples' | 'downloadDataset' | 'cancelDownload' | 'onDownloadProgress' | 'onDatasetsChanged' | 'onImportProgress'
> &
  ImportApi;
export type Split = 'train' | 'test';

/**
 * The Data tab: which datasets are here and their downloads, and a browser over one dataset's split:
 * its labels (for the class chart and the class filter), the page of images on show and the selected
 * image. Created once by App, so a download's progress keeps arriving while another tab is open.
 */
export class DataState {
  datasets = $state.raw<readonly DatasetSummary[]>([]);
  downloads = $state.raw<ReadonlyMap<CatalogId, DownloadProgress>>(new Map());
  datasetId = $state<DatasetId>('mnist');
  split = $state<Split>('train');
  /** Show only this class, or every image. */
  classFilter = $state<number | null>(null);
  page = $state(0);
  /** The selected image's place in the filtered list. */
  position = $state<number | null>(null);
  /** Both splits' labels of the dataset on show, once fetched. */
  labels = $state.raw<Partial<Record<Split, SplitLabels>>>({});
  pageImages = $state.raw<SampleImages | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  readonly imports = new ImportState();

  #api: DataApi | null = null;
  /** Another dataset chosen, or another page turned to: the older answer is dropped. */
  readonly #labels = new Latest();
  readonly #page = new Latest();

  private readonly random: () => number;

  /** `drops` hands this tab the datasets dropped on the window; `random` picks the random image. */
  constructor(services: { drops?: Pick<Drops, 'onDataset'>; actions?: Pick<PanelActions, 'on'> } = {}, random: () => number = Math.random) {
    this.random = random;
    services.drops?.onDataset(async (paths, format) => {
      if (this.#api) await this.imports.open(this.#api, { paths, format });
    });
    // File → Import Dataset…: the same preview as the Import card's button.
    services.actions?.on('import-dataset', async () => {
      if (this.#api) await this.imports.open(this.#api);
    });
  }

  readonly summary = $derived(this.datasets.find((d) => d.id === this.datasetId) ?? null);
  readonly classNames = $derived(this.summary?.classNames ?? []);
  readonly counts = $derived({
    train: this.labels.train ? classCounts(this.labels.train.labels, this.classNames.length) : null,
    test: this.labels.test ? classCounts(this.labels.test.labels, this.classNames.length) : null,
  });
  readonly items = $derived(this.labels[this.split] ? indicesOf(this.labels[this.split]!.labels, this.classFilter) : new Int32Array(0));
  readonly pages = $derived(pageCount(this.items.length));
  readonly pageIndices = $derived(pageItems(this.items, this.page));
  /** The selected image's index in the split, and its pixels when its page is loaded. */
  readonly selected = $derived.by(() => {
    if (this.position === null || this.position >= this.items.length) return null;
    const index = this.items[this.position];
    const images = this.pageImages;
    const slot = images ? images.indices.indexOf(index) : -1;
    if (!images || slot < 0) return { index, label: this.labels[this.split]?.labels[index] ?? 0, pixels: null };
    const size = images.rows * images.cols;
    const pixels = images.images.subarray(slot * size, (slot + 1) * size);
    return { index, label: images.labels[slot], pixels, rows: images.rows, cols: images.cols };
  });

  connect(api: DataApi): () => void {
    this.#api = api;
    const off = [
      api.onDownloadProgress((progress) => this.#setDownload(progress)),
      api.onDatasetsChanged((list) => (this.datasets = list)),
      api.onImportProgress((progress) => this.imports.onProgress(progress)),
    ];
    void this.refresh();
    void this.imports.refresh(api);
    return () => {
      off.forEach((unsubscribe) => unsubscribe());
      this.#api = null;
    };
  }

  async refresh(): Promise<void> {
    const api = this.#api;
    if (!api) return;
    try {
      this.datasets = await api.listDatasets();
      if (this.summary?.available && !this.labels.train) await this.selectDataset(this.datasetId);
    } catch (error) {
      this.error = errorText(error);
    }
  }

  async selectDataset(id: DatasetId): Promise<void> {
    const api = this.#api;
    this.datasetId = id;
    this.labels = {};
    this.pageImages = null;
    this.classFilter = null;
    this.page = 0;
    this.position = null;
    this.error = null;
    if (!api || !this.summary?.available) return;
    const request = this.#labels.next();
    this.loading = true;
    try {
      const [train, test] = await Promise.all([
        api.getDatasetLabels({ datasetId: id, split: 'train' }),
        api.getDatasetLabels({ datasetId: id, split: 'test' }),
      ]);
      if (!request.current) return;
      this.labels = { train, test };
      await this.#loadPage();
    } catch (error) {
      if (request.current) this.error = errorText(error);
    } finally {
      if (request.current) this.loading = false;
    }
  }

  setSplit(split: Split): Promise<void> {
    this.split = split;
    return this.#restart();
  }

  setClassFilter(classIndex: number | null): Promise<void> {
    this.classFilter = classIndex;
    return this.#restart();
  }

  goToPage(page: number): Promise<void> {
    const next = Math.min(this.pages - 1, Math.max(0, page));
    if (next === this.page && this.pageImages) return Promise.resolve();
    this.page = next;
    return this.#loadPage();
  }

  /** Selects the image at `position` in the filtered list, turning to its page. */
  select(position: number): Promise<void> {
    if (this.items.length === 0) return Promise.resolve();
    this.position = Math.min(this.items.length - 1, Math.max(0, position));
    return this.goToPage(Math.floor(this.position / PAGE_SIZE));
  }

  key(key: GridKey): Promise<void> {
    return this.select(moveSelection(this.position ?? 0, key, this.items.length));
  }

  /** 002's get_random_image: any image of the current split and filter. */
  randomImage(): Promise<void> {
    return this.select(Math.floor(this.random() * this.items.length));
  }

  async download(id: CatalogId): Promise<void> {
    const api = this.#api;
    if (!api) return;
    try {
      const final = await api.downloadDataset({ datasetId: id });
      this.#setDownload(final);
      if (final.state === 'done') {
        this.datasets = await api.listDatasets();
        if (id === this.datasetId) await this.selectDataset(id);
      }
    } catch (error) {
      this.error = errorText(error);
    }
  }

  /** The api the import card calls through, while connected. */
  get api(): DataApi | null {
    return this.#api;
  }

  async cancelDownload(id: CatalogId): Promise<void> {
    await this.#api?.cancelDownload({ datasetId: id });
  }

  #setDownload(progress: DownloadProgress): void {
    const next = new Map(this.downloads);
    next.set(progress.datasetId, progress);
    this.downloads = next;
  }

  #restart(): Promise<void> {
    this.page = 0;
    this.position = null;
    return this.#loadPage();
  }

  async #loadPage(): Promise<void> {
    const api = this.#api;
    const indices = this.pageIndices;
    if (!api || indices.length === 0) {
      this.pageImages = null;
      return;
    }
    const request = this.#page.next();
    try {
      const images = await api.getSamples({ datasetId: this.datasetId, split: this.split, indices });
      if (request.current) this.pageImages = images;
    } catch (error) {
      if (request.current) this.error = errorText(error);
    }
  }
}
