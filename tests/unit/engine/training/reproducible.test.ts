import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import { modelSpecSchema } from '$shared/model-metadata';
import { selectBackend } from '$engine/ml/backend';
import { TrainingEngine } from '$engine/training/engine';
import { syntheticDataset } from '$tests/helpers/datasets';

beforeAll(async () => {
  await selectBackend();
});

const dataset = syntheticDataset(256, 64);
const quiet = { onBatch: () => undefined, onEpoch: () => undefined };
/** What a recorded run's Re-run trains: the spec it recorded, on the same backend, without dropout. */
const recorded: ModelSpec = {
  ...DEFAULT_SPEC,
  hiddenLayers: [
    { units: 16, activation: 'relu', dropout: 0 },
    { units: 8, activation: 'tanh', dropout: 0 },
  ],
  batchSize: 32,
  epochs: 3,
  validation: 0.25,
  seed: 1234,
};

async function finalLoss(spec: ModelSpec): Promise<number> {
  // A fresh engine each time, as a Re-run after a restart of the app would get.
  const engine = new TrainingEngine(async () => dataset, 'test');
  const outcome = await engine.start(spec, 'mnist', 'run', quiet);
  engine.reset();
  const history = outcome.files.metadata.history;
  expect(history).toHaveLength(spec.epochs);
  return history[history.length - 1]!.loss;
}

describe('a recorded run, re-run', () => {
  it('gives the same final loss with the same seed, backend and no dropout; another seed does not', async () => {
    const first = await finalLoss(recorded);
    // The spec as a run file gives it back: written as JSON, read through the record's schema.
    const again = await finalLoss(modelSpecSchema.parse(JSON.parse(JSON.stringify(recorded))));
    expect(again).toBe(first);
    expect(await finalLoss({ ...recorded, seed: 1235 })).not.toBe(first);
  });
});
