import type { Api } from '$shared/ipc/contract';
import { DATASET_ID_PATTERN, type DatasetId } from '$shared/datasets/catalog';
import { normalizeInput } from '$shared/preprocess/mnist-preprocess';
import { argMax } from '$shared/vector';
import type { Classifier } from '../../app/classifier.svelte';
import type { Services } from '../../app/context';
import { Recognition } from '../../app/recognition.svelte';
import { meanTestImage } from './mean-image';
import { snapshotLabel, type DenseLayerWeights, type TrainingWeights } from '$shared/weights';
import { checkLayers, forward, inputGradient } from '../../lib/network';
import { Latest } from '../../lib/latest';
import { INPUT_PIXELS } from '../../lib/input-size';
import { colourScales, sortUnits, unitNorms, type ScaleMode, type SortMode } from './unit-stats';

export const MIN_ZOOM = 0.5;
export const MAX_ZOOM = 4;

/** The part of window.api the panel uses, so tests can hand it a fake. */
export type WeightsApi = Pick<Api, 'getSamples' | 'onTrainingWeights' | 'onTrainingError' | 'onTrainingFinished' | 'onTrainingStatus'>;

export interface SnapshotOptions {
  /** The layers are the model's first ones only (a big model's snapshot): nothing follows the last. */
  partial?: boolean;
  /** The training run they come from: its failure takes them off the screen. */
  runId?: string;
}

/** Weights handed in from outside the active model (a training snapshot), and the model they replace. */
interface Snapshot extends SnapshotOptions {
  layers: readonly DenseLayerWeights[];
  label: string;
  /** The active model when it came: a newer model replaces the snapshot on screen. */
  modelId: string | null;
  serial: number;
}

/**
 * What the Weights panel shows and how: the set of weights (the active model's, or the latest
 * snapshot given to showWeights), the layer, scale, order and zoom, the unit picked, and everything
 * the current drawing lights up. App keeps it for the window's life, so a drawing and a picked unit
 * survive a visit to another tab.
 */
export class WeightsState {
  #classifier: Classifier;
  #snapshot = $state.raw<Snapshot | null>(null);
  #serial = 0;
  #api: WeightsApi | null = null;
  #meanLoading: DatasetId | null = null;
  readonly #meanRequest = new Latest();

  layerIndex = $state(0);
  scaleMode = $state<ScaleMode>('unit');
  sortMode = $state<SortMode>('index');
  zoom = $state(1);
  /** The unit (index in its layer) whose detail is open. */
  picked = $state<number | null>(null);
  /** The keyboard cursor, as a position in the display order. */
  cursor = $state(0);
  /** The mean test image (0..1) for the class-gradient view when nothing is drawn. */
  mean = $state.raw<{ datasetId: DatasetId; image: Float32Array } | null>(null);
  meanError = $state<string | null>(null);
  /** Why the latest training snapshot could not be shown, and the active model it came under. */
  #snapshotFailure = $state.raw<{ message: string; modelId: string | null } | null>(null);
  /** The drawing preprocessed as the Draw panel does it; the panel's own canvas feeds it. */
  readonly recognition: Recognition;

  constructor(services: Pick<Services, 'classifier'>) {
    this.#classifier = services.classifier;
    this.recognition = new Recognition(services.classifier);
  }

  /** The weights on screen, with a label saying which moment they show and an id that changes with them. */
  readonly view = $derived.by(() => {
    const snapshot = this.#snapshot;
    const classifier = this.#classifier;
    if (snapshot && snapshot.modelId === classifier.modelId) {
      return { layers: snapshot.layers, label: snapshot.label, id: `snapshot-${snapshot.serial}`, complete: !snapshot.partial };
    }
    return { layers: classifier.weights, label: classifier.metadata?.name ?? '', id: `model-${classifier.modelId ?? 'none'}`, complete: true };
  });
  /** Why the latest training snapshot could not be shown; like a snapshot, gone once the model changes. */
  readonly snapshotError = $derived.by(() =>
    this.#snapshotFailure?.modelId === this.#classifier.modelId ? (this.#snapshotFailure?.message ?? null) : null,
  );
  /** False while a snapshot holds only the first layers: there is no output layer to explain. */
  readonly complete = $derived(this.view.complete);

