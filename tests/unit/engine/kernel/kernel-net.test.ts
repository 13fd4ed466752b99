import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIVATIONS, DEFAULT_SPEC, type Activation, type ModelSpec } from '$shared/model-spec';
import { selectBackend } from '$engine/ml/backend';
import { BatchFiller, rowScales } from '$engine/ml/batches';
import { createModel, denseBlocks } from '$engine/ml/model';
import { createOptimizer, disposeOptimizer } from '$engine/ml/optimizer';
import { Random } from '$engine/ml/random';
import { TrainStep } from '$engine/ml/train-step';
import { acquireKernel, releaseKernel, type KernelInstance } from '$engine/kernel/kernel-module';
import { KernelNet } from '$engine/kernel/kernel-net';
import { kernelOptimizer, type KernelOptimizerConfig } from '$engine/kernel/kernel-optimizer';

const INPUTS = 20; // not a multiple of 16: the kernel's row padding is exercised
const CLASSES = 5;
const BATCH = 9;
const STEPS = 5;
const TOLERANCE = 1e-5;

let kernel: KernelInstance;
beforeAll(async () => {
  await selectBackend();
  const acquired = acquireKernel();
  if (typeof acquired === 'string') throw new Error(acquired);
  kernel = acquired;
});
afterAll(() => releaseKernel());

const OPTIMIZERS: { name: string; spec: Partial<ModelSpec> }[] = [
  { name: 'sgd', spec: { optimizer: 'sgd', learningRate: 0.1 } },
  { name: 'momentum', spec: { optimizer: 'sgd', learningRate: 0.1, momentum: 0.9 } },
  { name: 'nesterov', spec: { optimizer: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true } },
  { name: 'adam', spec: { optimizer: 'adam', learningRate: 0.01 } },
  { name: 'rmsprop', spec: { optimizer: 'rmsprop', learningRate: 0.01 } },
  { name: 'adagrad', spec: { optimizer: 'adagrad', learningRate: 0.1 } },
];

function specOf(optimizer: Partial<ModelSpec>, activation: Activation, dropout: number, l2: number): ModelSpec {
  return {
    ...DEFAULT_SPEC,
    ...optimizer,
    hiddenLayers: [
      { units: 12, activation, dropout },
      { units: 7, activation, dropout },
    ],
    l2,
    seed: 5,
  };
}

/** Batch s: dense random inputs in [0, 1) with some exact zeros (the kernel skips zero blocks), and labels. */
function batchOf(s: number): { rows: Float32Array; labels: Uint8Array; count: number } {
  const random = new Random(100 + s);
  const count = s === STEPS - 1 ? BATCH - 3 : BATCH; // a short last batch, as an epoch's last
  const rows = Float32Array.from({ length: count * INPUTS }, (_, i) => (i % 7 === 0 ? 0 : random.next()));
  const labels = Uint8Array.from({ length: count }, () => Math.floor(random.next() * CLASSES));
  return { rows, labels, count };
}

/**
 * Relative as a tensor: the largest difference over the tensor's largest value. Per element it cannot
 * be: Adam and RMSprop divide a gradient by its own size, so where a batch's terms cancel to nearly 0
 * the last bits of their sum, which depend on the order of summation, decide a whole step.
 */
function expectClose(actual: Float32Array, expected: Float32Array, what: string): void {
  let largest = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    largest = Math.max(largest, Math.abs(expected[i]));
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  }
  expect(worst / largest, `${what}: largest difference / largest value`).toBeLessThanOrEqual(TOLERANCE);
}

function weightsOf(model: tf.LayersModel): Float32Array[] {
  return denseBlocks(model).flatMap((b) => [b.kernel.dataSync() as Float32Array, b.bias.dataSync() as Float32Array]);
}

