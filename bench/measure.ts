/** The measurements of backend-child.ts, on whatever TensorFlow.js backend is active: figures, never assertions. */
import * as tf from '@tensorflow/tfjs';
import type { ImageSet, LoadedDataset } from '../src/shared/datasets/image-set';
import type { ModelSpec } from '../src/shared/model-spec';
import { BatchFiller, normalizedImages, prepareTrainingData, sliceSet } from '../src/engine/ml/batches';
import { createModel, denseBlocks } from '../src/engine/ml/model';
import { createOptimizer, disposeOptimizer } from '../src/engine/ml/optimizer';
import { Random } from '../src/engine/ml/random';
import type { StepperFactory } from '../src/engine/ml/stepper';
import { train } from '../src/engine/ml/train';
import { TrainStep } from '../src/engine/ml/train-step';
import type { BenchFigures, StepFigure, TrainFigure } from './figures';
import { quantile } from './format';

const WARMUP_IMAGES = 6_000;
export const FIT_IMAGES = 12_000;
const FIT_WARMUP_IMAGES = 1_000;
const INFERENCE_WARMUP = 50;
export const INFERENCE_CALLS = 500;
const PROFILED_STEPS = 10;

/** The big net on base's data and seed: 784-512-256-10 relu, Adam at 0.001, no L2, batch 256. */
export function bigNetSpec(base: ModelSpec): ModelSpec {
  return {
    ...base,
    hiddenLayers: [512, 256].map((units) => ({ units, activation: 'relu' as const, dropout: 0 })),
    optimizer: 'adam',
    learningRate: 0.001,
    momentum: 0,
    nesterov: false,
    l2: 0,
    batchSize: 256,
  };
}

/** One warm-up epoch on a small subset, then the measured epochs through train(), on a fresh model. */
export async function measureTrain(
  spec: ModelSpec,
  dataset: LoadedDataset,
  images: number,
  epochs: number,
  stepper?: StepperFactory,
): Promise<{ figure: TrainFigure; model: tf.LayersModel }> {
  const model = createModel(spec);
  await train(model, prepareTrainingData(dataset, { ...spec, trainSubset: WARMUP_IMAGES }), spec, {}, { epochs: 1, stepper });
  const data = prepareTrainingData(dataset, { ...spec, trainSubset: images });
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const result = await train(model, data, spec, {}, { epochs, initialEpoch: 1, stepper });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const samples = result.history.reduce((sum, h) => sum + h.samples, 0);
  const loopSeconds = result.history.reduce((sum, h) => sum + h.samples / h.samplesPerSecond, 0);
  const last = result.history.at(-1);
  if (!last || samples !== images * epochs) throw new Error(`train() ran ${samples} samples, expected ${images * epochs}`);
  return {
    model,
    figure: {
      batchSize: spec.batchSize,
      images: data.train.count,
      epochs,
      samples,
      seconds,
      samplesPerSecond: samples / seconds,
      samplesPerCpuSecond: samples / ((cpu.user + cpu.system) / 1e6),
      inLoopSamplesPerSecond: samples / loopSeconds,
      loss: last.loss,
      accuracy: last.accuracy,
    },
  };
}

/**
 * The standard Layers path: the same 784-50-10 net with the same L2 penalty, compiled with Nesterov
 * momentum and categorical cross-entropy, fed by model.fit from tensors uploaded beforehand.
 */
export async function measureFit(spec: ModelSpec, set: ImageSet): Promise<BenchFigures['fit']> {
  const random = new Random(spec.seed);
  const regularizer = (): ReturnType<typeof tf.regularizers.l2> => tf.regularizers.l2({ l2: spec.l2 });
  const model = tf.sequential();
  for (const [i, hidden] of spec.hiddenLayers.entries()) {
    model.add(
      tf.layers.dense({
        units: hidden.units,
        activation: hidden.activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: random.seed() }),
        kernelRegularizer: regularizer(),
        ...(i === 0 ? { inputShape: [set.rows * set.cols] } : {}),
      }),
    );
  }
  model.add(
    tf.layers.dense({
      units: 10,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: random.seed() }),
      kernelRegularizer: regularizer(),
    }),
  );
  const optimizer = tf.train.momentum(spec.learningRate, spec.momentum, true);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const tensors = (count: number): [tf.Tensor2D, tf.Tensor2D] => {
    const subset = sliceSet(set, 0, count);
    const xs = tf.tensor2d(normalizedImages(subset, spec.normalization), [count, set.rows * set.cols]);
    const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(subset.labels, 'int32'), 10).toFloat() as tf.Tensor2D);
    return [xs, ys];
  };
  const [warmX, warmY] = tensors(FIT_WARMUP_IMAGES);
  await model.fit(warmX, warmY, { batchSize: spec.batchSize, epochs: 1, verbose: 0 });
  tf.dispose([warmX, warmY]);
  const [xs, ys] = tensors(FIT_IMAGES);
  const started = performance.now();
  await model.fit(xs, ys, { batchSize: spec.batchSize, epochs: 1, verbose: 0 });
  const seconds = (performance.now() - started) / 1000;
  tf.dispose([xs, ys]);
  model.dispose();
  disposeOptimizer(optimizer);
  return { batchSize: spec.batchSize, images: FIT_IMAGES, seconds, samplesPerSecond: FIT_IMAGES / seconds };
}

