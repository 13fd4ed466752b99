import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import { estimateRunSeconds, measuredOpsPerSecond } from '$renderer/panels/train/run-estimate';
import { formatDurationWords } from '$renderer/panels/train/format';

const MNIST = { train: 60_000, test: 10_000, pixels: 784, classes: 10 };
const huge: ModelSpec = {
  ...DEFAULT_SPEC,
  hiddenLayers: Array.from({ length: 8 }, () => ({ units: 1024, activation: 'relu' as const, dropout: 0 })),
  epochs: 1000,
  validation: 0,
};

describe('estimateRunSeconds', () => {
  it('puts the issue’s 8 × 1024, 1000-epoch run in the tens of hours at the speed it ran', () => {
    // The run read "45:49:55" at about 1.8·10¹⁰ operations a second.
    const seconds = estimateRunSeconds(huge, MNIST, 1.8e10)!;
    expect(seconds / 3600).toBeGreaterThan(35);
    expect(seconds / 3600).toBeLessThan(60);
    expect(formatDurationWords(seconds)).toMatch(/^about \d+ hours$/);
  });

  it('scales with epochs and the subset, and gives nothing for an unusable spec', () => {
    const noTest = { ...MNIST, test: 0 };
    const one = estimateRunSeconds({ ...DEFAULT_SPEC, epochs: 1, trainSubset: 1000 }, noTest, 1e9)!;
    const ten = estimateRunSeconds({ ...DEFAULT_SPEC, epochs: 10, trainSubset: 10_000 }, noTest, 1e9)!;
    expect(ten).toBeCloseTo(100 * one, 6);
    expect(estimateRunSeconds({ ...DEFAULT_SPEC, epochs: Number.NaN }, MNIST, 1e9)).toBeNull();
    expect(estimateRunSeconds(DEFAULT_SPEC, MNIST, 0)).toBeNull();
  });

  it('round-trips a measured speed: the run that measured it is estimated at its own duration', () => {
    const spec = { ...DEFAULT_SPEC, epochs: 1, validation: 0 };
    const ops = measuredOpsPerSecond(spec, { ...MNIST, test: 0 }, 6000)!;
    expect(estimateRunSeconds(spec, { ...MNIST, test: 0 }, ops)).toBeCloseTo(10, 6);
  });
});

describe('formatDurationWords', () => {
  it('says the unit', () => {
    expect([3, 42, 600, 4800, 165_000, 400_000, Number.NaN].map(formatDurationWords)).toEqual([
      'a few seconds',
      'about 40 seconds',
      'about 10 minutes',
      'about 1 hour 20 minutes',
      'about 46 hours',
      'about 5 days',
      'unknown',
    ]);
  });
});
