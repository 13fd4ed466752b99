import type { ImageSet } from '../../shared/datasets/image-set';
import { DatasetError } from './dataset-error';
import { loadImageSet } from './load-dataset';

/**
 * Reads a user's IDX images and labels files (gzip or raw) for import: any image size, any number of
 * classes a byte can hold; the class count is the largest label + 1.
 */
export async function readIdxPair(imagesPath: string, labelsPath: string): Promise<{ set: ImageSet; numClasses: number }> {
  const set = await loadImageSet(imagesPath, labelsPath, { numClasses: 256 });
  let max = 0;
  for (const label of set.labels) if (label > max) max = label;
  if (set.rows > 256 || set.cols > 256) {
    throw new DatasetError(imagesPath, `images are ${set.rows}×${set.cols} pixels; at most 256×256 can be imported`);
  }
  return { set, numClasses: max + 1 };
}
