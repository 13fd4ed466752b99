/**
 * The training kernel's figures for `npm run bench`, in a process of its own:
 *
 *   tsx bench/kernel-child.ts
 *
 * Through train() with the kernel's stepper (as the app trains): sklearn-exercise at batch 200 and 32,
 * then 784-512-256-10 with Adam at batch 256, each on one thread and on the threaded kernel (one thread
 * per physical core, 2 at least), alternating in two rounds so that both see the same load; then the tfjs
 * step (wasm, 1 thread) on the big net for comparison; and the speed of the kernel's products beside
 * what this runtime's 128-bit SIMD can do at most. Prints one JSON line (KernelFigures). Figures, never
 * assertions.
 */
import type { ModelSpec } from '../src/shared/model-spec';
import { findPreset } from '../src/shared/presets';
import { RESOURCES_DIR } from '../src/engine/cli/resources-dir';
import { bundledDatasetDir, loadDataset } from '../src/engine/data/load-dataset';
import { selectBackend } from '../src/engine/ml/backend';
import { createModel, denseBlocks } from '../src/engine/ml/model';
import { createOptimizer, disposeOptimizer } from '../src/engine/ml/optimizer';
import { Random } from '../src/engine/ml/random';
import { tfjsStepper } from '../src/engine/ml/stepper';
import { acquireKernel, releaseKernel, type KernelInstance } from '../src/engine/kernel/kernel-module';
import { KernelNet } from '../src/engine/kernel/kernel-net';
import { kernelOptimizer, type KernelOptimizerConfig } from '../src/engine/kernel/kernel-optimizer';
import { planKernelInput } from '../src/engine/kernel/kernel-input';
import { kernelStepper } from '../src/engine/kernel/kernel-stepper';
import { MAX_KERNEL_THREADS, planRunThreads, stepMacs } from '../src/engine/kernel/kernel-threads';
import { physicalCores } from '../src/engine/ml/cpu-cores';
import type { LoadedDataset } from '../src/shared/datasets/image-set';
import type { TrainFigure } from './figures';
import type { KernelFigures } from './figures';
import { bigNetSpec, measureTrain } from './measure';
import { exitWhenDone } from './script';

const progress = (message: string): void => void process.stderr.write(`[kernel] ${message}\n`);

/** Median GMAC/s of `work` doing `macs` multiply-adds, over 7 timed rounds of about 100 ms. */
function gmacs(work: (reps: number) => void, macs: number): number {
  let reps = 1;
  for (;;) {
    const started = performance.now();
    work(reps);
    if (performance.now() - started > 100) break;
    reps *= 2;
  }
  const rates: number[] = [];
  for (let round = 0; round < 7; round++) {
    const started = performance.now();
    work(reps);
    rates.push((macs * reps) / ((performance.now() - started) * 1e6));
  }
  return rates.sort((a, b) => a - b)[3];
}

function productFigures(kernel: KernelInstance, spec: ModelSpec, set: { images: Uint8Array; count: number }): { productGmacs: number; peakGmacs: number } {
  const model = createModel(spec);
  const optimizer = createOptimizer(spec);
  const net = new KernelNet(kernel, denseBlocks(model), kernelOptimizer(optimizer) as KernelOptimizerConfig, spec.l2, 200);
  net.loadWeights(optimizer);
  // A real batch of MNIST digits in the input buffer, through one step (which fills it).
  net.loadData({ images: set.images, labels: new Uint8Array(set.count), count: set.count, rows: 28, cols: 28 }, new Float64Array(set.count).fill(1 / 255));
  net.loadOrder(Int32Array.from({ length: set.count }, (_, i) => i));
  net.step(200, 0, new Random(1), { start: 0 });
  const productGmacs = gmacs((reps) => kernel.exports.kn_bench_forward(200, reps), 200 * 784 * 50);
  const peakGmacs = gmacs((reps) => void kernel.exports.kn_bench_peak(reps * 1_000_000, 0.999), 48e6);
  model.dispose();
  disposeOptimizer(optimizer);
  return { productGmacs, peakGmacs };
}

/** Rounds of one figure as one: totals over totals, the last round's loss and accuracy. */
function combined(rounds: TrainFigure[]): TrainFigure {
  const samples = rounds.reduce((sum, r) => sum + r.samples, 0);
  const total = (per: (r: TrainFigure) => number | undefined): number => rounds.reduce((sum, r) => sum + r.samples / (per(r) ?? NaN), 0);
  const last = rounds[rounds.length - 1];
  return {
    ...last,
    epochs: rounds.reduce((sum, r) => sum + r.epochs, 0),
    samples,
    seconds: rounds.reduce((sum, r) => sum + r.seconds, 0),
    samplesPerSecond: samples / total((r) => r.samplesPerSecond),
    samplesPerCpuSecond: samples / total((r) => r.samplesPerCpuSecond),
    inLoopSamplesPerSecond: samples / total((r) => r.inLoopSamplesPerSecond),
  };
}

