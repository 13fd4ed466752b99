import type { Api } from '$shared/ipc/contract';
import type { ModelComparison } from '$shared/comparison';
import type { EvaluationProgress } from '$shared/evaluation';
import { QUICK_ROBUSTNESS_IMAGES } from '$shared/robustness';
import { normalizeInput } from '$shared/preprocess/mnist-preprocess';
import { argMax } from '$shared/vector';
import { Classifier } from '../../app/classifier.svelte';
import { Recognition } from '../../app/recognition.svelte';
import { recallRows, robustnessRows } from './compare-rows';
import { errorText } from '../../app/error-text';
import { Latest } from '../../lib/latest';

export type CompareApi = Pick<Api, 'compareModels' | 'getModel' | 'onEvaluationProgress'>;

export type Side = 'a' | 'b';

/** One model's answer to the drawing. */
export interface Answer {
  top: number;
  label: string;
  confidence: number;
}

/**
 * Compare: two library models side by side. Main scores them (accuracy, recall per class,
 * robustness); the window loads both to answer the current drawing, as the Draw tab does for one.
 */
export class CompareState {
  a = $state<string | null>(null);
  b = $state<string | null>(null);
  result = $state.raw<ModelComparison | null>(null);
  running = $state(false);
  error = $state<string | null>(null);
  progress = $state.raw<EvaluationProgress | null>(null);
  readonly classifiers: Record<Side, Classifier> = { a: new Classifier(), b: new Classifier() };
  /** The drawing preprocessed as the Draw tab does it; the compare view's canvas feeds it. */
  readonly recognition = new Recognition(this.classifiers.a);
  #api: CompareApi | null = null;
  /** A late answer for an older pair is dropped. */
  readonly #comparison = new Latest();

  readonly canCompare = $derived(this.a !== null && this.b !== null && this.a !== this.b && !this.running);
  readonly recall = $derived(this.result ? recallRows(this.result) : []);
  readonly robustness = $derived(this.result ? robustnessRows(this.result) : []);
  readonly answers = $derived.by((): Record<Side, Answer | null> => ({ a: this.#answer('a'), b: this.#answer('b') }));

  connect(api: CompareApi): () => void {
    this.#api = api;
    const off = api.onEvaluationProgress((progress) => {
      if (this.running) this.progress = progress;
    });
    return () => {
      off();
      this.#api = null;
      this.classifiers.a.dispose();
      this.classifiers.b.dispose();
    };
  }

  /** Picks the pair to compare; a new pick clears the result of the old pair. */
  pick(side: Side, id: string | null): void {
    if (this[side] === id) return;
    this[side] = id;
    this.result = null;
  }

  /** Scores both (robustness on the first `images` test images; null: all of them) and loads both for the drawing. */
  async compare(images: number | null = QUICK_ROBUSTNESS_IMAGES): Promise<void> {
    const api = this.#api;
    const { a, b } = this;
    if (!api || !this.canCompare || a === null || b === null) return;
    const ticket = this.#comparison.next();
    this.running = true;
    this.error = null;
    this.progress = null;
    this.result = null;
    try {
      const [result, modelA, modelB] = await Promise.all([api.compareModels({ a, b, images }), api.getModel({ id: a }), api.getModel({ id: b })]);
      if (!ticket.current) return;
      await Promise.all([this.classifiers.a.load(modelA), this.classifiers.b.load(modelB)]);
      if (ticket.current) this.result = result;
    } catch (error) {
      if (ticket.current) this.error = errorText(error);
    } finally {
      if (ticket.current) this.running = false;
    }
  }

  #answer(side: Side): Answer | null {
    const preprocessed = this.recognition.preprocessed;
    const classifier = this.classifiers[side];
    if (!preprocessed || !classifier.ready || !this.result) return null;
    try {
      const probabilities = classifier.predict(normalizeInput(preprocessed.input, classifier.normalization));
      const top = argMax(probabilities);
      return { top, label: classifier.classNames[top] ?? String(top), confidence: probabilities[top] };
    } catch (error) {
      console.error('compare prediction failed', error);
      return null;
    }
  }
}
