import type { Classifier } from '../../app/classifier.svelte';
import { plainFileError } from '../../app/plain-error';
import type { SavedModel } from '$shared/models';
import type { DownloadProgress } from '$shared/datasets/download';
import type { TrainingError, TrainingFinished, TrainingProgress, TrainingStatus } from '$shared/training';
import type { ModelMetadata } from '$shared/model-metadata';
import { LIMITS } from '$shared/model-spec';
import type { SpecHandoff, SpecRequest } from '../../app/spec-handoff.svelte';
import { SpecEditor } from './spec-editor.svelte';
import type { DatasetSummary } from '$shared/datasets/dataset-summary';
import { isCatalogId } from '$shared/datasets/catalog';
import { appendPoint, chartEpochsOf, DEFAULT_SMOOTHING, percentDone, smoothSeries } from './training-run';
import type { EpochEntry, PanelError, Point, TrainingApi } from './training-run';
import { fieldErrors } from './field-checks';
import { watchLoss } from './loss-watch';
import { ASSUMED_OPS_PER_SECOND, CONFIRM_ABOVE_SECONDS, estimateRunSeconds, measuredOpsPerSecond, type DatasetSize } from './run-estimate';
import { errorText } from '../../app/error-text';

/** The active model when a run starts, to say so when the run turns out far worse (see `replaced`). */
export interface ActiveModelInfo {
  id: string;
  name: string;
  testAccuracy: number | null;
}

/** A run this many points of accuracy below the model it replaced is "far worse". */
export const FAR_WORSE = 0.1;

/** What TrainingState needs to know of the classifier's active model. */
export function activeModelOf(classifier: Pick<Classifier, 'modelId' | 'metadata'>): ActiveModelInfo | null {
  const { modelId, metadata } = classifier;
  return modelId && metadata ? { id: modelId, name: metadata.name, testAccuracy: metadata.metrics.testAccuracy ?? null } : null;
}

/** A dataset's sizes for the estimate; null while it is not known (an import main has not listed). */
function datasetSize(info: DatasetSummary | null | undefined): DatasetSize | null {
  if (!info) return null;
  return { train: info.counts.train, test: info.counts.test, pixels: info.imageSize.rows * info.imageSize.cols, classes: info.classNames.length };
}

/**
 * Everything the Train panel shows: the run main reports on, and (in `editor`) the spec being designed.
 * It lives as long as the window, so switching tabs keeps the curves. Arrays that grow during training
 * are raw and replaced on change: nothing needs deep reactivity per batch.
 */
export class TrainingState {
  /** The settings; a preset cannot replace them while a run uses them. */
  readonly editor = new SpecEditor(() => this.busy);
  status = $state.raw<TrainingStatus>({ phase: 'idle', backend: null, run: null });
  epochs = $state.raw<readonly EpochEntry[]>([]);
  /** The reported batch loss (each report averages its batches), x in fractional epochs. */
  rawBatchLoss = $state.raw<readonly Point[]>([]);
  /** TensorBoard's smoothing of the batch-loss curve, 0 (raw) to 0.99. */
  smoothing = $state(DEFAULT_SMOOTHING);
  /** A long run waiting for the learner's yes (see `train`); null otherwise. */
  confirming = $state.raw<{ seconds: number; measured: boolean } | null>(null);
  /** A dataset download started here (a preset's missing dataset), while it runs or after it failed. */
  download = $state.raw<DownloadProgress | null>(null);
  /** The model the current run replaced as the active one, when it was known. */
  replaced = $state.raw<ActiveModelInfo | null>(null);
  progress = $state.raw<TrainingProgress | null>(null);
  result = $state.raw<TrainingFinished | null>(null);
  error = $state.raw<PanelError | null>(null);
  saving = $state(false);
  saved = $state.raw<SavedModel | null>(null);
  saveError = $state<string | null>(null);
  connected = $state(false);
  /** The epoch the current training call runs up to (the x axis' natural end). */
  callEnd = $state(0);

