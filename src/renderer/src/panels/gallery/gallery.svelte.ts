import type { Api } from '$shared/ipc/contract';
import type { EvaluationProgress, ModelEvaluation } from '$shared/evaluation';
import {
  classificationReport,
  confusionMatrix,
  mostConfusedPairs,
  sampleOutcomes,
} from '$shared/classification-report';
import type { AppState } from '../../app/app-state.svelte';
import { errorText } from '../../app/error-text';
import { INPUT_SIDE } from '../../lib/input-size';
import { Latest, type Ticket } from '../../lib/latest';
import { FinetuneState, isCancelled, type FinetuneApi } from './finetune.svelte';
import { galleryItems, NO_FILTER, pageOf, type GalleryFilter, type GallerySort } from './gallery-items';
import { RobustnessState, type RobustnessApi } from './robustness.svelte';

export type GalleryApi = Pick<
  Api,
  | 'evaluateModel'
  | 'evaluateHandwriting'
  | 'cancelEvaluation'
  | 'getSamples'
  | 'onModelChanged'
  | 'onEvaluationProgress'
> &
  FinetuneApi &
  RobustnessApi;

/** What the Gallery evaluates the active model on: its dataset's test split, or your handwriting. */
export type GallerySource = 'test' | 'handwriting';

/**
 * The part of the app's handwriting state the Gallery reads: its images and labels, in the order main
 * evaluates them; the version bumped by every change; and a reload for when main scored another list.
 */
export interface HandwritingImages {
  readonly samples: readonly { image: Uint8Array; label: number }[];
  readonly version: number;
  reload(): Promise<void>;
}

type Scored = { evaluation: ModelEvaluation; samples: HandwritingImages['samples']; version: number | null };

/** Main scored the list this window holds: as many drawings, with the same labels in the same order. */
function sameSet(evaluation: ModelEvaluation, samples: HandwritingImages['samples']): boolean {
  if (evaluation.count !== samples.length || evaluation.labels.length !== samples.length) return false;
  return samples.every((sample, i) => evaluation.labels[i] === sample.label);
}

/** Thumbnails per page: a page is one getSamples call, and 10,000 items never reach the DOM at once. */
export const PAGE_SIZE = 60;
/** How many of the most confused pairs the panel lists. */
export const TOP_PAIRS = 5;

/**
 * The Gallery: the active model's evaluation on its test split, the confusion matrix and per-class
 * report derived from it, the failure gallery's filter and page, and (in `robustness`) the robustness
 * check. Created once
 * by App, so it re-evaluates after every training run even while another panel is open.
 */
