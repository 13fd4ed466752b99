import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../../shared/model-spec';
import { preferKernel } from '../kernel/kernel-choice';
import type { TrainingCandidate } from './backend-choice';
import { createModel, denseBlocks, type ModelShape } from './model';
import { createOptimizer, disposeOptimizer } from './optimizer';
import { Random } from './random';
import { TrainStep } from './train-step';

/** Steps timed at least, however small the budget: one step alone says little. */
const MIN_STEPS = 2;

/**
 * A TensorFlow.js backend already registered and initialised (selectBackend did it) as a candidate:
 * it trains every spec, and activating it is tf.setBackend.
 */
export function tfjsCandidate(name: string, label: string): TrainingCandidate {
  return {
    name,
    label,
    unsupported: () => null,
    measure: (spec, shape, budgetMs) => measureTfjs(name, spec, shape, budgetMs),
    async activate() {
      // A TensorFlow.js backend won: its own step trains, not the kernel's.
      preferKernel(false);
      const ok = await tf.setBackend(name).catch((error: unknown) => {
        throw new Error(`the ${label} backend did not start: ${(error as Error).message}`);
      });
      if (!ok || tf.getBackend() !== name) throw new Error(`the ${label} backend did not start`);
    },
  };
}

/**
 * Samples per second of TrainStep on a fresh model of spec, on made-up inputs at spec's batch size, on
 * backend `name`. The batch upload (x and xᵀ) is timed too: what it costs differs between backends.
 */
export async function measureTfjs(name: string, spec: ModelSpec, shape: ModelShape, budgetMs: number): Promise<number> {
  const previous = tf.getBackend();
  await tf.setBackend(name);
  const model = createModel(spec, shape);
  const optimizer = createOptimizer(spec);
  try {
    const batch = Math.max(1, Math.min(spec.batchSize, spec.trainSubset ?? Infinity));
    const step = new TrainStep(denseBlocks(model), optimizer, spec.l2);
    const random = new Random(spec.seed);
    const input = new Float32Array(batch * shape.inputSize);
    for (let i = 0; i < input.length; i++) input[i] = random.next();
    const inputT = new Float32Array(input.length);
    const labels = new Uint8Array(batch);
    for (let r = 0; r < batch; r++) {
      labels[r] = Math.floor(random.next() * shape.numClasses);
      for (let c = 0; c < shape.inputSize; c++) inputT[c * batch + r] = input[r * shape.inputSize + c];
    }
    const once = (): void => {
      const x = tf.tensor2d(input, [batch, shape.inputSize]);
      const xT = tf.tensor2d(inputT, [shape.inputSize, batch]);
      try {
        // run() reads the logits back, so each step has finished when it returns.
        step.run(x, labels, random, xT);
      } finally {
        x.dispose();
        xT.dispose();
      }
    };
    once();
    const started = performance.now();
    let steps = 0;
    while (steps < MIN_STEPS || performance.now() - started < budgetMs) {
      once();
      steps++;
    }
    return (steps * batch * 1000) / (performance.now() - started);
  } finally {
    model.dispose();
    disposeOptimizer(optimizer);
    await tf.setBackend(previous);
  }
}
