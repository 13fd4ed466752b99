import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SPEC, type ModelSpec } from '$shared/model-spec';
import type { LoadedDataset } from '$shared/datasets/image-set';
import { selectBackend } from '$engine/ml/backend';
import { prepareTrainingData } from '$engine/ml/batches';
import { createModel, denseBlocks } from '$engine/ml/model';
import { createOptimizer, disposeOptimizer } from '$engine/ml/optimizer';
import { Random } from '$engine/ml/random';
import { NonFiniteLossError, train } from '$engine/ml/train';
import { acquireKernel, kernelInstance, releaseKernel, type KernelInstance } from '$engine/kernel/kernel-module';
import { PTR } from '$engine/kernel/kernel-layout';
import { KernelNet } from '$engine/kernel/kernel-net';
import { kernelOptimizer, type KernelOptimizerConfig } from '$engine/kernel/kernel-optimizer';
import { kernelHelpersExited, liveKernelHelpers, MIN_THREADED_STEP_MACS, planKernelThreads, startKernelTeam, stepMacs } from '$engine/kernel/kernel-threads';
import { kernelStepper } from '$engine/kernel/kernel-stepper';
import { syntheticSet } from '$tests/helpers/datasets';

beforeAll(async () => {
  await selectBackend();
});
afterEach(() => vi.unstubAllEnvs());

// Big enough that every product is split into parts (c/team.c: 150,000 multiply-adds at least), with
// a batch that is not a multiple of 4 (the products' row blocks) and a shorter last batch.
const SIDE = 28;
const BATCH = 42;
const STEPS = 5;
const COUNT = BATCH * STEPS - 11;

const OPTIMIZERS: { name: string; spec: Partial<ModelSpec> }[] = [
  { name: 'sgd', spec: { optimizer: 'sgd', learningRate: 0.1, momentum: 0 } },
  { name: 'momentum', spec: { optimizer: 'sgd', learningRate: 0.1, momentum: 0.9 } },
  { name: 'nesterov', spec: { optimizer: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true } },
  { name: 'adam', spec: { optimizer: 'adam', learningRate: 0.01 } },
  { name: 'rmsprop', spec: { optimizer: 'rmsprop', learningRate: 0.01 } },
  { name: 'adagrad', spec: { optimizer: 'adagrad', learningRate: 0.1 } },
];

function specOf(optimizer: Partial<ModelSpec>, dropout: number, l2: number): ModelSpec {
  return {
    ...DEFAULT_SPEC,
    ...optimizer,
    hiddenLayers: [
      { units: 70, activation: 'relu', dropout },
      // Wide enough that the output layer's rows (and their softmax) are split too: 42 × 304 × 10
      // multiply-adds and 42 × 10 exponentials.
      { units: 300, activation: 'tanh', dropout },
    ],
    l2,
    seed: 11,
    batchSize: BATCH,
  };
}

/** Digit-like bytes: a lit middle band with dark borders, so the first layer's zero blocks are skipped. */
const random = new Random(4);
const images = Uint8Array.from({ length: COUNT * SIDE * SIDE }, (_, i) => {
  const col = i % SIDE;
  return col > 6 && col < 20 && random.next() < 0.5 ? Math.floor(random.next() * 256) : 0;
});
const labels = Uint8Array.from({ length: COUNT }, () => Math.floor(random.next() * 10));
const set = { images, labels, count: COUNT, rows: SIDE, cols: SIDE };
const order = Int32Array.from({ length: COUNT }, (_, i) => (i * 37) % COUNT);

/** Every float the kernel keeps for the net: weights, biases, both optimizer states, per layer. */
function memoryOf(kernel: KernelInstance, net: KernelNet): Float32Array[] {
  const { exports } = kernel;
  const out: Float32Array[] = [];
  for (let l = 0; l + 1 < net.dims.length; l++) {
    for (const what of [PTR.kernel, PTR.kernelState0, PTR.kernelState1]) out.push(new Float32Array(exports.memory.buffer, exports.kn_ptr(what, l), net.kernelLength(l)).slice());
    for (const what of [PTR.bias, PTR.biasState0, PTR.biasState1]) out.push(new Float32Array(exports.memory.buffer, exports.kn_ptr(what, l), net.dims[l + 1]).slice());
  }
  return out;
}

