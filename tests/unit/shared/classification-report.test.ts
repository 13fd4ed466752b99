import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classificationReport, confusionMatrix, mostConfusedPairs, sampleOutcomes } from '$shared/classification-report';
import { REPO_ROOT } from '../../helpers/datasets';

interface SklearnScores {
  precision: number;
  recall: number;
  'f1-score': number;
  support: number;
}
/** Made by tests/fixtures/make-classification-report.py with scikit-learn's classification_report. */
const fixture = JSON.parse(readFileSync(path.join(REPO_ROOT, 'tests/fixtures/classification-report.json'), 'utf8')) as {
  y_true: number[];
  y_pred: number[];
  confusion: number[][];
  report: Record<string, SklearnScores> & { accuracy: number };
};

function confusionOf(yTrue: number[], yPred: number[], classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  yTrue.forEach((t, i) => m[t][yPred[i]]++);
  return m;
}

const expectScores = (ours: { precision: number; recall: number; f1: number; support: number }, theirs: SklearnScores) => {
  expect(ours.precision).toBeCloseTo(theirs.precision, 12);
  expect(ours.recall).toBeCloseTo(theirs.recall, 12);
  expect(ours.f1).toBeCloseTo(theirs['f1-score'], 12);
  expect(ours.support).toBe(theirs.support);
};

describe('classificationReport', () => {
  it('works a small case out as by hand', () => {
    // true 0 0 1 2 2, predicted 0 1 1 2 0
    const r = classificationReport([
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 1],
    ]);
    expect(r.perClass.map((s) => s.precision)).toEqual([0.5, 0.5, 1]);
    expect(r.perClass.map((s) => s.recall)).toEqual([0.5, 1, 0.5]);
    expect(r.perClass.map((s) => s.support)).toEqual([2, 1, 2]);
    expect(r.accuracy).toBeCloseTo(0.6, 12);
    expect(r.macro.precision).toBeCloseTo(2 / 3, 12);
    expect(r.weighted.recall).toBeCloseTo((0.5 * 2 + 1 + 0.5 * 2) / 5, 12);
    expect(r.macro.support).toBe(5);
    expect(r.neverPredicted).toEqual([]);
  });

  it('matches scikit-learn on a committed fixture, a never-predicted class included', () => {
    const confusion = confusionOf(fixture.y_true, fixture.y_pred, 10);
    expect(confusion).toEqual(fixture.confusion);
    const r = classificationReport(confusion);
    r.perClass.forEach((scores, c) => expectScores(scores, fixture.report[String(c)]));
    expectScores(r.macro, fixture.report['macro avg']);
    expectScores(r.weighted, fixture.report['weighted avg']);
    expect(r.accuracy).toBeCloseTo(fixture.report.accuracy, 12);
    expect(r.neverPredicted).toEqual([7]);
    expect(r.perClass[7].precision).toBe(0);
  });

  it('refuses a matrix that is not square or not of counts', () => {
    expect(() => classificationReport([[1, 2], [3]])).toThrow(/not square/);
    expect(() => classificationReport([[1, Number.NaN], [0, 1]])).toThrow(/not a count/);
  });
});

describe('mostConfusedPairs', () => {
  it('lists the largest off-diagonal cells first, with their share of the true class', () => {
    const pairs = mostConfusedPairs(
      [
        [5, 3, 0],
        [1, 5, 4],
        [0, 4, 6],
      ],
      3,
    );
    expect(pairs.map((p) => [p.trueClass, p.predicted, p.count])).toEqual([
      [1, 2, 4],
      [2, 1, 4],
      [0, 1, 3],
    ]);
    expect(pairs[0].shareOfTrue).toBeCloseTo(0.4, 12);
  });
});

describe('sampleOutcomes', () => {
  it('gives each image its predicted class, its confidence and the true class probability', () => {
    const out = sampleOutcomes(Float32Array.from([0.7, 0.2, 0.1, 0.1, 0.3, 0.6]), Uint8Array.from([1, 2]));
    expect(Array.from(out.predicted)).toEqual([0, 2]);
    expect(Array.from(out.confidence)).toEqual([Math.fround(0.7), Math.fround(0.6)]);
    expect(Array.from(out.trueProbability)).toEqual([Math.fround(0.2), Math.fround(0.6)]);
  });

  it('refuses probabilities that do not split into the images', () => {
    expect(() => sampleOutcomes(new Float32Array(5), new Uint8Array(2))).toThrow(/do not split/);
  });
});

describe('confusionMatrix', () => {
  it('counts rows by true class and columns by prediction', () => {
    expect(confusionMatrix([0, 0, 1, 2, 2], [0, 1, 1, 2, 0], 3)).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 1],
    ]);
  });

  it('refuses mismatched lengths and classes out of range, naming the image', () => {
    expect(() => confusionMatrix([0, 1], [0], 2)).toThrow(/2 labels but 1 predictions/);
    expect(() => confusionMatrix([0, 1], [0, 5], 2)).toThrow(/image 1: class 1 → 5/);
  });
});
