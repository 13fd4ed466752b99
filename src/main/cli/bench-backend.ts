/**
 * One backend's figures for `npm run bench`, in a process of its own (a process has one TensorFlow.js
 * backend, and tfjs-node may be loaded by one process only):
 *
 *   tsx src/main/cli/bench-backend.ts --backend wasm|cpu|tensorflow
 *
 * prints one JSON line (BenchFigures) on stdout, or {"backend":…,"unavailable":"reason"} and exits 0
 * when the backend cannot be had here. Progress goes to stderr; any other error exits 1.
 * Figures are measured, never asserted.
 */
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { ImageSet, LoadedDataset } from '../../shared/datasets/image-set';
import type { ModelSpec } from '../../shared/model-spec';
import { findPreset } from '../../shared/presets';
import { bundledDatasetDir, loadDataset } from '../data/load-dataset';
import { BACKENDS, BackendUnavailableError, backendLabel, selectBackend, type BackendName } from '../ml/backend';
import { BatchFiller, normalizedImages, prepareTrainingData, sliceSet } from '../ml/batches';
import { createModel, denseBlocks } from '../ml/model';
import { createOptimizer, disposeOptimizer } from '../ml/optimizer';
import { Random } from '../ml/random';
import { train } from '../ml/train';
import { TrainStep } from '../ml/train-step';

/** The repository's resources directory (src/main/cli/train.ts runs on import, so it is not imported). */
const RESOURCES_DIR = fileURLToPath(new URL('../../../resources', import.meta.url));
const PRESET_ID = 'sklearn-exercise';
const WARMUP_IMAGES = 6_000;
/** cpu is ~20× slower: it measures one epoch on a subset instead of two full epochs. */
const CPU_IMAGES = 12_000;
const FIT_IMAGES = 12_000;
const FIT_WARMUP_IMAGES = 1_000;
const INFERENCE_WARMUP = 50;
const INFERENCE_CALLS = 500;
const PROFILED_STEPS = 10;

export interface TrainFigure {
  batchSize: number;
  /** Training images per epoch. */
  images: number;
  epochs: number;
  samples: number;
  /** Wall clock of the train() call, its setup (normalising the set once) included. */
  seconds: number;
  samplesPerSecond: number;
  /** What train() itself reports: samples over the epochs' loop time, setup excluded. */
  inLoopSamplesPerSecond: number;
  /** Last epoch's training loss and accuracy, as a sanity check. */
  loss: number;
  accuracy: number;
}

export interface KernelFigure {
  name: string;
  /** Calls per step. */
  calls: number;
  /** Summed kernel time per step, ms. */
  ms: number;
}

export interface StepFigure {
  batchSize: number;
  /** Mean wall time of one unprofiled TrainStep.run, ms (same input tensor, no batch upload). */
  wallMs: number;
  /** Mean wall time of one profiled TrainStep.run, ms (profiling adds its own overhead). */
  profiledWallMs: number;
  /** Summed kernel time of one step, ms (mean over the profiled steps). */
  kernelMs: number;
  /** Kernel launches per step. */
  launches: number;
  /** Per kernel name, largest first. */
  kernels: KernelFigure[];
  /** Profile entries that are op wrappers around other kernels (their time is counted in those). */
  wrappers: string[];
  profiledSteps: number;
}

export interface BenchFigures {
  backend: BackendName;
  label: string;
  simd?: boolean;
  preset: string;
  fast: { b200: TrainFigure; b32: TrainFigure };
  fit: { batchSize: number; images: number; seconds: number; samplesPerSecond: number };
  /** Fast loop at batch 200 over model.fit at batch 200. */
  speedUpVsFit: number;
  inference: { calls: number; medianMs: number; p95Ms: number };
  steps: StepFigure[];
}

export interface BenchUnavailable {
  backend: string;
  unavailable: string;
}

