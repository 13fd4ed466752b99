import type { EvaluationAnswer, EvaluationJob, JobMessage } from '../../engine/evaluation/jobs';
import type { BackendReport } from '../../engine/ml/backend';
import type { FromWorker, ToWorker, WorkerHandle } from '../../engine/training/protocol';
import type { TrainingErrorKind } from '../../shared/training';
import { JobCancelledError, WorkerJobs } from './worker-jobs';

/** A worker that has not said it is ready within this long is ended and reported. */
export const READY_TIMEOUT_MS = 60_000;

/** What the worker says that is not the host's own business (ready, and the jobs' answers). */
export type RunMessage = Exclude<FromWorker, { type: 'ready' } | JobMessage>;

export interface WorkerHostOptions {
  /** Starts a training worker (a worker_threads Worker in the app, the same file under tsx in tests). */
  spawn: () => WorkerHandle;
  readyTimeoutMs?: number;
  /** Who may send a job now (see JobAdmission): asked when a job comes, and again once the worker is ready. */
  admission: {
    /** Throws why a job may not run now. */
    assertJobMayRun(): void;
    /** Whether a job that waited for the worker to start may still go to it. */
    jobStillWelcome(): boolean;
  };
  /** The worker said it is ready, with the backend it runs on. */
  onReady(backend: BackendReport): void;
  /** Any message from the worker after ready, the jobs' included: a sign of life. */
  onHeard(): void;
  /** A message about a run. */
  onMessage(message: RunMessage): void;
  /** The worker died, or was ended as hung: every job it had is failed, and whatever it held is gone. */
  onCrash(message: string, kind: TrainingErrorKind): void;
}

/**
 * The one training worker, started when first needed and replaced after a crash: its spawn, its ready
 * handshake and timeout, its crash and its teardown, and the evaluation jobs queued on it. Training,
 * evaluation and your handwriting all reach the worker through here.
 */
export class WorkerHost {
  #worker: WorkerHandle | null = null;
  #ready: Promise<void> | null = null;
  #readyTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #jobs = new WorkerJobs();
  /** Bumped by every cancel, so a job that was still waiting for the worker knows it was cancelled. */
  #cancels = 0;

  constructor(private readonly options: WorkerHostOptions) {}

  /** Whether a worker is up (or starting): one that crashed or was closed took its model with it. */
  get alive(): boolean {
    return this.#worker !== null;
  }

  /** Whether a job of this type is waiting for its answer. */
  hasJob(type: EvaluationJob['type']): boolean {
    return this.#jobs.has(type);
  }

  /** Sends a message to the worker, if there is one. */
  post(message: ToWorker): void {
    this.#worker?.postMessage(message);
  }

  /**
   * Runs an evaluation job in the worker, the one thread with a TensorFlow.js backend, when the
   * admission allows it; rejects with JobCancelledError when a cancel or a run came while it waited.
   */
  async runJob(job: EvaluationJob, onProgress: (done: number, total: number) => void): Promise<EvaluationAnswer> {
    this.options.admission.assertJobMayRun();
    const cancels = this.#cancels;
    await this.ready();
    if (cancels !== this.#cancels || !this.options.admission.jobStillWelcome()) throw new JobCancelledError();
    const worker = this.#worker;
    if (!worker) throw new Error('The training process is not running.');
    return this.#jobs.run(job, (message) => worker.postMessage(message), onProgress);
  }

  /** Cancels the jobs running in the worker, and any still waiting for it to start. */
  cancelJobs(): void {
    this.#cancels++;
    for (const requestId of this.#jobs.active) this.#worker?.postMessage({ type: 'cancel-job', requestId });
  }

  /** Resolves once a worker is ready, starting one if there is none. */
  ready(): Promise<void> {
    if (this.#worker && this.#ready) return this.#ready;
    const worker = this.options.spawn();
    this.#worker = worker;
    this.#readyTimer = setTimeout(() => {
      if (this.#worker === worker) this.crash('The training process did not start.');
    }, this.options.readyTimeoutMs ?? READY_TIMEOUT_MS);
    this.#ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message) => {
        // A worker already ended (disposed, crashed) has no say; a start waiting on it gives up.
        if (this.#worker !== worker) {
          if (message.type === 'ready') resolve();
          return;
        }
        if (message.type === 'ready') {
          this.#clearReadyTimer();
          this.options.onReady(message.backend);
          resolve();
          return;
        }
        this.options.onHeard();
        if (message.type === 'job-progress' || message.type === 'job-done' || message.type === 'job-failed') this.#jobs.handle(message);
        else this.options.onMessage(message);
      });
      worker.on('error', (error: Error & { code?: string }) => {
        reject(error);
        const oom = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
        const message = oom ? 'The training process ran out of memory.' : `The training process failed: ${error.message}`;
        if (this.#worker === worker) this.crash(message, oom ? 'out-of-memory' : 'worker-crashed');
      });
      worker.on('exit', (code) => {
        reject(new Error(`the training worker exited with code ${code}`));
        if (this.#worker === worker) this.crash(`The training process exited (code ${code}).`);
      });
    });
    return this.#ready;
  }

  /** Ends the worker as failed (it died, or does not answer) and says so. */
  crash(message: string, kind: TrainingErrorKind = 'worker-crashed'): void {
    void this.#teardown(message)?.terminate();
    this.options.onCrash(message, kind);
  }

  /** Ends the worker, and with it every job; the next job or run starts a fresh one. */
  async dispose(): Promise<void> {
    await this.#teardown('The training process was closed.')?.terminate();
  }

  /** Forgets the worker and fails its jobs with `reason`; returns it for the caller to terminate. */
  #teardown(reason: string): WorkerHandle | null {
    this.#clearReadyTimer();
    const worker = this.#worker;
    this.#worker = null;
    this.#ready = null;
    this.#jobs.failAll(reason);
    return worker;
  }

  #clearReadyTimer(): void {
    if (this.#readyTimer) clearTimeout(this.#readyTimer);
    this.#readyTimer = null;
  }
}