/**
 * The training on 1 thread and on `threads`, alternating in `rounds` rounds (1, N, 1, N, …) so that
 * both see the same drift of a shared machine's load; and the app's own plan for it.
 */
async function onBoth(spec: ModelSpec, dataset: LoadedDataset, images: number, epochs: number, threads: number, rounds: number): Promise<{ one: TrainFigure; many: TrainFigure; plan: string }> {
  const figures: [TrainFigure[], TrainFigure[]] = [[], []];
  // Round 0 is untimed: the kernel instances' memory takes the whole set for the first time there (the
  // page faults of a first run in the app's worker, once a session; scikit-learn's X is built untimed too).
  for (let round = 0; round <= rounds; round++) {
    for (const [side, count] of [[0, 1], [1, threads]] as const) {
      process.env.MLP_LAB_KERNEL_THREADS = String(count);
      const measured = await measureTrain(spec, dataset, images, epochs, kernelStepper);
      measured.model.dispose();
      if (round > 0) figures[side].push(measured.figure);
    }
  }
  delete process.env.MLP_LAB_KERNEL_THREADS;
  const dims = [784, ...spec.hiddenLayers.map((h) => h.units), 10];
  const input = planKernelInput(dataset.train);
  const plan = planRunThreads(dims, spec.batchSize, input);
  const inputWords = input.sparse ? `sparse input (${input.why}), ` : '';
  return { one: combined(figures[0]), many: combined(figures[1]), plan: plan.reason ? `${inputWords}1 thread (${plan.reason})` : `${inputWords}${plan.threads} threads` };
}

async function main(): Promise<void> {
  await selectBackend('wasm', '1');
  const preset = findPreset('sklearn-exercise');
  if (!preset) throw new Error('preset sklearn-exercise is missing');
  const dataset = await loadDataset(bundledDatasetDir(RESOURCES_DIR, 'mnist'), 'mnist');
  const images = dataset.train.count;
  const spec200: ModelSpec = { ...preset.spec, seed: 1, batchSize: 200 };
  const spec32: ModelSpec = { ...spec200, batchSize: 32 };
  const big = bigNetSpec(spec200);

  const threads = Math.min(MAX_KERNEL_THREADS, Math.max(2, physicalCores()));
  // 3 epochs a call, as reference.py's MLPClassifier fit (max_iter=3): each side's set-up counts once per 3 epochs.
  progress(`sklearn-exercise, batch 200: 2 × 3 epochs × 60,000 images on 1 and on ${threads} threads, alternating`);
  const b200 = await onBoth(spec200, dataset, images, 3, threads, 2);
  progress(`sklearn-exercise, batch 32: 2 × 1 epoch × 60,000 images on 1 and on ${threads} threads, alternating`);
  const b32 = await onBoth(spec32, dataset, images, 1, threads, 2);
  progress(`784-512-256-10 Adam, batch 256: 2 × 30,000 images on 1 and on ${threads} threads, alternating`);
  const big256 = await onBoth(big, dataset, images / 2, 1, threads, 2);
  progress('the same on the tfjs step (wasm, 1 thread): 1 epoch × 12,000 images');
  const tfjsBig = await measureTrain(big, dataset, 12_000, 1, tfjsStepper);
  tfjsBig.model.dispose();

  progress('products and peak');
  const kernel = acquireKernel();
  if (typeof kernel === 'string') throw new Error(kernel);
  let products: { productGmacs: number; peakGmacs: number };
  try {
    products = productFigures(kernel, spec200, dataset.train);
  } finally {
    releaseKernel();
  }
  // The multiply-adds the products do: on sparse input the first layer's visit only the lit pixels.
  const input = planKernelInput(dataset.train);
  const density = input.sparse ? input.density : 1;
  const stepGmacs = (figure: { inLoopSamplesPerSecond: number }, dims: number[]): number => (figure.inLoopSamplesPerSecond * stepMacs(dims, 1, density)) / 1e9;
  const figures: KernelFigures = {
    detail: `${kernel.variant}, 1 thread`,
    b200: b200.one,
    b32: b32.one,
    big256: big256.one,
    ...products,
    stepGmacs: { b200: stepGmacs(b200.one, [784, 50, 10]), big256: stepGmacs(big256.one, [784, 512, 256, 10]) },
    threadedStepGmacs: { b200: stepGmacs(b200.many, [784, 50, 10]), big256: stepGmacs(big256.many, [784, 512, 256, 10]) },
    tfjsBig256: tfjsBig.figure,
    threads,
    threaded: { b200: b200.many, b32: b32.many, big256: big256.many },
    plan: { b200: b200.plan, b32: b32.plan, big256: big256.plan },
  };
  console.log(JSON.stringify(figures));
}

exitWhenDone('kernel-child', main());