async function main(argv: string[]): Promise<void> {
  const requested = backendArg(argv);
  let label: string;
  let simd: boolean | undefined;
  try {
    const report = await selectBackend(requested);
    label = backendLabel(report.active);
    simd = report.simd;
  } catch (error) {
    if (!(error instanceof BackendUnavailableError)) throw error;
    const result: BenchUnavailable = { backend: requested, unavailable: error.message };
    console.log(JSON.stringify(result));
    return;
  }
  const backend = requested as BackendName;
  const progress = (message: string): void => void process.stderr.write(`[${label}] ${message}\n`);

  const preset = findPreset(PRESET_ID);
  if (!preset) throw new Error(`preset ${PRESET_ID} is missing`);
  const dataset = await loadDataset(bundledDatasetDir(RESOURCES_DIR, preset.dataset), preset.dataset);
  const measureImages = backend === 'cpu' ? CPU_IMAGES : dataset.train.count;
  const measureEpochs = backend === 'cpu' ? 1 : 2;
  const spec200: ModelSpec = { ...preset.spec, seed: 1, batchSize: 200 };
  const spec32: ModelSpec = { ...spec200, batchSize: 32 };

  progress(`fast loop, batch 200: ${measureEpochs} epoch(s) × ${measureImages.toLocaleString('en-US')} images`);
  const b200 = await measureTrain(spec200, dataset, measureImages, measureEpochs);
  progress(`fast loop, batch 32: ${measureEpochs} epoch(s) × ${measureImages.toLocaleString('en-US')} images`);
  const b32 = await measureTrain(spec32, dataset, measureImages, measureEpochs);
  b32.model.dispose();

  progress(`model.fit, batch 200: 1 epoch × ${FIT_IMAGES.toLocaleString('en-US')} images`);
  const fit = await measureFit(spec200, dataset.train);

  progress(`inference: ${INFERENCE_CALLS} single-image predictions`);
  const inference = measureInference(b200.model, dataset.test);

  progress('step breakdown (tf.profile)');
  const steps = [await stepBreakdown(b200.model, spec200, dataset.train), await stepBreakdown(b200.model, spec32, dataset.train)];
  b200.model.dispose();

  const figures: BenchFigures = {
    backend,
    label,
    ...(simd === undefined ? {} : { simd }),
    preset: PRESET_ID,
    fast: { b200: b200.figure, b32: b32.figure },
    fit,
    speedUpVsFit: b200.figure.samplesPerSecond / fit.samplesPerSecond,
    inference,
    steps,
  };
  console.log(JSON.stringify(figures));
}

function backendArg(argv: string[]): string {
  const i = argv.indexOf('--backend');
  const value = i >= 0 ? argv[i + 1] : undefined;
  if (!value || !(BACKENDS as readonly string[]).includes(value)) {
    throw new Error(`usage: bench-backend.ts --backend ${BACKENDS.join('|')} (got ${value ?? 'nothing'})`);
  }
  return value;
}

/** One warm-up epoch on a small subset, then the measured epochs through train(), on a fresh model. */
async function measureTrain(
  spec: ModelSpec,
  dataset: LoadedDataset,
  images: number,
  epochs: number,
): Promise<{ figure: TrainFigure; model: tf.LayersModel }> {
  const model = createModel(spec);
  await train(model, prepareTrainingData(dataset, { ...spec, trainSubset: WARMUP_IMAGES }), spec, {}, { epochs: 1 });
  const data = prepareTrainingData(dataset, { ...spec, trainSubset: images });
  const started = performance.now();
  const result = await train(model, data, spec, {}, { epochs, initialEpoch: 1 });
  const seconds = (performance.now() - started) / 1000;
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
async function measureFit(spec: ModelSpec, set: ImageSet): Promise<BenchFigures['fit']> {
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
function measureInference(model: tf.LayersModel, test: ImageSet): BenchFigures['inference'] {
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

/** Where one TrainStep.run spends its time: unprofiled wall time, then tf.profile's kernel times. */
async function stepBreakdown(model: tf.LayersModel, spec: ModelSpec, set: ImageSet): Promise<StepFigure> {
  const batch = spec.batchSize;
  const optimizer = createOptimizer(spec);
  const step = new TrainStep(denseBlocks(model), optimizer, spec.l2);
  const random = new Random(spec.seed);
  const pool = sliceSet(set, 0, Math.min(set.count, 2_000));
  const order = Int32Array.from({ length: pool.count }, (_, i) => i);
  random.shuffle(order);
  const input = new Float32Array(batch * pool.rows * pool.cols);
  const labels = new Uint8Array(batch);
  new BatchFiller(pool, spec.normalization, null).fill(order, 0, batch, input, labels, random);
  const x = tf.tensor2d(input, [batch, pool.rows * pool.cols]);
  const run = (): void => void step.run(x, labels, random);

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
  x.dispose();
  disposeOptimizer(optimizer);
  const kernels = [...perKernel.entries()]
    .map(([name, e]) => ({ name, calls: e.calls / PROFILED_STEPS, ms: e.ms / PROFILED_STEPS }))
    .sort((a, b) => b.ms - a.ms);
  return {
    batchSize: batch,
    wallMs,
    profiledWallMs: profiledWall / PROFILED_STEPS,
    kernelMs: kernels.reduce((sum, k) => sum + k.ms, 0),
    launches: launches / PROFILED_STEPS,
    kernels,
    wrappers: [...wrappers],
    profiledSteps: PROFILED_STEPS,
  };
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench-backend: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
