import type { DatasetId } from '../../shared/datasets/catalog';
import type { DatasetDescriptor } from '../../shared/datasets/descriptor';
import type { EventSink } from '../../shared/ipc/contract';
import type { ModelMetadata } from '../../shared/model-metadata';
import type { ModelSpec } from '../../shared/model-spec';
import type { TrainingErrorKind, TrainingStatus } from '../../shared/training';
import type { TrainingBackendName } from '../../shared/backend';
import type { WorkerHandle } from '../../engine/training/protocol';
import type { ModelService } from './model-service';
import { JobAdmission } from './training/job-admission';
import { handleRunMessage, WORKER_GONE } from './training/run-messages';
import { assertHistoryRoom, freshRun, prepareRun, savedRun, type RunPlan } from './training/run-plan';
import { StopTimer, type StopTimerOptions } from './training/stop-timer';
import { trainingError } from './training/training-errors';
import { WorkerHost, type WorkerHostOptions } from './worker-host';

export interface TrainingServiceOptions extends Pick<StopTimerOptions, 'stopTimeoutMs' | 'assumedOpsPerSecond'>, Pick<WorkerHostOptions, 'readyTimeoutMs'> {
  /** Starts a training worker (a worker_threads Worker in the app, the same file under tsx in tests). */
  spawnWorker: () => WorkerHandle;
  events: EventSink;
  models: ModelService;
  /** What a dataset is and where (DatasetService.describe), asked at each start: one may arrive while the app runs. */
  describeDataset: (id: DatasetId) => Promise<DatasetDescriptor>;
}

/**
 * A training run's state, relayed from the one long-lived worker (`worker`, which evaluation and your
 * handwriting share). Main never trains itself; a crashed worker is reported and replaced on the next run.
 */
export class TrainingService {
  readonly worker: WorkerHost;
  private readonly admission: JobAdmission;
  private readonly stopTimer: StopTimer;
  private state: TrainingStatus = { phase: 'idle', backend: null, run: null };
  /** wasm's set-up in the worker, when it started wasm (the status bar names its threads). */
  private wasmDetail: { simd: boolean; threads: number; threadsFallback?: string } | null = null;

  constructor(private readonly options: TrainingServiceOptions) {
    this.admission = new JobAdmission(() => this.state.phase, () => this.worker.hasJob('finetune'));
    this.stopTimer = new StopTimer({
      ...options,
      onTimeout: () => this.worker.crash('The training process did not respond to Stop.'),
      // The status names the run's backend once the worker has chosen it (run-messages.ts).
      trainsOnKernel: () => this.state.backend === 'kernel',
    });
    this.worker = new WorkerHost({
      spawn: options.spawnWorker,
      readyTimeoutMs: options.readyTimeoutMs,
      admission: this.admission,
      onReady: ({ active, simd, threads, threadsFallback, available, wasm }) => {
        this.wasmDetail = wasm ?? null;
        this.update({ backend: active, backendDetail: { active, simd, threads, threadsFallback }, availableBackends: available ?? [active] });
      },
      onHeard: () => {
        if (this.state.phase === 'stopping') this.stopTimer.arm();
      },
      onMessage: (message) =>
        handleRunMessage(message, {
          run: this.state.run,
          update: (change) => this.update(change),
          events: options.events,
          models: options.models,
          stopTimer: this.stopTimer,
          wasmDetail: this.wasmDetail,
        }),
      onCrash: (message, kind) => this.crashed(message, kind),
    });
  }

  status(): TrainingStatus {
    return structuredClone(this.state);
  }

  async start(spec: ModelSpec, datasetId: DatasetId): Promise<{ runId: string }> {
    this.assertMayStart();
    return this.launch(freshRun(spec, datasetId));
  }

  /** Trains a saved model more, as a new run whose result is a new, unsaved model (see savedRun). */
  async continueSaved(saved: { modelDir: string; metadata: ModelMetadata }, epochs: number): Promise<{ runId: string }> {
    this.assertMayStart();
    return this.launch(savedRun(saved, epochs));
  }