export class GalleryState {
  evaluation = $state.raw<ModelEvaluation | null>(null);
  /** What `evaluation` (and the next one) is on. */
  source = $state<GallerySource>('test');
  /** Fine-tuning on your handwriting, shown while it is the source. */
  readonly finetune = new FinetuneState(() => this.#afterFinetune());
  /** The robustness check of the evaluated model; the progress bar it shares with the evaluation ends with it. */
  readonly robustness = new RobustnessState(() => {
    this.progress = null;
    if (this.robustness.results) this.#seen?.note('robustness');
  });
  evaluating = $state(false);
  /**
   * An evaluation was asked for (the model changed) while a fine-tune ran: it runs once that ends, as
   * a new job in the worker cancels the one before.
   */
  waitingForFinetune = $state(false);
  /** Your handwriting's version when `evaluation` of it was asked for; null for the test split. */
  evaluatedVersion = $state<number | null>(null);
  progress = $state.raw<EvaluationProgress | null>(null);
  error = $state<string | null>(null);
  /** Show each confusion row as shares of its true class instead of counts. */
  rowNormalised = $state(false);
  filter = $state.raw<GalleryFilter>(NO_FILTER);
  sort = $state<GallerySort>('confidence');
  page = $state(0);
  /** The image whose detail is open, by test-set index. */
  selected = $state<number | null>(null);
  /** Test images fetched so far, by index (grey levels 0..255); replaced, never mutated. */
  images = $state.raw<ReadonlyMap<number, Uint8Array>>(new Map());

  #api: GalleryApi | null = null;
  /** The model changed again, or the source: an older evaluation's answer is stale. */
  readonly #evaluations = new Latest();
  /** Your handwriting's images as they were when it was evaluated: the evaluation's indices are into these. */
  #evaluatedSamples: readonly { image: Uint8Array }[] = [];

  readonly #handwriting: HandwritingImages;
  /** Where the Gallery notes what the learner looked at, for lessons' checks. */
  readonly #seen: Pick<AppState, 'note'> | undefined;

  /** `handwriting` (app-wide) is what the Gallery evaluates when its source is your handwriting. */
  constructor(services: { handwriting?: HandwritingImages; app?: Pick<AppState, 'note'> } = {}) {
    this.#handwriting = services.handwriting ?? { samples: [], version: 0, reload: async () => undefined };
    this.#seen = services.app;
  }

  /**
   * The evaluation is of your handwriting as it was before a change since (a save, relabel, delete,
   * import or rebuild). A getter, not $derived: field initialisers run before the constructor has the
   * handwriting.
   */
  get stale(): boolean {
    return this.source === 'handwriting' && this.evaluation !== null && this.evaluatedVersion !== null && this.evaluatedVersion !== this.#handwriting.version;
  }

  readonly outcomes = $derived(
    this.evaluation ? { labels: this.evaluation.labels, ...sampleOutcomes(this.evaluation.probabilities, this.evaluation.labels) } : null,
  );
  readonly confusion = $derived(
    this.outcomes && this.evaluation
      ? confusionMatrix(this.outcomes.labels, this.outcomes.predicted, this.evaluation.classNames.length)
      : null,
  );
  readonly report = $derived(this.confusion ? classificationReport(this.confusion) : null);
  readonly pairs = $derived(this.confusion ? mostConfusedPairs(this.confusion, TOP_PAIRS) : []);
  readonly items = $derived(this.outcomes ? galleryItems(this.outcomes, this.filter, this.sort) : new Int32Array(0));
  readonly currentPage = $derived(pageOf(this.items, this.page, PAGE_SIZE));
  /** The test images' size. */
  readonly imageShape = $derived(this.evaluation?.imageSize ?? { rows: INPUT_SIDE, cols: INPUT_SIDE });

  connect(api: GalleryApi): () => void {
    this.#api = api;
    const unsubscribe = [
      this.finetune.connect(api),
      this.robustness.connect(api),
      api.onModelChanged(() => void this.evaluate()),
      api.onEvaluationProgress((progress) => (this.progress = progress)),
    ];
    void this.evaluate();
    return () => {
      unsubscribe.forEach((off) => off());
      this.#api = null;
    };
  }

  /** Evaluates the active model; a newer call (the model changed again) makes an older answer stale. */
  async evaluate(): Promise<void> {
    const api = this.#api;
    if (!api) return;
    if (this.finetune.running) {
      this.waitingForFinetune = true;
      return;
    }
    this.waitingForFinetune = false;
    const request = this.#evaluations.next();
    this.evaluating = true;
    this.error = null;
    try {
      const source = this.source;
      const scored: Scored | null =
        source === 'handwriting' ? await this.#scoreHandwriting(api, request) : { evaluation: await api.evaluateModel(), samples: [], version: null };
      if (!scored || !request.current) return;
      const { evaluation, samples } = scored;
      const sameData = source === 'test' && this.evaluation?.datasetId === evaluation.datasetId && this.#evaluatedSamples.length === 0;
      this.#evaluatedSamples = samples;
      this.evaluatedVersion = scored.version;
      this.evaluation = evaluation;
      void this.robustness.evaluated(evaluation);
      this.selected = null;
      if (!sameData) this.images = source === 'handwriting' ? new Map(samples.map((sample, i) => [i, sample.image])) : new Map();
    } catch (error) {
      if (request.current && !isCancelled(error)) this.error = errorText(error);
    } finally {
      if (request.current) {
        this.evaluating = false;
        this.progress = null;
      }
    }
  }

  /**
   * Your handwriting scored by main, and the window's copy of it whose images the failure gallery
   * shows: when they differ (a stale list here), the list is reloaded and scored once more.
   */
  async #scoreHandwriting(api: GalleryApi, request: Ticket): Promise<Scored | null> {
    for (let attempt = 1; ; attempt++) {
      const version = this.#handwriting.version;
      const evaluation = await api.evaluateHandwriting();
      if (!request.current) return null;
      const samples = this.#handwriting.samples;
      if (sameSet(evaluation, samples)) return { evaluation, samples, version };
      if (attempt === 2) {
        throw new Error(`Your handwriting changed while it was evaluated (${evaluation.count} drawings scored, ${samples.length} here): evaluate again.`);
      }
      await this.#handwriting.reload();
      if (!request.current) return null;
    }
  }

  #afterFinetune(): void {
    if (this.waitingForFinetune) void this.evaluate();
  }

  /** Evaluates on the test split or on your handwriting from now on. */
  async setSource(source: GallerySource): Promise<void> {
    if (source === this.source) return;
    this.source = source;
    this.evaluation = null;
    this.images = new Map();
    this.filter = NO_FILTER;
    this.page = 0;
    this.selected = null;
    await this.evaluate();
  }

  async cancel(): Promise<void> {
    await this.#api?.cancelEvaluation();
  }

  /** Shows only the images matching `filter`, from the first page. */
  filterBy(filter: GalleryFilter): void {
    this.filter = filter;
    // A class's failures on the test set: what a lesson's `gallery-failures` check waits for.
    if (filter.trueClass !== null && !filter.showCorrect && this.source === 'test') this.#seen?.note(`gallery-failures:${filter.trueClass}`);
    this.page = 0;
    this.selected = null;
  }

  setSort(sort: GallerySort): void {
    this.sort = sort;
    this.page = 0;
  }

  goToPage(page: number): void {
    this.page = pageOf(this.items, page, PAGE_SIZE).page;
  }

  /** Fetches the images of `indices` not fetched yet, in one request. */
  async loadImages(indices: ArrayLike<number>): Promise<void> {
    const api = this.#api;
    const evaluation = this.evaluation;
    if (!api || !evaluation) return;
    const missing = Array.from(indices).filter((i) => !this.images.has(i));
    // Your handwriting's images all came with its evaluation.
    if (missing.length === 0 || this.#evaluatedSamples.length > 0) return;
    try {
      const samples = await api.getSamples({ datasetId: evaluation.datasetId, split: 'test', indices: missing });
      if (this.evaluation?.datasetId !== samples.datasetId) return;
      const size = samples.rows * samples.cols;
      const next = new Map(this.images);
      samples.indices.forEach((index, i) => next.set(index, samples.images.slice(i * size, (i + 1) * size)));
      this.images = next;
    } catch (error) {
      this.error = `Could not read the test images: ${errorText(error)}`;
    }
  }

  /** The class probabilities the model gave image `index`. */
  probabilitiesOf(index: number): Float32Array | null {
    const evaluation = this.evaluation;
    if (!evaluation) return null;
    const n = evaluation.classNames.length;
    return evaluation.probabilities.subarray(index * n, (index + 1) * n);
  }
}
