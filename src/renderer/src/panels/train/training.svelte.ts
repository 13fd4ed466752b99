import type { TrainingError, TrainingFinished, TrainingProgress, TrainingStatus } from '$shared/training';
import type { ModelMetadata } from '$shared/model-metadata';
import type { SpecHandoff, SpecRequest } from '../../app/spec-handoff.svelte';
import { ASSUMED_CLASSES, SpecEditor } from './spec-editor.svelte';
import { DatasetDownload } from './dataset-download.svelte';
import { ModelSave } from './model-save.svelte';
import { activeModelOf, datasetSize, isFarWorse, percentDone, type ActiveModelInfo, type ActiveModelSource, type PanelError, type TrainingApi } from './training-run';
import { TrainingCurves } from './training-curves.svelte';
import { judgeLoss } from './loss-watch';
import { TrainingTime } from './training-time.svelte';
import { errorText } from '../../app/error-text';
import { Latest } from '../../lib/latest';

/**
 * Everything the Train panel shows: the run main reports on, its curves (in `curves`), and (in
 * `editor`) the spec being designed. It lives as long as the window, so switching tabs keeps the curves.
 */
export class TrainingState {
  /** The settings; a preset cannot replace them while a run uses them. */
  readonly editor = new SpecEditor(() => this.busy);
  /** The shown run's epochs and batch losses; they start over with each new run, not with a Continue. */
  readonly curves = new TrainingCurves();
  status = $state.raw<TrainingStatus>({ phase: 'idle', backend: null, run: null });
  /** How long Train would take, and a long run waiting for the learner's yes. */
  readonly time = new TrainingTime(this.editor, () => this.status.backend, (request) => this.#api?.getMeasuredSpeed(request) ?? null);
  /** A Train or Continue sent to main and not answered yet: a second click must not send another (#24 item 7). */
  starting = $state(false);
  /** A dataset download started here (a preset's missing dataset). */
  readonly download = new DatasetDownload();
  /** The model the current run replaced as the active one, when it was known. */
  replaced = $state.raw<ActiveModelInfo | null>(null);
  progress = $state.raw<TrainingProgress | null>(null);
  result = $state.raw<TrainingFinished | null>(null);
  error = $state.raw<PanelError | null>(null);
  /** Saving the trained model to the library. */
  readonly modelSave = new ModelSave();
  connected = $state(false);

  #api: TrainingApi | null = null;
  #unsubscribe: (() => void)[] = [];
  /** A status event is newer than a status request still on its way, so it makes that answer stale. */
  readonly #statusAnswer = new Latest();
  /** The run whose events are shown; others (an earlier run's stragglers) are ignored. */
  readonly #run = new Latest<string>();
  readonly #activeModel: () => ActiveModelInfo | null;

  /** An exploding or stuck loss, said while it happens. */
  readonly lossTrouble = $derived.by(() => {
    const { latest, best } = this.curves.lossReport;
    const classes = this.editor.datasetOf(this.status.run?.datasetId ?? this.editor.datasetId)?.classNames.length ?? ASSUMED_CLASSES;
    return latest ? judgeLoss({ x: latest.x, loss: latest.y }, best, classes) : null;
  });
  /** The finished run is far worse than the model of the same dataset it replaced as the active one. */
  readonly farWorse = $derived(isFarWorse(this.result, this.replaced, this.status.run?.datasetId ?? null));

  /**
   * From the app-wide services: the `classifier`'s active model is the one a run replaces; `handoff`
   * brings a recorded run's settings from the Runs tab (Re-run).
   */
  constructor(services: { classifier?: ActiveModelSource; handoff?: Pick<SpecHandoff, 'receive' | 'provide'> } = {}) {
    const { classifier, handoff } = services;
    this.#activeModel = () => (classifier ? activeModelOf(classifier) : null);
    handoff?.receive((request) => this.adopt(request));
    handoff?.provide(() => ({ spec: this.editor.spec, datasetId: this.editor.datasetId }));
  }

  readonly phase = $derived(this.status.phase);
  readonly busy = $derived(this.phase !== 'idle');
  readonly canTrain = $derived(this.connected && this.phase === 'idle' && !this.starting && this.editor.ready);
  readonly canStop = $derived(this.phase === 'training');
  /** Continue needs only a usable epoch count: the run keeps its own other settings. */
  readonly canContinue = $derived(
    this.connected && this.phase === 'idle' && !this.starting && this.status.run !== null && this.editor.fieldErrors.epochs === undefined,
  );
  readonly canReset = $derived(this.connected && this.phase === 'idle' && (this.status.run !== null || !this.curves.empty));
  /** Share of this call's batches done, 0–100. */
  readonly percent = $derived(percentDone(this.progress, this.result));

  /** Subscribes to main's training events (once; a second call replaces the first) and loads the status. */
  connect(api: TrainingApi): () => void {
    this.dispose();
    this.#api = api;
    this.#unsubscribe = [
      api.onTrainingStatus((status) => {
        this.#statusAnswer.next();
        this.#onStatus(status);
      }),
      api.onTrainingProgress((progress) => this.#onProgress(progress)),
      api.onTrainingEpoch(({ runId, log }) => {
        if (!this.#run.holds(runId)) return;
        this.curves.addEpoch(log);
        const run = this.status.run;
        if (run) this.time.measure(run.spec, this.status.backend, log);
      }),
      api.onTrainingFinished((finished) => {
        if (this.#run.holds(finished.runId)) this.result = finished;
        this.time.forgetStored();
      }),
      api.onTrainingError((error) => this.#onError(error)),
      // A download in the Data tab makes a dataset selectable here.
      api.onDatasetsChanged((datasets) => (this.editor.datasets = datasets)),
      api.onDownloadProgress((progress) => this.download.onProgress(progress)),
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

  /** Starts a fresh model; a long run asks first (`time.confirming`), and `confirmed` is the learner's yes. */
  async train(confirmed = false): Promise<void> {
    const api = this.#api;
    if (!api || !this.canTrain || !this.time.approve(confirmed)) return;
    this.#clearRun();
    this.replaced = this.#activeModel();
    this.curves.endCallAt(this.editor.spec.epochs);
    await this.#attempt('Could not start training', async () => {
      const { runId } = await api.startTraining({ spec: $state.snapshot(this.editor.spec), datasetId: this.editor.datasetId });
      this.#run.claim(runId);
    }, true);
  }

  /** Trains the current model `spec.epochs` more, with its own settings; the curves extend. */
  async continue(): Promise<void> {
    const api = this.#api;
    const run = this.status.run;
    if (!api || !run || !this.canContinue) return;
    this.#clearCall();
    const { epochs } = this.editor.spec;
    this.curves.endCallAt(run.epochsDone + epochs);
    await this.#attempt('Could not continue training', () => api.continueTraining({ epochs }), true);
  }

  /** Trains a saved model `epochs` more as a new run (main loads it); the curves start with its history. */
  async continueSaved(id: string, metadata: ModelMetadata, epochs: number): Promise<boolean> {
    const api = this.#api;
    if (!api || !this.connected || this.busy) return false;
    this.#clearRun();
    this.editor.spec = { ...structuredClone(metadata.spec), normalization: metadata.normalization, epochs };
    this.editor.datasetId = metadata.datasetId;
    const callEnd = metadata.epochsTrained + epochs;
    this.curves.endCallAt(callEnd);
    let started = false;
    await this.#attempt(`Could not continue ${metadata.name}`, async () => {
      this.#run.claim((await api.continueModel({ id, epochs })).runId);
      // The status event may have come first and taken the model's own epoch count for this call's.
      this.curves.endCallAt(callEnd);
      started = true;
    });
    return started;
  }

  async stop(): Promise<void> {
    const api = this.#api;
    if (!api || !this.canStop) return;
    await this.#attempt('Could not stop training', () => api.stopTraining());
  }

  /** Forgets the trained model (the next Train starts afresh) and clears the curves. */
  async reset(): Promise<void> {
    const api = this.#api;
    if (!api || !this.canReset) return;
    await this.#attempt('Could not reset', async () => {
      await api.resetTraining();
      this.#clearRun();
    });
  }

