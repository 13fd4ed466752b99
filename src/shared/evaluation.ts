import type { DatasetId } from './datasets/catalog';

/** A model's results on a labelled image set. */
export interface Evaluation {
  count: number;
  /** Mean cross-entropy, plus the L2 penalty when one was given. */
  loss: number;
  accuracy: number;
  /** Per class: the fraction of its images classified correctly (the same as recall). */
  perClassAccuracy: number[];
  precision: number[];
  recall: number[];
  f1: number[];
  /** confusion[true][predicted] = number of images. */
  confusion: number[][];
  /** Predicted class of each image. */
  predicted: Uint8Array;
  /** [count × numClasses] class probabilities, row-major. */
  probabilities: Float32Array;
}

/**
 * The active model on its dataset's test split, as the Gallery receives it: everything else it shows
 * (confusion matrix, report, failures) is derived from these, with src/shared/classification-report.ts.
 */
export interface ModelEvaluation {
  /** Which model: the id model:changed announced, so a late answer for an older model is recognised. */
  modelId: string;
  modelName: string;
  datasetId: DatasetId;
  /** The test images' size. */
  imageSize: { rows: number; cols: number };
  classNames: string[];
  count: number;
  /** Mean cross-entropy, without any L2 penalty. */
  loss: number;
  accuracy: number;
  /** [count × classNames.length] class probabilities, row-major. */
  probabilities: Float32Array;
  /** count true classes. */
  labels: Uint8Array;
  seconds: number;
}

/** How far an evaluation or a robustness check has got, in images. */
export interface EvaluationProgress {
  requestId: string;
  kind: 'evaluation' | 'robustness';
  done: number;
  total: number;
}
