import type * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../shared/datasets/image-set';
import type { Normalization } from '../../shared/model-spec';
import type { ProjectionMap, ProjectorLayer, ProjectorMethod } from '../../shared/projector/projector';
import { depthOf, hiddenLayerCount, layerValues } from './activations';
import { neighbourAgreement } from './nearest';
import { pca2, type Pca2 } from './pca';
import { umap2 } from './umap';

export interface MapControl {
  /** Runs between chunks and UMAP steps: reports progress (0..1 of the whole map), throws to stop. */
  checkpoint(fraction: number): Promise<void>;
}

/**
 * The map of the first `count` images of `set` at `layer`. Phases: the layer's values (a forward pass
 * in chunks) → PCA or UMAP to two dimensions → neighbour agreement on the map. With UMAP the values
 * come back too, for placing the drawing among its neighbours.
 */
export async function mapOf(
  model: tf.LayersModel,
  set: ImageSet,
  normalization: Normalization,
  request: { layer: ProjectorLayer; method: ProjectorMethod; count: number },
  control: MapControl,
): Promise<{ map: ProjectionMap; values: Float32Array }> {
  const started = performance.now();
  const count = Math.min(request.count, set.count);
  // The forward pass is a small share of a UMAP, most of a PCA.
  const passShare = request.method === 'umap' ? 0.05 : 0.8;
  const depth = depthOf(model, request.layer);
  const { values, dim, predictions } = await layerValues(model, set, count, normalization, depth, (done) => control.checkpoint((passShare * done) / count));
  let coords: Float32Array;
  let axes: Pca2 | null = null;
  if (request.method === 'pca') {
    axes = pca2(values, count, dim);
    coords = axes.coords;
  } else {
    coords = await umap2(values, count, dim, (done, total) => control.checkpoint(passShare + ((1 - passShare) * done) / Math.max(1, total)));
  }
  const labels = set.labels.slice(0, count);
  const map: ProjectionMap = {
    layer: request.layer,
    method: request.method,
    count,
    dim,
    coords,
    labels,
    predictions,
    pca: axes && pcaAxes(axes),
    knnAccuracy: neighbourAgreement(coords, labels, count),
    seconds: (performance.now() - started) / 1000,
  };
  return { map, values };
}

function pcaAxes(axes: Pca2): NonNullable<ProjectionMap['pca']> {
  const dim = axes.mean.length;
  const components = new Float32Array(2 * dim);
  components.set(axes.components[0], 0);
  components.set(axes.components[1], dim);
  return { mean: Float32Array.from(axes.mean), components, explainedVariance: axes.explainedVarianceRatio };
}

/** Every layer a map can show after the pixels: each hidden layer, then the output. */
export function trainedLayers(model: tf.LayersModel): ProjectorLayer[] {
  return [...Array.from({ length: hiddenLayerCount(model) }, (_, i) => i + 1), 'output'];
}

/**
 * Flips a map's axes to point the way the previous epoch's did (PCA axes have no sign of their own),
 * so that replaying the epochs shows the classes moving rather than the map mirroring.
 */
export function alignAxes(map: ProjectionMap, previous: ProjectionMap | undefined): ProjectionMap {
  const axes = map.pca;
  const before = previous?.pca;
  if (!axes || !before || before.components.length !== axes.components.length) return map;
  const dim = map.dim;
  const coords = map.coords.slice();
  const components = axes.components.slice();
  for (const c of [0, 1]) {
    let dot = 0;
    for (let j = 0; j < dim; j++) dot += components[c * dim + j] * before.components[c * dim + j];
    if (dot >= 0) continue;
    for (let j = 0; j < dim; j++) components[c * dim + j] = -components[c * dim + j];
    for (let r = 0; r < map.count; r++) coords[2 * r + c] = -coords[2 * r + c];
  }
  return { ...map, coords, pca: { ...axes, components } };
}