  async save(name: string): Promise<void> {
    if (this.#api) await this.modelSave.save(this.#api, name);
  }

  /** Makes the model this run replaced the active one again (it is kept in main's recent models). */
  async restore(): Promise<void> {
    const api = this.#api;
    const replaced = this.replaced;
    if (!api || !replaced) return;
    await this.#attempt(`Could not bring back “${replaced.name}”`, async () => {
      await api.loadModel({ id: replaced.id });
      this.replaced = null;
    });
  }

  /** Downloads the chosen dataset right here, for a preset that needs one not on this machine yet. */
  async downloadDataset(): Promise<void> {
    if (this.#api) await this.download.start(this.#api, this.editor);
  }

  /** Takes a recorded run's settings for the next Train; refused (saying why) while a run uses the current ones. */
  adopt(request: SpecRequest): string | null {
    if (this.busy) return 'Training is running: stop it before loading other settings.';
    this.editor.adopt(request);
    return null;
  }

  dismissError(): void {
    this.error = null;
  }

  async #load(api: TrainingApi): Promise<void> {
    const answer = this.#statusAnswer.next();
    await this.#attempt('Could not read the training status', async () => {
      const [status, datasets] = await Promise.all([api.getTrainingStatus(), api.listDatasets()]);
      if (api !== this.#api) return;
      this.editor.datasets = datasets;
      // A status event that came in meanwhile is newer than this answer: keep it.
      if (!answer.current) return;
      // A run already there (the window reloaded mid-training): show what it trains.
      if (status.run && !this.#run.holds(status.run.id)) {
        this.editor.spec = structuredClone(status.run.spec);
        this.editor.datasetId = status.run.datasetId;
      }
      this.#onStatus(status);
    });
  }

  #onStatus(status: TrainingStatus): void {
    this.status = status;
    const run = status.run;
    if (!run || this.#run.holds(run.id)) return;
    // A run this panel has not shown yet (a fresh Train): its curves start from what main knows.
    this.#clearRun();
    this.#run.claim(run.id);
    const last = run.history[run.history.length - 1];
    this.curves.restart(run.history, Math.max(run.epochsDone, last ? last.epoch + 1 : 0, status.phase === 'idle' ? 0 : run.spec.epochs));
  }

  #onProgress(progress: TrainingProgress): void {
    if (!this.#run.holds(progress.runId)) return;
    this.progress = progress;
    this.curves.addBatch(progress.batch, progress.lastEpoch);
  }

  #onError(error: TrainingError): void {
    if (error.runId !== null && !this.#run.holds(error.runId)) return;
    this.error = { kind: error.kind, message: error.message, advice: error.advice };
  }

  /** What a training call shows of its outcome, the save's included: each new call (Continue too) starts without it. */
  #clearCall(): void {
    this.progress = null;
    this.result = null;
    this.error = null;
    this.modelSave.clear();
  }

  /** A new run (or none): its call's outcome, the curves and which run's events count go. */
  #clearRun(): void {
    this.#clearCall();
    this.#run.drop();
    this.curves.clear();
  }

  /** Runs a call to main; its failure is shown as this panel's error, prefixed with `context`. */
  async #attempt(context: string, call: () => Promise<unknown>, starts = false): Promise<void> {
    // A call that starts a run holds `starting`: a double click on Train sends one.
    if (starts) this.starting = true;
    try {
      await call();
    } catch (error) {
      this.error = { kind: 'request', message: `${context}: ${errorText(error)}`, advice: null };
    } finally {
      if (starts) this.starting = false;
    }
  }
}

