import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import { selectBackend } from '$engine/ml/backend';
import { TrainingEngine } from '$engine/training/engine';
import { prepareTrainingData } from '$engine/ml/batches';
import { evaluate } from '$engine/ml/evaluate';
import { modelFromFiles } from '$engine/ml/persist';
import { syntheticDataset } from '$tests/helpers/datasets';

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

  it('scores the training set too when asked (the CLI reports it), from the model it hands back', async () => {
    const held = { ...spec, epochs: 2, validation: 0.25 };
    const engine = new TrainingEngine(async () => dataset, 'test', { trainSetMetrics: true });
    const outcome = await engine.start(held, 'mnist', 'scored', quiet);
    const model = await modelFromFiles(outcome.files);
    // The training images only: the validation quarter is held out, as in training.
    const trainSet = prepareTrainingData(dataset, held).train;
    expect(trainSet.count).toBe(192);
    const expected = evaluate(model, trainSet, { normalization: held.normalization, l2: held.l2 });
    model.dispose();
    expect(outcome.trainAccuracy).toBeCloseTo(expected.accuracy, 6);
    expect(outcome.trainLoss).toBeCloseTo(expected.loss, 5);
    expect(outcome.files.metadata.metrics).toEqual({
      testAccuracy: outcome.testAccuracy,
      testLoss: outcome.testLoss,
      trainAccuracy: outcome.trainAccuracy,
      trainLoss: outcome.trainLoss,
    });
    expect(outcome.trainSeconds).toBeGreaterThan(0);
    expect(outcome.files.metadata.trainSeconds).toBe(outcome.trainSeconds);
    engine.reset();

    const app = new TrainingEngine(async () => dataset, 'test');
    const plain = await app.start({ ...held, epochs: 1 }, 'mnist', 'app', quiet);
    expect(plain.trainAccuracy).toBeUndefined();
    expect(Object.keys(plain.files.metadata.metrics).sort()).toEqual(['testAccuracy', 'testLoss']);
    app.reset();
  });

  it('hands back no files when the trained model scores a non-finite test loss', async () => {
    // Plain SGD at 1e20, one batch: finite weights of 1e19 whose logits overflow on the test images.
    const exploding: ModelSpec = { ...spec, optimizer: 'sgd', momentum: 0, learningRate: 1e20, batchSize: 256, epochs: 1 };
    const engine = new TrainingEngine(async () => dataset, 'test');
    await expect(engine.start(exploding, 'mnist', 'exploded', quiet)).rejects.toThrow(/^The test loss became NaN or infinite after the last epoch: training diverged\.$/);
    engine.reset();
  });

  it('hands back files that later runs of the same model leave as they were', async () => {
    const engine = new TrainingEngine(async () => dataset, 'test');
    const first = await engine.start({ ...spec, epochs: 1 }, 'mnist', 'a', quiet);
    const more = await engine.continue(2, quiet);
    expect(first.files.metadata).toMatchObject({ epochsTrained: 1, history: [{ epoch: 0 }] });
    expect(more.files.metadata).toMatchObject({ epochsTrained: 3, history: [{ epoch: 0 }, { epoch: 1 }, { epoch: 2 }] });
    expect(more.files.metadata.trainSeconds).toBeCloseTo(first.trainSeconds + more.trainSeconds, 9);
    engine.reset();
  });

  it('resumes a saved model: its weights, spec and history carry on, with a fresh optimizer', async () => {
    const engine = new TrainingEngine(async () => dataset, 'test');
    const first = await engine.start({ ...spec, epochs: 1 }, 'mnist', 'saved', quiet);
    engine.reset();
    const baseline = tf.memory().numTensors;
    const epochs: number[] = [];
    const resumed = await engine.resume(
      async () => ({ model: await modelFromFiles(first.files), metadata: first.files.metadata }),
      'mnist',
      'saved (continued)',
      2,
      { onBatch: () => undefined, onEpoch: (log) => void epochs.push(log.epoch) },
    );
    expect(epochs).toEqual([1, 2]);
    expect(resumed.epochsDone).toBe(3);
    expect(resumed.files.metadata).toMatchObject({ name: 'saved (continued)', epochsTrained: 3, history: [{ epoch: 0 }, { epoch: 1 }, { epoch: 2 }] });
    expect(resumed.files.metadata.history[0]).toEqual(first.files.metadata.history[0]);
    expect(resumed.files.metadata.trainSeconds).toBeCloseTo(first.trainSeconds + resumed.trainSeconds, 9);
    // And the resumed model continues like any other, its optimizer kept from here on.
    const more = await engine.continue(1, quiet);
    expect(more.epochsDone).toBe(4);
    engine.reset();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('refuses a saved model that does not fit the dataset, naming it, and frees it', async () => {
    const engine = new TrainingEngine(async () => dataset, 'test');
    const first = await engine.start({ ...spec, epochs: 1 }, 'mnist', 'saved', quiet);
    engine.reset();
    const baseline = tf.memory().numTensors;
    const other = { ...syntheticDataset(64, 16), classNames: ['a', 'b', 'c', 'd', 'e'] };
    const mismatched = new TrainingEngine(async () => other, 'test');
    await expect(
      mismatched.resume(async () => ({ model: await modelFromFiles(first.files), metadata: first.files.metadata }), 'mnist', 'x', 1, quiet),
    ).rejects.toThrow(/saved cannot be trained on mnist: it has 4 outputs for the dataset's 5 classes/);
    expect(tf.memory().numTensors).toBe(baseline);
    expect(mismatched.busy).toBe(false);
  });

  it('resumes exactly where an uninterrupted run would be, with an optimizer that keeps no state (plain SGD)', async () => {
    const sgd: ModelSpec = { ...spec, optimizer: 'sgd', momentum: 0, learningRate: 0.05, epochs: 1 };
    const engine = new TrainingEngine(async () => dataset, 'test');
    await engine.start(sgd, 'mnist', 'a', quiet);
    const uninterrupted = await engine.continue(2, quiet);
    engine.reset();
    const saved = await engine.start(sgd, 'mnist', 'b', quiet);
    engine.reset();
    const resumed = await engine.resume(async () => ({ model: await modelFromFiles(saved.files), metadata: saved.files.metadata }), 'mnist', 'b', 2, quiet);
    engine.reset();
    expect(new Float32Array(resumed.files.weights)).toEqual(new Float32Array(uninterrupted.files.weights));
    expect(resumed.testAccuracy).toBe(uninterrupted.testAccuracy);
  });
});
