import type { AppState } from '../../app/app-state.svelte';
import type { Classifier } from '../../app/classifier.svelte';
import { Recognition } from '../../app/recognition.svelte';
import { NearestSearch } from '../../components/nearest-search.svelte';
import { forward } from '../../lib/network';
import type { Api } from '$shared/ipc/contract';
import { normalizeInput } from '$shared/preprocess/mnist-preprocess';
import type { EpochProjection, Projection, ProjectionMap, ProjectorLayer, ProjectorMethod, ProjectorSample } from '$shared/projector/projector';
import { placeOnMap, softmax } from './map-geometry';

/** The part of window.api the panel uses, so tests can hand it a fake. */
export type ProjectorApi = Pick<Api, 'projectLayer' | 'cancelProjection' | 'onProjectorProgress' | 'onTrainingEpochMaps' | 'nearestDigits' | 'getSamples'>;

interface Wanted {
  modelId: string;
  layer: ProjectorLayer;
  method: ProjectorMethod;
  sample: ProjectorSample;
}

/** Epochs of the latest run whose maps are kept (each epoch's maps are a few tens of kB); older runs' are dropped. */
const MAX_EPOCHS = 1000;

/**
 * The projector: which layer, method and sample the map shows, the active model's map, the maps of the
 * latest run's epochs for replay, and the drawing placed on the map with its nearest training digits.
 */
export class ProjectorState {
  /** null: the last hidden layer (the output for a model without one). */
  layer = $state<ProjectorLayer | null>(null);
  method = $state<ProjectorMethod>('pca');
  sample = $state<ProjectorSample>(1000);
  /** The active model's map, as last made, and the choices it was made for. */
  projection = $state.raw<{ made: Wanted; map: Projection } | null>(null);
  loading = $state(false);
  /** 0..1 while a map is being made. */
  progress = $state<number | null>(null);
  error = $state<string | null>(null);
  /** The latest run's maps, one per epoch, in order. */
  epochs = $state.raw<readonly EpochProjection[]>([]);
  /** 'run' replays the epochs (at `epochAt`, null following the latest); 'model' is the active model. */
  source = $state<'model' | 'run'>('model');
  epochAt = $state<number | null>(null);
  readonly recognition: Recognition;
  readonly nearest: NearestSearch;
  /** Test images fetched for the hover, by dataset and index (grey levels 0..255). */
  thumbnails = $state.raw<ReadonlyMap<string, { pixels: Uint8Array; rows: number; cols: number }>>(new Map());

  readonly #classifier: Classifier;
  readonly #app: AppState;
  #api: ProjectorApi | null = null;
  #request = 0;

