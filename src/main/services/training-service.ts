import { randomUUID } from 'node:crypto';
import type { DatasetId } from '../../shared/datasets/catalog';
import type { DatasetDescriptor } from '../../shared/datasets/descriptor';
import type { EventSink } from '../../shared/ipc/contract';
import { markedName, METADATA_LIMITS, type ModelMetadata } from '../../shared/model-metadata';
import type { TrainingErrorKind, TrainingStatus } from '../../shared/training';
import { validateSpec, type ModelSpec } from '../../shared/model-spec';
import { boundMessage } from '../../shared/bounded-message';
import type { EvaluationAnswer, EvaluationJob } from '../../engine/evaluation/jobs';
import type { FromWorker, ToWorker, WorkerHandle } from '../../engine/training/protocol';
import { JobCancelledError, WorkerJobs } from './worker-jobs';
import { silentStepSeconds } from '../../engine/training/stop-watchdog';
import type { ModelService } from './model-service';

export interface TrainingServiceOptions {
  /** Starts a training worker (a worker_threads Worker in the app, the same file under tsx in tests). */
  spawnWorker: () => WorkerHandle;
  events: EventSink;
  models: ModelService;
  /**
   * What a dataset is and where its files are (DatasetService.describe), asked at each start: a dataset
   * may arrive while the app runs. It throws for one that is not here, before a worker is bothered.
   */
  describeDataset: (id: DatasetId) => Promise<DatasetDescriptor>;
  /**
   * A Stop that gets no answer (no message at all) within this long — or longer, if the run's longest
   * step is expected to take longer (see silentStepSeconds) — ends the worker: the app never hangs on
   * training, and a slow batch is not taken for a hang.
   */
  stopTimeoutMs?: number;
  /** The floor speed silentStepSeconds assumes before a run has measured its own (tests shrink the wait). */
  assumedOpsPerSecond?: number;
  /** A worker that has not said it is ready within this long is ended and reported. */
  readyTimeoutMs?: number;
}

const ADVICE: Record<TrainingErrorKind, string> = {
  diverged: 'Lower the learning rate (Adam at 0.001 is a safe start) or the momentum, then press Train: it starts a fresh model.',
  'out-of-memory': 'Use fewer or smaller layers, a smaller batch or a training subset, then train again.',
  'worker-crashed': 'Press Train to start again; a fresh training process will be started.',
  dataset: 'Check that the dataset files are present and intact (re-download them if needed).',
  failed: 'Press Train to try again; if it keeps failing, report the message.',
};

/**
 * Runs training in one long-lived worker and relays its progress. Main never trains itself, so the
 * window stays responsive; a crashed worker is reported and replaced on the next run.
 */
export class TrainingService {
  private worker: WorkerHandle | null = null;
  private ready: Promise<void> | null = null;
  private stopTimer: ReturnType<typeof setTimeout> | null = null;
  private readyTimer: ReturnType<typeof setTimeout> | null = null;
  /** The run's latest training speed, to give a slow step time to finish after Stop; null until measured. */
  private samplesPerSecond: number | null = null;
  /** A Stop pressed before the worker had the start: sent right after it. */
  private stopWanted = false;
  private state: TrainingStatus = { phase: 'idle', backend: null, run: null };
  /** The dataset of the run in `state`, to size the Stop watchdog's wait. */
  private runDataset: DatasetDescriptor | null = null;
  /** Evaluations running in the same worker, between runs. */
  private readonly jobs = new WorkerJobs();
  /** Bumped by every cancel, so a job that was still waiting for the worker knows it was cancelled. */
  private jobCancels = 0;

  constructor(private readonly options: TrainingServiceOptions) {}

  /**
   * Runs an evaluation job in the training worker, the one thread with a TensorFlow.js backend. Only
   * between runs: training owns the worker while it runs, and a start cancels any job.
   */
  async runJob(job: EvaluationJob, onProgress: (done: number, total: number) => void): Promise<EvaluationAnswer> {
    if (this.state.phase !== 'idle') throw new Error('A model is training: evaluation can run once it has finished.');
    // The worker runs one job at a time and a new one ends the one before; a fine-tune is the user's
    // work of many seconds, so it is not ended that way.
    this.assertNoFinetune();
    const cancels = this.jobCancels;
    await this.ensureWorker();
    // A Cancel or a Train while the worker was starting: the job must not run after all.
    if (cancels !== this.jobCancels || this.state.phase !== 'idle') throw new JobCancelledError();
    const worker = this.worker;
    if (!worker) throw new Error('The training process is not running.');
    return this.jobs.run(job, (message) => worker.postMessage(message), onProgress);
  }

