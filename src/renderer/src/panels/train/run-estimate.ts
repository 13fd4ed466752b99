import type { ModelSpec } from '$shared/model-spec';
import { summarizeSpec } from '$shared/model-summary';

/**
 * Arithmetic operations a second assumed before this machine has trained anything: below what the
 * training worker does here on tfjs-node or multi-threaded wasm (about 2·10¹⁰), so an unmeasured
 * estimate errs long and asks rather than surprising.
 */
export const ASSUMED_OPS_PER_SECOND = 5e9;
/** Runs expected to take longer than this ask first. */
export const CONFIRM_ABOVE_SECONDS = 10 * 60;

/** Operations per image: a forward pass is a multiply and an add per weight, the backward pass twice that. */
const TRAIN_OPS_PER_PARAM = 6;
const FORWARD_OPS_PER_PARAM = 2;

export interface DatasetSize {
  /** Images in the training split, and the number of pixels of one and of classes. */
  train: number;
  test: number;
  pixels: number;
  classes: number;
}

/** Images a run of spec trains on and validates on each epoch: the subset, less the held-out share, or the test set. */
export function imagesPerEpoch(spec: ModelSpec, size: DatasetSize): { train: number; validation: number } {
  const images = Math.min(spec.trainSubset ?? size.train, size.train);
  const held = spec.validation === 'test' ? 0 : Math.floor(images * spec.validation);
  return { train: images - held, validation: spec.validation === 'test' ? size.test : held };
}

/** Images a whole run trains on, and evaluates (validation each epoch, then the test set once). */
export function workload(spec: ModelSpec, size: DatasetSize): { trained: number; evaluated: number } {
  const { train, validation } = imagesPerEpoch(spec, size);
  return { trained: train * spec.epochs, evaluated: validation * spec.epochs + size.test };
}

/**
 * Seconds a run of `spec` should take at `opsPerSecond`; validation and the final test evaluation
 * included. Null when the spec is not a usable model (no time is better than an impossible one).
 */
export function estimateRunSeconds(spec: ModelSpec, size: DatasetSize, opsPerSecond: number): number | null {
  const { totalParams } = summarizeSpec(spec, size.pixels, size.classes);
  if (!(totalParams > 0) || !(opsPerSecond > 0) || !Number.isInteger(spec.epochs) || spec.epochs < 1) return null;
  const { trained, evaluated } = workload(spec, size);
  if (!(trained >= 0)) return null;
  return (trained * TRAIN_OPS_PER_PARAM * totalParams + evaluated * FORWARD_OPS_PER_PARAM * totalParams) / opsPerSecond;
}

/** This machine's speed in operations a second, from a run's measured training images a second. */
export function measuredOpsPerSecond(spec: ModelSpec, size: DatasetSize, samplesPerSecond: number): number | null {
  const { totalParams } = summarizeSpec(spec, size.pixels, size.classes);
  const ops = samplesPerSecond * TRAIN_OPS_PER_PARAM * totalParams;
  return Number.isFinite(ops) && ops > 0 ? ops : null;
}
