import { existsSync } from 'node:fs';
import path from 'node:path';
import { DATASETS, DATASET_IDS, type DatasetId } from '../../shared/datasets/catalog';
import type { LoadedDataset } from '../../shared/datasets/image-set';
import type { RequestArgs } from '../../shared/ipc/contract';
import type { DatasetSummary, SampleImages, SplitLabels } from '../../shared/datasets/dataset-summary';
import { DatasetError } from '../../engine/data/dataset-error';
import { loadDataset } from '../../engine/data/load-dataset';

/**
 * Where datasets live and what is in them. Bundled datasets come from the app's resources, downloaded
 * ones from the user-data folder; each is parsed once, on first use.
 */
export class DatasetService {
  private readonly loaded = new Map<DatasetId, Promise<LoadedDataset>>();

  constructor(private readonly options: { resourcesDir: string; userDataDir: string }) {}

  dir(id: DatasetId): string {
    const base = DATASETS[id].bundled ? this.options.resourcesDir : this.options.userDataDir;
    return path.join(base, 'datasets', id);
  }

  /** Every file is there (gzip or raw): a download that stopped half-way does not count. */
  isAvailable(id: DatasetId): boolean {
    return Object.values(DATASETS[id].files).every((file) => {
      const gz = path.join(this.dir(id), file.name);
      return existsSync(gz) || existsSync(gz.replace(/\.gz$/, ''));
    });
  }

  /** Drops what was parsed of `id`, so its next use reads the files again (after a download). */
  forget(id: DatasetId): void {
    this.loaded.delete(id);
  }

  list(): DatasetSummary[] {
    return DATASET_IDS.map((id) => ({
      id,
      displayName: DATASETS[id].displayName,
      classNames: DATASETS[id].classNames,
      bundled: DATASETS[id].bundled,
      available: this.isAvailable(id),
    }));
  }

  load(id: DatasetId): Promise<LoadedDataset> {
    let dataset = this.loaded.get(id);
    if (!dataset) {
      if (!this.isAvailable(id)) {
        return Promise.reject(new DatasetError(this.dir(id), `${DATASETS[id].displayName} is not on this machine yet`));
      }
      dataset = loadDataset(this.dir(id), id);
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
