import {
  inkFromRgba,
  normalizeInput,
  preprocessDigit,
  type PreprocessSteps,
} from '../../../../shared/preprocess/mnist-preprocess';
import type { Classifier } from './classifier.svelte';

export interface Prediction {
  probabilities: Float32Array;
  /** Index of the most probable class. */
  top: number;
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
      const probabilities = this.#classifier.predict(normalizeInput(preprocessed.input, this.#classifier.normalization));
      return { probabilities, top: argmax(probabilities) };
    } catch (error) {
      // A derived cannot report; a model that fails to predict shows no bars rather than crashing the view.
      console.error('prediction failed', error);
      return null;
    }
  });

  readonly #classifier: Classifier;

  constructor(classifier: Classifier) {
    this.#classifier = classifier;
  }

  /** Preprocesses canvas pixels (RGBA). A transparent canvas is read by alpha, whatever the ink colour. */
  update(rgba: Uint8ClampedArray, width: number, height: number): void {
    this.preprocessed = preprocessDigit(inkFromRgba(rgba, width, height, { background: 'transparent' }));
  }

  reset(): void {
    this.preprocessed = null;
  }
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
