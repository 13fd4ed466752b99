import type { DatasetId } from './catalog';

export interface DatasetSummary {
  id: DatasetId;
  displayName: string;
  classNames: readonly string[];
  bundled: boolean;
  /** Its files are on this machine (bundled, or downloaded). */
  available: boolean;
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
