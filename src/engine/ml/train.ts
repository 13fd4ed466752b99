import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../shared/datasets/image-set';
import type { ModelSpec } from '../../shared/model-spec';
import type { BatchLog, EpochLog } from '../../shared/training';
import { BatchFiller, type TrainingData } from './batches';
import { evaluateLoss } from './evaluate';
import { denseBlocks, type DenseBlock } from './model';
import { firstNonFinite } from './model-files';
import { createOptimizer, disposeOptimizer, scheduledRate, setLearningRate } from './optimizer';
import { Random } from './random';
import { TrainStep, type StepResult } from './train-step';

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
}

export interface TrainResult {
  history: EpochLog[];
  /** True when the signal stopped training before the last epoch finished. */
  stopped: boolean;
  /** Epochs completed in total, initialEpoch included. */
  epochsCompleted: number;
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

/**
 * Trains model (from createModel, or loaded from a saved one) on data.train for the spec's epochs.
 * Each epoch visits the training images in a fresh seeded order, so the same seed on the same backend
 * repeats a run exactly.
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
  const lastEpoch = firstEpoch + (options.epochs ?? spec.epochs);
  const blocks = denseBlocks(model);
  const step = new TrainStep(blocks, optimizer, spec.l2);
  const set = data.train;
  const filler = new BatchFiller(set, spec.normalization, spec.augment);
  const size = set.rows * set.cols;
  const batchSize = Math.min(spec.batchSize, set.count);
  const batches = Math.ceil(set.count / batchSize);
  const input = new Float32Array(batchSize * size);
  const inputT = new Float32Array(batchSize * size);
  const labels = new Uint8Array(batchSize);
  const order = new Int32Array(set.count);
  const history: EpochLog[] = [];
  let stopped = false;
  let lastYield = performance.now();

  try {
    for (let epoch = firstEpoch; epoch < lastEpoch && !stopped; epoch++) {
      const random = new Random(epochSeed(spec.seed, epoch));
      for (let i = 0; i < order.length; i++) order[i] = i;
      random.shuffle(order);
      const started = performance.now();
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      for (let b = 0; b < batches; b++) {
        const count = Math.min(batchSize, set.count - b * batchSize);
        if (spec.lrSchedule !== 'constant') {
          const progress = (epoch - firstEpoch + b / batches) / (lastEpoch - firstEpoch);
          setLearningRate(optimizer, scheduledRate(spec.learningRate, spec.lrSchedule, progress));
        }
        filler.fill(order, b * batchSize, count, input, labels, random, inputT);
        const x = tf.tensor2d(input.subarray(0, count * size), [count, size]);
        const xT = tf.tensor2d(inputT.subarray(0, count * size), [size, count]);
        let result: StepResult;
        try {
          result = step.run(x, labels, random, xT);
        } finally {
          // Also on a failed step (out of memory): the worker lives on and must not keep the batch.
          x.dispose();
          xT.dispose();
        }
        if (!Number.isFinite(result.loss)) throw NonFiniteLossError.atBatch(epoch, b, batches);
        lossSum += result.loss * count;
        correct += result.correct;
        seen += count;
        const seconds = (performance.now() - started) / 1000;
        callbacks.onBatchEnd?.({
          epoch,
          batch: b,
          batches,
          loss: result.loss,
          accuracy: result.correct / count,
          samplesPerSecond: seen / seconds,
        });
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          lastYield = performance.now();
        }
        if (options.signal?.aborted) {
          // An abort after the very last batch cut nothing short.
          stopped = b < batches - 1 || epoch < lastEpoch - 1;
          break;
        }
      }
      const trainSeconds = (performance.now() - started) / 1000;
      const log: EpochLog = {
        epoch,
        loss: lossSum / seen,
        accuracy: correct / seen,
        seconds: trainSeconds,
        samplesPerSecond: seen / trainSeconds,
        samples: seen,
        complete: seen === set.count,
      };
      // A Stop waits for nothing more than its batch: a stopped epoch is redone by Continue anyway.
      if (data.validation && !options.signal?.aborted) Object.assign(log, validationMetrics(model, data.validation, spec));
      log.seconds = (performance.now() - started) / 1000;
      assertFinite(blocks, { loss: log.loss, 'validation loss': log.valLoss }, `after epoch ${epoch + 1}`);
      history.push(log);
      await callbacks.onEpochEnd?.(log);
      if (options.signal?.aborted && epoch < lastEpoch - 1) stopped = true;
    }
  } finally {
    if (!options.optimizer) disposeOptimizer(optimizer);
  }
  const completed = history.filter((h) => h.complete).length;
  return { history, stopped, epochsCompleted: firstEpoch + completed };
}

function validationMetrics(model: tf.LayersModel, set: ImageSet, spec: ModelSpec): Pick<EpochLog, 'valLoss' | 'valAccuracy'> {
  const { loss, accuracy } = evaluateLoss(model, set, spec.normalization, spec.l2);
  return { valLoss: loss, valAccuracy: accuracy };
}

/** Distinct, reproducible randomness per epoch, so a continued run matches an uninterrupted one. */
function epochSeed(seed: number, epoch: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(epoch + 1, 0xc2b2ae35)) >>> 0;
}
