import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../shared/datasets/image-set';
import type { Normalization } from '../../shared/model-spec';
import type { Evaluation } from '../../shared/evaluation';
import { classificationReport, confusionMatrix } from '../../shared/classification-report';
import { argMax } from '../../shared/vector';
import { normalizeRows } from './batches';
import { denseBlocks, l2Penalty } from './model';

const CHUNK = 2000;
/** Keras clips probabilities to [ε, 1-ε] before the log; so do we, so losses compare. */
const EPSILON = 1e-7;

/**
 * Class probabilities for every image of a set: [count × numClasses] float32, row-major. Runs the
 * model's own predict (dropout off) in chunks so memory stays flat on large sets.
 */
export function predictProbabilities(model: tf.LayersModel, set: ImageSet, normalization: Normalization): Float32Array {
  const size = set.rows * set.cols;
  const numClasses = (model.outputs[0].shape as number[])[1];
  const out = new Float32Array(set.count * numClasses);
  const buffer = new Float32Array(Math.min(CHUNK, set.count) * size);
  for (let start = 0; start < set.count; start += CHUNK) {
    const count = Math.min(CHUNK, set.count - start);
    const x = buffer.subarray(0, count * size);
    x.set(set.images.subarray(start * size, (start + count) * size));
    normalizeRows(x, count, size, normalization);
    const probs = tf.tidy(() => model.predict(tf.tensor2d(x, [count, size])) as tf.Tensor);
    out.set(probs.dataSync(), start * numClasses);
    probs.dispose();
  }
  return out;
}


/** Mean cross-entropy (+ L2 penalty) and accuracy: what the training loop reports for validation. */
export function evaluateLoss(
  model: tf.LayersModel,
  set: ImageSet,
  normalization: Normalization,
  l2 = 0,
): { loss: number; accuracy: number } {
  const { loss, accuracy } = evaluate(model, set, { normalization, l2 });
  return { loss, accuracy };
}

/** Everything the evaluation views need about a model on a set (see Evaluation). */
export function evaluate(
  model: tf.LayersModel,
  set: ImageSet,
  options: { normalization: Normalization; l2?: number },
): Evaluation {
  const probabilities = predictProbabilities(model, set, options.normalization);
  const metrics = metricsFromProbabilities(probabilities, set.labels, set.count);
  const l2 = options.l2 ?? 0;
  if (l2 > 0) metrics.loss += l2Penalty(denseBlocks(model).map((b) => b.kernel), l2);
  return metrics;
}

/**
 * Loss, accuracy, confusion matrix (rows = true class, columns = predicted), per-class precision, recall
 * (= per-class accuracy) and F1, from [count × numClasses] probabilities and the true labels.
 */
export function metricsFromProbabilities(probabilities: Float32Array, labels: Uint8Array, count: number): Evaluation {
  const numClasses = probabilities.length / count;
  const predicted = new Uint8Array(count);
  let loss = 0;
  for (let i = 0; i < count; i++) {
    predicted[i] = argMax(probabilities, i * numClasses, numClasses);
    loss -= Math.log(Math.min(1 - EPSILON, Math.max(EPSILON, probabilities[i * numClasses + labels[i]])));
  }
  const confusion = confusionMatrix(labels.subarray(0, count), predicted, numClasses);
  const { perClass, accuracy } = classificationReport(confusion);
  const recall = perClass.map((c) => c.recall);
  return {
    count,
    loss: loss / count,
    accuracy,
    perClassAccuracy: recall,
    precision: perClass.map((c) => c.precision),
    recall,
    f1: perClass.map((c) => c.f1),
    confusion,
    predicted,
    probabilities,
  };
}