/** STEPS steps of spec on kernel from a fresh model: the losses and the kernel's memory after them. */
function stepsOn(kernel: KernelInstance, spec: ModelSpec, sparse: boolean): { losses: number[]; memory: Float32Array[] } {
  const model = createModel(spec, { inputSize: SIDE * SIDE, numClasses: 10 });
  const optimizer = createOptimizer(spec);
  const net = new KernelNet(kernel, denseBlocks(model), kernelOptimizer(optimizer) as KernelOptimizerConfig, spec.l2, BATCH, sparse);
  net.loadWeights(optimizer);
  net.loadData(set, new Float64Array(COUNT).fill(1 / 255));
  net.loadOrder(order);
  const draws = new Random(7);
  const losses: number[] = [];
  for (let s = 0; s < STEPS; s++) {
    const start = s * BATCH;
    losses.push(net.step(Math.min(BATCH, COUNT - start), spec.learningRate, draws, { start }).loss);
  }
  const memory = memoryOf(kernel, net);
  model.dispose();
  disposeOptimizer(optimizer);
  return { losses, memory };
}

/** Bit for bit: Object.is tells −0 from 0 and NaN from everything, as a float comparison would not. */
function expectIdentical(actual: Float32Array[], expected: Float32Array[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((values, t) => {
    const first = values.findIndex((v, i) => !Object.is(v, expected[t][i]));
    expect(first, `buffer ${t}: first differing float`).toBe(-1);
  });
}

describe('the threaded kernel: 2 threads step as 1 does, bit for bit', () => {
  for (const { name, spec: optimizerSpec } of OPTIMIZERS) {
    for (const dropout of [0, 0.25]) {
      for (const l2 of [0, 0.003]) {
        const sparse = (dropout > 0) !== (l2 > 0);
        it(`${name}, dropout ${dropout}, L2 ${l2}, ${sparse ? 'sparse' : 'dense'} input`, async () => {
          const spec = specOf(optimizerSpec, dropout, l2);
          const single = acquireKernel();
          if (typeof single === 'string') throw new Error(single);
          const one = (() => {
            try {
              return stepsOn(single, spec, sparse);
            } finally {
              releaseKernel(single);
            }
          })();
          const threaded = acquireKernel(true);
          if (typeof threaded === 'string') throw new Error(threaded);
          const team = startKernelTeam(threaded, 2, true);
          try {
            await team.ready;
            const two = stepsOn(threaded, spec, sparse);
            // The helper really ran parts of the products: the first of each (the caller left it).
            expect(threaded.exports.kn_helper_parts()).toBeGreaterThan(0);
            // On sparse input it filled the next batches ahead too (not the first, which the caller fills).
            if (sparse) expect(threaded.exports.kn_helper_fills()).toBeGreaterThan(0);
            else expect(threaded.exports.kn_helper_fills()).toBe(0);
            expect(two.losses.every(Number.isFinite)).toBe(true);
            expect(two.losses).toEqual(one.losses);
            expectIdentical(two.memory, one.memory);
          } finally {
            releaseKernel(threaded);
            await team.stop();
          }
        });
      }
    }
  }
});

describe('planKernelThreads', () => {
  it('follows MLP_LAB_KERNEL_THREADS, says why at 1, and refuses a malformed value', () => {
    expect(planKernelThreads(1e9, '3')).toEqual({ threads: 3, reason: null });
    expect(planKernelThreads(1e9, '1')).toEqual({ threads: 1, reason: 'MLP_LAB_KERNEL_THREADS=1' });
    for (const bad of ['0', '9', 'two', '2.5', '-1']) expect(() => planKernelThreads(1e9, bad)).toThrow(/MLP_LAB_KERNEL_THREADS/);
  });

  it('keeps a step too small to gain on one thread, with the reason', () => {
    const plan = planKernelThreads(stepMacs([784, 50, 10], 32), undefined);
    expect(plan.threads).toBe(1);
    expect(plan.reason).toMatch(/too small|one physical core/);
  });

  it('counts the first layer\'s products on sparse input by the pixels they visit', () => {
    expect(stepMacs([784, 50, 10], 200)).toBe(200 * (784 * 50 * 2 + 50 * 10 * 3));
    // MNIST's 19 % lit: sklearn-exercise at batch 200 falls from 16 M to 3.3 M, under MIN_THREADED_STEP_MACS.
    expect(stepMacs([784, 50, 10], 200, 0.19)).toBeCloseTo(200 * (784 * 50 * 2 * 0.19 + 50 * 10 * 3));
    expect(stepMacs([784, 50, 10], 200, 0.19)).toBeLessThan(MIN_THREADED_STEP_MACS);
    expect(stepMacs([784, 512, 256, 10], 256, 0.19)).toBeGreaterThan(MIN_THREADED_STEP_MACS);
  });

  it('shares a smaller step on sparse input, where a helper fills the next batch too', () => {
    const b200 = stepMacs([784, 50, 10], 200, 0.19);
    expect(planKernelThreads(b200, undefined, false).threads).toBe(1);
    const sparse = planKernelThreads(b200, undefined, true);
    expect(sparse.threads === 1 ? sparse.reason : String(sparse.threads)).toMatch(/one physical core|^[2-8]$/);
    const b32 = planKernelThreads(stepMacs([784, 50, 10], 32, 0.19), undefined, true);
    expect(b32.threads).toBe(1);
    expect(b32.reason).toMatch(/too small for a second thread to gain \(2 M at least\)|one physical core/);
  });
});

describe('kernelStepper on threads, in train()', () => {
  const dataset: LoadedDataset = { id: 'mnist', classNames: ['a', 'b', 'c', 'd'], train: syntheticSet(240, 1, SIDE, SIDE), test: syntheticSet(40, 2, SIDE, SIDE) };
  const spec: ModelSpec = {
    ...DEFAULT_SPEC,
    hiddenLayers: [{ units: 64, activation: 'relu', dropout: 0.2 }],
    optimizer: 'adam',
    learningRate: 0.01,
    l2: 1e-4,
    batchSize: 48,
    epochs: 2,
    validation: 0.2,
    seed: 9,
  };
  const shape = { inputSize: SIDE * SIDE, numClasses: 4 };
  const weightsOf = (model: tf.LayersModel): Float32Array[] => model.getWeights().map((w) => w.dataSync() as Float32Array);

  // Sparse input (forced: the synthetic set is dense) adds the helper that fills the next batch ahead.
  for (const input of ['dense', 'sparse'] as const) {
    it(`gives the one-thread weights bit for bit, reports its threads, and leaves no helper behind: ${input} input`, async () => {
      vi.stubEnv('MLP_LAB_KERNEL_INPUT', input);
      const data = prepareTrainingData(dataset, spec);
      vi.stubEnv('MLP_LAB_KERNEL_THREADS', '1');
      const oneModel = createModel(spec, shape);
      const one = await train(oneModel, data, spec, {}, { stepper: kernelStepper });
      expect(one.stepper).toMatchObject({ name: 'kernel', threads: 1, threadsFallback: 'MLP_LAB_KERNEL_THREADS=1' });
      expect(one.stepper.detail).toMatch(/, 1 thread — threads off: MLP_LAB_KERNEL_THREADS=1$/);

      vi.stubEnv('MLP_LAB_KERNEL_THREADS', '2');
      const twoModel = createModel(spec, shape);
      const two = await train(twoModel, data, spec, {}, { stepper: kernelStepper });
      expect(two.stepper).toMatchObject({ name: 'kernel', threads: 2, threadsFallback: null });
      expect(two.stepper.detail).toMatch(/, 2 threads$/);
      expect(two.history.map((h) => h.loss)).toEqual(one.history.map((h) => h.loss));
      expectIdentical(weightsOf(twoModel), weightsOf(oneModel));

      await kernelHelpersExited();
      expect(liveKernelHelpers()).toBe(0);
      oneModel.dispose();
      twoModel.dispose();
    });

    it(`stops within one batch on threads: ${input} input`, async () => {
      vi.stubEnv('MLP_LAB_KERNEL_INPUT', input);
      vi.stubEnv('MLP_LAB_KERNEL_THREADS', '2');
      const data = prepareTrainingData(dataset, spec);
      const model = createModel(spec, shape);
      const controller = new AbortController();
      const result = await train(model, data, spec, { onBatchEnd: (log) => void (log.batch === 1 && controller.abort()) }, { stepper: kernelStepper, signal: controller.signal });
      expect(result.stepper.threads).toBe(2);
      expect(result.stopped).toBe(true);
      expect(result.history[0].samples).toBe(2 * spec.batchSize);
      await kernelHelpersExited();
      expect(liveKernelHelpers()).toBe(0);
      model.dispose();
    });

    it(`repeats a seeded run exactly on threads, and 20 runs in a row take no more memory (or workers) than the first: ${input} input`, async () => {
      vi.stubEnv('MLP_LAB_KERNEL_INPUT', input);
      vi.stubEnv('MLP_LAB_KERNEL_THREADS', '2');
      const once = { ...spec, epochs: 1 };
      const data = prepareTrainingData(dataset, once);
      const runOnce = async (): Promise<Float32Array[]> => {
        const model = createModel(once, shape);
        const result = await train(model, data, once, {}, { stepper: kernelStepper });
        expect(result.stepper.threads).toBe(2);
        const weights = weightsOf(model);
        model.dispose();
        return weights;
      };
      const first = await runOnce();
      const kernel = kernelInstance(true);
      if (typeof kernel === 'string') throw new Error(kernel);
      const bytes = kernel.exports.memory.buffer.byteLength;
      const tensors = tf.memory().numTensors;
      for (let i = 0; i < 19; i++) expectIdentical(await runOnce(), first);
      expect(kernel.exports.memory.buffer.byteLength).toBe(bytes);
      expect(tf.memory().numTensors).toBe(tensors);
      await kernelHelpersExited();
      expect(liveKernelHelpers()).toBe(0);
    });
  }

  it('says why it runs one thread when the step is too small to share', async () => {
    vi.stubEnv('MLP_LAB_KERNEL_THREADS', '');
    const small = { ...spec, hiddenLayers: [{ units: 4, activation: 'relu' as const, dropout: 0 }], batchSize: 8, epochs: 1 };
    const model = createModel(small, shape);
    const result = await train(model, prepareTrainingData(dataset, small), small, {}, { stepper: kernelStepper });
    expect(result.stepper.threads).toBe(1);
    expect(result.stepper.threadsFallback).toMatch(/too small for a second thread|one physical core/);
    expect(result.stepper.detail).toContain(`— threads off: ${result.stepper.threadsFallback}`);
    expect(liveKernelHelpers()).toBe(0);
    model.dispose();
  });

  it('catches divergence on threads, and leaves no helper behind', async () => {
    vi.stubEnv('MLP_LAB_KERNEL_THREADS', '2');
    const diverging = { ...spec, optimizer: 'sgd' as const, momentum: 0, learningRate: 1e39 };
    const model = createModel(diverging, shape);
    await expect(train(model, prepareTrainingData(dataset, diverging), diverging, {}, { stepper: kernelStepper })).rejects.toThrow(NonFiniteLossError);
    await kernelHelpersExited();
    expect(liveKernelHelpers()).toBe(0);
    model.dispose();
  });
});