  #api: TrainingApi | null = null;
  #unsubscribe: (() => void)[] = [];
  /** Status events seen so far, so a slower status request cannot overwrite a newer event. */
  #statusEvents = 0;
  /** The run whose events are shown; others (an earlier run's stragglers) are ignored. */
  #runId: string | null = null;
  /** This machine's training speed, measured on the last epoch trained; null until one has been. */
  #opsPerSecond = $state<number | null>(null);
  readonly #activeModel: () => ActiveModelInfo | null;

  /** The debiased moving average of the batch loss the loss chart draws. */
  readonly batchLoss = $derived(smoothSeries(this.rawBatchLoss, this.smoothing));
  /** Each typed-in field's problem, in its own words (see field-checks.ts). */
  readonly fieldErrors = $derived(fieldErrors(this.editor.spec, this.editor.dataset?.counts.train ?? 1_000_000_000));
  /** An exploding or stuck loss, said while it happens. */
  readonly lossTrouble = $derived(
    watchLoss(
      this.rawBatchLoss.map((p) => ({ x: p.x, loss: p.y })),
      this.#datasetOf(this.status.run?.datasetId ?? this.editor.datasetId)?.classNames.length ?? 10,
    ),
  );
  /** How long Train would take with the settings as they are, at this machine's measured speed if known. */
  readonly estimate = $derived.by((): { seconds: number; measured: boolean } | null => {
    if (Object.keys(this.fieldErrors).length > 0 || this.editor.problems.length > 0) return null;
    const size = datasetSize(this.editor.dataset);
    if (!size) return null;
    const seconds = estimateRunSeconds(this.editor.spec, size, this.#opsPerSecond ?? ASSUMED_OPS_PER_SECOND);
    return seconds === null ? null : { seconds, measured: this.#opsPerSecond !== null };
  });
  /** The finished run is far worse than the model it replaced as the active one. */
  readonly farWorse = $derived.by((): boolean => {
    const before = this.replaced?.testAccuracy;
    const result = this.result;
    return result !== null && before !== null && before !== undefined && result.testAccuracy < before - FAR_WORSE;
  });

  #datasetOf(id: string): DatasetSummary | null {
    return id === this.editor.datasetId ? this.editor.dataset : (this.editor.datasets.find((d) => d.id === id) ?? null);
  }

  /**
   * `activeModel` says which model a run would replace; `handoff` brings a recorded run's settings from
   * the Runs tab (Re-run).
   */
  constructor(options: { activeModel?: () => ActiveModelInfo | null; handoff?: SpecHandoff } = {}) {
    this.#activeModel = options.activeModel ?? (() => null);
    options.handoff?.receive((request) => this.adopt(request));
  }

  readonly phase = $derived(this.status.phase);
  readonly busy = $derived(this.phase !== 'idle');
  readonly canTrain = $derived(
    this.connected &&
      this.phase === 'idle' &&
      this.editor.problems.length === 0 &&
      Object.keys(this.fieldErrors).length === 0 &&
      this.editor.datasetProblem === null,
  );
  readonly canStop = $derived(this.phase === 'training');
  readonly canContinue = $derived(
    this.connected &&
      this.phase === 'idle' &&
      this.status.run !== null &&
      Number.isInteger(this.editor.spec.epochs) &&
      this.editor.spec.epochs >= LIMITS.epochs.min &&
      this.editor.spec.epochs <= LIMITS.epochs.max,
  );
  readonly canReset = $derived(
    this.connected && this.phase === 'idle' && (this.status.run !== null || this.epochs.length > 0 || this.batchLoss.length > 0),
  );
  /** One point per epoch for the charts (see chartEpochsOf). */
  readonly chartEpochs = $derived(chartEpochsOf(this.epochs));
  /** Share of this call's batches done, 0–100. */
  readonly percent = $derived(percentDone(this.progress, this.result));

  /** Subscribes to main's training events (once; a second call replaces the first) and loads the status. */
  connect(api: TrainingApi): () => void {
    this.dispose();
    this.#api = api;
    this.#unsubscribe = [
      api.onTrainingStatus((status) => {
        this.#statusEvents++;
        this.#onStatus(status);
      }),
      api.onTrainingProgress((progress) => this.#onProgress(progress)),
      api.onTrainingEpoch(({ runId, log }) => {
        if (runId !== this.#runId) return;
        this.epochs = [...this.epochs, { log, of: this.callEnd }];
        const run = this.status.run;
        const size = datasetSize(run ? this.#datasetOf(run.datasetId) : null);
        if (run && size && log.samples > 0) this.#opsPerSecond = measuredOpsPerSecond(run.spec, size, log.samplesPerSecond) ?? this.#opsPerSecond;
      }),
      api.onTrainingFinished((finished) => {
        if (finished.runId === this.#runId) this.result = finished;
      }),
      api.onTrainingError((error) => this.#onError(error)),
      // A download in the Data tab makes a dataset selectable here.
      api.onDatasetsChanged((datasets) => (this.editor.datasets = datasets)),
      api.onDownloadProgress((progress) => {
        if (progress.datasetId === this.download?.datasetId) this.download = progress;
      }),
    ];
    this.connected = true;
    void this.#load(api);
    return () => this.dispose();
  }

  dispose(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
    this.#api = null;
    this.connected = false;
  }

  /**
   * Starts a fresh model. A run estimated to take longer than CONFIRM_ABOVE_SECONDS asks first
   * (`confirming`); `confirmed` is the learner's yes.
   */
  async train(confirmed = false): Promise<void> {
    const api = this.#api;
    if (!api || !this.canTrain) return;
    const estimate = this.estimate;
    if (!confirmed && estimate && estimate.seconds > CONFIRM_ABOVE_SECONDS) {
      this.confirming = estimate;
      return;
    }
    this.confirming = null;
    this.#clearRun();
    this.replaced = this.#activeModel();
    this.callEnd = this.editor.spec.epochs;
    await this.#request('Could not start training', async () => {
      const { runId } = await api.startTraining({ spec: $state.snapshot(this.editor.spec), datasetId: this.editor.datasetId });
      this.#runId = runId;
    });
  }

  /** Trains the current model `spec.epochs` more, with its own settings; the curves extend. */
  async continue(): Promise<void> {
    const api = this.#api;
    const run = this.status.run;
    if (!api || !run || !this.canContinue) return;
    this.error = null;
    this.result = null;
    this.saved = null;
    this.progress = null;
    const { epochs } = this.editor.spec;
    this.callEnd = run.epochsDone + epochs;
    await this.#request('Could not continue training', () => api.continueTraining({ epochs }));
  }

  /**
   * Trains a saved model `epochs` more as a new run (main loads it from the library): the settings show
   * its spec and dataset, and the curves start with its history.
   */
  async continueSaved(id: string, metadata: ModelMetadata, epochs: number): Promise<boolean> {
    const api = this.#api;
    if (!api || !this.connected || this.busy) return false;
    this.#clearRun();
    this.editor.spec = { ...structuredClone(metadata.spec), normalization: metadata.normalization, epochs };
    this.editor.datasetId = metadata.datasetId;
    this.callEnd = metadata.epochsTrained + epochs;
    let started = false;
    await this.#request(`Could not continue ${metadata.name}`, async () => {
      this.#runId = (await api.continueModel({ id, epochs })).runId;
      // The status event may have come first and taken the model's own epoch count for this call's.
      this.callEnd = metadata.epochsTrained + epochs;
      started = true;
    });
    return started;
  }

  async stop(): Promise<void> {
    const api = this.#api;
    if (!api || !this.canStop) return;
    await this.#request('Could not stop training', () => api.stopTraining());
  }

  /** Forgets the trained model (the next Train starts afresh) and clears the curves. */
  async reset(): Promise<void> {
    const api = this.#api;
    if (!api || !this.canReset) return;
    await this.#request('Could not reset', async () => {
      await api.resetTraining();
      this.#clearRun();
    });
  }

  async save(name: string): Promise<void> {
    const api = this.#api;
    if (!api || this.saving) return;
    this.saving = true;
    this.saved = null;
    this.saveError = null;
    try {
      this.saved = await api.saveModel({ name });
    } catch (error) {
      this.saveError = plainFileError(errorText(error));
    } finally {
      this.saving = false;
    }
  }

  /** Makes the model this run replaced the active one again (it is kept in main's recent models). */
  async restore(): Promise<void> {
    const api = this.#api;
    const replaced = this.replaced;
    if (!api || !replaced) return;
    await this.#request(`Could not bring back “${replaced.name}”`, async () => {
      await api.loadModel({ id: replaced.id });
      this.replaced = null;
    });
  }

  /** Downloads the chosen dataset right here, for a preset that needs one not on this machine yet. */
  async downloadDataset(): Promise<void> {
    const api = this.#api;
    const datasetId = this.editor.datasetId;
    if (!api || !isCatalogId(datasetId) || this.download?.state === 'downloading') return;
    const started: DownloadProgress = { datasetId, state: 'downloading', files: [], received: 0, total: 0, bytesPerSecond: 0, etaSeconds: null, failures: [], message: null };
    this.download = started;
    try {
      this.download = await api.downloadDataset({ datasetId });
      // The list-changed event may have come first, or not at all (a bridge that drops it): ask.
      if (this.download.state === 'done') this.editor.datasets = await api.listDatasets();
    } catch (error) {
      this.download = { ...started, state: 'failed', message: errorText(error) };
    }
  }

  cancelConfirm(): void {
    this.confirming = null;
  }

  /** Takes a recorded run's settings for the next Train; refused (saying why) while a run uses the current ones. */
  adopt({ spec, datasetId }: SpecRequest): string | null {
    if (this.busy) return 'Training is running: stop it before loading other settings.';
    this.editor.spec = structuredClone(spec);
    this.editor.datasetId = datasetId;
    return null;
  }

  dismissError(): void {
    this.error = null;
  }

  async #load(api: TrainingApi): Promise<void> {
    const eventsBefore = this.#statusEvents;
    try {
      const [status, datasets] = await Promise.all([api.getTrainingStatus(), api.listDatasets()]);
      if (api !== this.#api) return;
      this.editor.datasets = datasets;
      // A status event that came in meanwhile is newer than this answer: keep it.
      if (this.#statusEvents !== eventsBefore) return;
      // A run already there (the window reloaded mid-training): show what it trains.
      if (status.run && status.run.id !== this.#runId) {
        this.editor.spec = structuredClone(status.run.spec);
        this.editor.datasetId = status.run.datasetId;
      }
      this.#onStatus(status);
    } catch (error) {
      this.error = { kind: 'request', message: `Could not read the training status: ${errorText(error)}`, advice: null };
    }
  }

  #onStatus(status: TrainingStatus): void {
    this.status = status;
    const run = status.run;
    if (!run || run.id === this.#runId) return;
    // A run this panel has not shown yet (a fresh Train): its curves start from what main knows.
    this.#clearRun();
    this.#runId = run.id;
    const last = run.history[run.history.length - 1];
    this.callEnd = Math.max(run.epochsDone, last ? last.epoch + 1 : 0, status.phase === 'idle' ? 0 : run.spec.epochs);
    this.epochs = run.history.map((log) => ({ log, of: this.callEnd }));
  }

  #onProgress(progress: TrainingProgress): void {
    if (progress.runId !== this.#runId) return;
    this.progress = progress;
    this.callEnd = progress.lastEpoch;
    const { epoch, batch, batches, loss } = progress.batch;
    this.rawBatchLoss = appendPoint(this.rawBatchLoss, { x: epoch + (batch + 1) / batches, y: loss });
  }

  #onError(error: TrainingError): void {
    if (error.runId !== null && error.runId !== this.#runId) return;
    this.error = { kind: error.kind, message: error.message, advice: error.advice };
  }

  #clearRun(): void {
    this.#runId = null;
    this.epochs = [];
    this.rawBatchLoss = [];
    this.progress = null;
    this.result = null;
    this.error = null;
    this.saved = null;
    this.saveError = null;
  }

  async #request(context: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.error = { kind: 'request', message: `${context}: ${errorText(error)}`, advice: null };
    }
  }
}