describe('KernelNet: 5 steps against the tfjs TrainStep', () => {
  for (const { name, spec: optimizerSpec } of OPTIMIZERS) {
    for (const activation of ACTIVATIONS) {
      for (const dropout of [0, 0.3]) {
        for (const l2 of [0, 0.01]) {
          // Sparse input (c/sparse.c) for half the cases, alternating, so each optimizer and activation meets both.
          const sparse = (dropout > 0) !== (l2 > 0);
          it(`${name}, ${activation}, dropout ${dropout}, L2 ${l2}, ${sparse ? 'sparse' : 'dense'} input`, () => {
            const spec = specOf(optimizerSpec, activation, dropout, l2);
            const shape = { inputSize: INPUTS, numClasses: CLASSES };
            const reference = createModel(spec, shape);
            const model = createModel(spec, shape);
            const referenceOptimizer = createOptimizer(spec);
            const optimizer = createOptimizer(spec);
            const config = kernelOptimizer(optimizer) as KernelOptimizerConfig;
            const step = new TrainStep(denseBlocks(reference), referenceOptimizer, l2);
            const net = new KernelNet(kernel, denseBlocks(model), config, l2, BATCH, sparse);
            net.loadWeights(optimizer);
            const [randomA, randomB] = [new Random(7), new Random(7)];
            for (let s = 0; s < STEPS; s++) {
              const { rows, labels, count } = batchOf(s);
              const x = tf.tensor2d(rows, [count, INPUTS]);
              const expected = step.run(x, labels, randomA);
              x.dispose();
              const actual = net.step(count, spec.learningRate, randomB, { rows, labels });
              // On wasm the reference sums as the kernel's dense products do, so the counts agree exactly.
              // TensorFlow (the native CI pass) and the sparse first layer sum in another order: a sample
              // whose two best logits all but tie may then go either way, so one in a batch may differ, no more.
              if (tf.getBackend() === 'wasm' && !sparse) expect(actual.correct).toBe(expected.correct);
              else expect(Math.abs(actual.correct - expected.correct)).toBeLessThanOrEqual(1);
              expect(Math.abs(actual.loss - expected.loss) / expected.loss).toBeLessThanOrEqual(TOLERANCE);
            }
            net.storeWeights();
            const want = weightsOf(reference);
            weightsOf(model).forEach((w, i) => expectClose(w, want[i], `weights ${i}`));
            reference.dispose();
            model.dispose();
            disposeOptimizer(referenceOptimizer);
            disposeOptimizer(optimizer);
          });
        }
      }
    }
  }
});

describe('KernelNet: the batches it fills itself', () => {
  const rows = 9;
  const cols = 7; // 63 pixels: not a multiple of 16
  const count = 40;
  const random = new Random(21);
  // Digits-like bytes: most pixels 0, some lit.
  const images = Uint8Array.from({ length: count * rows * cols }, () => (random.next() < 0.3 ? Math.floor(random.next() * 256) : 0));
  images.fill(0, 5 * rows * cols, 6 * rows * cols); // one blank image (unit length leaves it 0)
  const labels = Uint8Array.from({ length: count }, () => Math.floor(random.next() * CLASSES));
  const set = { images, labels, count, rows, cols };
  const order = Int32Array.from({ length: count }, (_, i) => (i * 17) % count);

  for (const normalization of ['divide255', 'unit'] as const) {
    for (const augment of [null, { maxShift: 2, maxRotation: 15, maxScale: 0.1 }]) {
      const sparse = (normalization === 'unit') !== (augment !== null);
      it(`are BatchFiller's, bit for bit: ${normalization}, ${augment ? 'augmented' : 'not augmented'}, ${sparse ? 'sparse' : 'dense'} input`, () => {
        const spec: ModelSpec = { ...DEFAULT_SPEC, hiddenLayers: [{ units: 6, activation: 'relu', dropout: 0.2 }], normalization, augment, optimizer: 'sgd', learningRate: 0.1 };
        const model = createModel(spec, { inputSize: rows * cols, numClasses: CLASSES });
        const optimizer = createOptimizer(spec);
        const net = new KernelNet(kernel, denseBlocks(model), kernelOptimizer(optimizer) as KernelOptimizerConfig, 0, 16, sparse);
        net.loadWeights(optimizer);
        net.loadData(set, augment ? new Float64Array(count) : rowScales(set, normalization), normalization);
        net.loadOrder(order);
        const filler = new BatchFiller(set, normalization, augment);
        const [kernelRandom, fillerRandom] = [new Random(3), new Random(3)];
        const expected = new Float32Array(16 * rows * cols);
        const expectedLabels = new Uint8Array(16);
        for (const start of [0, 16, 32]) {
          const n = Math.min(16, count - start);
          net.step(n, 0.1, kernelRandom, { start, augment });
          filler.fill(order, start, n, expected, expectedLabels, fillerRandom);
          expect(net.inputRows(n)).toEqual(expected.subarray(0, n * rows * cols));
          // The same draws in the same order: the masks come after the distortions on both paths.
          fillerRandom.fillMask(new Float32Array(n * 6), 0.2, 1.25);
        }
        expect(kernelRandom.next()).toBe(fillerRandom.next());
        model.dispose();
        disposeOptimizer(optimizer);
      });
    }
  }
});
