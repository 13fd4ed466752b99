import type * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../shared/datasets/image-set';
import type { Normalization } from '../../shared/model-spec';
import type { RobustnessRow, RobustnessVariant } from '../../shared/robustness';
import { metricsFromProbabilities, predictProbabilities } from '../ml/evaluate';
import { transformSet } from './transform-set';

/** Images per step: big enough for fast matMuls, small enough that Cancel and progress stay prompt. */
const STEP = 1000;

export interface EvaluationControl {
  signal?: AbortSignal;
  /** Images done so far, out of the total this call will do. */
  onProgress?: (done: number, total: number) => void;
}

export class EvaluationCancelled extends Error {
  override name = 'EvaluationCancelled';
  constructor() {
    super('The evaluation was cancelled.');
  }
}

/** Lets queued messages (a Cancel) in between steps, and stops if one arrived. */
async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (signal?.aborted) throw new EvaluationCancelled();
}

/** The first `count` images of a set (all of them when it has fewer), without copying. */
export function firstImages(set: ImageSet, count: number): ImageSet {
  return slice(set, 0, Math.max(0, Math.min(set.count, Math.floor(count))));
}

/** Images [start, start + count) of a set, without copying. */
function slice(set: ImageSet, start: number, count: number): ImageSet {
  const size = set.rows * set.cols;
  return {
    ...set,
    count,
    images: set.images.subarray(start * size, (start + count) * size),
    labels: set.labels.subarray(start, start + count),
  };
}

/**
 * Class probabilities of every image ([count × numClasses], row-major), in steps that report progress
 * and can be cancelled. `offset` and `total` place this set's progress within a longer job.
 */
async function probabilitiesInSteps(
  model: tf.LayersModel,
  set: ImageSet,
  normalization: Normalization,
  control: EvaluationControl,
  offset = 0,
  total = set.count,
): Promise<Float32Array> {
  const numClasses = (model.outputs[0].shape as number[])[1];
  const out = new Float32Array(set.count * numClasses);
  for (let start = 0; start < set.count; start += STEP) {
    await checkpoint(control.signal);
    const count = Math.min(STEP, set.count - start);
    out.set(predictProbabilities(model, slice(set, start, count), normalization), start * numClasses);
    control.onProgress?.(offset + start + count, total);
  }
  return out;
}

/** Loss, accuracy and every image's class probabilities on a set. */
export async function evaluateSet(
  model: tf.LayersModel,
  set: ImageSet,
  normalization: Normalization,
  control: EvaluationControl = {},
): Promise<{ loss: number; accuracy: number; probabilities: Float32Array }> {
  const probabilities = await probabilitiesInSteps(model, set, normalization, control);
  const { loss, accuracy } = metricsFromProbabilities(probabilities, set.labels, set.count);
  return { loss, accuracy, probabilities };
}

/** Accuracy on the untouched set, then on each variant of it, in order. */
export async function robustnessOf(
  model: tf.LayersModel,
  set: ImageSet,
  normalization: Normalization,
  variants: readonly RobustnessVariant[],
  control: EvaluationControl = {},
): Promise<{ original: number; rows: RobustnessRow[] }> {
  const total = set.count * (variants.length + 1);
  const accuracyOf = async (images: ImageSet, index: number) => {
    const p = await probabilitiesInSteps(model, images, normalization, control, index * set.count, total);
    return metricsFromProbabilities(p, images.labels, images.count).accuracy;
  };
  const original = await accuracyOf(set, 0);
  const rows: RobustnessRow[] = [];
  for (const [i, variant] of variants.entries()) {
    await checkpoint(control.signal);
    rows.push({ variant: variant.id, accuracy: await accuracyOf(transformSet(set, variant), i + 1) });
  }
  return { original, rows };
}
