import type { ModelSpec } from '$shared/model-spec';
import type { TrainingProgress } from '$shared/training';
import { speedKind, type MeasuredSpeed } from '$shared/training-speed';
import { ASSUMED_OPS_PER_SECOND, estimateRunSeconds, imagesPerEpoch, workload, type DatasetSize } from './run-estimate';

/**
 * This machine's measured training speed, per model shape, batch size and backend: the speed of one
 * model says little about another (the two-layer Keras preset was estimated at 15 s from a small
 * model's speed, and took 2 min 7 s), so an estimate says "about" only from a measurement of its own
 * kind (this session's epochs, or what main keeps: earlier runs, the backend choice's timing), and is
 * a labelled guess otherwise.
 */

/** Evaluation is a forward pass only: about three times as many images a second as training. */
const EVALUATION_SPEEDUP = 3;

/** What decides the speed of a training step: the layers, the optimizer, the batch size and the backend. */
export function speedKey(spec: ModelSpec, backend: string | null): string {
  return `${speedKind(spec)}|${backend ?? 'unknown'}`;
}

/** Training images a second, by speedKey; replaced (not mutated) so that what derives from it updates. */
export type Speeds = ReadonlyMap<string, number>;

/** `speeds` with a complete epoch's measured rate (a stopped epoch's is partial, and often slowed). */
export function withEpoch(speeds: Speeds, key: string, log: { complete: boolean; samples: number; samplesPerSecond: number }): Speeds {
  if (!log.complete || !(log.samples > 0) || !(log.samplesPerSecond > 0)) return speeds;
  return new Map(speeds).set(key, log.samplesPerSecond);
}

/**
 * Where an estimate's speed comes from: `session`, this window's complete epochs of this kind of model;
 * `run`, an earlier run's in the run history; `benchmark`, the backend choice's timing of this model
 * shape; `guess`, a typical speed (no measurement).
 */
export type EstimateBasis = 'session' | MeasuredSpeed['source'] | 'guess';

export interface RunEstimate {
  seconds: number;
  /** From this machine's speed for this kind of model; otherwise a guess from a typical speed. */
  measured: boolean;
  basis: EstimateBasis;
}

/**
 * How long a run of `spec` would take. Algorithm: the speed of this session's newest complete epoch of
 * this kind on `backend` (or on the stored measurement's backend) is the most current; else `stored`,
 * what main keeps of this machine (see training:measured-speed); else a guess from a typical speed.
 */
export function estimateRun(
  spec: ModelSpec,
  size: DatasetSize,
  speeds: Speeds,
  backend: string | null,
  stored: MeasuredSpeed | null = null,
): RunEstimate | null {
  const session = speeds.get(speedKey(spec, backend)) ?? (stored ? speeds.get(speedKey(spec, stored.backend)) : undefined);
  const rate = session ?? stored?.samplesPerSecond;
  if (rate === undefined || !(rate > 0)) {
    const seconds = estimateRunSeconds(spec, size, ASSUMED_OPS_PER_SECOND);
    return seconds === null ? null : { seconds, measured: false, basis: 'guess' };
  }
  if (!Number.isInteger(spec.epochs) || spec.epochs < 1) return null;
  const { trained, evaluated } = workload(spec, size);
  const seconds = trained / rate + evaluated / (rate * EVALUATION_SPEEDUP);
  return Number.isFinite(seconds) ? { seconds, measured: true, basis: session !== undefined ? 'session' : stored!.source } : null;
}

/**
 * Seconds left in a run at its live speed, counted as the estimate before it was: the training
 * batches still to go at the latest report's samples/s, then this epoch's and the later epochs'
 * validation passes and the final test, forward passes EVALUATION_SPEEDUP times as fast. (Main's
 * `etaSeconds` counts the training batches only, so the time left would jump when the test began.)
 */
export function secondsLeft(progress: Pick<TrainingProgress, 'batch' | 'lastEpoch'>, spec: ModelSpec, size: DatasetSize): number | null {
  const { batch, lastEpoch } = progress;
  const rate = batch.samplesPerSecond;
  if (!(rate > 0) || !Number.isFinite(rate)) return null;
  const batchesLeft = Math.max(0, (lastEpoch - batch.epoch - 1) * batch.batches + (batch.batches - batch.batch - 1));
  const { validation } = imagesPerEpoch(spec, size);
  const evaluated = validation * Math.max(0, lastEpoch - batch.epoch) + size.test;
  const seconds = (batchesLeft * spec.batchSize) / rate + evaluated / (rate * EVALUATION_SPEEDUP);
  return Number.isFinite(seconds) ? seconds : null;
}

/** How TrainActions says where a measured estimate comes from. */
export const BASIS_WORDS: Record<EstimateBasis, string> = {
  session: 'at the speed this model trained at in this session',
  run: "at this machine's speed in your last run of a model like this",
  benchmark: "at the speed this machine measured for this model when it chose a backend",
  guess: '(a guess until this machine has trained a model of this shape and batch size)',
};

/** "about 2 minutes" from a measurement; "perhaps 2 minutes" from a guess ("about" promises a measurement). */
export function estimateWords(estimate: RunEstimate, words: (seconds: number) => string): string {
  const text = words(estimate.seconds);
  return estimate.measured ? text : text.replace(/^about /, 'perhaps ');
}
