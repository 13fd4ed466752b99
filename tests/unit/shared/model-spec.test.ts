import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, validateSpec, type ModelSpec } from '$shared/model-spec';
import { PRESETS } from '$shared/presets';

describe('validateSpec', () => {
  it('accepts the default spec and every preset', () => {
    expect(validateSpec(DEFAULT_SPEC)).toEqual([]);
    for (const preset of PRESETS) expect(validateSpec(preset.spec), preset.id).toEqual([]);
  });

  const cases: [string, Partial<ModelSpec>, RegExp][] = [
    ['too many units', { hiddenLayers: [{ units: 2000, activation: 'relu', dropout: 0 }] }, /layer 1 units must be a whole number from 1 to 1024/],
    ['dropout too high', { hiddenLayers: [{ units: 8, activation: 'relu', dropout: 0.95 }] }, /layer 1 dropout/],
    ['unknown activation', { hiddenLayers: [{ units: 8, activation: 'swish' as never, dropout: 0 }] }, /activation must be one of/],
    ['momentum with adam', { optimizer: 'adam', momentum: 0.9 }, /momentum applies to the sgd optimizer only/],
    ['nesterov without momentum', { optimizer: 'sgd', momentum: 0, nesterov: true }, /Nesterov momentum needs/],
    ['fractional batch size', { batchSize: 12.5 }, /batch size must be a whole number/],
    ['zero epochs', { epochs: 0 }, /epochs must be/],
    ['validation above half', { validation: 0.8 }, /validation fraction/],
    ['NaN learning rate', { learningRate: NaN }, /learning rate/],
    ['negative subset', { trainSubset: -5 }, /training subset/],
  ];
  it('reports too many layers once, without a problem per layer', () => {
    const layers = Array.from({ length: 1_000_000 }, () => ({ units: 0, activation: 'relu' as const, dropout: 0 }));
    expect(validateSpec({ ...DEFAULT_SPEC, hiddenLayers: layers })).toEqual([
      'at most 8 hidden layers (got 1000000)',
      ...Array.from({ length: 8 }, (_, i) => `layer ${i + 1} units must be a whole number from 1 to 1024 (got 0)`),
    ]);
  });

  for (const [name, change, message] of cases) {
    it(`explains ${name}`, () => {
      expect(validateSpec({ ...DEFAULT_SPEC, ...change }).join('\n')).toMatch(message);
    });
  }
});
