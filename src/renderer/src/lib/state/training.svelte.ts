import { DATASETS, type DatasetId } from '../../../../shared/datasets/catalog';
import type {
  Api,
  DatasetSummary,
  SavedModel,
  TrainingError,
  TrainingErrorKind,
  TrainingFinished,
  TrainingProgress,
  TrainingStatus,
} from '../../../../shared/ipc/contract';
import { LIMITS, validateSpec, type HiddenLayerSpec, type ModelSpec, type OptimizerName } from '../../../../shared/model-spec';
import { summarizeSpec } from '../../../../shared/model-summary';
import { findPreset, type Preset } from '../../../../shared/presets';
import type { EpochLog } from '../../../../shared/training';

/** The part of window.api the Train panel uses, so tests can hand it a fake. */
export type TrainingApi = Pick<
  Api,
  | 'getTrainingStatus'
  | 'listDatasets'
  | 'startTraining'
  | 'continueTraining'
  | 'stopTraining'
  | 'resetTraining'
  | 'saveModel'
  | 'onTrainingStatus'
  | 'onTrainingProgress'
  | 'onTrainingEpoch'
  | 'onTrainingFinished'
  | 'onTrainingError'
>;

export interface EpochEntry {
  log: EpochLog;
  /** Where the training call this epoch belongs to ends, for "Epoch 3/10". */
  of: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface PanelError {
  /** 'request': main refused a call (e.g. Train while the dataset is missing). */
  kind: TrainingErrorKind | 'request';
  message: string;
  advice: string | null;
}

export const DEFAULT_PRESET = 'sklearn-exercise';

/** Weight of the newest progress report in the smoothed loss; each report already averages its batches. */
const SMOOTHING = 0.25;

const preset = (id: string): Preset => findPreset(id) ?? findPreset(DEFAULT_PRESET)!;

/**
 * Everything the Train panel shows and edits: the spec being designed, and the run main reports on. It
 * lives as long as the window, so switching tabs keeps the curves. Arrays that grow during training are
 * raw and replaced on change: nothing needs deep reactivity per batch.
 */
export class TrainingState {
  presetId = $state(DEFAULT_PRESET);
  spec = $state<ModelSpec>(structuredClone(preset(DEFAULT_PRESET).spec));
  datasetId = $state<DatasetId>(preset(DEFAULT_PRESET).dataset);
  datasets = $state.raw<readonly DatasetSummary[]>([]);
  status = $state.raw<TrainingStatus>({ phase: 'idle', backend: null, run: null });
  epochs = $state.raw<readonly EpochEntry[]>([]);
  /** Exponential moving average of the reported batch loss, x in fractional epochs. */
  batchLoss = $state.raw<readonly Point[]>([]);
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
  /** The run whose events are shown; others (an earlier run's stragglers) are ignored. */
  #runId: string | null = null;
  #ema: number | null = null;

  readonly phase = $derived(this.status.phase);
  readonly busy = $derived(this.phase !== 'idle');
  readonly problems = $derived(validateSpec(this.spec));
  readonly summary = $derived(summarizeSpec(this.spec, 784, DATASETS[this.datasetId].classNames.length));
  readonly preset = $derived(preset(this.presetId));
  readonly modified = $derived(
    this.datasetId !== this.preset.dataset || JSON.stringify(this.spec) !== JSON.stringify(this.preset.spec),
  );
  readonly datasetProblem = $derived.by((): string | null => {
    const summary = this.datasets.find((d) => d.id === this.datasetId);
    if (!summary || summary.available) return null;
    return `${summary.displayName} is not downloaded: choose MNIST, or download it first`;
  });
  readonly canTrain = $derived(
    this.connected && this.phase === 'idle' && this.problems.length === 0 && this.datasetProblem === null,
  );
  readonly canStop = $derived(this.phase === 'training');
  readonly canContinue = $derived(
    this.connected &&
      this.phase === 'idle' &&
      this.status.run !== null &&
      Number.isInteger(this.spec.epochs) &&
      this.spec.epochs >= LIMITS.epochs.min &&
      this.spec.epochs <= LIMITS.epochs.max,
  );
  readonly canReset = $derived(
    this.connected && this.phase === 'idle' && (this.status.run !== null || this.epochs.length > 0 || this.batchLoss.length > 0),
  );
  /** One point per epoch for the charts: the last complete log of each (a stopped epoch is redone by Continue). */
  readonly chartEpochs = $derived.by((): EpochLog[] => {
    const byEpoch = new Map<number, EpochLog>();
    for (const { log } of this.epochs) if (log.complete) byEpoch.set(log.epoch, log);
    return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
  });
  /** Share of this call's batches done, 0–100. */
  readonly percent = $derived.by((): number => {
    if (this.result && !this.result.stopped) return 100;
    const p = this.progress;
    if (!p) return 0;
    const total = (p.lastEpoch - p.firstEpoch) * p.batch.batches;
    const done = (p.batch.epoch - p.firstEpoch) * p.batch.batches + p.batch.batch + 1;
    return total > 0 ? Math.min(100, Math.max(0, Math.round((done / total) * 100))) : 0;
  });

