import { describe, expect, it } from 'vitest';
import { formatAccuracy, formatDuration, formatEpochLine, formatSetting } from '$renderer/panels/train/format';
import { LEARNING_RATE_SCALE, UNITS_SCALE } from '$renderer/panels/train/log-scale';

describe('log sliders', () => {
  it('reach every layer width 1–1024 and map it back exactly', () => {
    let previous = -1;
    for (let units = 1; units <= 1024; units++) {
      const position = UNITS_SCALE.toPosition(units);
      expect(position).toBeGreaterThan(previous);
      expect(UNITS_SCALE.fromPosition(position)).toBe(units);
      previous = position;
    }
    expect(UNITS_SCALE.toPosition(1)).toBe(0);
    expect(UNITS_SCALE.toPosition(1024)).toBe(UNITS_SCALE.steps);
    // Log scale: each doubling takes the same travel.
    expect(UNITS_SCALE.toPosition(32)).toBe(UNITS_SCALE.steps / 2);
  });

  it('round-trip learning rates as people write them', () => {
    for (const lr of [1e-4, 0.0003, 0.001, 0.0015, 0.002, 0.01, 0.05, 0.1, 0.25, 0.99, 1]) {
      expect(LEARNING_RATE_SCALE.fromPosition(LEARNING_RATE_SCALE.toPosition(lr))).toBe(lr);
    }
    expect(LEARNING_RATE_SCALE.toPosition(0.01)).toBe(LEARNING_RATE_SCALE.steps / 2);
    // Every position gives a tidy number within the range.
    for (let p = 0; p <= LEARNING_RATE_SCALE.steps; p++) {
      const lr = LEARNING_RATE_SCALE.fromPosition(p);
      expect(lr).toBe(Number(lr.toPrecision(2)));
      expect(lr).toBeGreaterThanOrEqual(1e-4);
      expect(lr).toBeLessThanOrEqual(1);
    }
  });

  it('step to the next different value for the keyboard', () => {
    const at = (units: number, direction: 1 | -1, positions = 1) =>
      UNITS_SCALE.fromPosition(UNITS_SCALE.step(UNITS_SCALE.toPosition(units), direction, positions));
    expect(at(1, 1)).toBe(2);
    expect(at(50, 1)).toBe(51);
    expect(at(50, -1)).toBe(49);
    expect(at(1, -1)).toBe(1);
    expect(at(1024, 1)).toBe(1024);
    expect(at(32, 1, UNITS_SCALE.steps / 10)).toBe(64);
    const lr = (value: number, direction: 1 | -1) =>
      LEARNING_RATE_SCALE.fromPosition(LEARNING_RATE_SCALE.step(LEARNING_RATE_SCALE.toPosition(value), direction));
    expect(lr(0.001, 1)).toBe(0.0011);
    expect(lr(0.001, -1)).toBe(0.00099);
  });
});

describe('formatting', () => {
  it('shows settings, accuracies and durations as people write them', () => {
    expect([0.001, 0.0001, 0.1, 1e-5, 0.3 + 0.6, 0].map(formatSetting)).toEqual(['0.001', '0.0001', '0.1', '0.00001', '0.9', '0']);
    expect(formatAccuracy(0.97512)).toBe('97.51 %');
    expect([5.4, 125, 3725, Number.NaN].map(formatDuration)).toEqual(['5 s', '2:05', '1:02:05', '–']);
  });

  it('writes the epoch log as Keras does', () => {
    const log = { epoch: 2, loss: 0.14161, accuracy: 0.966, seconds: 0.61, samplesPerSecond: 101_358.4, samples: 60_000, complete: true };
    expect(formatEpochLine(log, 10)).toBe('Epoch 3/10 - 0.6s - loss: 0.1416 - accuracy: 0.9660 - 101,358 samples/s');
    expect(formatEpochLine({ ...log, valLoss: 0.2, valAccuracy: 0.95 }, 10)).toBe(
      'Epoch 3/10 - 0.6s - loss: 0.1416 - accuracy: 0.9660 - val_loss: 0.2000 - val_accuracy: 0.9500 - 101,358 samples/s',
    );
    const stopped = formatEpochLine({ ...log, complete: false, samples: 12_800 }, 10);
    expect(stopped).toMatch(/^Epoch 3 - /);
    expect(stopped).toMatch(/\(stopped after 12,800 samples; Continue trains this epoch again\)$/);
  });
});
