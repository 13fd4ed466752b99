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
