import type { ModelSpec } from '../../shared/model-spec';
import { rowScales } from '../ml/batches';
import type { DenseBlock } from '../ml/model';
import { tfjsStepper, type Stepper, type StepperFactory } from '../ml/stepper';
import { acquireKernel, kernelInstance, releaseKernel, type KernelInstance } from './kernel-module';
import { MAX_KERNEL_LAYERS } from './kernel-layout';
import { planKernelInput, type KernelInputPlan } from './kernel-input';
import { KernelNet } from './kernel-net';
import { kernelOptimizer } from './kernel-optimizer';
import { planRunThreads, startKernelTeam, type KernelTeam } from './kernel-threads';

/** A run's kernel instance and its helper threads, or why it has none; threadsOff: why one thread. */
interface Crew {
  kernel: KernelInstance;
  team: KernelTeam | null;
  threadsOff: string | null;
}

/**
 * The instance for a run through layer sizes dims at batch `batch`: the threaded build with its helpers
 * started when the plan says more than one thread gains (kernel-threads.ts), else the one-thread build,
 * with the reason. A threaded build that cannot be had falls back to one thread, saying why.
 */
function acquireCrew(dims: number[], batch: number, input: KernelInputPlan): Crew | string {
  const plan = planRunThreads(dims, batch, input);
  let threadsOff = plan.reason;
  if (plan.threads > 1) {
    const threaded = acquireKernel(true);
    if (typeof threaded !== 'string') {
      try {
        return { kernel: threaded, team: startKernelTeam(threaded, plan.threads), threadsOff: null };
      } catch (error) {
        releaseKernel(threaded);
        threadsOff = `the helper threads did not start: ${(error as Error).message}`;
      }
    } else {
      threadsOff = threaded;
    }
  }
  const kernel = acquireKernel();
  return typeof kernel === 'string' ? kernel : { kernel, team: null, threadsOff };
}

/**
 * The crew's part of the stepper's kind: "simd128, 2 threads", "simd128, sparse input (19 % of pixels
 * lit), 2 threads" or "simd128, 1 thread — threads off: …".
 */
function crewKind({ kernel, team, threadsOff }: Crew, input: KernelInputPlan): { detail: string; threads: number; threadsFallback: string | null } {
  const threads = 1 + (team?.helpers ?? 0);
  const sparse = input.sparse ? `, sparse input (${input.why})` : '';
  const detail = `${kernel.variant}${sparse}, ${threads} thread${threads === 1 ? '' : 's'}${threadsOff ? ` — threads off: ${threadsOff}` : ''}`;
  return { detail, threads, threadsFallback: threadsOff };
}

function releaseCrew(crew: Crew): void {
  releaseKernel(crew.kernel);
  void crew.team?.stop();
}

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
  const batch = Math.min(spec.batchSize, set.count);
  const input = planKernelInput(set);
  const crew = acquireCrew([blocks[0].kernel.shape[0] as number, ...blocks.map((b) => b.kernel.shape[1] as number)], batch, input);
  if (typeof crew === 'string') return fallback(crew);
  let net: KernelNet;
  try {
    net = new KernelNet(crew.kernel, blocks, config, spec.l2, batch, input.sparse);
    net.loadWeights(optimizer);
    net.loadData(set, spec.augment ? new Float64Array(set.count) : rowScales(set, spec.normalization), spec.normalization);
  } catch (error) {
    releaseCrew(crew);
    return fallback((error as Error).message);
  }
  let rate = spec.learningRate;
  let dirty = false;
  let finished = false;
  const stepper: Stepper = {
    kind: { name: 'kernel', ...crewKind(crew, input), fallback: null },
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
        releaseCrew(crew);
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
