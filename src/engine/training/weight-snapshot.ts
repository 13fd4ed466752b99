import type * as tf from '@tensorflow/tfjs';
import type { DenseLayerWeights } from '../../shared/weights';
import { denseBlocks } from '../ml/model';

/**
 * A snapshot carries every layer when the whole model has at most this many parameters (400 KB of
 * float32), else only the first hidden layer. Every preset up to 63,018 parameters (sklearn-exercise,
 * the Keras and dropout ones) is sent whole; for bigger 784-input MLPs the first layer is most of the
 * weights anyway (401,920 of the default model's 535,818) and the one the tiles show.
 */
export const ALL_LAYERS_MAX_PARAMS = 100_000;

export interface WeightsSnapshot {
  layers: DenseLayerWeights[];
  allLayers: boolean;
}

/**
 * Copies the model's Dense kernels and biases out of the backend. Call it between batches: the values
 * are then final for the step, and on every backend dataSync is one copy (the wasm heap, tfjs-node's
 * buffer) rather than a wait. The arrays are fresh copies, so they can be transferred to another thread
 * (the cpu backend's dataSync hands out its own storage).
 */
export function readWeightsSnapshot(model: tf.LayersModel, maxParams = ALL_LAYERS_MAX_PARAMS): WeightsSnapshot {
  const blocks = denseBlocks(model);
  const params = blocks.reduce((total, block) => total + block.kernel.size + block.bias.size, 0);
  const allLayers = params <= maxParams;
  const layers = (allLayers ? blocks : blocks.slice(0, 1)).map((block) => {
    const [inputs, units] = block.kernel.shape;
    return {
      inputs,
      units,
      kernel: (block.kernel.dataSync() as Float32Array).slice(),
      bias: (block.bias.dataSync() as Float32Array).slice(),
      activation: block.activation,
    };
  });
  return { layers, allLayers };
}
