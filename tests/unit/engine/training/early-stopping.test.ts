import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import { selectBackend } from '$engine/ml/backend';
import { TrainingEngine } from '$engine/training/engine';
import type { EpochLog } from '$shared/training';
import { syntheticDataset } from '$tests/helpers/datasets';

beforeAll(async () => {
  await selectBackend();
});

const dataset = syntheticDataset(256, 64);
// The test set is the validation set, so the kept model's test score is a validation figure.
const spec: ModelSpec = { ...DEFAULT_SPEC, hiddenLayers: [{ units: 8, activation: 'relu', dropout: 0 }], batchSize: 32, epochs: 20, validation: 'test' };

describe('TrainingEngine with early stopping', () => {
  it('stops once the monitored figure has not improved for `patience` epochs, and keeps the best epoch\'s weights', async () => {
    const engine = new TrainingEngine(async () => dataset, 'test');
    const epochs: EpochLog[] = [];
    // No epoch can lower the loss by 10: the first epoch is the best, the second stops the run.
    const outcome = await engine.start(
      { ...spec, earlyStopping: { monitor: 'val_loss', patience: 1, minDelta: 10, restoreBestWeights: true } },
      'mnist',
      'early',
      { onEpoch: (log) => epochs.push(log) },
    );
    expect(epochs.map((l) => l.epoch)).toEqual([0, 1]);
    expect(outcome).toMatchObject({ stopped: false, epochsDone: 2 });
    expect(outcome.earlyStop).toMatchObject({ stoppedEpoch: 1, bestEpoch: 0, monitor: 'val_loss', restored: true });
    expect(outcome.earlyStop!.best).toBe(epochs[0]!.valLoss);
    // The model handed back is epoch 1's: it scores that epoch's validation figures, not epoch 2's.
    expect(outcome.testAccuracy).toBeCloseTo(epochs[0]!.valAccuracy!, 6);
    expect(outcome.testLoss).toBeCloseTo(epochs[0]!.valLoss!, 5);
    expect(outcome.testLoss).not.toBeCloseTo(epochs[1]!.valLoss!, 5);
    engine.reset();
  });

  it('keeps the last weights without restore, and a run that keeps improving runs all its epochs', async () => {
    const engine = new TrainingEngine(async () => dataset, 'test');
    const epochs: EpochLog[] = [];
    const last = await engine.start(
      { ...spec, earlyStopping: { monitor: 'val_accuracy', patience: 1, minDelta: 2, restoreBestWeights: false } },
      'mnist',
      'last',
      { onEpoch: (log) => epochs.push(log) },
    );
    expect(last.earlyStop).toMatchObject({ stoppedEpoch: 1, bestEpoch: 0, restored: false });
    expect(last.testLoss).toBeCloseTo(epochs[1]!.valLoss!, 5);

    const before = tf.memory().numTensors;
    const patient = await engine.start(
      { ...spec, epochs: 3, earlyStopping: { monitor: 'val_loss', patience: 100, minDelta: 0, restoreBestWeights: true } },
      'mnist',
      'patient',
      {},
    );
    expect(patient).toMatchObject({ stopped: false, epochsDone: 3, earlyStop: null });
    engine.reset();
    // The best weights are kept as plain arrays: no tensor outlives the run.
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });

  it('a Stop still counts as a Stop with early stopping on', async () => {
    const engine = new TrainingEngine(async () => dataset, 'test');
    const outcome = await engine.start(
      { ...spec, earlyStopping: { monitor: 'val_loss', patience: 5, minDelta: 0, restoreBestWeights: true } },
      'mnist',
      'stopped',
      { onBatch: () => engine.stop() },
    );
    expect(outcome.stopped).toBe(true);
    expect(outcome.earlyStop).toBeNull();
    engine.reset();
  });
});