  /** Cancels the jobs running in the worker, and any still waiting for it to start. */
  cancelJobs(): void {
    this.jobCancels++;
    for (const requestId of this.jobs.active) this.worker?.postMessage({ type: 'cancel-job', requestId });
  }

  status(): TrainingStatus {
    return structuredClone(this.state);
  }

  async start(spec: ModelSpec, datasetId: DatasetId): Promise<{ runId: string }> {
    this.assertIdle();
    this.assertNoFinetune();
    const problems = validateSpec(spec);
    if (problems.length > 0) throw new Error(`The model settings are not usable: ${problems.join('; ')}`);
    const runId = randomUUID();
    return this.launch({ id: runId, spec, datasetId, epochsDone: 0, history: [] }, (dataset) => ({
      type: 'start',
      runId,
      spec,
      dataset,
      name: modelName(spec),
    }));
  }

  /**
   * Starts a run from a saved model: the worker loads its files from modelDir and trains it `epochs`
   * more on its dataset with its spec (and a fresh optimizer). The result is a new, unsaved model, so the
   * saved one is never overwritten.
   */
  async continueSaved(saved: { modelDir: string; metadata: ModelMetadata }, epochs: number): Promise<{ runId: string }> {
    this.assertIdle();
    this.assertNoFinetune();
    const { metadata } = saved;
    const spec: ModelSpec = { ...metadata.spec, normalization: metadata.normalization };
    const problems = validateSpec(spec);
    if (problems.length > 0) throw new Error(`${metadata.name} cannot be trained on: its settings are not usable: ${problems.join('; ')}`);
    assertHistoryRoom(metadata.name, metadata.history.length, epochs);
    const runId = randomUUID();
    const run = { id: runId, spec, datasetId: metadata.datasetId, epochsDone: metadata.epochsTrained, history: [...metadata.history] };
    return this.launch(run, (dataset) => {
      if (dataset.classNames.length !== metadata.classNames.length) {
        throw new Error(`${metadata.name} has ${metadata.classNames.length} classes, the ${dataset.displayName} dataset ${dataset.classNames.length}: it cannot be trained on it`);
      }
      return { type: 'resume', runId, modelDir: saved.modelDir, dataset, name: continuedName(metadata.name), epochs };
    });
  }

  /**
   * Looks the run's dataset up, starts the worker if needed and sends it the run's first message
   * (built by `message`, which may refuse the dataset); a Stop pressed meanwhile follows it.
   */
  private async launch(run: NonNullable<TrainingStatus['run']>, message: (dataset: DatasetDescriptor) => ToWorker): Promise<{ runId: string }> {
    const runId = run.id;
    const before = this.state.run;
    this.stopWanted = false;
    this.samplesPerSecond = null;
    this.cancelJobs();
    this.update({ phase: 'starting', run });
    let first: ToWorker;
    let dataset: DatasetDescriptor;
    try {
      dataset = await this.options.describeDataset(run.datasetId);
      first = message(dataset);
    } catch (error) {
      // Nothing reached the worker: the model it holds, and the run that made it, are still there.
      if (this.state.run?.id === runId) this.update({ phase: 'idle', run: before });
      throw error;
    }
    // Disposed while the dataset was being looked up: no worker may be started for it.
    if (this.state.run?.id !== runId) throw new Error('Training ended before it began.');
    this.runDataset = dataset;
    await this.ensureWorker();
    // Disposed, or the worker died, while it was starting: there is nothing to start any more.
    if (this.state.run?.id !== runId || !this.worker) throw new Error('Training ended before it began.');
    this.worker.postMessage(first);
    if (this.stopWanted) {
      // The worker's engine is busy from the start's first moment, so this Stop counts even mid-load.
      this.stopWanted = false;
      this.sendStop();
    } else {
      this.update({ phase: 'training' });
    }
    return { runId };
  }