/** What the drawing pad does per stroke: one normalised image → tensor → predict → read back. */
export function measureInference(model: tf.LayersModel, test: ImageSet): BenchFigures['inference'] {
  const size = test.rows * test.cols;
  const input = new Float32Array(size);
  const predictOne = (i: number): void => {
    const from = (i % test.count) * size;
    for (let p = 0; p < size; p++) input[p] = test.images[from + p] / 255;
    const x = tf.tensor2d(input, [1, size]);
    const y = model.predict(x) as tf.Tensor;
    y.dataSync();
    tf.dispose([x, y]);
  };
  for (let i = 0; i < INFERENCE_WARMUP; i++) predictOne(i);
  const times: number[] = [];
  for (let i = 0; i < INFERENCE_CALLS; i++) {
    const started = performance.now();
    predictOne(INFERENCE_WARMUP + i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { calls: INFERENCE_CALLS, medianMs: quantile(times, 0.5), p95Ms: quantile(times, 0.95) };
}

/** Mean ms of one of `per` units of work done by `work`, over about half a second of repeats. */
function meanMs(work: () => void, per: number): number {
  work();
  let count = 0;
  const started = performance.now();
  while (count < 5 || (performance.now() - started < 500 && count < 2000)) {
    work();
    count++;
  }
  return (performance.now() - started) / (count * per);
}

/** Where one TrainStep.run spends its time: unprofiled wall time, then tf.profile's kernel times. */
export async function stepBreakdown(model: tf.LayersModel, spec: ModelSpec, set: ImageSet): Promise<StepFigure> {
  const batch = spec.batchSize;
  const optimizer = createOptimizer(spec);
  const step = new TrainStep(denseBlocks(model), optimizer, spec.l2);
  const random = new Random(spec.seed);
  const pool = sliceSet(set, 0, Math.min(set.count, 2_000));
  const order = Int32Array.from({ length: pool.count }, (_, i) => i);
  random.shuffle(order);
  const size = pool.rows * pool.cols;
  const input = new Float32Array(batch * size);
  const inputT = new Float32Array(batch * size);
  const labels = new Uint8Array(batch);
  const filler = new BatchFiller(pool, spec.normalization, null);
  const batches = Math.floor(pool.count / batch);
  // The parts of a loop batch outside the step, each on its own: the filler, then the upload.
  const fillMs = meanMs(() => {
    for (let b = 0; b < batches; b++) filler.fill(order, b * batch, batch, input, labels, random, inputT);
  }, batches);
  const uploadMs = meanMs(() => tf.dispose([tf.tensor2d(input, [batch, size]), tf.tensor2d(inputT, [size, batch])]), 1);
  filler.fill(order, 0, batch, input, labels, random, inputT);
  const x = tf.tensor2d(input, [batch, size]);
  const xT = tf.tensor2d(inputT, [size, batch]);
  const run = (): void => void step.run(x, labels, random, xT);

  const warmupUntil = performance.now() + 300;
  for (let i = 0; i < 10 || performance.now() < warmupUntil; i++) run();
  // At least 10 steps and about a second of them.
  let count = 0;
  const started = performance.now();
  while (count < 10 || (performance.now() - started < 1000 && count < 500)) {
    run();
    count++;
  }
  const wallMs = (performance.now() - started) / count;

  const backend = tf.getBackend();
  const perKernel = new Map<string, { calls: number; ms: number }>();
  const wrappers = new Set<string>();
  let profiledWall = 0;
  let launches = 0;
  for (let s = 0; s < PROFILED_STEPS; s++) {
    const profileStarted = performance.now();
    const info = await tf.profile(run);
    profiledWall += performance.now() - profileStarted;
    for (const kernel of info.kernels) {
      // Ops with custom gradients (e.g. fused matMul) appear as wrappers around the kernel they run.
      if (!tf.getKernel(kernel.name, backend)) {
        wrappers.add(kernel.name);
        continue;
      }
      const ms = kernel.kernelTimeMs;
      if (typeof ms !== 'number') throw new Error(`tf.profile gave no time for ${kernel.name}: ${JSON.stringify(ms)}`);
      const entry = perKernel.get(kernel.name) ?? { calls: 0, ms: 0 };
      entry.calls++;
      entry.ms += ms;
      perKernel.set(kernel.name, entry);
      launches++;
    }
  }
  tf.dispose([x, xT]);
  disposeOptimizer(optimizer);
  const kernels = [...perKernel.entries()]
    .map(([name, e]) => ({ name, calls: e.calls / PROFILED_STEPS, ms: e.ms / PROFILED_STEPS }))
    .sort((a, b) => b.ms - a.ms);
  return {
    batchSize: batch,
    wallMs,
    fillMs,
    uploadMs,
    profiledWallMs: profiledWall / PROFILED_STEPS,
    kernelMs: kernels.reduce((sum, k) => sum + k.ms, 0),
    launches: launches / PROFILED_STEPS,
    kernels,
    wrappers: [...wrappers],
    profiledSteps: PROFILED_STEPS,
  };
}
