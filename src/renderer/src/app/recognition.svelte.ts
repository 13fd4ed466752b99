import {
  inkFromRgba,
  normalizeInput,
  preprocessDigit,
  type PreprocessSteps,
} from '$shared/preprocess/mnist-preprocess';
import { argMax } from '$shared/vector';
import type { Classifier } from './classifier.svelte';

export interface Prediction {
  probabilities: Float32Array;
  /** Index of the most probable class. */
  top: number;
}

/**
 * User Timing measures for each recognition, so the app itself says what recognition costs (DevTools'
 * Timings track, `performance.getEntriesByName`, the latency bench): `preprocess` from reading the
 * canvas pixels to the 28×28 input, `inference` for scaling that input and running the network, and
 * `recognize` from the start of `preprocess` to the end of the `inference` on its input. The prediction
 * is derived lazily, when the view first reads it in the same frame, so `recognize` spans the wall time
 * from pixels to probabilities, including anything the view ran in between.
 */
export const TIMING = {
  preprocess: 'mlp:preprocess',
  inference: 'mlp:inference',
  recognize: 'mlp:recognize',
} as const;

/**
 * Measures kept per name: the timeline buffers them without limit, so once this many are buffered a
 * name's measures are cleared. Readers that want every entry drain them (clearMeasures) sooner.
 */
export const TIMING_CAP = 1000;

/** Measures recorded per name since the buffer was last known to hold fewer than TIMING_CAP. */
const timingCounts = new Map<string, number>();

/** Records one measure from timestamps (no marks to clean up); timing never breaks recognition. */
function measure(name: string, start: number, end: number): void {
  try {
    let count = timingCounts.get(name) ?? 0;
    // Counting is cheap; the buffer is only looked at once per TIMING_CAP calls, in case a reader drained it.
    if (count >= TIMING_CAP) count = performance.getEntriesByName(name, 'measure').length;
    if (count >= TIMING_CAP) {
      performance.clearMeasures(name);
      count = 0;
    }
    timingCounts.set(name, count + 1);
    performance.measure(name, { start, end });
  } catch {
    // Diagnostics only: a timeline that refuses an entry must not cost the user a prediction.
  }
}

/**
 * What the network makes of the drawing: the preprocessed 28×28 input and, derived from it and the
 * loaded model, the class probabilities. A new model re-derives the prediction for the same drawing.
 */
export class Recognition {
  /** The MNIST-style input and its intermediate images; null while the canvas is empty. */
  preprocessed = $state.raw<{ input: Float32Array; steps: PreprocessSteps } | null>(null);

  readonly prediction = $derived.by((): Prediction | null => {
    const preprocessed = this.preprocessed;
    if (!preprocessed || !this.#classifier.ready) return null;
    try {
      const start = performance.now();
      const probabilities = this.#classifier.predict(normalizeInput(preprocessed.input, this.#classifier.normalization));
      const end = performance.now();
      measure(TIMING.inference, start, end);
      // Only the first inference on a fresh input completes a recognition; a new model re-deriving is not one.
      if (this.#recognizeSince !== null) measure(TIMING.recognize, this.#recognizeSince, end);
      this.#recognizeSince = null;
      return { probabilities, top: argMax(probabilities) };
    } catch (error) {
      // A derived cannot report; a model that fails to predict shows no bars rather than crashing the view.
      console.error('prediction failed', error);
      return null;
    }
  });

  readonly #classifier: Classifier;
  /** When preprocessing of the input not yet run through the network started (not reactive state). */
  #recognizeSince: number | null = null;

  constructor(classifier: Classifier) {
    this.#classifier = classifier;
  }

  /**
   * Preprocesses canvas pixels (RGBA). A transparent canvas is read by alpha, whatever the ink colour.
   * `since` is when reading the pixels started (performance.now()), for the `mlp:preprocess` measure.
   */
  update(rgba: Uint8ClampedArray, width: number, height: number, since = performance.now()): void {
    const preprocessed = preprocessDigit(inkFromRgba(rgba, width, height, { background: 'transparent' }));
    measure(TIMING.preprocess, since, performance.now());
    this.#recognizeSince = preprocessed ? since : null;
    this.preprocessed = preprocessed;
  }

  reset(): void {
    this.#recognizeSince = null;
    this.preprocessed = null;
  }
}
