import type { Api } from '$shared/ipc/contract';
import type { DatasetId } from '$shared/datasets/catalog';
import { INPUT_SIDE } from '../../lib/input-size';

/** The test images averaged: the contract's largest sample request. */
export const MEAN_OF = 1000;

/**
 * The mean of the first MEAN_OF test images, 0..1, row-major: the input the "what this class looks
 * for" view explains when nothing is drawn. MNIST's test set is not sorted by class, so its first
 * thousand hold every digit in roughly its share. The reply is checked before it is trusted.
 */
export async function meanTestImage(getSamples: Api['getSamples'], datasetId: DatasetId): Promise<Float32Array> {
  const indices = Array.from({ length: MEAN_OF }, (_, i) => i);
  const reply = await getSamples({ datasetId, split: 'test', indices });
  const pixels = reply.rows * reply.cols;
  if (reply.rows !== INPUT_SIDE || reply.cols !== INPUT_SIDE) {
    throw new Error(`dataset:get-samples: images are ${reply.rows}×${reply.cols}, not ${INPUT_SIDE}×${INPUT_SIDE}`);
  }
  const count = reply.indices.length;
  if (count < 1 || count > MEAN_OF || reply.images.length !== count * pixels) {
    throw new Error(`dataset:get-samples: images has ${reply.images.length} bytes for ${count} images of ${pixels} pixels`);
  }
  const sums = new Float64Array(pixels);
  for (let n = 0; n < count; n++) for (let p = 0; p < pixels; p++) sums[p] += reply.images[n * pixels + p];
  return Float32Array.from(sums, (s) => s / count / 255);
}