  async continue(epochs: number): Promise<{ runId: string }> {
    this.assertIdle();
    this.assertNoFinetune();
    const run = this.state.run;
    if (!run || !this.worker) throw new Error('There is no model to continue: train one first.');
    assertHistoryRoom('The model', run.history.length, epochs);
    this.update({ phase: 'training' });
    this.worker.postMessage({ type: 'continue', runId: run.id, epochs });
    return { runId: run.id };
  }

  stop(): void {
    if (this.state.phase === 'starting') {
      // The worker is not ready for the start yet: remember the Stop and send it with the start.
      this.stopWanted = true;
      this.update({ phase: 'stopping' });
      return;
    }
    if (this.state.phase !== 'training' || !this.worker) return;
    this.sendStop();
  }

  private sendStop(): void {
    this.update({ phase: 'stopping' });
    this.worker!.postMessage({ type: 'stop' });
    this.armStopTimer();
  }

  /** (Re)starts the Stop watchdog; every message from the worker shows it is alive and re-arms it. */
  private armStopTimer(): void {
    this.clearStopTimer();
    const run = this.state.run;
    const dataset = this.runDataset;
    const step = run && dataset ? silentStepSeconds(run.spec, dataset, this.samplesPerSecond, this.options.assumedOpsPerSecond) : 0;
    // setTimeout fires at once past 2^31 - 1 ms (24.8 days): a longer wait is waited that long.
    const timeout = Math.min(Math.max(this.options.stopTimeoutMs ?? 15_000, step * 1000), 2 ** 31 - 1);
    this.stopTimer = setTimeout(() => this.crashed('The training process did not respond to Stop.'), timeout);
  }

  reset(): void {
    this.assertIdle();
    this.worker?.postMessage({ type: 'reset' });
    this.update({ run: null });
  }

  /** Ends the worker, and with it any run and the model it held; the service can start afresh. */
  async dispose(): Promise<void> {
    this.clearStopTimer();
    this.clearReadyTimer();
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    this.stopWanted = false;
    this.jobs.failAll('The training process was closed.');
    // The model lived in the worker: nothing is left to continue, and the window must not wait on a run.
    const { phase, backend, run } = this.state;
    if (phase !== 'idle' || backend !== null || run !== null) this.update({ phase: 'idle', backend: null, backendDetail: undefined, run: null });
    await worker?.terminate();
  }

