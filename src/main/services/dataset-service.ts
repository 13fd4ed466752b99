import { existsSync } from 'node:fs';
import path from 'node:path';
import { CATALOG_IDS, DATASET_ID_PATTERN, DATASETS, isCatalogId, type CatalogId, type DatasetId } from '../../shared/datasets/catalog';
import { catalogDescriptor, type DatasetDescriptor } from '../../shared/datasets/descriptor';
import type { LoadedDataset } from '../../shared/datasets/image-set';
import type { RequestArgs } from '../../shared/ipc/contract';
import { catalogSummary, type DatasetSummary, type SampleImages, type SplitLabels } from '../../shared/datasets/dataset-summary';
import { loadDescribedDataset } from '../../engine/data/load-dataset';

/**
 * Datasets other than the catalog's, such as imports: each source lists its own and describes an id it
 * owns (null for an id it does not know).
 */
export interface DatasetSource {
  summaries(): Promise<DatasetSummary[]>;
  describe(id: DatasetId): Promise<DatasetDescriptor | null>;
}

/**
 * Where datasets live and what is in them. Bundled datasets come from the app's resources, downloaded
 * ones from the user-data folder, the rest from the other sources; each is parsed once, on first use.
 */
export class DatasetService {
  private readonly loaded = new Map<DatasetId, Promise<LoadedDataset>>();

  constructor(private readonly options: { resourcesDir: string; userDataDir: string; sources?: readonly DatasetSource[] }) {}

  /** A catalog dataset's folder: in the resources when bundled, else where downloads go. */
  dir(id: CatalogId): string {
    const base = DATASETS[id].bundled ? this.options.resourcesDir : this.options.userDataDir;
    return path.join(base, 'datasets', id);
  }

  /** Every file is there (gzip or raw): a download that stopped half-way does not count. */
  isAvailable(id: CatalogId): boolean {
    return Object.values(DATASETS[id].files).every((file) => {
      const gz = path.join(this.dir(id), file.name);
      return existsSync(gz) || existsSync(gz.replace(/\.gz$/, ''));
    });
  }

  /** Drops what was parsed of `id`, so its next use reads the files again (after a download). */
  forget(id: DatasetId): void {
    this.loaded.delete(id);
  }

  /** The catalog's datasets first, then each source's. */
  async list(): Promise<DatasetSummary[]> {
    const catalog = CATALOG_IDS.map((id) => catalogSummary(id, this.isAvailable(id)));
    const others = await Promise.all((this.options.sources ?? []).map((source) => source.summaries()));
    return [...catalog, ...others.flat()];
  }

  /** What a reader needs to load `id`; throws, naming it, when it is unknown or not here yet. */
  async describe(id: DatasetId): Promise<DatasetDescriptor> {
    if (isCatalogId(id)) {
      if (!this.isAvailable(id)) throw new Error(`${DATASETS[id].displayName} is not on this machine yet: download it in the Data tab.`);
      return catalogDescriptor(id, this.dir(id));
    }
    // Ids also come from metadata.json files a user may have edited: only a well-formed one is looked up.
    if (DATASET_ID_PATTERN.test(id)) {
      for (const source of this.options.sources ?? []) {
        const found = await source.describe(id);
        if (found) return found;
      }
    }
    throw new Error(`There is no dataset "${id.slice(0, 80)}" on this machine (was it deleted?).`);
  }

  load(id: DatasetId): Promise<LoadedDataset> {
    let dataset = this.loaded.get(id);
    if (!dataset) {
      dataset = this.describe(id).then((descriptor) => loadDescribedDataset(descriptor));
      // A failed load (corrupt file) is not cached: the user may replace the files and retry.
      dataset.catch(() => this.loaded.delete(id));
      this.loaded.set(id, dataset);
    }
    return dataset;
  }

  async labels(request: RequestArgs<'dataset:get-labels'>[0]): Promise<SplitLabels> {
    const set = (await this.load(request.datasetId))[request.split];
    // A copy: the view shares its buffer with every image, which must not cross the IPC boundary.
    return { ...request, rows: set.rows, cols: set.cols, labels: set.labels.slice() };
  }

  async samples(request: RequestArgs<'dataset:get-samples'>[0]): Promise<SampleImages> {
    const dataset = await this.load(request.datasetId);
    const set = dataset[request.split];
    const size = set.rows * set.cols;
    const images = new Uint8Array(request.indices.length * size);
    const labels = new Uint8Array(request.indices.length);
    request.indices.forEach((index, i) => {
      if (index >= set.count) {
        throw new RangeError(`${request.datasetId} ${request.split} has ${set.count} images; index ${index} is out of range`);
      }
      images.set(set.images.subarray(index * size, (index + 1) * size), i * size);
      labels[i] = set.labels[index];
    });
    return { ...request, rows: set.rows, cols: set.cols, images, labels };
  }
}
