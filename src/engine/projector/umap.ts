import { UMAP } from 'umap-js';
import { Random } from '../ml/random';

/** What runs between UMAP's steps: reports progress, and throws to stop. */
export type UmapCheckpoint = (done: number, total: number) => Promise<void>;

/** Epochs UMAP optimises for: umap-js picks 500 for small sets and 200 for large ones; 200 suffices for a map. */
const EPOCHS = 200;
/** Steps between two checkpoints: a step on 10,000 points is a few milliseconds. */
const STEPS_PER_CHECK = 5;

/**
 * UMAP of `count` rows to two dimensions, with umap-js (PAIR's implementation, the most used in
 * JavaScript). Phases: neighbour graph (umap-js's NN-descent, the part that cannot report progress) →
 * layout, stepped by hand so that the job reports progress and can stop between steps. Seeded, so the
 * same layer gives the same map.
 *
 * @param rows count × dim, row-major.
 * @returns count × 2, row-major.
 */
export async function umap2(rows: Float32Array, count: number, dim: number, checkpoint: UmapCheckpoint): Promise<Float32Array> {
  if (count < 3) throw new RangeError(`UMAP needs at least 3 points, got ${count}`);
  const random = new Random(20261205);
  const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(15, count - 1), minDist: 0.1, nEpochs: EPOCHS, random: () => random.next() });
  const vectors = Array.from({ length: count }, (_, r) => Array.from(rows.subarray(r * dim, (r + 1) * dim)));
  await checkpoint(0, EPOCHS);
  const epochs = umap.initializeFit(vectors);
  for (let epoch = 0; epoch < epochs; ) {
    for (let s = 0; s < STEPS_PER_CHECK && epoch < epochs; s++) epoch = umap.step();
    await checkpoint(epoch, epochs);
  }
  const embedding = umap.getEmbedding();
  const coords = new Float32Array(count * 2);
  for (let r = 0; r < count; r++) {
    coords[2 * r] = embedding[r][0];
    coords[2 * r + 1] = embedding[r][1];
  }
  return coords;
}
