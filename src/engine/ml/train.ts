import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../shared/datasets/image-set';
import type { ModelSpec } from '../../shared/model-spec';
import type { BatchLog, EpochLog } from '../../shared/training';
import { EpochBatches, type TrainingData } from './batches';
import { evaluateLoss } from './evaluate';
import { denseBlocks, type DenseBlock } from './model';
import { firstNonFinite } from './model-files';
import { createOptimizer, disposeOptimizer, scheduledRate } from './optimizer';
import { Random } from './random';
import { holdStepper, tfjsStepper, type Stepper, type StepperFactory, type StepperKind } from './stepper';
import type { StepResult } from './train-step';

export interface TrainCallbacks {
  /** After every batch; keep it cheap (throttle UI updates on the receiving side). */
  onBatchEnd?(log: BatchLog): void;
  /** After every epoch, with validation metrics when there is a validation set. */
  onEpochEnd?(log: EpochLog): void | Promise<void>;
}

export interface TrainOptions {
  /** Aborting stops training after the current batch; the model keeps what it has learnt. */
  signal?: AbortSignal;
  /** Pass the optimizer of an earlier call to continue with its state (momentum, Adam moments). */
  optimizer?: tf.Optimizer;
  /** Epochs already trained: numbering, shuffling and augmentation continue from there. */
  initialEpoch?: number;
  /** Epochs to run in this call (default spec.epochs). */
  epochs?: number;
  /** What computes each update (default: TensorFlow.js on the model's variables, `tfjsStepper`). */
  stepper?: StepperFactory;
}

export interface TrainResult {
  history: EpochLog[];
  /** True when the signal stopped training before the last epoch finished. */
  stopped: boolean;
  /** Epochs completed in total, initialEpoch included. */
  epochsCompleted: number;
  /** What made the updates (and why not the kernel, when it was wanted). */
  stepper: StepperKind;
}

export class NonFiniteLossError extends Error {
  /** `what` turned ("The loss", "A weight") and `when` ("at epoch 2, batch 3 of 10"). */
  constructor(what: string, when: string) {
    // What to do about it is the caller's advice, said once (the app's and the CLI's differ).
    super(`${what} became NaN or infinite ${when}: training diverged.`);
    this.name = 'NonFiniteLossError';
  }

  static atBatch(epoch: number, batch: number, batches: number): NonFiniteLossError {
    return new NonFiniteLossError('The loss', `at epoch ${epoch + 1}, batch ${batch + 1} of ${batches}`);
  }
}

/**
 * Throws a NonFiniteLossError for a NaN or infinite metric (by its name in words) or weight. The loss is
 * checked before each update, so only this catches the last one of an epoch or a run, which would
 * otherwise reach the saved model and the run's records (JSON writes NaN as null, which they refuse).
 * It reads every weight back: once an epoch or per result, not per batch.
 */
export function assertFinite(blocks: readonly DenseBlock[], metrics: Record<string, number | undefined>, when: string): void {
  for (const [name, value] of Object.entries(metrics)) if (value !== undefined && !Number.isFinite(value)) throw new NonFiniteLossError(`The ${name}`, when);
  for (const { kernel, bias } of blocks) {
    if (firstNonFinite(kernel.dataSync() as Float32Array) >= 0 || firstNonFinite(bias.dataSync() as Float32Array) >= 0) throw new NonFiniteLossError('A weight', when);
  }
}

/** Keeps the event loop breathing (abort signals, IPC) without yielding after every tiny batch. */
const YIELD_EVERY_MS = 20;

/** What every phase of one train() call reads. */
interface Run {
  model: tf.LayersModel;
  blocks: DenseBlock[];
  data: TrainingData;
  spec: ModelSpec;
  callbacks: TrainCallbacks;
  signal: AbortSignal | undefined;
  firstEpoch: number;
  /** One past the last epoch of this call. */
  lastEpoch: number;
  stepper: Stepper;
  batches: EpochBatches;
  pacer: Pacer;
}

/**
 * Trains model (from createModel, or loaded from a saved one) on data.train for the spec's epochs.
 * Each epoch visits the training images in a fresh seeded order, so the same seed on the same backend
 * repeats a run exactly. An epoch runs in phases: shuffle, then per batch schedule → fill → step →
 * tally → yield/abort; then the stepper's epoch end, the epoch log, validation and the finiteness check.
 */
export async function train(
  model: tf.LayersModel,
  data: TrainingData,
  spec: ModelSpec,
  callbacks: TrainCallbacks = {},
  options: TrainOptions = {},
): Promise<TrainResult> {
  const optimizer = options.optimizer ?? createOptimizer(spec);
  const firstEpoch = options.initialEpoch ?? 0;
  const blocks = denseBlocks(model);
  const run: Run = {
    model,
    blocks,
    data,
    spec,
    callbacks,
    signal: options.signal,
    firstEpoch,
    lastEpoch: firstEpoch + (options.epochs ?? spec.epochs),
    stepper: (options.stepper ?? tfjsStepper)(blocks, optimizer, spec, data.train),
    batches: new EpochBatches(data.train, spec),
    pacer: new Pacer(),
  };
  const history: EpochLog[] = [];
  let stopped = false;
  holdStepper(model, run.stepper);
  try {
    for (let epoch = firstEpoch; epoch < run.lastEpoch && !stopped; epoch++) {
      const { log, cutShort } = await trainEpoch(run, epoch);
      history.push(log);
      await callbacks.onEpochEnd?.(log);
      // An abort after the very last batch cut nothing short.
      stopped = cutShort || (options.signal?.aborted === true && epoch < run.lastEpoch - 1);
    }
  } finally {
    holdStepper(model, null);
    run.stepper.finish?.();
    if (!options.optimizer) disposeOptimizer(optimizer);
  }
  const completed = history.filter((h) => h.complete).length;
  const stepper = run.stepper.kind ?? { name: 'tfjs', detail: null, fallback: null };
  return { history, stopped, epochsCompleted: firstEpoch + completed, stepper };
}

