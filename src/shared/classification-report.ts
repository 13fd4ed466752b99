/**
 * scikit-learn's `classification_report` and the Gallery's summaries, computed from a confusion matrix
 * (rows = true class, columns = predicted) so that main and the window agree on every figure.
 */
import { argMax } from './vector';

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  /** Images whose true class this is. */
  support: number;
}

export interface ClassificationReport {
  perClass: ClassScores[];
  accuracy: number;
  /** Unweighted mean over classes; support is the total. */
  macro: ClassScores;
  /** Mean over classes weighted by support; support is the total. */
  weighted: ClassScores;
  /**
   * Classes the model never predicted: their precision is reported as 0, as scikit-learn does with
   * zero_division's default, and the view says so rather than pretending it was measured.
   */
  neverPredicted: number[];
}

export interface ConfusedPair {
  trueClass: number;
  predicted: number;
  count: number;
  /** count over the true class's support. */
  shareOfTrue: number;
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
const ratio = (num: number, den: number): number => (den > 0 ? num / den : 0);

/** confusion[true][predicted] = number of images, over classes 0..numClasses-1. */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, numClasses: number): number[][] {
  if (labels.length !== predicted.length) {
    throw new Error(`${labels.length} labels but ${predicted.length} predictions`);
  }
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const row = confusion[labels[i]];
    if (row === undefined || !(predicted[i] < numClasses)) {
      throw new RangeError(`image ${i}: class ${labels[i]} → ${predicted[i]} is outside 0..${numClasses - 1}`);
    }
    row[predicted[i]]++;
  }
  return confusion;
}

/** Checks that a confusion matrix is square, of counts; anything else is a programming error. */
function assertConfusion(confusion: readonly (readonly number[])[]): void {
  const n = confusion.length;
  for (const row of confusion) {
    if (row.length !== n) throw new Error(`confusion matrix is not square: a row has ${row.length} of ${n} columns`);
    for (const v of row) if (!Number.isInteger(v) || v < 0) throw new Error(`confusion matrix holds ${v}, not a count`);
  }
}

export function classificationReport(confusion: readonly (readonly number[])[]): ClassificationReport {
  assertConfusion(confusion);
  const n = confusion.length;
  const total = sum(confusion.map(sum));
  const predictedCounts = Array.from({ length: n }, (_, c) => sum(confusion.map((row) => row[c])));
  const perClass = confusion.map((row, c): ClassScores => {
    const support = sum(row);
    const precision = ratio(row[c], predictedCounts[c]);
    const recall = ratio(row[c], support);
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support };
  });
  const average = (weight: (s: ClassScores) => number): ClassScores => {
    const weights = perClass.map(weight);
    const w = sum(weights);
    const mean = (key: 'precision' | 'recall' | 'f1') => ratio(sum(perClass.map((s, c) => s[key] * weights[c])), w);
    return { precision: mean('precision'), recall: mean('recall'), f1: mean('f1'), support: total };
  };
  return {
    perClass,
    accuracy: ratio(sum(confusion.map((row, c) => row[c])), total),
    macro: average(() => 1),
    weighted: average((s) => s.support),
    neverPredicted: predictedCounts.flatMap((count, c) => (count === 0 ? [c] : [])),
  };
}

/** The off-diagonal cells with the most images, largest first (ties: by true class, then predicted). */
export function mostConfusedPairs(confusion: readonly (readonly number[])[], limit: number): ConfusedPair[] {
  assertConfusion(confusion);
  const pairs: ConfusedPair[] = [];
  confusion.forEach((row, t) => {
    const support = sum(row);
    row.forEach((count, p) => {
      if (p !== t && count > 0) pairs.push({ trueClass: t, predicted: p, count, shareOfTrue: ratio(count, support) });
    });
  });
  pairs.sort((a, b) => b.count - a.count || a.trueClass - b.trueClass || a.predicted - b.predicted);
  return pairs.slice(0, Math.max(0, limit));
}

/**
 * Per image, from [count × numClasses] probabilities: the predicted class, its probability (the
 * model's confidence) and the probability it gave the true class.
 */
export function sampleOutcomes(
  probabilities: Float32Array,
  labels: Uint8Array,
): { predicted: Uint8Array; confidence: Float32Array; trueProbability: Float32Array } {
  const count = labels.length;
  if (count === 0 || probabilities.length % count !== 0) {
    throw new Error(`${probabilities.length} probabilities do not split into ${count} images`);
  }
  const numClasses = probabilities.length / count;
  const predicted = new Uint8Array(count);
  const confidence = new Float32Array(count);
  const trueProbability = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const row = i * numClasses;
    const best = argMax(probabilities, row, numClasses);
    predicted[i] = best;
    confidence[i] = probabilities[row + best];
    trueProbability[i] = probabilities[row + labels[i]];
  }
  return { predicted, confidence, trueProbability };
}