  /** Subscribes to main's training events (once; a second call replaces the first) and loads the status. */
  connect(api: TrainingApi): () => void {
    this.dispose();
    this.#api = api;
    this.#unsubscribe = [
      api.onTrainingStatus((status) => this.#onStatus(status)),
      api.onTrainingProgress((progress) => this.#onProgress(progress)),
      api.onTrainingEpoch(({ runId, log }) => {
        if (runId === this.#runId) this.epochs = [...this.epochs, { log, of: this.callEnd }];
      }),
      api.onTrainingFinished((finished) => {
        if (finished.runId === this.#runId) this.result = finished;
      }),
      api.onTrainingError((error) => this.#onError(error)),
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

  /** Sets every control from a preset. */
  selectPreset(id: string): void {
    const chosen = findPreset(id);
    if (!chosen || this.busy) return;
    this.presetId = chosen.id;
    this.spec = structuredClone(chosen.spec);
    this.datasetId = chosen.dataset;
  }

  /** Momentum and Nesterov belong to SGD: leaving it clears them rather than leaving an invalid spec. */
  setOptimizer(optimizer: OptimizerName): void {
    this.spec.optimizer = optimizer;
    if (optimizer !== 'sgd') {
      this.spec.momentum = 0;
      this.spec.nesterov = false;
    }
  }

  setMomentum(momentum: number): void {
    this.spec.momentum = momentum;
    if (momentum === 0) this.spec.nesterov = false;
  }

  addLayer(): void {
    const layers = this.spec.hiddenLayers;
    if (layers.length >= LIMITS.hiddenLayers.max) return;
    const last = layers[layers.length - 1];
    const layer: HiddenLayerSpec = { units: last?.units ?? 64, activation: last?.activation ?? 'relu', dropout: 0 };
    layers.push(layer);
  }

  removeLayer(index: number): void {
    this.spec.hiddenLayers.splice(index, 1);
  }

  async train(): Promise<void> {
    const api = this.#api;
    if (!api || !this.canTrain) return;
    this.#clearRun();
    this.callEnd = this.spec.epochs;
    await this.#request('Could not start training', async () => {
      const { runId } = await api.startTraining({ spec: $state.snapshot(this.spec), datasetId: this.datasetId });
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
    this.callEnd = run.epochsDone + this.spec.epochs;
    await this.#request('Could not continue training', () => api.continueTraining({ epochs: this.spec.epochs }));
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
      this.saveError = messageOf(error);
    } finally {
      this.saving = false;
    }
  }

  dismissError(): void {
    this.error = null;
  }

  async #load(api: TrainingApi): Promise<void> {
    try {
      const [status, datasets] = await Promise.all([api.getTrainingStatus(), api.listDatasets()]);
      if (api !== this.#api) return;
      this.datasets = datasets;
      // A run already there (the window reloaded mid-training): show what it trains.
      if (status.run && status.run.id !== this.#runId) {
        this.spec = structuredClone(status.run.spec);
        this.datasetId = status.run.datasetId;
      }
      this.#onStatus(status);
    } catch (error) {
      this.error = { kind: 'request', message: `Could not read the training status: ${messageOf(error)}`, advice: null };
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
    const x = epoch + (batch + 1) / batches;
    this.#ema = this.#ema === null ? loss : this.#ema + SMOOTHING * (loss - this.#ema);
    const series = this.batchLoss;
    const last = series[series.length - 1];
    // Continue after a Stop redoes the cut-short epoch: its new points replace the old ones.
    const kept = last && last.x >= x ? series.filter((p) => p.x < x) : series;
    this.batchLoss = [...kept, { x, y: this.#ema }];
  }

  #onError(error: TrainingError): void {
    if (error.runId !== null && error.runId !== this.#runId) return;
    this.error = { kind: error.kind, message: error.message, advice: error.advice };
  }

  #clearRun(): void {
    this.#runId = null;
    this.#ema = null;
    this.epochs = [];
    this.batchLoss = [];
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
      this.error = { kind: 'request', message: `${context}: ${messageOf(error)}`, advice: null };
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