  constructor(services: { classifier: Classifier; app: AppState }) {
    this.#classifier = services.classifier;
    this.#app = services.app;
    this.recognition = new Recognition(services.classifier);
    this.nearest = new NearestSearch(() => this.#api);
  }

  readonly classNames = $derived.by(() => this.#classifier.classNames);
  readonly hiddenLayers = $derived.by(() => Math.max(0, this.#classifier.weights.length - 1));
  readonly layerChoice = $derived<ProjectorLayer>(
    this.layer !== null && (this.layer === 'output' || this.layer <= this.hiddenLayers) ? this.layer : this.hiddenLayers > 0 ? this.hiddenLayers : 'output',
  );
  readonly layerOptions = $derived.by(() => {
    const weights = this.#classifier.weights;
    const options: { value: ProjectorLayer; label: string }[] = [{ value: 0, label: `Input pixels (${weights[0]?.inputs ?? 784})` }];
    for (let i = 1; i <= this.hiddenLayers; i++) options.push({ value: i, label: `Hidden layer ${i} (${weights[i - 1].units} units)` });
    options.push({ value: 'output', label: 'Output (class probabilities)' });
    return options;
  });

  /** What the active model's map should be; a change asks for a new one. */
  readonly wanted = $derived.by((): Wanted | null => {
    const modelId = this.#classifier.modelId;
    return modelId ? { modelId, layer: this.layerChoice, method: this.method, sample: this.sample } : null;
  });

  readonly runEpochs = $derived(this.epochs.map((e) => e.epoch));
  readonly epochIndex = $derived(this.epochs.length === 0 ? null : Math.min(this.epochAt ?? this.epochs.length - 1, this.epochs.length - 1));
  /** The epoch map of the chosen layer (runs map the last hidden layer and the output). */
  readonly epochMap = $derived(this.epochIndex === null ? null : (this.epochs[this.epochIndex].maps.find((m) => m.layer === this.layerChoice) ?? null));

  readonly modelMap = $derived.by((): Projection | null => {
    const p = this.projection;
    const w = this.wanted;
    return p && w && p.made.modelId === w.modelId && p.made.layer === w.layer && p.made.method === w.method && p.made.sample === w.sample ? p.map : null;
  });
  readonly map = $derived<ProjectionMap | null>(this.source === 'run' ? this.epochMap : this.modelMap);

  /** The drawing's values at the map's layer (the active model's weights), or null. */
  readonly drawingValues = $derived.by((): Float32Array | null => {
    const preprocessed = this.recognition.preprocessed;
    const weights = this.#classifier.weights;
    if (!preprocessed || weights.length === 0) return null;
    const input = normalizeInput(preprocessed.input, this.#classifier.normalization);
    const layer = this.layerChoice;
    if (layer === 0) return input;
    const pass = forward(weights, input);
    return layer === 'output' ? softmax(pass.post[pass.post.length - 1]) : (pass.post[layer - 1] ?? null);
  });
  /** Where the drawing lands: on the active model's map only, since an epoch's map had other weights. */
  readonly drawingPoint = $derived(this.source === 'model' && this.modelMap && this.drawingValues ? placeOnMap(this.modelMap, this.drawingValues, this.modelMap.activations) : null);

  /** Makes the active model's map for the current choices, unless it is already on screen. */
  async refresh(): Promise<void> {
    const wanted = this.wanted;
    const api = this.#api;
    if (!wanted || !api || this.modelMap) return;
    const request = ++this.#request;
    this.loading = true;
    this.progress = 0;
    this.error = null;
    try {
      const projection = await api.projectLayer({ layer: wanted.layer, method: wanted.method, sample: wanted.sample });
      if (request === this.#request) this.projection = { made: wanted, map: projection };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A newer map (or a Cancel) ended this one: nothing to report.
      if (request === this.#request && !/cancelled/i.test(message)) this.error = message;
    } finally {
      if (request === this.#request) {
        this.loading = false;
        this.progress = null;
      }
    }
  }

  cancel(): void {
    this.#request++;
    this.loading = false;
    this.progress = null;
    void this.#api?.cancelProjection();
  }

  /** A test image of the active model's dataset for the hover, once fetched; null until then. */
  thumbnailOf(index: number): { pixels: Uint8Array; rows: number; cols: number } | null {
    return this.thumbnails.get(`${this.#classifier.metadata?.datasetId}:${index}`) ?? null;
  }

  async loadThumbnail(index: number): Promise<void> {
    const datasetId = this.#classifier.metadata?.datasetId;
    const key = `${datasetId}:${index}`;
    if (!datasetId || !this.#api || this.thumbnails.has(key)) return;
    try {
      const samples = await this.#api.getSamples({ datasetId, split: 'test', indices: [index] });
      // A hover visits many points: the cache is bounded, and starts over when full.
      const next = new Map(this.thumbnails.size > 2000 ? [] : this.thumbnails);
      next.set(key, { pixels: samples.images, rows: samples.rows, cols: samples.cols });
      this.thumbnails = next;
    } catch {
      // The hover still names the classes; a missing thumbnail is not worth an error.
    }
  }

  /** Shows these points' test images in the Gallery. */
  openInGallery(indices: readonly number[]): void {
    const layer = this.layerChoice === 'output' ? 'the output' : this.layerChoice === 0 ? 'the input' : `hidden layer ${this.layerChoice}`;
    this.#app.openInGallery(indices, `${indices.length} picked on the map of ${layer}`);
  }

  connect(api: ProjectorApi): () => void {
    this.#api = api;
    const unsubscribe = [
      api.onProjectorProgress((p) => {
        if (this.loading) this.progress = p.total > 0 ? p.done / p.total : null;
      }),
      api.onTrainingEpochMaps((maps) => {
        const sameRun = this.epochs.length > 0 && this.epochs[0].runId === maps.runId;
        this.epochs = sameRun ? [...this.epochs, maps].slice(-MAX_EPOCHS) : [maps];
        // A new run's first epoch: follow it live.
        if (!sameRun) {
          this.source = 'run';
          this.epochAt = null;
        }
      }),
    ];
    return () => {
      for (const off of unsubscribe) off();
      this.#api = null;
    };
  }
}