/** One epoch, every phase; `cutShort` when an abort ended it before its last batch. */
async function trainEpoch(run: Run, epoch: number): Promise<{ log: EpochLog; cutShort: boolean }> {
  const random = shuffleOrder(run.batches.order, run.spec.seed, epoch);
  run.stepper.beginEpoch?.(run.batches.order);
  const tally = new EpochTally();
  const cutShort = await stepBatches(run, epoch, random, tally);
  run.stepper.endEpoch();
  const log = tally.epochLog(epoch, run.data.train.count);
  // A Stop waits for nothing more than its batch: a stopped epoch is redone by Continue anyway.
  if (run.data.validation && !run.signal?.aborted) Object.assign(log, validationMetrics(run.model, run.data.validation, run.spec));
  log.seconds = tally.elapsedSeconds();
  assertFinite(run.blocks, { loss: log.loss, 'validation loss': log.valLoss }, `after epoch ${epoch + 1}`);
  return { log, cutShort };
}

/** The batches of an epoch in order, until the last or an abort; true when an abort came before the last. */
async function stepBatches(run: Run, epoch: number, random: Random, tally: EpochTally): Promise<boolean> {
  const { batches, stepper, callbacks } = run;
  for (let b = 0; b < batches.perEpoch; b++) {
    scheduleLearningRate(run, epoch, b);
    // A stepper that fills its own batches (the kernel) is handed the batch's place in the order.
    const { start, count } = batches.range(b);
    const result = stepper.stepImages ? stepper.stepImages(start, count, random) : stepper.step(batches.fill(b, random), random);
    if (!Number.isFinite(result.loss)) throw NonFiniteLossError.atBatch(epoch, b, batches.perEpoch);
    tally.add(result, count);
    callbacks.onBatchEnd?.(tally.batchLog(epoch, b, batches.perEpoch, result, count));
    await run.pacer.breathe();
    if (run.signal?.aborted) return b < batches.perEpoch - 1;
  }
  return false;
}

/** Visits the images in a fresh seeded order; the same Random then draws the epoch's augmentation and dropout. */
function shuffleOrder(order: Int32Array, seed: number, epoch: number): Random {
  const random = new Random(epochSeed(seed, epoch));
  for (let i = 0; i < order.length; i++) order[i] = i;
  random.shuffle(order);
  return random;
}

/** The schedule's rate at this batch, by progress through this call's epochs. */
function scheduleLearningRate(run: Run, epoch: number, b: number): void {
  const { spec, firstEpoch, lastEpoch } = run;
  if (spec.lrSchedule === 'constant') return;
  const progress = (epoch - firstEpoch + b / run.batches.perEpoch) / (lastEpoch - firstEpoch);
  run.stepper.setLearningRate(scheduledRate(spec.learningRate, spec.lrSchedule, progress));
}

/** An epoch's running sums, and the batch and epoch logs made from them. */
class EpochTally {
  private readonly started = performance.now();
  private lossSum = 0;
  private correct = 0;
  private seen = 0;

  add(result: StepResult, count: number): void {
    this.lossSum += result.loss * count;
    this.correct += result.correct;
    this.seen += count;
  }

  elapsedSeconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  batchLog(epoch: number, batch: number, batches: number, result: StepResult, count: number): BatchLog {
    const samplesPerSecond = this.seen / this.elapsedSeconds();
    return { epoch, batch, batches, loss: result.loss, accuracy: result.correct / count, samplesPerSecond };
  }

  /** The epoch's training figures; `complete` when it saw every one of the set's `total` images. */
  epochLog(epoch: number, total: number): EpochLog {
    const seconds = this.elapsedSeconds();
    const { lossSum, correct, seen } = this;
    return { epoch, loss: lossSum / seen, accuracy: correct / seen, seconds, samplesPerSecond: seen / seconds, samples: seen, complete: seen === total };
  }
}

/** Yields to the event loop (abort signals, IPC) at most every YIELD_EVERY_MS, not after every tiny batch. */
class Pacer {
  private last = performance.now();

  async breathe(): Promise<void> {
    if (performance.now() - this.last <= YIELD_EVERY_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.last = performance.now();
  }
}

function validationMetrics(model: tf.LayersModel, set: ImageSet, spec: ModelSpec): Pick<EpochLog, 'valLoss' | 'valAccuracy'> {
  const { loss, accuracy } = evaluateLoss(model, set, spec.normalization, spec.l2);
  return { valLoss: loss, valAccuracy: accuracy };
}

/** Distinct, reproducible randomness per epoch, so a continued run matches an uninterrupted one. */
function epochSeed(seed: number, epoch: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(epoch + 1, 0xc2b2ae35)) >>> 0;
}
