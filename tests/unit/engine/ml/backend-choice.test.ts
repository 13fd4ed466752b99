import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import { describeChoice, type MeasuredRate } from '$shared/backend-choice';
import { chooseTrainingBackend, choiceKey, type ChoiceCache, type TrainingCandidate } from '$engine/ml/backend-choice';

const shape = { inputSize: 784, numClasses: 10 };

/** A candidate whose speed is `rate` samples/s, recording what was asked of it. */
function fake(name: string, rate: number, unsupported: string | null = null) {
  const calls = { measure: [] as number[], activate: 0 };
  const candidate: TrainingCandidate = {
    name,
    label: `${name}-label`,
    unsupported: () => unsupported,
    measure: async (_spec, _shape, budget) => {
      calls.measure.push(budget);
      return rate;
    },
    activate: async () => {
      calls.activate++;
    },
  };
  return { candidate, calls };
}

class MemoryCache implements ChoiceCache {
  readonly map = new Map<string, MeasuredRate[]>();
  async get(key: string) {
    return this.map.get(key) ?? null;
  }
  async set(key: string, rates: MeasuredRate[]) {
    this.map.set(key, rates);
  }
}

describe('chooseTrainingBackend', () => {
  it('measures every candidate in interleaved rounds within the budget and activates the fastest', async () => {
    const slow = fake('wasm', 1000);
    const quick = fake('tensorflow', 2400);
    const choice = await chooseTrainingBackend([slow.candidate, quick.candidate], DEFAULT_SPEC, shape, { budgetMs: 800 });
    expect(choice).toMatchObject({ name: 'tensorflow', how: 'measured' });
    expect(quick.calls.activate).toBe(1);
    expect(slow.calls.activate).toBe(0);
    expect(slow.calls.measure).toEqual([200, 200]);
    expect(quick.calls.measure).toEqual([200, 200]);
    expect(describeChoice(choice)).toBe('tensorflow-label: 2.4× faster than wasm-label for this model');
  });

  it('takes a cached measurement for the same model shape and batch size, and measures again for another batch size', async () => {
    const cache = new MemoryCache();
    const a = fake('wasm', 3000);
    const b = fake('tensorflow', 1000);
    await chooseTrainingBackend([a.candidate, b.candidate], DEFAULT_SPEC, shape, { cache });
    expect(a.calls.measure).toHaveLength(2);
    // Another learning rate and seed: the same step, so the cache answers.
    const again = await chooseTrainingBackend([a.candidate, b.candidate], { ...DEFAULT_SPEC, learningRate: 0.5, seed: 9 }, shape, { cache });
    expect(again).toMatchObject({ name: 'wasm', how: 'cached' });
    expect(a.calls.measure).toHaveLength(2);
    await chooseTrainingBackend([a.candidate, b.candidate], { ...DEFAULT_SPEC, batchSize: 200 }, shape, { cache });
    expect(a.calls.measure).toHaveLength(4);
    expect(cache.map.size).toBe(2);
  });

  it('uses a pinned candidate without measuring, and refuses one that is not there', async () => {
    const a = fake('wasm', 3000);
    const b = fake('tensorflow', 1000);
    const choice = await chooseTrainingBackend([a.candidate, b.candidate], DEFAULT_SPEC, shape, { pinned: 'tensorflow' });
    expect(choice).toMatchObject({ name: 'tensorflow', how: 'pinned', rates: [] });
    expect(b.calls.activate).toBe(1);
    expect(a.calls.measure).toHaveLength(0);
    expect(describeChoice(choice)).toBe('tensorflow-label: pinned');
    await expect(chooseTrainingBackend([a.candidate], DEFAULT_SPEC, shape, { pinned: 'kernel' })).rejects.toThrow(/"kernel" is not available here \(available: wasm\)/);
  });

  it('leaves out a candidate that cannot train the model, saying why, and does not measure a lone one', async () => {
    const a = fake('wasm', 3000);
    const k = fake('kernel', 9000, 'no selu');
    const choice = await chooseTrainingBackend([k.candidate, a.candidate], DEFAULT_SPEC, shape);
    expect(choice).toMatchObject({ name: 'wasm', how: 'only', skipped: [{ name: 'kernel', reason: 'no selu' }] });
    expect(a.calls.measure).toHaveLength(0);
    expect(k.calls.measure).toHaveLength(0);
    expect(describeChoice(choice)).toBe('wasm-label: the only backend here for this model');
    await expect(chooseTrainingBackend([k.candidate], DEFAULT_SPEC, shape, { pinned: 'kernel' })).rejects.toThrow(/cannot train this model: no selu/);
  });

  it('refuses a measurement that is not a positive speed rather than choosing by it', async () => {
    const broken = fake('wasm', Number.NaN);
    await expect(chooseTrainingBackend([broken.candidate, fake('tensorflow', 5).candidate], DEFAULT_SPEC, shape)).rejects.toThrow(/measured NaN/);
  });
});

describe('choiceKey', () => {
  const labels = [{ label: 'wasm (SIMD, 2 threads)' }, { label: 'tfjs-node' }];
  const key = (spec: Partial<ModelSpec>) => choiceKey({ ...DEFAULT_SPEC, ...spec }, shape, labels);

  it('changes with what a step costs and not with what it does not', () => {
    expect(key({ learningRate: 0.3, epochs: 99, seed: 4 })).toBe(key({}));
    expect(key({ batchSize: 200 })).not.toBe(key({}));
    expect(key({ optimizer: 'sgd' })).not.toBe(key({}));
    expect(key({ hiddenLayers: [{ units: 64, activation: 'tanh', dropout: 0 }] })).not.toBe(key({}));
    expect(key({ hiddenLayers: [{ units: 64, activation: 'relu', dropout: 0.2 }] })).not.toBe(key({}));
    expect(choiceKey(DEFAULT_SPEC, shape, [{ label: 'wasm (SIMD, 1 thread)' }, { label: 'tfjs-node' }])).not.toBe(key({}));
    expect(choiceKey(DEFAULT_SPEC, shape, [...labels].reverse())).toBe(key({}));
  });
});

describe('describeChoice', () => {
  it('says "about as fast" when the two are within 5 %, and when the figures are from earlier', () => {
    const rates = [
      { name: 'wasm', label: 'wasm', samplesPerSecond: 1030 },
      { name: 'tensorflow', label: 'tfjs-node', samplesPerSecond: 1000 },
    ];
    expect(describeChoice({ name: 'wasm', label: 'wasm', how: 'cached', rates, skipped: [] })).toBe('wasm: about as fast as tfjs-node for this model (measured earlier)');
  });
});
