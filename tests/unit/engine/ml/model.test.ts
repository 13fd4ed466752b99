import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPEC } from '$shared/model-spec';
import { summarizeSpec } from '$shared/model-summary';
import { findPreset, PRESETS } from '$shared/presets';
import { selectBackend } from '$engine/ml/backend';
import { createModel, denseBlocks, summarize } from '$engine/ml/model';

beforeAll(async () => {
  await selectBackend();
});

describe('presets reproduce the notebooks’ parameter counts', () => {
  const expected: Record<string, number> = {
    'sklearn-exercise': 39_760,
    'keras-intro': 15_910,
    'keras-two-layers': 42_310,
    'flatiron-tanh': 50_890,
    'flatiron-bigger': 52_650,
    'flatiron-relu': 52_650,
    'dropout-tutorial': 63_018,
    'ou-notebook': 31_810,
  };
  for (const [id, params] of Object.entries(expected)) {
    it(`${id}: ${params} parameters`, () => {
      const model = createModel(findPreset(id)!.spec);
      expect(model.countParams()).toBe(params);
      expect(summarizeSpec(findPreset(id)!.spec).totalParams).toBe(params);
      model.dispose();
    });
  }

  it('every preset builds the model summarizeSpec describes, layer by layer', () => {
    for (const preset of PRESETS) {
      const model = createModel(preset.spec);
      const { rows, totalParams } = summarize(model);
      expect({ rows, totalParams }).toEqual(summarizeSpec(preset.spec));
      expect(rows.at(-1)).toMatchObject({ layer: 'output', type: 'Dense', outputShape: [null, 10] });
      model.dispose();
    }
  });
});

describe('createModel', () => {
  it('builds Dense/Dropout blocks with the spec’s activations and rates', () => {
    const spec = {
      ...DEFAULT_SPEC,
      hiddenLayers: [
        { units: 5, activation: 'tanh' as const, dropout: 0.3 },
        { units: 3, activation: 'selu' as const, dropout: 0 },
      ],
    };
    const model = createModel(spec, { inputSize: 7, numClasses: 4 });
    expect(model.layers.map((l) => l.getClassName())).toEqual(['Dense', 'Dropout', 'Dense', 'Dense']);
    expect(denseBlocks(model).map((b) => [b.kernel.shape, b.activation, b.dropout])).toEqual([
      [[7, 5], 'tanh', 0.3],
      [[5, 3], 'selu', 0],
      [[3, 4], 'softmax', 0],
    ]);
    model.dispose();
  });

  it('draws the same initial weights from the same seed', () => {
    const weights = (seed: number): number[] => {
      const model = createModel({ ...DEFAULT_SPEC, seed });
      const values = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
      model.dispose();
      return values;
    };
    expect(weights(4)).toEqual(weights(4));
    expect(weights(4)).not.toEqual(weights(5));
  });

  it('refuses to train models that are not MLPs', () => {
    const conv = tf.sequential({
      layers: [tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 1, kernelSize: 2 }), tf.layers.flatten(), tf.layers.dense({ units: 2, activation: 'softmax' })],
    });
    expect(() => denseBlocks(conv)).toThrow(/unsupported layer Conv2D/);
    conv.dispose();
  });
});
