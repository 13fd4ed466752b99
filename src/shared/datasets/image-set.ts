import type { DatasetId } from './catalog';

/**
 * A split of an image dataset kept as raw bytes, as IDX stores it: normalisation happens only when a
 * batch becomes a tensor, so a 60,000-image split costs 47 MB instead of 188 MB of float32.
 */
export interface ImageSet {
  /** count × rows × cols grey levels 0..255, row-major, image after image. */
  images: Uint8Array;
  /** count class indices, each < numClasses. */
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

export interface LoadedDataset {
  id: DatasetId;
  classNames: readonly string[];
  train: ImageSet;
  test: ImageSet;
}
