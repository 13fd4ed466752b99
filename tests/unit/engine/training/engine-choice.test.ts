import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import type { BackendChoice } from '$shared/backend-choice';
import { selectBackend } from '$engine/ml/backend';
import { tfjsStepper, type StepperFactory } from '$engine/ml/stepper';
import { TrainingEngine } from '$engine/training/engine';
import { syntheticDataset } from '$tests/helpers/datasets';

beforeAll(async () => {
  await selectBackend();
});

const dataset = syntheticDataset(128, 32);
const spec: ModelSpec = { ...DEFAULT_SPEC, hiddenLayers: [{ units: 8, activation: 'relu', dropout: 0 }], batchSize: 32, epochs: 2, validation: 0 };

describe('TrainingEngine with a backend choice', () => {
  it('chooses before each new model, tells the caller, trains with the chosen stepper and records the choice; Continue keeps it', async () => {
    const asked: { spec: ModelSpec; shape: unknown }[] = [];
    let steps = 0;
    const counting: StepperFactory = (blocks, optimizer, s) => {
      const inner = tfjsStepper(blocks, optimizer, s);
      return { ...inner, step: (batch, random) => (steps++, inner.step(batch, random)) };
    };
    const choice: BackendChoice = { name: tf.getBackend(), label: 'the one', how: 'only', rates: [], skipped: [] };
    const engine = new TrainingEngine(async () => dataset, 'constructor-backend', {
      chooseBackend: async (s, shape) => {
        asked.push({ spec: s, shape });
        return { choice, stepper: counting };
      },
    });
    const told: BackendChoice[] = [];
    const outcome = await engine.start(spec, 'mnist', 'chosen', { onChoice: (c) => told.push(c) });
    expect(asked).toEqual([{ spec, shape: { inputSize: dataset.train.rows * dataset.train.cols, numClasses: 4 } }]);
    expect(told).toEqual([choice]);
    expect(outcome.choice).toEqual(choice);
    expect(outcome.files.metadata.backend).toBe(tf.getBackend());
    expect(steps).toBe(2 * (128 / 32));
    await engine.continue(1, {});
    expect(asked).toHaveLength(1);
    expect(steps).toBe(3 * (128 / 32));
    engine.reset();
  });

  it('starts no model when the choice fails, and says why', async () => {
    const engine = new TrainingEngine(async () => dataset, 'x', {
      chooseBackend: async () => {
        throw new Error('The pinned backend "tensorflow" is not available here (available: wasm).');
      },
    });
    const before = tf.memory().numTensors;
    await expect(engine.start(spec, 'mnist', 'none', {})).rejects.toThrow(/pinned backend "tensorflow" is not available/);
    expect(tf.memory().numTensors).toBe(before);
    await expect(engine.continue(1, {})).rejects.toThrow(/no model to continue/);
  });
});
