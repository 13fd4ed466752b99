import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../shared/datasets/image-set';
import type { Normalization } from '../../shared/model-spec';
import type { ProjectorLayer } from '../../shared/projector/projector';
import { argMax } from '../../shared/vector';
import { normalizeRows } from '../ml/batches';

/** Images per forward pass: big enough for fast matMuls, small enough to stay responsive. */
const CHUNK = 1000;

/** The dense layers of a model in order (dropout is off at inference, so the others do not count). */
export function denseLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((layer) => layer.getClassName() === 'Dense');
}

/** How many hidden layers: every dense layer but the output. */
export function hiddenLayerCount(model: tf.LayersModel): number {
  return Math.max(0, denseLayers(model).length - 1);
}

/** The dense layers to run to reach `layer`: 0 for the pixels, all of them for the output. */
export function depthOf(model: tf.LayersModel, layer: ProjectorLayer): number {
  const dense = denseLayers(model).length;
  if (layer === 'output') return dense;
  if (!Number.isInteger(layer) || layer < 0 || layer >= dense) throw new RangeError(`the model has no hidden layer ${layer} (it has ${dense - 1})`);
  return layer;
}

export interface LayerValues {
  /** count × dim, row-major. */
  values: Float32Array;
  dim: number;
  /** The model's answer per image. */
  predictions: Uint8Array;
}

/**
 * The first `count` images of `set` as the model sees them `depth` dense layers in (0: the normalised
 * pixels), and the model's prediction for each. `between` runs after each chunk (progress, cancel).
 */
export async function layerValues(
  model: tf.LayersModel,
  set: ImageSet,
  count: number,
  normalization: Normalization,
  depth: number,
  between: (done: number) => Promise<void> = async () => {},
): Promise<LayerValues> {
  const layers = denseLayers(model);
  const size = set.rows * set.cols;
  const dim = depth === 0 ? size : (layers[depth - 1].outputShape as number[])[1];
  const values = new Float32Array(count * dim);
  const predictions = new Uint8Array(count);
  for (let start = 0; start < count; start += CHUNK) {
    const n = Math.min(CHUNK, count - start);
    const x = Float32Array.from(set.images.subarray(start * size, (start + n) * size));
    normalizeRows(x, n, size, normalization);
    const [at, out] = tf.tidy(() => {
      let h: tf.Tensor = tf.tensor2d(x, [n, size]);
      let captured = depth === 0 ? h : null;
      for (const [i, layer] of layers.entries()) {
        h = layer.apply(h) as tf.Tensor;
        if (i === depth - 1) captured = h;
      }
      return [captured as tf.Tensor, h];
    });
    values.set(await at.data(), start * dim);
    const probabilities = await out.data();
    at.dispose();
    out.dispose();
    const classes = probabilities.length / n;
    for (let r = 0; r < n; r++) predictions[start + r] = argMax(probabilities, r * classes, classes);
    await between(start + n);
  }
  return { values, dim, predictions };
}

/** One input's values `depth` dense layers in. @param input the normalised pixels (rows·cols values). */
export function inputValues(model: tf.LayersModel, input: Float32Array, depth: number): Float32Array {
  const layers = denseLayers(model).slice(0, depth);
  const out = tf.tidy(() => layers.reduce<tf.Tensor>((h, layer) => layer.apply(h) as tf.Tensor, tf.tensor2d(input, [1, input.length])));
  const values = out.dataSync() as Float32Array;
  out.dispose();
  return values;
}
