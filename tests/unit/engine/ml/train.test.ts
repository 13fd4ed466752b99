import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import { selectBackend } from '$engine/ml/backend';
import { prepareTrainingData } from '$engine/ml/batches';
import { evaluate } from '$engine/ml/evaluate';
import { createModel, denseBlocks } from '$engine/ml/model';
import { createOptimizer, disposeOptimizer } from '$engine/ml/optimizer';
import { tfjsStepper, type StepperFactory } from '$engine/ml/stepper';
import { NonFiniteLossError, train } from '$engine/ml/train';
import { syntheticDataset } from '$tests/helpers/datasets';

beforeAll(async () => {
  await selectBackend();
});

const dataset = syntheticDataset(256, 64);
const shape = { inputSize: 16, numClasses: 4 };
const spec: ModelSpec = {
  ...DEFAULT_SPEC,
  hiddenLayers: [{ units: 8, activation: 'relu', dropout: 0 }],
  optimizer: 'adam',
  learningRate: 0.01,
  batchSize: 32,
  epochs: 3,
  validation: 0.25,
};

const weightsOf = (model: tf.LayersModel): number[] => model.getWeights().flatMap((w) => Array.from(w.dataSync()));

describe('train', () => {
  it('learns a learnable problem and reports Keras-like epoch logs', async () => {
    const model = createModel(spec, shape);
    const data = prepareTrainingData(dataset, spec);
    const batches: number[] = [];
    const { history, stopped, epochsCompleted } = await train(model, data, spec, {
      onBatchEnd: (log) => batches.push(log.batch),
    });
    expect(stopped).toBe(false);
    expect(epochsCompleted).toBe(3);
    expect(history.map((h) => h.epoch)).toEqual([0, 1, 2]);
    expect(batches.length).toBe(3 * Math.ceil(192 / 32));
    expect(history.every((h) => h.samples === 192 && h.complete && h.valAccuracy !== undefined)).toBe(true);
    expect(history[2].loss).toBeLessThan(history[0].loss);
    expect(evaluate(model, dataset.test, spec).accuracy).toBeGreaterThan(0.9);
    model.dispose();
  });

  it('leaves no tensor behind: create → train → evaluate → dispose, optimizer included', async () => {
    const variants: ModelSpec[] = [
      { ...spec, optimizer: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true, l2: 1e-4 },
      { ...spec, optimizer: 'rmsprop', hiddenLayers: [{ units: 8, activation: 'tanh', dropout: 0.5 }] },
      { ...spec, optimizer: 'adagrad', hiddenLayers: [{ units: 8, activation: 'selu', dropout: 0 }], augment: { maxShift: 1, maxRotation: 5, maxScale: 0.1 } },
      { ...spec, hiddenLayers: [], validation: 'test' },
    ];
    const baseline = tf.memory().numTensors;
    for (const variant of variants) {
      const model = createModel(variant, shape);
      await train(model, prepareTrainingData(dataset, variant), variant);
      evaluate(model, dataset.test, { normalization: variant.normalization, l2: variant.l2 });
      model.dispose();
      expect(tf.memory().numTensors).toBe(baseline);
    }
  });

  it('repeats a run exactly with the same seed, dropout and augmentation included', async () => {
    const seeded: ModelSpec = {
      ...spec,
      hiddenLayers: [{ units: 8, activation: 'elu', dropout: 0.3 }],
      augment: { maxShift: 1, maxRotation: 10, maxScale: 0.1 },
    };
    const run = async (seed: number): Promise<number[]> => {
      const model = createModel({ ...seeded, seed }, shape);
      await train(model, prepareTrainingData(dataset, seeded), { ...seeded, seed });
      const weights = weightsOf(model);
      model.dispose();
      return weights;
    };
    const first = await run(7);
    expect(await run(7)).toEqual(first);
    expect(await run(8)).not.toEqual(first);
  });

  it('stops after the current batch when aborted, keeping the model usable and trainable further', async () => {
    const data = prepareTrainingData(dataset, spec);
    const model = createModel(spec, shape);
    const optimizer = createOptimizer(spec);
    const controller = new AbortController();
    const seen: string[] = [];
    const result = await train(model, data, { ...spec, epochs: 2 }, {
      onBatchEnd: (log) => {
        seen.push(`${log.epoch}:${log.batch}`);
        if (log.epoch === 1 && log.batch === 2) controller.abort();
      },
    }, { optimizer, signal: controller.signal });
    // No batch ran after the one during which the abort came; the partial epoch is logged as incomplete.
    expect(result.stopped).toBe(true);
    expect(seen.at(-1)).toBe('1:2');
    expect(result.history.map((h) => [h.epoch, h.complete, h.samples])).toEqual([
      [0, true, 192],
      [1, false, 3 * 32],
    ]);
    expect(result.epochsCompleted).toBe(1);

    const more = await train(model, data, spec, {}, { optimizer, initialEpoch: result.epochsCompleted, epochs: 2 });
    expect(more.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(more.epochsCompleted).toBe(3);
    expect(evaluate(model, dataset.test, spec).accuracy).toBeGreaterThan(0.9);
    model.dispose();
    disposeOptimizer(optimizer);
  });

  it('does not call a run stopped when the abort comes after its very last batch', async () => {
    const model = createModel(spec, shape);
    const controller = new AbortController();
    const batches = Math.ceil(192 / 32);
    const result = await train(model, prepareTrainingData(dataset, spec), { ...spec, epochs: 1 }, {
      onBatchEnd: (log) => {
        if (log.batch === batches - 1) controller.abort();
      },
    }, { signal: controller.signal });
    expect(result).toMatchObject({ stopped: false, epochsCompleted: 1 });
    model.dispose();
  });

  it('continues where it left off: 1 + 1 epochs with the same optimizer equal 2 epochs in one go', async () => {
    const data = prepareTrainingData(dataset, spec);
    const straight = createModel(spec, shape);
    await train(straight, data, { ...spec, epochs: 2 });
    const split = createModel(spec, shape);
    const optimizer = createOptimizer(spec);
    await train(split, data, spec, {}, { optimizer, epochs: 1 });
    await train(split, data, spec, {}, { optimizer, initialEpoch: 1, epochs: 1 });
    expect(weightsOf(split)).toEqual(weightsOf(straight));
    straight.dispose();
    split.dispose();
    disposeOptimizer(optimizer);
  });

  it('leaves every update to the stepper it is given, and reads the weights only after its epoch end, a stopped epoch included', async () => {
    const data = prepareTrainingData(dataset, spec);
    const stopAt = (controller: AbortController) => (log: { epoch: number; batch: number }) => {
      if (log.epoch === 1 && log.batch === 2) controller.abort();
    };
    const withoutTimes = (history: { seconds: number; samplesPerSecond: number }[]) => history.map(({ seconds: _s, samplesPerSecond: _r, ...rest }) => rest);
    const reference = createModel(spec, shape);
    const first = new AbortController();
    const expected = await train(reference, data, spec, { onBatchEnd: stopAt(first) }, { signal: first.signal });

    // As a stepper that keeps the weights outside TensorFlow.js would: it trains a copy and writes it into
    // the model at each epoch end only.
    const model = createModel(spec, shape);
    const copy = createModel(spec, shape);
    const copyOptimizer = createOptimizer(spec);
    const calls: string[] = [];
    const stepper: StepperFactory = () => {
      const inner = tfjsStepper(denseBlocks(copy), copyOptimizer, spec, data.train);
      return {
        setLearningRate: (rate) => inner.setLearningRate(rate),
        step: (batch, random) => {
          calls.push('step');
          return inner.step(batch, random);
        },
        endEpoch: () => {
          calls.push('end');
          model.setWeights(copy.getWeights());
        },
      };
    };
    const second = new AbortController();
    const result = await train(model, data, spec, { onBatchEnd: stopAt(second) }, { signal: second.signal, stepper });

    expect(calls).toEqual([...Array(6).fill('step'), 'end', ...Array(3).fill('step'), 'end']);
    expect(result.stopped).toBe(true);
    expect(withoutTimes(result.history)).toEqual(withoutTimes(expected.history));
    expect(weightsOf(model)).toEqual(weightsOf(reference));
    for (const m of [reference, model, copy]) m.dispose();
    disposeOptimizer(copyOptimizer);
  });

  it('fails with a clear error when the loss becomes NaN', async () => {
    const model = createModel(spec, shape);
    const outputBias = model.layers.at(-1)!.trainableWeights[1].read() as tf.Variable;
    outputBias.assign(tf.fill(outputBias.shape, NaN));
    const baseline = tf.memory().numTensors;
    await expect(train(model, prepareTrainingData(dataset, spec), spec)).rejects.toThrow(NonFiniteLossError);
    await expect(train(model, prepareTrainingData(dataset, spec), spec)).rejects.toThrow(/^The loss became NaN or infinite at epoch 1, batch 1 of \d+: training diverged\.$/);
    expect(tf.memory().numTensors).toBe(baseline);
    model.dispose();
  });

  it('fails when the last update leaves a weight or the validation loss non-finite, before the epoch is logged', async () => {
    // One batch, one epoch: the loss is finite before the only update, so only a check after it can tell.
    const once: ModelSpec = { ...spec, optimizer: 'sgd', momentum: 0, batchSize: 256, epochs: 1 };
    const cases: [ModelSpec, RegExp][] = [
      // Past float32's range: the step itself overflows to infinity.
      [{ ...once, learningRate: 1e39, validation: 0 }, /^A weight became NaN or infinite after epoch 1: training diverged\.$/],
      // Finite weights of 1e19 whose logits overflow on the validation images.
      [{ ...once, learningRate: 1e20, validation: 0.25 }, /^The validation loss became NaN or infinite after epoch 1: training diverged\.$/],
    ];
    for (const [exploding, message] of cases) {
      const model = createModel(exploding, shape);
      const epochs: number[] = [];
      await expect(train(model, prepareTrainingData(dataset, exploding), exploding, { onEpochEnd: (log) => void epochs.push(log.epoch) })).rejects.toThrow(message);
      expect(epochs).toEqual([]);
      model.dispose();
    }
  });
});

describe('prepareTrainingData', () => {
  it('takes the subset from the start and the validation fraction from its end', () => {
    const data = prepareTrainingData(dataset, { ...spec, trainSubset: 100, validation: 0.2 });
    expect(data.train.count).toBe(80);
    expect(data.validation?.count).toBe(20);
    expect(data.validation?.labels).toEqual(dataset.train.labels.subarray(80, 100));
  });

  it('uses the test set for validation when asked, and no validation for 0', () => {
    expect(prepareTrainingData(dataset, { ...spec, validation: 'test' }).validation).toBe(dataset.test);
    expect(prepareTrainingData(dataset, { ...spec, validation: 0 }).validation).toBeNull();
  });
});
