import type { ModelSpec } from '../../shared/model-spec';
import { rowScales } from '../ml/batches';
import type { DenseBlock } from '../ml/model';
import { tfjsStepper, type Stepper, type StepperFactory } from '../ml/stepper';
import { acquireKernel, kernelInstance, releaseKernel } from './kernel-module';
import { MAX_KERNEL_LAYERS } from './kernel-layout';
import { KernelNet } from './kernel-net';
import { kernelOptimizer } from './kernel-optimizer';

/**
 * Why one thread: a second one was not built. The estimate for splitting the products across two
 * workers sharing memory is 1.7–1.9× at batch 200 and little at batch 32, on an idle 2-core machine; on
 * this shared one it was not measured (see /work/notes/kernel.md).
 */
export const KERNEL_THREADS_NOTE = '1 thread (a threaded kernel is not built)';

/**
 * Why the kernel cannot train spec, or null when it can: it runs every activation, optimizer, dropout,
 * L2, schedule, normalisation and augmentation the app offers, so only the runtime (no WebAssembly
 * SIMD) and a loaded model of another shape rule it out (see kernelUnsupportedBlocks).
 */
export function kernelUnsupported(spec: ModelSpec): string | null {
  const kernel = kernelInstance();
  if (typeof kernel === 'string') return kernel;
  if (spec.hiddenLayers.length + 1 > MAX_KERNEL_LAYERS) return `the kernel takes at most ${MAX_KERNEL_LAYERS - 1} hidden layers`;
  return null;
}

/** What the blocks of a (possibly loaded) model need that the kernel lacks, or null. */
function unsupportedBlocks(blocks: readonly DenseBlock[]): string | null {
  if (blocks.length > MAX_KERNEL_LAYERS) return `the kernel takes at most ${MAX_KERNEL_LAYERS - 1} hidden layers`;
  const hiddenSoftmax = blocks.slice(0, -1).some((b) => b.activation === 'softmax');
  return hiddenSoftmax ? 'a hidden softmax layer' : null;
}

/**
 * The kernel's stepper: the weights live in the kernel's memory during the run and go back into the
 * model's variables at each epoch end, for weight snapshots, at Stop (an epoch end) and at the end of
 * the run; the optimizer's state goes back into the tfjs optimizer at the end, so Continue goes on from
 * it on either path. The kernel fills its own batches from the set's bytes, with augmentation too:
 * JS draws each image's distortion (augment.ts) and the kernel applies it. Anything the kernel cannot
 * run falls back to the tfjs stepper, with the reason in the stepper's kind.
 */
export const kernelStepper: StepperFactory = (blocks, optimizer, spec, set) => {
  const fallback = (reason: string): Stepper => ({ ...tfjsStepper(blocks, optimizer, spec, set), kind: { name: 'tfjs', detail: null, fallback: reason } });
  const problem = kernelUnsupported(spec) ?? unsupportedBlocks(blocks);
  if (problem) return fallback(problem);
  const config = kernelOptimizer(optimizer);
  if (typeof config === 'string') return fallback(`the kernel does not run ${config}`);
  const kernel = acquireKernel();
  if (typeof kernel === 'string') return fallback(kernel);
  let net: KernelNet;
  try {
    net = new KernelNet(kernel, blocks, config, spec.l2, Math.min(spec.batchSize, set.count));
    net.loadWeights(optimizer);
    net.loadData(set, spec.augment ? new Float64Array(set.count) : rowScales(set, spec.normalization), spec.normalization);
  } catch (error) {
    releaseKernel();
    return fallback((error as Error).message);
  }
  let rate = spec.learningRate;
  let dirty = false;
  let finished = false;
  const stepper: Stepper = {
    kind: { name: 'kernel', detail: `${kernel.variant}, ${KERNEL_THREADS_NOTE}`, fallback: null },
    setLearningRate: (value) => (rate = value),
    step(batch, random) {
      dirty = true;
      return net.step(batch.count, rate, random, { rows: batch.input, labels: batch.labels });
    },
    endEpoch() {
      if (dirty) net.storeWeights();
      dirty = false;
    },
    syncWeights() {
      if (dirty) net.storeWeights();
      dirty = false;
    },
    finish() {
      if (finished) return;
      finished = true;
      try {
        // After a failed step (divergence) the model keeps its last epoch's weights, as written then.
        net.storeState(optimizer);
      } finally {
        releaseKernel();
      }
    },
  };
  stepper.beginEpoch = (order) => net.loadOrder(order);
  stepper.stepImages = (start, count, random) => {
    dirty = true;
    return net.step(count, rate, random, { start, augment: spec.augment });
  };
  return stepper;
};
