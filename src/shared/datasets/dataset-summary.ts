import { DATASETS, type CatalogId, type DatasetId, type SplitName } from './catalog';

/** Where a dataset comes from: the catalog (bundled or downloaded), or an import. */
export type DatasetSource = 'catalog' | 'imported';

export interface DatasetSummary {
  id: DatasetId;
  displayName: string;
  classNames: readonly string[];
  source: DatasetSource;
  bundled: boolean;
  /** Its files are on this machine (bundled, downloaded or imported). */
  available: boolean;
  imageSize: { rows: number; cols: number };
  counts: Record<SplitName, number>;
}

export interface SampleImages {
  datasetId: DatasetId;
  split: 'train' | 'test';
  rows: number;
  cols: number;
  indices: number[];
  /** indices.length × rows × cols grey levels, 0..255. */
  images: Uint8Array;
  labels: Uint8Array;
}

/** A split's labels and image size: enough to count classes, filter by one and page through it. */
export interface SplitLabels {
  datasetId: DatasetId;
  split: 'train' | 'test';
  rows: number;
  cols: number;
  /** One class index per image, in file order. */
  labels: Uint8Array;
}

/** A catalog dataset's summary, `available` as the caller found it. */
export function catalogSummary(id: CatalogId, available: boolean): DatasetSummary {
  const info = DATASETS[id];
  return {
    id,
    displayName: info.displayName,
    classNames: info.classNames,
    source: 'catalog',
    bundled: info.bundled,
    available,
    imageSize: info.imageSize,
    counts: info.counts,
  };
}
