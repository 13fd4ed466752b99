import * as tf from '@tensorflow/tfjs';
import { backendLabel, describeBackend } from '../../shared/backend';
import type { ModelSpec } from '../../shared/model-spec';
import type { BackendReport } from './backend';
import { chooseTrainingBackend, type ChoiceCache, type RunBackend, type TrainingCandidate } from './backend-choice';
import { createModel, denseBlocks, type ModelShape } from './model';
import { createOptimizer, disposeOptimizer } from './optimizer';
import { Random } from './random';
import { tfjsStepper, type Batch } from './stepper';

/** Steps timed at least, however small the budget (a robust-drawing step on wasm takes a quarter of a second). */
const MIN_STEPS = 1;

/** The TensorFlow.js backends selectBackend started, as candidates for each run's choice. */
export function trainingCandidates(report: Pick<BackendReport, 'active' | 'available' | 'wasm'>): TrainingCandidate[] {
  return (report.available ?? [report.active]).map((name) =>
    tfjsCandidate(name, name === 'wasm' && report.wasm ? describeBackend({ active: 'wasm', ...report.wasm }) : backendLabel(name)),
  );
}

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
      const ok = await tf.setBackend(name).catch((error: unknown) => {
        throw new Error(`the ${label} backend did not start: ${(error as Error).message}`);
      });
      if (!ok || tf.getBackend() !== name) throw new Error(`the ${label} backend did not start`);
    },
  };
}

/**
 * Samples per second of the TensorFlow.js stepper on a fresh model of spec, on made-up inputs at spec's
 * batch size, on backend `name`. The batch upload (x and xᵀ) is timed too: what it costs differs
 * between backends.
 */
export async function measureTfjs(name: string, spec: ModelSpec, shape: ModelShape, budgetMs: number): Promise<number> {
  const previous = tf.getBackend();
  await tf.setBackend(name);
  const model = createModel(spec, shape);
  const optimizer = createOptimizer(spec);
  try {
    const count = Math.max(1, Math.min(spec.batchSize, spec.trainSubset ?? Infinity));
    const features = shape.inputSize;
    const stepper = tfjsStepper(denseBlocks(model), optimizer, spec);
    const random = new Random(spec.seed);
    const batch: Batch = { count, features, input: new Float32Array(count * features), inputT: new Float32Array(count * features), labels: new Uint8Array(count) };
    for (let r = 0; r < count; r++) {
      batch.labels[r] = Math.floor(random.next() * shape.numClasses);
      for (let c = 0; c < features; c++) batch.inputT[c * count + r] = batch.input[r * features + c] = random.next();
    }
    // The first step allocates and compiles; it is not timed. step() reads the logits back, so each step
    // has finished when it returns.
    stepper.step(batch, random);
    const started = performance.now();
    let steps = 0;
    while (steps < MIN_STEPS || performance.now() - started < budgetMs) {
      stepper.step(batch, random);
      steps++;
    }
    return (steps * count * 1000) / (performance.now() - started);
  } finally {
    model.dispose();
    disposeOptimizer(optimizer);
    await tf.setBackend(previous);
  }
}

export interface RunChooserOptions {
  /** The backend the user pinned for this run, if any (asked at each run: the popover may change it). */
  pinned?: () => string | undefined;
  cache?: ChoiceCache | null;
  /** Candidates that are not TensorFlow.js backends (a training kernel), beside the started ones. */
  extra?: readonly TrainingCandidate[];
}

/** TrainingEngine's chooseBackend for a process whose backends selectBackend started. */
export function runChooser(report: BackendReport, options: RunChooserOptions = {}): (spec: ModelSpec, shape: ModelShape) => Promise<RunBackend> {
  const candidates = [...trainingCandidates(report), ...(options.extra ?? [])];
  return async (spec, shape) => {
    const choice = await chooseTrainingBackend(candidates, spec, shape, { pinned: options.pinned?.(), cache: options.cache });
    const stepper = candidates.find((c) => c.name === choice.name)?.stepper;
    return { choice, ...(stepper && { stepper }) };
  };
}