  /**
   * Looks the run's dataset up, starts the worker if needed and sends it the run's first message (which
   * may refuse the dataset); a Stop pressed meanwhile follows it.
   */
  private async launch(plan: RunPlan): Promise<{ runId: string }> {
    const { run } = plan;
    const runId = run.id;
    const before = this.state.run;
    this.stopTimer.pending = false;
    this.worker.cancelJobs();
    // A new model gets its own backend choice; until the worker says which, there is none.
    this.update({ phase: 'starting', run, backendChoice: undefined });
    let prepared: Awaited<ReturnType<typeof prepareRun>>;
    try {
      prepared = await prepareRun(plan, this.options.describeDataset);
    } catch (error) {
      // Nothing reached the worker: the model it holds, and the run that made it, are still there.
      if (this.state.run?.id === runId) this.update({ phase: 'idle', run: before });
      throw error;
    }
    // Disposed while the dataset was being looked up: no worker may be started for it.
    if (this.state.run?.id !== runId) throw new Error('Training ended before it began.');
    this.stopTimer.watch(run.spec, prepared.dataset);
    await this.worker.ready();
    // Disposed, or the worker died, while it was starting: there is nothing to start any more.
    if (this.state.run?.id !== runId || !this.worker.alive) throw new Error('Training ended before it began.');
    const pinned = this.state.pinnedBackend;
    const first = pinned && (prepared.first.type === 'start' || prepared.first.type === 'resume') ? { ...prepared.first, backend: pinned } : prepared.first;
    this.worker.post(first);
    if (this.stopTimer.pending) {
      // The worker's engine is busy from the start's first moment, so this Stop counts even mid-load.
      this.stopTimer.pending = false;
      this.sendStop();
    } else {
      this.update({ phase: 'training' });
    }
    return { runId };
  }

  async continue(epochs: number): Promise<{ runId: string }> {
    this.assertMayStart();
    const run = this.state.run;
    if (!run || !this.worker.alive) throw new Error('There is no model to continue: train one first.');
    assertHistoryRoom('The model', run.history.length, epochs);
    this.update({ phase: 'training' });
    this.worker.post({ type: 'continue', runId: run.id, epochs });
    return { runId: run.id };
  }

  /**
   * Pins the backend the next Train or Continue of a saved model trains on, or with null lets them
   * measure; a run already going keeps its own. The worker refuses a pin it has not started.
   */
  pinBackend(name: TrainingBackendName | null): void {
    this.update({ pinnedBackend: name });
  }

  stop(): void {
    if (this.state.phase === 'starting') {
      // The worker is not ready for the start yet: remember the Stop and send it with the start.
      this.stopTimer.pending = true;
      this.update({ phase: 'stopping' });
      return;
    }
    if (this.state.phase !== 'training' || !this.worker.alive) return;
    this.sendStop();
  }

  private sendStop(): void {
    this.update({ phase: 'stopping' });
    this.worker.post({ type: 'stop' });
    this.stopTimer.arm();
  }

  reset(): void {
    this.assertIdle();
    this.worker.post({ type: 'reset' });
    this.update({ run: null });
  }

  /** Ends the worker, and with it any run and the model it held; the service can start afresh. */
  async dispose(): Promise<void> {
    this.stopTimer.clear();
    this.stopTimer.pending = false;
    const closed = this.worker.dispose();
    // The model lived in the worker: nothing is left to continue, and the window must not wait on a run.
    const { phase, backend, run } = this.state;
    if (phase !== 'idle' || backend !== null || run !== null) this.update({ phase: 'idle', ...WORKER_GONE, run: null });
    await closed;
  }

  /** The worker is gone (WorkerHost.crash): the last finished model stays active for drawing. */
  private crashed(message: string, kind: TrainingErrorKind): void {
    this.stopTimer.clear();
    const runId = this.state.run?.id ?? null;
    this.update({ phase: 'idle', ...WORKER_GONE, run: null });
    this.options.events('training:error', trainingError(kind, message, runId));
  }

  private update(change: Partial<TrainingStatus>): void {
    this.state = { ...this.state, ...change };
    this.options.events('training:status', this.status());
  }

  private assertIdle(): void {
    if (this.state.phase !== 'idle') throw new Error('Training is already running: stop it first.');
  }

  /** A run may start (or continue) when none runs and no fine-tune would be cut short. */
  private assertMayStart(): void {
    this.assertIdle();
    this.admission.assertNoFinetune();
  }
}
