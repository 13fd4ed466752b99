import { describe, expect, it } from 'vitest';
import { metricsFromProbabilities } from '$engine/ml/evaluate';

describe('metricsFromProbabilities', () => {
  // Three classes, five samples: true labels 0 0 1 2 2, predictions 0 1 1 2 0.
  const probabilities = Float32Array.from([
    [0.7, 0.2, 0.1],
    [0.3, 0.6, 0.1],
    [0.1, 0.8, 0.1],
    [0.2, 0.2, 0.6],
    [0.5, 0.1, 0.4],
  ].flat());
  const labels = Uint8Array.from([0, 0, 1, 2, 2]);
  const m = metricsFromProbabilities(probabilities, labels, 5);

  it('counts the confusion matrix with rows = true class, columns = predicted', () => {
    expect(m.confusion).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 1],
    ]);
    expect(Array.from(m.predicted)).toEqual([0, 1, 1, 2, 0]);
  });

  it('derives accuracy, per-class recall, precision and F1 by hand', () => {
    expect(m.accuracy).toBeCloseTo(3 / 5);
    expect(m.recall).toEqual([0.5, 1, 0.5]);
    expect(m.perClassAccuracy).toEqual(m.recall);
    expect(m.precision).toEqual([0.5, 0.5, 1]);
    expect(m.f1.map((v) => +v.toFixed(4))).toEqual([0.5, 0.6667, 0.6667]);
  });

  it('gives the mean cross-entropy of the true class', () => {
    const expected = -(Math.log(0.7) + Math.log(0.3) + Math.log(0.8) + Math.log(0.6) + Math.log(0.4)) / 5;
    expect(m.loss).toBeCloseTo(expected, 5);
  });

  it('scores a class that is never predicted as 0, not NaN', () => {
    const none = metricsFromProbabilities(Float32Array.from([0.9, 0.1, 0.8, 0.2]), Uint8Array.from([0, 1]), 2);
    expect(none.precision).toEqual([0.5, 0]);
    expect(none.f1[1]).toBe(0);
  });
});
