import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import { selectBackend } from '$engine/ml/backend';
import { prepareTrainingData } from '$engine/ml/batches';
import { createModel } from '$engine/ml/model';
import { createOptimizer, disposeOptimizer } from '$engine/ml/optimizer';
import { syncStepperWeights, tfjsStepper } from '$engine/ml/stepper';
import { NonFiniteLossError, train } from '$engine/ml/train';
import { kernelInstance } from '$engine/kernel/kernel-module';
import { kernelCandidate, kernelWish, preferKernel, runStepper } from '$engine/kernel/kernel-choice';
import { kernelStepper } from '$engine/kernel/kernel-stepper';
import { syntheticDataset } from '$tests/helpers/datasets';

beforeAll(async () => {
  await selectBackend();
});
afterEach(() => vi.unstubAllEnvs());

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

const weightsOf = (model: tf.LayersModel): Float32Array[] => model.getWeights().map((w) => w.dataSync() as Float32Array);

/** Largest difference over largest value, across every weight tensor. */
function relativeDifference(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((values, t) => {
    const largest = b[t].reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    values.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b[t][i]) / largest)));
  });
  return worst;
}

describe('kernelStepper in train()', () => {
  // [name, spec, the first layer's input as MLP_LAB_KERNEL_INPUT forces it (the synthetic set is dense)]
  const variants: [string, ModelSpec, ('sparse' | 'dense')?][] = [
    ['Adam', spec],
    ['Nesterov with L2 and dropout, on the sparse first layer', { ...spec, optimizer: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true, l2: 1e-4, hiddenLayers: [{ units: 8, activation: 'relu', dropout: 0.2 }] }, 'sparse'],
    ['Nesterov with L2 and a cosine schedule', { ...spec, optimizer: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true, l2: 1e-4, lrSchedule: 'cosine' }],
    ['RMSprop, tanh with dropout', { ...spec, optimizer: 'rmsprop', learningRate: 0.003, hiddenLayers: [{ units: 8, activation: 'tanh', dropout: 0.5 }] }],
    ['Adagrad, selu, augmented', { ...spec, optimizer: 'adagrad', hiddenLayers: [{ units: 8, activation: 'selu', dropout: 0 }], augment: { maxShift: 1, maxRotation: 5, maxScale: 0.1 } }],
    ['no hidden layer, unit-length inputs', { ...spec, hiddenLayers: [], normalization: 'unit' }],
  ];
  for (const [name, variant, input] of variants) {
    it(`trains as the tfjs step does: ${name}`, async () => {
      if (input) vi.stubEnv('MLP_LAB_KERNEL_INPUT', input);
      const data = prepareTrainingData(dataset, variant);
      const reference = createModel(variant, shape);
      const expected = await train(reference, data, variant, {}, { stepper: tfjsStepper });
      const model = createModel(variant, shape);
      const actual = await train(model, data, variant, {}, { stepper: kernelStepper });
      expect(actual.stepper.name).toBe('kernel');
      expect(actual.stepper.detail?.includes('sparse input')).toBe(input === 'sparse');
      expect(expected.stepper.name).toBe('tfjs');
      actual.history.forEach((log, e) => {
        expect(Math.abs(log.loss - expected.history[e].loss) / expected.history[e].loss).toBeLessThan(1e-4);
        expect(Math.abs(log.valLoss! - expected.history[e].valLoss!) / expected.history[e].valLoss!).toBeLessThan(1e-4);
      });
      expect(relativeDifference(weightsOf(model), weightsOf(reference))).toBeLessThan(1e-4);
      reference.dispose();
      model.dispose();
    });
  }

  it('hands the optimizer state back: a kernel epoch continued by a tfjs epoch is two tfjs epochs', async () => {
    const data = prepareTrainingData(dataset, spec);
    const reference = createModel(spec, shape);
    await train(reference, data, spec, {}, { stepper: tfjsStepper, epochs: 2 });
    const model = createModel(spec, shape);
    const optimizer = createOptimizer(spec);
    await train(model, data, spec, {}, { stepper: kernelStepper, optimizer, epochs: 1 });
    await train(model, data, spec, {}, { stepper: tfjsStepper, optimizer, epochs: 1, initialEpoch: 1 });
    expect(relativeDifference(weightsOf(model), weightsOf(reference))).toBeLessThan(1e-4);
    // And the other way round: tfjs state into the kernel.
    const back = createModel(spec, shape);
    const backOptimizer = createOptimizer(spec);
    await train(back, data, spec, {}, { stepper: tfjsStepper, optimizer: backOptimizer, epochs: 1 });
    await train(back, data, spec, {}, { stepper: kernelStepper, optimizer: backOptimizer, epochs: 1, initialEpoch: 1 });
    expect(relativeDifference(weightsOf(back), weightsOf(reference))).toBeLessThan(1e-4);
    disposeOptimizer(optimizer);
    disposeOptimizer(backOptimizer);
    tf.dispose([reference, model, back].flatMap((m) => m.getWeights()));
  });

  it('stops within one batch with the weights of that batch in the model, and syncs them for snapshots', async () => {
    const data = prepareTrainingData(dataset, spec);
    const model = createModel(spec, shape);
    const initial = weightsOf(model);
    const controller = new AbortController();
    let mid: number | null = null;
    const result = await train(model, data, spec, {
      onBatchEnd: (log) => {
        if (log.batch === 1) {
          syncStepperWeights(model);
          mid = relativeDifference(weightsOf(model), initial);
        }
        if (log.batch === 2) controller.abort();
      },
    }, { stepper: kernelStepper, signal: controller.signal });
    expect(mid).toBeGreaterThan(0);
    expect(result.stopped).toBe(true);
    expect(result.history[0].samples).toBe(3 * 32);
    expect(relativeDifference(weightsOf(model), initial)).toBeGreaterThan(0);
    model.dispose();
  });

  it('repeats a seeded run exactly, and 20 runs in a row take no more memory than the first', async () => {
    const small = { ...spec, epochs: 1 };
    const data = prepareTrainingData(dataset, small);
    const runOnce = async (): Promise<Float32Array[]> => {
      const model = createModel(small, shape);
      await train(model, data, small, {}, { stepper: kernelStepper });
      const weights = weightsOf(model);
      model.dispose();
      return weights;
    };
    const first = await runOnce();
    const kernel = kernelInstance();
    if (typeof kernel === 'string') throw new Error(kernel);
    const bytes = kernel.exports.memory.buffer.byteLength;
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 19; i++) expect(await runOnce()).toEqual(first);
    expect(kernel.exports.memory.buffer.byteLength).toBe(bytes);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('catches divergence as the tfjs step does', async () => {
    const once: ModelSpec = { ...spec, optimizer: 'sgd', momentum: 0, batchSize: 256, epochs: 1, learningRate: 1e39, validation: 0 };
    const model = createModel(once, shape);
    await expect(train(model, prepareTrainingData(dataset, once), once, {}, { stepper: kernelStepper })).rejects.toThrow(/^A weight became NaN or infinite after epoch 1/);
    const diverging = { ...spec, learningRate: 1e39, optimizer: 'sgd' as const, epochs: 2 };
    await expect(train(model, prepareTrainingData(dataset, diverging), diverging, {}, { stepper: kernelStepper })).rejects.toThrow(NonFiniteLossError);
    model.dispose();
  });

  it('falls back to the tfjs step, saying why, for an optimizer it does not run', async () => {
    const model = createModel(spec, shape);
    const optimizer = tf.train.rmsprop(0.01, 0.9, 0.5);
    const result = await train(model, prepareTrainingData(dataset, spec), spec, {}, { stepper: kernelStepper, optimizer, epochs: 1 });
    expect(result.stepper).toEqual({ name: 'tfjs', detail: null, fallback: 'the kernel does not run RMSprop with momentum' });
    optimizer.dispose();
    model.dispose();
  });
});

describe('MLP_LAB_BACKEND and the kernel', () => {
  it('kernel forces it, another backend rules it out, unset (or empty) leaves it to the choice', () => {
    expect(kernelWish('kernel')).toBe('forced');
    expect(kernelWish('wasm')).toBe('excluded');
    expect(kernelWish('')).toBe('candidate');
    expect(runStepper('kernel')).toBe(kernelStepper);
    expect(runStepper('wasm')).toBe(tfjsStepper);
    expect(runStepper('cpu')).toBe(tfjsStepper);
  });
});

describe('the kernel as a training candidate', () => {
  it('measures a positive speed, leaves no tensor behind, and activating it (or a tfjs backend) decides the stepper', async () => {
    const candidate = kernelCandidate();
    expect(candidate.name).toBe('kernel');
    expect(candidate.unsupported(spec)).toBeNull();
    const tensors = tf.memory().numTensors;
    const rate = await candidate.measure({ ...spec, hiddenLayers: [{ units: 8, activation: 'tanh', dropout: 0.2 }] }, shape, 50);
    expect(rate).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(tensors);
    preferKernel(false);
    expect(runStepper('')).toBe(tfjsStepper);
    await candidate.activate();
    expect(runStepper('')).toBe(kernelStepper);
  });
});
