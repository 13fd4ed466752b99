import type { SavedModel } from '../../../../shared/models';
import type { TrainingError, TrainingFinished, TrainingProgress, TrainingStatus } from '../../../../shared/training';
import { LIMITS } from '../../../../shared/model-spec';
import type { SpecHandoff, SpecRequest } from '../../app/spec-handoff.svelte';
import { SpecEditor } from './spec-editor.svelte';
import { appendPoint, chartEpochsOf, percentDone, smoothLoss } from './training-run';
import type { EpochEntry, PanelError, Point, TrainingApi } from './training-run';

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
  /** Status events seen so far, so a slower status request cannot overwrite a newer event. */
  #statusEvents = 0;
  /** The run whose events are shown; others (an earlier run's stragglers) are ignored. */
  #runId: string | null = null;
  #ema: number | null = null;

  /** `handoff` brings a recorded run's settings from the Runs tab (Re-run). */
  constructor(handoff?: SpecHandoff) {
    handoff?.receive((request) => this.adopt(request));
  }

  readonly phase = $derived(this.status.phase);
  readonly busy = $derived(this.phase !== 'idle');
  readonly canTrain = $derived(
    this.connected && this.phase === 'idle' && this.editor.problems.length === 0 && this.editor.datasetProblem === null,
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
        if (runId === this.#runId) this.epochs = [...this.epochs, { log, of: this.callEnd }];
      }),
      api.onTrainingFinished((finished) => {
        if (finished.runId === this.#runId) this.result = finished;
      }),
      api.onTrainingError((error) => this.#onError(error)),
      // A download in the Data tab makes a dataset selectable here.
      api.onDatasetsChanged((datasets) => (this.editor.datasets = datasets)),
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

  async train(): Promise<void> {
    const api = this.#api;
    if (!api || !this.canTrain) return;
    this.#clearRun();
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
    this.#ema = smoothLoss(this.#ema, loss);
    this.batchLoss = appendPoint(this.batchLoss, { x: epoch + (batch + 1) / batches, y: this.#ema });
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