  readonly problem = $derived(this.view.layers.length > 0 ? checkLayers(this.view.layers, !this.view.complete) : null);
  readonly layers = $derived<readonly DenseLayerWeights[]>(this.problem ? [] : this.view.layers);
  readonly layerAt = $derived(Math.min(this.layerIndex, Math.max(0, this.layers.length - 1)));
  readonly layer = $derived<DenseLayerWeights | null>(this.layers[this.layerAt] ?? null);
  /** The first layer of a 28×28 model is drawn as image tiles; every other layer as a heatmap. */
  readonly asTiles = $derived(this.layerAt === 0 && this.layer?.inputs === INPUT_PIXELS);
  readonly isOutput = $derived(this.complete && this.layers.length > 0 && this.layerAt === this.layers.length - 1);
  readonly classNames = $derived.by(() => this.#classifier.classNames);

  readonly norms = $derived(this.layer ? unitNorms(this.layer) : new Float32Array(0));
  readonly scales = $derived(this.layer ? colourScales(this.layer, this.scaleMode) : new Float32Array(0));

  /** The drawing as the network's input, or null while nothing is drawn. */
  readonly input = $derived.by(() => {
    const preprocessed = this.recognition.preprocessed;
    return preprocessed ? normalizeInput(preprocessed.input, this.#classifier.normalization) : null;
  });
  readonly pass = $derived(this.input && this.layers.length > 0 ? forward(this.layers, this.input) : null);
  readonly activations = $derived(this.pass?.post[this.layerAt] ?? null);
  readonly topClass = $derived(this.pass && this.complete ? argMax(this.pass.pre[this.pass.pre.length - 1]) : null);
  /** ∂(top class score)/∂pixel for the drawing: positive pixels pushed the top class up. */
  readonly saliency = $derived(this.pass && this.topClass !== null ? inputGradient(this.layers, this.pass, this.topClass) : null);

  readonly order = $derived(this.layer ? sortUnits(this.sortMode, this.layer.units, this.norms, this.activations) : new Uint32Array(0));
  /** The picked unit, if it still exists in the layer on screen. */
  readonly unit = $derived(this.layer && this.picked !== null && this.picked < this.layer.units ? this.picked : null);

  /** Per class, what raises its score: the gradient at the drawing, or at the mean test image if none. */
  readonly classGradients = $derived.by(() => {
    const layers = this.layers;
    if (!this.complete || layers.length === 0 || layers[0].inputs !== INPUT_PIXELS) return null;
    const source = this.input ? 'drawing' : this.mean ? 'mean' : null;
    const input = this.input ?? (this.mean ? normalizeInput(this.mean.image, this.#classifier.normalization) : null);
    if (!source || !input) return null;
    const pass = source === 'drawing' && this.pass ? this.pass : forward(layers, input);
    const classes = layers[layers.length - 1].units;
    return { source, gradients: Array.from({ length: classes }, (_, c) => inputGradient(layers, pass, c)) };
  });

  /**
   * Follows training: each snapshot replaces the weights on screen while its run goes on. Once the run
   * ends (finished, stopped or failed) its snapshots are taken off: the trained model becomes the active
   * one and is shown as such, and a snapshot kept past that would match again whenever the model that
   * was active during the run came back (the run's near-random tiles under the default model's name).
   */
  connect(api: WeightsApi): () => void {
    this.#api = api;
    const endRun = (runId: string | null): void => {
      if (runId !== null && this.#snapshot?.runId === runId) this.#snapshot = null;
    };
    // The run main says is training: a snapshot that comes after its call ended (a stop races the
    // worker's last read of the weights) is not shown. Unknown until the first status event.
    let live: string | null | undefined;
    const unsubscribe = [
      api.onTrainingStatus((status) => {
        live = status.phase === 'idle' ? null : (status.run?.id ?? null);
        if (live === null) endRun(this.#snapshot?.runId ?? null);
      }),
      api.onTrainingWeights((snapshot) => {
        if (live === undefined || live === snapshot.runId) this.#showSnapshot(snapshot);
      }),
      api.onTrainingError((error) => endRun(error.runId)),
      api.onTrainingFinished((finished) => endRun(finished.runId)),
    ];
    return () => {
      unsubscribe.forEach((off) => off());
      if (this.#api === api) this.#api = null;
    };
  }

  #showSnapshot(snapshot: TrainingWeights): void {
    try {
      this.showWeights(snapshot.layers, snapshotLabel(snapshot), { partial: !snapshot.allLayers, runId: snapshot.runId });
      this.#snapshotFailure = null;
    } catch (error) {
      // A snapshot that cannot be drawn leaves the last good weights on screen, and says why.
      this.#snapshotFailure = { message: error instanceof Error ? error.message : String(error), modelId: this.#classifier.modelId };
    }
  }

  /**
   * Shows these weights instead of the active model's until the active model changes: the seam for
   * snapshots taken while a model trains ("epoch 3, batch 120"). Throws, naming the layer, if they do
   * not chain.
   */
  showWeights(layers: readonly DenseLayerWeights[], label: string, options: SnapshotOptions = {}): void {
    const problem = checkLayers(layers, options.partial);
    if (problem) throw new Error(`weights snapshot "${label}": ${problem}`);
    this.#snapshot = { ...options, layers, label, modelId: this.#classifier.modelId, serial: ++this.#serial };
  }

  selectLayer(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.layers.length) return;
    this.layerIndex = index;
    this.picked = null;
    this.cursor = 0;
  }

  setZoom(zoom: number): void {
    this.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
  }

  /** Opens the detail of the unit at display position `position`. */
  pickAt(position: number): void {
    if (position < 0 || position >= this.order.length) return;
    this.cursor = position;
    this.picked = this.order[position];
  }

  /** Moves the keyboard cursor by `delta` positions, staying on the grid. */
  moveCursor(delta: number): void {
    if (this.order.length === 0) return;
    this.cursor = Math.min(this.order.length - 1, Math.max(0, Math.min(this.cursor, this.order.length - 1) + delta));
  }

  /** Fetches the mean test image of the active model's dataset once, when the view needs it. */
  async loadMean(): Promise<void> {
    const id = this.#classifier.metadata?.datasetId;
    const api = this.#api;
    if (!api || !id || this.mean?.datasetId === id || this.#meanLoading === id) return;
    // Ids come from metadata a user may have edited: main answers only a well-formed one.
    if (!DATASET_ID_PATTERN.test(id)) {
      this.meanError = `the model's dataset "${id.slice(0, 80)}" is not one MLP Lab knows`;
      return;
    }
    const datasetId: DatasetId = id;
    this.#meanLoading = datasetId;
    // The model changed to another dataset meanwhile: this one's mean is not wanted any more.
    const request = this.#meanRequest.next();
    try {
      const image = await meanTestImage(api.getSamples, datasetId);
      if (!request.current) return;
      this.mean = { datasetId, image };
      this.meanError = null;
    } catch (error) {
      if (request.current) this.meanError = error instanceof Error ? error.message : String(error);
    } finally {
      if (request.current) this.#meanLoading = null;
    }
  }
}
