import * as tf from '@tensorflow/tfjs';
import type { ImageSet } from '../../shared/datasets/image-set';
import type { ModelSpec } from '../../shared/model-spec';
import type { StepperReport } from '../../shared/training';
import type { DenseBlock } from './model';
import { setLearningRate } from './optimizer';
import type { Random } from './random';
import { TrainStep, type StepResult } from './train-step';

/** One filled batch, as the training loop hands it to a stepper. Its arrays are reused batch after batch. */
export interface Batch {
  /** Images in the batch (the last batch of an epoch may be short). */
  count: number;
  /** Inputs per image (rows·cols). */
  features: number;
  /** [count, features] row-major, normalised (and augmented); only the first count·features values count. */
  input: Float32Array;
  /** The same values transposed, [features, count]. */
  inputT: Float32Array;
  /** The class of each image; only the first count values count. */
  labels: Uint8Array;
}

/**
 * What turns batches into weight updates: the seam of the training loop. The loop owns the order, the
 * schedule, the filling and the bookkeeping; the stepper owns the arithmetic of one update. The default
 * runs TensorFlow.js on the model's own variables; a stepper that keeps the weights elsewhere writes them
 * back in `endEpoch`.
 */
export interface Stepper {
  /** The learning rate of the steps that follow (the spec's schedule). */
  setLearningRate(rate: number): void;
  /** One update from `batch`; `random` draws the dropout masks, after the batch's augmentation. */
  step(batch: Batch, random: Random): StepResult;
  /**
   * The epoch's batches are done, all of them or up to a Stop. Afterwards the model's variables must
   * hold the trained weights: validation, the finiteness check and the caller read them from there.
   */
  endEpoch(): void;
  /** What steps, for the run's records: 'tfjs' or 'kernel', and why a wanted kernel was not used. */
  readonly kind?: StepperKind;
  /** The epoch's shuffled order, before its first batch (a stepper that fills its own batches copies it). */
  beginEpoch?(order: Int32Array): void;
  /**
   * When present, the loop fills no batches: the stepper steps on the set's images
   * order[start..start+count) itself (the order of beginEpoch), with their labels.
   */
  stepImages?(start: number, count: number, random: Random): StepResult;
  /** Writes the current weights into the model's variables mid-epoch (weight snapshots). */
  syncWeights?(): void;
  /** The run is over, however it ended: hand back the optimizer's state and free what the stepper holds. */
  finish?(): void;
}

/** How a stepper steps, for the run record, the CLI and the status bar. */
export type StepperKind = StepperReport;

/** Makes the stepper of one train() call, for the model's dense blocks, the call's optimizer and the training set. */
export type StepperFactory = (blocks: DenseBlock[], optimizer: tf.Optimizer, spec: ModelSpec, set: ImageSet) => Stepper;

/** The steppers of the train() calls in progress, by model, for syncStepperWeights. */
const running = new WeakMap<object, Stepper>();

/** train() registers its stepper for its model while it runs. */
export function holdStepper(model: object, stepper: Stepper | null): void {
  if (stepper) running.set(model, stepper);
  else running.delete(model);
}

/**
 * Makes the model's variables hold its current weights when a stepper that keeps them elsewhere is
 * training it (call between batches, e.g. before reading a weight snapshot); otherwise nothing.
 */
export function syncStepperWeights(model: object): void {
  running.get(model)?.syncWeights?.();
}

/**
 * The TensorFlow.js stepper: TrainStep on the model's own variables, so there is nothing to write back.
 * It is handed its batches, so it needs no training set: backend measurement makes one without.
 */
export const tfjsStepper = (blocks: DenseBlock[], optimizer: tf.Optimizer, spec: ModelSpec, _set?: ImageSet): Stepper => {
  const trainStep = new TrainStep(blocks, optimizer, spec.l2);
  return {
    setLearningRate: (rate) => setLearningRate(optimizer, rate),
    step({ count, features, input, inputT, labels }, random) {
      const x = tf.tensor2d(input.subarray(0, count * features), [count, features]);
      const xT = tf.tensor2d(inputT.subarray(0, count * features), [features, count]);
      try {
        return trainStep.run(x, labels, random, xT);
      } finally {
        // Also on a failed step (out of memory): the worker lives on and must not keep the batch.
        x.dispose();
        xT.dispose();
      }
    },
    endEpoch() {},
    kind: { name: 'tfjs', detail: null, fallback: null },
  };
};
