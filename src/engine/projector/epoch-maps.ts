import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../shared/datasets/image-set';
import type { Normalization } from '../../shared/model-spec';
import { EPOCH_MAP_IMAGES, type ProjectionMap, type ProjectorLayer } from '../../shared/projector/projector';
import { argMax } from '../../shared/vector';
import { normalizeRows } from '../ml/batches';
import { denseLayers } from './activations';
import { alignAxes } from './maps';
import { neighbourAgreement } from './nearest';
import { pca2 } from './pca';

/** The model being trained, as the engine lends it between two epochs. */
export interface TrainedModel {
  model: tf.LayersModel;
  test: ImageSet;
  normalization: Normalization;
}

/**
 * The maps of the end of one epoch: PCA of the first test images at the last hidden layer and at the
 * output. Synchronous on purpose: it runs in the training loop's epoch callback, and the weights must
 * not move under it. Wider layers are left out because their eigendecomposition (cubic in the width)
 * would hold training up for seconds each epoch; the projector computes them on request once training
 * ends. Phases: one forward pass (every layer's values kept) → PCA per layer → axes aligned with the
 * previous epoch's, so the replay shows movement and not mirroring → neighbour agreement.
 */
export function epochMaps(trained: TrainedModel, previous: readonly ProjectionMap[]): ProjectionMap[] {
  const started = performance.now();
  const { model, test, normalization } = trained;
  const count = Math.min(EPOCH_MAP_IMAGES, test.count);
  const size = test.rows * test.cols;
  const dense = denseLayers(model);
  const hidden = dense.length - 1;
  const wanted: { layer: ProjectorLayer; depth: number }[] = [...(hidden > 0 ? [{ layer: hidden, depth: hidden }] : []), { layer: 'output', depth: dense.length }];
  const x = Float32Array.from(test.images.subarray(0, count * size));
  normalizeRows(x, count, size, normalization);
  const outputs = tf.tidy(() => {
    let h: tf.Tensor = tf.tensor2d(x, [count, size]);
    const kept: tf.Tensor[] = [];
    for (const [i, layer] of dense.entries()) {
      h = layer.apply(h) as tf.Tensor;
      if (wanted.some((w) => w.depth === i + 1)) kept.push(h);
    }
    return kept;
  });
  const values = outputs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outputs);
  const probabilities = values[values.length - 1];
  const classes = probabilities.length / count;
  const predictions = Uint8Array.from({ length: count }, (_, r) => argMax(probabilities, r * classes, classes));
  const labels = test.labels.slice(0, count);
  return wanted.map(({ layer }, i) => {
    const dim = values[i].length / count;
    const axes = pca2(values[i], count, dim);
    const map: ProjectionMap = {
      layer,
      method: 'pca',
      count,
      dim,
      coords: axes.coords,
      labels,
      predictions,
      pca: {
        mean: Float32Array.from(axes.mean),
        components: Float32Array.from([...axes.components[0], ...axes.components[1]]),
        explainedVariance: axes.explainedVarianceRatio,
      },
      knnAccuracy: 0,
      seconds: 0,
    };
    const aligned = alignAxes(map, previous.find((p) => p.layer === layer));
    return { ...aligned, knnAccuracy: neighbourAgreement(aligned.coords, labels, count), seconds: (performance.now() - started) / 1000 };
  });
}
