import type { ModelSpec } from '$shared/model-spec';
import { ASSUMED_OPS_PER_SECOND, estimateRunSeconds, type DatasetSize } from './run-estimate';

/**
 * This machine's measured training speed, per model shape, batch size and backend: the speed of one
 * model says little about another (the two-layer Keras preset was estimated at 15 s from a small
 * model's speed, and took 2 min 7 s), so an estimate says "about" only from a measurement of its own
 * kind, and is a labelled guess otherwise.
 */

/** Evaluation is a forward pass only: about three times as many images a second as training. */
const EVALUATION_SPEEDUP = 3;

/** What decides the speed of a training step: the layers, the optimizer, the batch size and the backend. */
export function speedKey(spec: ModelSpec, backend: string | null): string {
  const layers = spec.hiddenLayers.map((l) => `${l.units}${l.activation}${l.dropout > 0 ? 'd' : ''}`).join('-');
  return [layers, spec.optimizer, spec.batchSize, backend ?? 'unknown'].join('|');
}

/** Training images a second, by speedKey; replaced (not mutated) so that what derives from it updates. */
export type Speeds = ReadonlyMap<string, number>;

/** `speeds` with a complete epoch's measured rate (a stopped epoch's is partial, and often slowed). */
export function withEpoch(speeds: Speeds, key: string, log: { complete: boolean; samples: number; samplesPerSecond: number }): Speeds {
  if (!log.complete || !(log.samples > 0) || !(log.samplesPerSecond > 0)) return speeds;
  return new Map(speeds).set(key, log.samplesPerSecond);
}

export interface RunEstimate {
  seconds: number;
  /** From this machine's speed for this kind of model; otherwise a guess from a typical speed. */
  measured: boolean;
}

/** How long a run of `spec` would take: from the measured speed of its kind if there is one, else a guess. */
export function estimateRun(spec: ModelSpec, size: DatasetSize, speeds: Speeds, backend: string | null): RunEstimate | null {
  const rate = speeds.get(speedKey(spec, backend));
  if (rate === undefined) {
    const seconds = estimateRunSeconds(spec, size, ASSUMED_OPS_PER_SECOND);
    return seconds === null ? null : { seconds, measured: false };
  }
  if (!Number.isInteger(spec.epochs) || spec.epochs < 1) return null;
  const images = Math.min(spec.trainSubset ?? size.train, size.train);
  const held = spec.validation === 'test' ? 0 : Math.floor(images * spec.validation);
  const validation = spec.validation === 'test' ? size.test : held;
  const seconds = ((images - held) * spec.epochs) / rate + (validation * spec.epochs + size.test) / (rate * EVALUATION_SPEEDUP);
  return Number.isFinite(seconds) ? { seconds, measured: true } : null;
}

/** "about 2 minutes" from a measurement; "perhaps 2 minutes" from a guess ("about" promises a measurement). */
export function estimateWords(estimate: RunEstimate, words: (seconds: number) => string): string {
  const text = words(estimate.seconds);
  return estimate.measured ? text : text.replace(/^about /, 'perhaps ');
}
