import { describe, expect, it } from 'vitest';
import { applySweepValue, parseSweepValues, rangeValues } from '$shared/experiments/sweep-values';
import { DEFAULT_SPEC, validateSpec } from '$shared/model-spec';

describe('sweep value ranges', () => {
  it('steps learning rate and L2 by a constant factor', () => {
    expect(rangeValues('learningRate', 1e-4, 1e-1, 4)).toEqual([0.0001, 0.001, 0.01, 0.1]);
    expect(rangeValues('l2', 1e-6, 1e-2, 5)).toEqual([1e-6, 1e-5, 1e-4, 1e-3, 1e-2]);
    expect(rangeValues('learningRate', 0.001, 0.1, 3)).toEqual([0.001, 0.01, 0.1]);
  });

  it('steps other settings by a constant difference, whole numbers where the setting is', () => {
    expect(rangeValues('units', 16, 128, 3)).toEqual([16, 72, 128]);
    expect(rangeValues('dropout', 0, 0.5, 6)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    // Rounded to whole numbers, repeats go.
    expect(rangeValues('layers', 1, 2, 4)).toEqual([1, 2]);
    expect(rangeValues('epochs', 5, 5, 1)).toEqual([5]);
  });

  it('refuses a log range through 0, a range of choices, and too many steps', () => {
    expect(() => rangeValues('l2', 0, 1e-2, 3)).toThrow(/above 0/);
    expect(() => rangeValues('optimizer', 0, 1, 2)).toThrow(/list/);
    expect(() => rangeValues('units', 1, 100, 1000)).toThrow(/1 to 32 steps/);
  });

  it('parses lists and ranges as typed, naming a bad value', () => {
    expect(parseSweepValues('units', '16, 32 64')).toEqual([16, 32, 64]);
    expect(parseSweepValues('learningRate', '1e-4:1e-2:3')).toEqual([0.0001, 0.001, 0.01]);
    expect(parseSweepValues('optimizer', 'Adam sgd adam')).toEqual(['adam', 'sgd']);
    expect(() => parseSweepValues('units', '16, 5000')).toThrow(/units.*got 5000/i);
    expect(() => parseSweepValues('units', '16, x')).toThrow(/got NaN/);
    expect(() => parseSweepValues('activation', 'relu, swish')).toThrow(/one of relu/);
    expect(() => parseSweepValues('batchSize', '')).toThrow(/give/);
  });

  it('puts a value into a copy of the spec, keeping it valid', () => {
    const base = { ...DEFAULT_SPEC, optimizer: 'sgd' as const, momentum: 0.9, nesterov: true };
    expect(applySweepValue(base, { setting: 'units', layer: 0 }, 32).hiddenLayers[0]!.units).toBe(32);
    expect(base.hiddenLayers[0]!.units).toBe(64);
    const three = applySweepValue(base, { setting: 'layers' }, 3);
    expect(three.hiddenLayers.map((l) => l.units)).toEqual([64, 64, 64]);
    const adam = applySweepValue(base, { setting: 'optimizer' }, 'adam');
    expect(adam).toMatchObject({ optimizer: 'adam', momentum: 0, nesterov: false });
    expect(validateSpec(adam)).toEqual([]);
    expect(applySweepValue(base, { setting: 'trainSubset' }, 2000).trainSubset).toBe(2000);
    expect(applySweepValue(base, { setting: 'dropout' }, 0.3).hiddenLayers[0]!.dropout).toBe(0.3);
    expect(() => applySweepValue(base, { setting: 'units', layer: 3 }, 8)).toThrow(/no hidden layer 4/);
  });
});
