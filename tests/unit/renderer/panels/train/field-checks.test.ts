import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import { fieldErrors, shownCount } from '$renderer/panels/train/field-checks';

const spec = (change: Partial<ModelSpec>): ModelSpec => ({ ...DEFAULT_SPEC, ...change });

describe('fieldErrors', () => {
  it('has nothing to say about the defaults, or an empty subset (all images)', () => {
    expect(fieldErrors(DEFAULT_SPEC, 60_000)).toEqual({});
    expect(fieldErrors(spec({ trainSubset: null }), 60_000)).toEqual({});
  });

  it('takes the subset limit from the dataset and names the field', () => {
    expect(fieldErrors(spec({ trainSubset: 60_000 }), 60_000)).toEqual({});
    const { trainSubset } = fieldErrors(spec({ trainSubset: 60_001 }), 60_000);
    expect(trainSubset).toMatch(/^Training images \(this dataset has 60,000; leave empty for all\): at most 60,000\.$/);
    expect(fieldErrors(spec({ trainSubset: 0 }), 60_000).trainSubset).toMatch(/at least 1\./);
  });

  it('names an empty field as empty, never "got null"', () => {
    const errors = fieldErrors(spec({ epochs: null as unknown as number, seed: null as unknown as number }), 60_000);
    expect(errors.epochs).toMatch(/^Epochs: enter how many/);
    expect(errors.seed).toMatch(/^Random seed: enter/);
    expect(Object.values(errors).join(' ')).not.toMatch(/null|got/);
  });

  it('says which layer’s units are wrong, and why', () => {
    const hiddenLayers = [{ units: 64, activation: 'relu' as const, dropout: 0 }, { units: -5, activation: 'relu' as const, dropout: 0 }];
    expect(fieldErrors(spec({ hiddenLayers }), 60_000)).toEqual({ 'units-1': 'Hidden layer 2 units: at least 1.' });
    expect(fieldErrors(spec({ epochs: 2.5 }), 60_000).epochs).toMatch(/whole number \(no decimals\)/);
  });
});

describe('shownCount', () => {
  it('shows only counts that can be', () => {
    expect([3, 0, -3965, 2.5, Number.NaN].map(shownCount)).toEqual([3, 0, null, null, null]);
  });
});
