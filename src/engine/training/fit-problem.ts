import type * as tf from '@tensorflow/tfjs';
import type { LoadedDataset } from '../../shared/datasets/image-set';
import { denseBlocks } from '../ml/model';

/** Why a loaded model cannot train on a dataset (input size, class count, layers), or null. */
export function fitProblem(model: tf.LayersModel, dataset: LoadedDataset): string | null {
  const inputs = model.inputs[0]?.shape[1];
  const outputs = model.outputs[0]?.shape[1];
  const size = dataset.train.rows * dataset.train.cols;
  if (inputs !== size) return `it takes ${inputs} inputs, the dataset's images have ${size} pixels`;
  if (outputs !== dataset.classNames.length) return `it has ${outputs} outputs for the dataset's ${dataset.classNames.length} classes`;
  try {
    denseBlocks(model);
  } catch (error) {
    return (error as Error).message;
  }
  return null;
}