  private ensureWorker(): Promise<void> {
    if (this.worker && this.ready) return this.ready;
    const worker = this.options.spawnWorker();
    this.worker = worker;
    this.readyTimer = setTimeout(() => {
      if (this.worker === worker) this.crashed('The training process did not start.');
    }, this.options.readyTimeoutMs ?? 60_000);
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message) => {
        // A worker already ended (disposed, crashed) has no say; a start waiting on it gives up.
        if (this.worker !== worker) {
          if (message.type === 'ready') resolve();
          return;
        }
        if (message.type === 'ready') {
          this.clearReadyTimer();
          const { active, simd, threads, threadsFallback } = message.backend;
          this.update({ backend: active, backendDetail: { active, simd, threads, threadsFallback } });
          resolve();
        } else {
          this.onWorkerMessage(message);
        }
      });
      worker.on('error', (error: Error & { code?: string }) => {
        reject(error);
        const kind = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out-of-memory' : 'worker-crashed';
        if (this.worker === worker) this.crashed(workerErrorMessage(error), kind);
      });
      worker.on('exit', (code) => {
        reject(new Error(`the training worker exited with code ${code}`));
        if (this.worker === worker) this.crashed(`The training process exited (code ${code}).`);
      });
    });
    return this.ready;
  }

  private onWorkerMessage(message: Exclude<FromWorker, { type: 'ready' }>): void {
    if (this.state.phase === 'stopping') this.armStopTimer();
    if (message.type === 'job-progress' || message.type === 'job-done' || message.type === 'job-failed') {
      this.jobs.handle(message);
      return;
    }
    if (message.type === 'failed' && message.runId === null) {
      // Not about a run (a reset that failed): still worth telling the user.
      this.report(message.kind, message.message, null);
      return;
    }
    const run = this.state.run;
    if (!run || message.runId !== run.id) return;
    switch (message.type) {
      case 'progress': {
        const { batch, firstEpoch, lastEpoch } = message;
        this.samplesPerSecond = batch.samplesPerSecond;
        const batchesLeft = (lastEpoch - batch.epoch - 1) * batch.batches + (batch.batches - batch.batch - 1);
        const samplesPerBatch = run.spec.batchSize;
        const etaSeconds = (batchesLeft * samplesPerBatch) / Math.max(1, batch.samplesPerSecond);
        this.options.events('training:progress', { runId: run.id, batch, firstEpoch, lastEpoch, etaSeconds });
        break;
      }
      case 'weights': {
        const { epoch, batch, batches, layers, allLayers } = message;
        this.options.events('training:weights', { runId: run.id, epoch, batch, batches, layers, allLayers });
        break;
      }
      case 'epoch':
        run.history.push(message.log);
        if (message.log.complete) run.epochsDone = message.log.epoch + 1;
        this.options.events('training:epoch', { runId: run.id, log: message.log });
        break;
      case 'finished':
        this.clearStopTimer();
        run.epochsDone = message.epochsDone;
        this.options.models.setTrained(run.id, message.files);
        this.update({ phase: 'idle' });
        this.options.events('training:finished', {
          runId: run.id,
          stopped: message.stopped,
          testAccuracy: message.testAccuracy,
          testLoss: message.testLoss,
          epochsDone: message.epochsDone,
          modelName: message.files.metadata.name,
          earlyStop: message.earlyStop,
        });
        break;
      case 'failed':
        this.clearStopTimer();
        // A failed run cannot be continued: its weights are gone, diverged, or never built.
        this.update({ phase: 'idle', run: null });
        this.report(message.kind, message.message, run.id);
        break;
    }
  }

  private crashed(message: string, kind: TrainingErrorKind = 'worker-crashed'): void {
    this.clearStopTimer();
    this.clearReadyTimer();
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    this.jobs.failAll(message);
    void worker?.terminate();
    const runId = this.state.run?.id ?? null;
    // The model lived in the worker: it is gone, but the last finished model stays active for drawing.
    this.update({ phase: 'idle', backend: null, backendDetail: undefined, run: null });
    this.report(kind, message, runId);
  }

  private report(kind: TrainingErrorKind, message: string, runId: string | null): void {
    this.options.events('training:error', { runId, kind, message: boundMessage(message), advice: ADVICE[kind] });
  }

  private clearStopTimer(): void {
    if (this.stopTimer) clearTimeout(this.stopTimer);
    this.stopTimer = null;
  }

  private clearReadyTimer(): void {
    if (this.readyTimer) clearTimeout(this.readyTimer);
    this.readyTimer = null;
  }

  private update(change: Partial<TrainingStatus>): void {
    this.state = { ...this.state, ...change };
    this.options.events('training:status', this.status());
  }

  private assertIdle(): void {
    if (this.state.phase !== 'idle') throw new Error('Training is already running: stop it first.');
  }

  /** Training would cancel a fine-tune running in the worker: the user is told to wait or cancel it. */
  private assertNoFinetune(): void {
    if (this.jobs.has('finetune')) {
      throw new Error('Your handwriting is being fine-tuned (Gallery): this can start once it ends, or after you cancel it there.');
    }
  }
}

/** A readable default name for a trained model, e.g. "MLP 512-256 · adam" (its dataset is shown beside it). */
export function modelName(spec: ModelSpec): string {
  const layers = spec.hiddenLayers.map((l) => l.units).join('-') || 'linear';
  return `MLP ${layers} · ${spec.optimizer}`;
}

/** The name a continued model gets: its own, marked, so a save never passes it off as the original. */
export function continuedName(name: string): string {
  return markedName(name.replace(/ \(continued\)$/, ''), ' (continued)');
}

/** Refuses `epochs` more that would take a model's history past what it keeps: it could not be saved. */
function assertHistoryRoom(model: string, history: number, epochs: number): void {
  if (history + epochs > METADATA_LIMITS.history) {
    throw new Error(`${model} has ${history} epochs of history: ${epochs} more would pass the ${METADATA_LIMITS.history} a model keeps`);
  }
}

function workerErrorMessage(error: Error & { code?: string }): string {
  if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') return 'The training process ran out of memory.';
  return `The training process failed: ${error.message}`;
}
