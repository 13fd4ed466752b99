import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, type ModelSpec } from '../../../../src/shared/model-spec';
import { selectBackend } from '../../../../src/engine/ml/backend';
import { TrainingEngine } from '../../../../src/engine/training/engine';
import { syntheticDataset } from '../../../helpers/datasets';

beforeAll(async () => {
  await selectBackend();
});

const dataset = syntheticDataset(256, 64);
const spec: ModelSpec = { ...DEFAULT_SPEC, hiddenLayers: [{ units: 8, activation: 'relu', dropout: 0 }], batchSize: 32, epochs: 50, validation: 0 };
const quiet = { onBatch: () => undefined, onEpoch: () => undefined };

describe('TrainingEngine', () => {
  it('honours a Stop that arrives while the dataset is still loading', async () => {
    let release!: () => void;
    const loaded = new Promise<void>((resolve) => (release = resolve));
    const engine = new TrainingEngine(async () => {
      await loaded;
      return dataset;
    }, 'test');
    const run = engine.start(spec, 'mnist', 'stopped early', quiet);
    engine.stop();
    release();
    const outcome = await run;
    expect(outcome.stopped).toBe(true);
    expect(outcome.epochsDone).toBe(0);
    expect(outcome.files.metadata.history).toEqual([expect.objectContaining({ epoch: 0, complete: false, samples: 32 })]);
  });

  it('refuses a second start while one is loading, and recovers after a failed load', async () => {
    let fail = true;
    const engine = new TrainingEngine(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (fail) throw new Error('no such dataset');
      return dataset;
    }, 'test');
    const first = engine.start(spec, 'mnist', 'a', quiet);
    await expect(engine.start(spec, 'mnist', 'b', quiet)).rejects.toThrow(/already running/);
    await expect(first).rejects.toThrow(/no such dataset/);
    fail = false;
    const baseline = tf.memory().numTensors;
    const outcome = await engine.start({ ...spec, epochs: 1 }, 'mnist', 'c', quiet);
    expect(outcome).toMatchObject({ stopped: false, epochsDone: 1 });
    const more = await engine.continue(1, quiet);
    expect(more.epochsDone).toBe(2);
    engine.reset();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
