import type { ModelSpec } from '../../shared/model-spec';
import { createModel, denseBlocks, type ModelShape } from '../ml/model';
import { createOptimizer, disposeOptimizer } from '../ml/optimizer';
import { Random } from '../ml/random';
import { acquireKernel, releaseKernel } from './kernel-module';
import { KernelNet } from './kernel-net';
import { kernelOptimizer } from './kernel-optimizer';

/** Steps timed at least, however small the budget. */
const MIN_STEPS = 2;

/**
 * Samples per second of the kernel on a throwaway model of spec, at spec's batch size, on made-up
 * inputs (as measureTfjs, with which it is compared): one warm-up step, then about budgetMs of steps.
 * The kernel fills its own batches from bytes, so the made-up set is bytes too: a quarter of the
 * pixels lit, as in a digit. Leaves nothing allocated.
 */
export async function measureKernel(spec: ModelSpec, shape: ModelShape, budgetMs: number): Promise<number> {
  const kernel = acquireKernel();
  if (typeof kernel === 'string') throw new Error(kernel);
  const model = createModel(spec, shape);
  const optimizer = createOptimizer(spec);
  try {
    const config = kernelOptimizer(optimizer);
    if (typeof config === 'string') throw new Error(`the kernel does not run ${config}`);
    const batch = Math.max(1, Math.min(spec.batchSize, spec.trainSubset ?? Infinity));
    const net = new KernelNet(kernel, denseBlocks(model), config, spec.l2, batch);
    net.loadWeights(optimizer);
    const random = new Random(spec.seed);
    const count = batch * 2;
    const images = Uint8Array.from({ length: count * shape.inputSize }, () => (random.next() < 0.25 ? Math.floor(random.next() * 256) : 0));
    const labels = Uint8Array.from({ length: count }, () => Math.floor(random.next() * shape.numClasses));
    net.loadData({ images, labels, count, rows: 1, cols: shape.inputSize }, new Float64Array(count).fill(1 / 255));
    net.loadOrder(Int32Array.from({ length: count }, (_, i) => i));
    const once = (s: number): void => void net.step(batch, spec.learningRate, random, { start: (s % 2) * batch });
    once(0);
    const started = performance.now();
    let steps = 0;
    while (steps < MIN_STEPS || performance.now() - started < budgetMs) once(++steps);
    return (steps * batch * 1000) / (performance.now() - started);
  } finally {
    model.dispose();
    disposeOptimizer(optimizer);
    releaseKernel();
  }
}
