/**
 * One fast-loop training step with tfjs's element-wise updates and with the fused ones (StepUpdater),
 * side by side in one run, on wasm:
 *
 *   MLP_LAB_WASM_THREADS=1 npx tsx bench/step-bench.ts [batch sizes, default 200 32]
 *
 * The sklearn-exercise net (784-50-10, Nesterov momentum, L2) on one uploaded MNIST batch; the two
 * variants alternate in rounds (bench/rounds.ts), each with its own model and optimizer. Prints ms per step (median / fastest of the rounds), kernel launches
 * per step, and whether both gave the same weights bit for bit after the same steps. Figures, never
 * assertions.
 */
import * as tf from '@tensorflow/tfjs';
import { findPreset } from '../src/shared/presets';
import type { ModelSpec } from '../src/shared/model-spec';
import { RESOURCES_DIR } from '../src/engine/cli/resources-dir';
import { bundledDatasetDir, loadDataset } from '../src/engine/data/load-dataset';
import { describeBackend, selectBackend } from '../src/engine/ml/backend';
import { BatchFiller } from '../src/engine/ml/batches';
import { createModel, denseBlocks } from '../src/engine/ml/model';
import { createOptimizer, disposeOptimizer } from '../src/engine/ml/optimizer';
import { Random } from '../src/engine/ml/random';
import { TrainStep } from '../src/engine/ml/train-step';
import type { ImageSet } from '../src/shared/datasets/image-set';
import { alternate, timedCell } from './rounds';
import { exitWhenDone } from './script';

const ROUNDS = 15;
const STEPS_PER_ROUND = 40;
const WARMUP_STEPS = 30;

interface Variant {
  name: string;
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  step: TrainStep;
}

function variant(name: string, spec: ModelSpec, fused: boolean): Variant {
  const model = createModel(spec);
  const optimizer = createOptimizer(spec);
  return { name, model, optimizer, step: new TrainStep(denseBlocks(model), optimizer, spec.l2, fused) };
}

/** Kernel launches of one call of run. */
function launches(run: () => void): number {
  const engine = tf.engine();
  const original = engine.runKernel.bind(engine);
  let count = 0;
  engine.runKernel = ((...args: Parameters<typeof engine.runKernel>) => {
    count++;
    return original(...args);
  }) as typeof engine.runKernel;
  try {
    run();
  } finally {
    engine.runKernel = original;
  }
  return count;
}

function measure(spec: ModelSpec, set: ImageSet): string {
  const batch = spec.batchSize;
  const size = set.rows * set.cols;
  const order = Int32Array.from({ length: set.count }, (_, i) => i);
  new Random(1).shuffle(order);
  const input = new Float32Array(batch * size);
  const inputT = new Float32Array(batch * size);
  const labels = new Uint8Array(batch);
  new BatchFiller(set, spec.normalization, null).fill(order, 0, batch, input, labels, new Random(2), inputT);
  const x = tf.tensor2d(input, [batch, size]);
  const xT = tf.tensor2d(inputT, [size, batch]);
  const variants = [variant('tfjs updates', spec, false), variant('fused updates', spec, true)];
  const random = new Random(3);
  const runs = variants.map((v) => (): void => void v.step.run(x, labels, random, xT));
  const counts = runs.map(launches);
  const timed = alternate(runs, ROUNDS, STEPS_PER_ROUND, WARMUP_STEPS);
  const weights = variants.map((v) => v.model.getWeights().map((w) => Array.from(w.dataSync())));
  const same = JSON.stringify(weights[0]) === JSON.stringify(weights[1]);
  const rows = variants.map((v, i) => `| ${batch} | ${v.name} | ${timedCell(timed[i])} | ${counts[i]} |`);
  for (const v of variants) {
    disposeOptimizer(v.optimizer);
    v.model.dispose();
  }
  tf.dispose([x, xT]);
  const steps = 1 + WARMUP_STEPS + ROUNDS * STEPS_PER_ROUND;
  return [...rows, `| ${batch} | same weights after ${steps} steps | ${same ? 'yes, bit for bit' : 'NO'} | | |`].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const sizes = argv.length > 0 ? argv.map(Number) : [200, 32];
  const report = await selectBackend('wasm');
  const preset = findPreset('sklearn-exercise');
  if (!preset) throw new Error('preset sklearn-exercise is missing');
  const dataset = await loadDataset(bundledDatasetDir(RESOURCES_DIR, 'mnist'), 'mnist');
  console.log(`# One training step, ${describeBackend(report)}, sklearn-exercise net, ms per step: wall median / fastest of ${ROUNDS} rounds | CPU median`);
  console.log('| batch | updates | wall | cpu | kernel launches |');
  console.log('|------:|---------|-----:|----:|----------------:|');
  for (const batchSize of sizes) console.log(measure({ ...preset.spec, seed: 1, batchSize }, dataset.train));
}

exitWhenDone('step-bench', main(process.argv.slice(2)));
