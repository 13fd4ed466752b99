import { describe, expect, it } from 'vitest';
import { checkLabel, checkMet, differOnlyIn, type LessonFacts } from '$shared/lessons/lesson-checks';
import { checkSchema, type LessonCheck } from '$shared/lessons/lesson';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import type { EpochLog } from '$shared/training';

const NONE: LessonFacts = { runs: [], drawings: [], datasets: [], seen: new Set(), drawingInk: false };
const check = (raw: object): LessonCheck => checkSchema.parse(raw);
const spec = (changes: Partial<ModelSpec> = {}): ModelSpec => ({ ...structuredClone(DEFAULT_SPEC), ...changes });
const run = (changes: Partial<LessonFacts['runs'][number]> = {}): LessonFacts['runs'][number] => ({
  datasetId: 'mnist',
  spec: spec(),
  outcome: 'completed',
  final: { testAccuracy: 0.95 },
  history: [],
  ...changes,
});
const epoch = (i: number, loss: number, valLoss: number): EpochLog => ({ epoch: i, loss, accuracy: 0.9, valLoss, valAccuracy: 0.9, seconds: 1, samplesPerSecond: 1000, samples: 1000, complete: true }) as EpochLog;

describe('lesson checks, each on hand-made facts', () => {
  it('trained: a finished run at the accuracy, dataset and shape asked for', () => {
    const c = check({ kind: 'trained', atLeast: 97, dataset: 'mnist', hiddenLayers: 1, units: 64 });
    expect(checkMet(c, NONE)).toBe(false);
    expect(checkMet(c, { ...NONE, runs: [run({ final: { testAccuracy: 0.969 } })] })).toBe(false);
    expect(checkMet(c, { ...NONE, runs: [run({ final: { testAccuracy: 0.97 } })] })).toBe(true);
    expect(checkMet(c, { ...NONE, runs: [run({ final: { testAccuracy: 0.98 }, datasetId: 'fashion-mnist' })] })).toBe(false);
    expect(checkMet(c, { ...NONE, runs: [run({ final: { testAccuracy: 0.98 }, spec: spec({ hiddenLayers: [{ units: 50, activation: 'relu', dropout: 0 }] }) })] })).toBe(false);
    expect(checkMet(c, { ...NONE, runs: [run({ final: { testAccuracy: 0.98 }, outcome: 'failed' })] })).toBe(false);
    expect(checkMet(c, { ...NONE, runs: [run({ final: null, outcome: 'running' })] })).toBe(false);
    expect(checkLabel(c)).toBe('A model with 1 hidden layer (64 units first) trained on mnist to at least 97 % test accuracy');
  });

  it('gallery-failures: that class opened, not another', () => {
    const c = check({ kind: 'gallery-failures', class: 6 });
    expect(checkMet(c, { ...NONE, seen: new Set(['gallery-failures:5']) })).toBe(false);
    expect(checkMet(c, { ...NONE, seen: new Set(['gallery-failures:6']) })).toBe(true);
  });

  it('drawings: enough saved, of the digit if one is named', () => {
    expect(checkMet(check({ kind: 'drawings', count: 3 }), { ...NONE, drawings: [1, 2] })).toBe(false);
    expect(checkMet(check({ kind: 'drawings', count: 3 }), { ...NONE, drawings: [1, 2, 2] })).toBe(true);
    expect(checkMet(check({ kind: 'drawings', count: 2, digit: 2 }), { ...NONE, drawings: [1, 2, 3] })).toBe(false);
    expect(checkMet(check({ kind: 'drawings', count: 2, digit: 2 }), { ...NONE, drawings: [2, 1, 2] })).toBe(true);
  });

  it('runs-differ: two finished runs of one dataset that differ in that setting alone', () => {
    const c = check({ kind: 'runs-differ', setting: 'dropout' });
    const withDropout = spec({ hiddenLayers: [{ units: 64, activation: 'relu', dropout: 0.2 }] });
    expect(checkMet(c, { ...NONE, runs: [run(), run()] })).toBe(false);
    expect(checkMet(c, { ...NONE, runs: [run(), run({ spec: withDropout })] })).toBe(true);
    // A different seed is not a different run's design, so it does not spoil the pair.
    expect(checkMet(c, { ...NONE, runs: [run(), run({ spec: { ...withDropout, seed: 9 } })] })).toBe(true);
    expect(checkMet(c, { ...NONE, runs: [run(), run({ spec: { ...withDropout, epochs: 9 } })] })).toBe(false);
    expect(checkMet(c, { ...NONE, runs: [run(), run({ spec: withDropout, datasetId: 'fashion-mnist' })] })).toBe(false);
    expect(checkMet(c, { ...NONE, runs: [run(), run({ spec: withDropout, outcome: 'diverged' })] })).toBe(false);
    expect(differOnlyIn(spec(), spec({ learningRate: 0.01 }), 'learningRate')).toBe(true);
    expect(differOnlyIn(spec(), spec({ learningRate: 0.01 }), 'dropout')).toBe(false);
    expect(differOnlyIn(spec(), spec({ hiddenLayers: [{ units: 64, activation: 'relu', dropout: 0 }, { units: 32, activation: 'relu', dropout: 0 }] }), 'hiddenLayers')).toBe(true);
  });

  it('dataset and imported-dataset: on this machine', () => {
    const datasets: LessonFacts['datasets'] = [
      { id: 'mnist', available: true, source: 'catalog' },
      { id: 'fashion-mnist', available: false, source: 'catalog' },
    ];
    expect(checkMet(check({ kind: 'dataset', id: 'fashion-mnist' }), { ...NONE, datasets })).toBe(false);
    expect(checkMet(check({ kind: 'dataset', id: 'mnist' }), { ...NONE, datasets })).toBe(true);
    expect(checkMet(check({ kind: 'imported-dataset' }), { ...NONE, datasets })).toBe(false);
    expect(checkMet(check({ kind: 'imported-dataset' }), { ...NONE, datasets: [...datasets, { id: 'mine-1', available: true, source: 'imported' }] })).toBe(true);
  });

  it('visited, robustness and drawn: what the learner opened and did', () => {
    expect(checkMet(check({ kind: 'visited', panel: 'weights' }), { ...NONE, seen: new Set(['panel:draw']) })).toBe(false);
    expect(checkMet(check({ kind: 'visited', panel: 'weights' }), { ...NONE, seen: new Set(['panel:weights']) })).toBe(true);
    expect(checkMet(check({ kind: 'robustness' }), NONE)).toBe(false);
    expect(checkMet(check({ kind: 'robustness' }), { ...NONE, seen: new Set(['robustness']) })).toBe(true);
    expect(checkMet(check({ kind: 'drawn' }), NONE)).toBe(false);
    expect(checkMet(check({ kind: 'drawn' }), { ...NONE, drawingInk: true })).toBe(true);
  });

  it('overfitting: a run whose validation loss rose while its training loss fell', () => {
    const falling = Array.from({ length: 8 }, (_, i) => epoch(i, 1 - i * 0.1, 1 - i * 0.1));
    const turning = Array.from({ length: 8 }, (_, i) => epoch(i, 1 - i * 0.1, i < 3 ? 1 - i * 0.1 : 0.8 + (i - 3) * 0.1));
    const c = check({ kind: 'overfitting' });
    expect(checkMet(c, { ...NONE, runs: [run({ history: falling })] })).toBe(false);
    expect(checkMet(c, { ...NONE, runs: [run({ history: turning })] })).toBe(true);
  });

  it('gives every kind a label, and the lesson’s own when it has one', () => {
    for (const raw of [
      { kind: 'trained' },
      { kind: 'gallery-failures', class: 1 },
      { kind: 'drawings', count: 1 },
      { kind: 'runs-differ', setting: 'l2' },
      { kind: 'dataset', id: 'mnist' },
      { kind: 'imported-dataset' },
      { kind: 'visited', panel: 'data' },
      { kind: 'robustness' },
      { kind: 'drawn' },
      { kind: 'overfitting' },
    ]) {
      expect(checkLabel(check(raw)).length).toBeGreaterThan(10);
    }
    expect(checkLabel(check({ kind: 'drawn', label: 'Draw a seven' }))).toBe('Draw a seven');
  });
});
