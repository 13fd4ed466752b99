import type { DatasetDescriptor } from '../../shared/datasets/descriptor';
import type { TrainingErrorKind } from '../../shared/training';
import type { ModelSpec } from '../../shared/model-spec';
import type { BatchLog, EpochLog, StepperReport } from '../../shared/training';
import type { EvaluationJob, JobMessage } from '../evaluation/jobs';
import type { BackendChoice } from '../../shared/backend-choice';
import type { BackendReport } from '../ml/backend';
import type { ModelFiles } from '../ml/model-files';
import type { TrainingWeights } from '../../shared/weights';
import type { TensorMemory } from '../../shared/diagnostics';
import type { EpochProjection } from '../../shared/projector/projector';
import type { ProjectorJob, ProjectorMessage } from '../projector/projector-jobs';
import type { EarlyStopReport } from '../../shared/experiments/early-stopping';

/** What main tells the training worker at start (worker_threads workerData). */
export interface WorkerConfig {
  /** Forces a backend (as MLP_LAB_BACKEND does): only it is started; undefined starts every one there is. */
  backend?: string;
  /** Where each model's backend measurements are cached (userData); none: measured at each start. */
  choiceCacheDir?: string;
  /**
   * False turns off the weight snapshots sent while training (default on). `npm run bench:app` sets it
   * to measure what the snapshots cost; the app leaves it on.
   */
  weightSnapshots?: boolean;
  /** False turns off the projector's maps at the end of each epoch (default on), as weightSnapshots does. */
  epochMaps?: boolean;
}

export type ToWorker =
  /** `backend`: the one the user pinned for this run; none: the faster, measured (see ml/backend-choice.ts). */
  | { type: 'start'; runId: string; spec: ModelSpec; dataset: DatasetDescriptor; name: string; backend?: string }
  | { type: 'continue'; runId: string; epochs: number }
  /** Trains a saved model (model.json, weights.bin, metadata.json in modelDir) `epochs` more, as a new run. */
  | { type: 'resume'; runId: string; modelDir: string; dataset: DatasetDescriptor; name: string; epochs: number; backend?: string }
  | { type: 'stop' }
  | { type: 'reset' }
  | EvaluationJob
  | ProjectorJob
  | { type: 'cancel-job'; requestId: string }
  /** Asks for tf.memory(), answered at once, between two batches if a run is training. */
  | { type: 'diagnostics'; requestId: string };

export type FromWorker =
  | { type: 'ready'; backend: BackendReport }
  /** Which backend trains the run's model, and why: before its first batch. */
  | { type: 'choice'; runId: string; choice: BackendChoice }
  | { type: 'progress'; runId: string; batch: BatchLog; firstEpoch: number; lastEpoch: number }
  | { type: 'epoch'; runId: string; log: EpochLog }
  | ({ type: 'epoch-maps' } & EpochProjection)
  | ({ type: 'weights' } & TrainingWeights)
  | {
      type: 'finished';
      runId: string;
      stopped: boolean;
      epochsDone: number;
      testAccuracy: number;
      testLoss: number;
      files: ModelFiles;
      /** Set when early stopping ended the run. */
      earlyStop?: EarlyStopReport | null;
      /** What stepped the batches; its fallback says why the kernel was not used when it was wanted. */
      stepper: StepperReport;
    }
  | { type: 'failed'; runId: string | null; kind: TrainingErrorKind; message: string }
  | { type: 'diagnostics'; requestId: string; memory: TensorMemory }
  | JobMessage
  | ProjectorMessage;

/** The part of a worker_threads Worker the service uses, so tests can run the worker in-process. */
export interface WorkerHandle {
  postMessage(message: ToWorker): void;
  on(event: 'message', listener: (message: FromWorker) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  terminate(): Promise<number>;
}

/** Reports at most this often while training: enough for smooth curves, cheap for the training loop. */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * Averages batch logs between reports, so a throttled stream still shows every batch's contribution
 * to the smoothed loss curve.
 */
export class ProgressThrottle {
  private lossSum = 0;
  private accuracySum = 0;
  private batches = 0;
  private last = -Infinity;

  constructor(
    private readonly emit: (log: BatchLog) => void,
    private readonly intervalMs = PROGRESS_INTERVAL_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  private pending: BatchLog | null = null;

  add(log: BatchLog): void {
    this.lossSum += log.loss;
    this.accuracySum += log.accuracy;
    this.batches++;
    this.pending = log;
    const lastOfEpoch = log.batch === log.batches - 1;
    if (lastOfEpoch || this.now() - this.last >= this.intervalMs) this.flush();
  }

  /** Reports the batches not reported yet (a run stopped between two reports). */
  flush(): void {
    if (!this.pending) return;
    this.emit({ ...this.pending, loss: this.lossSum / this.batches, accuracy: this.accuracySum / this.batches });
    this.last = this.now();
    this.pending = null;
    this.lossSum = 0;
    this.accuracySum = 0;
    this.batches = 0;
  }
}

/** Weight snapshots go out at most this often while training: the tiles move, the loop barely notices. */
export const SNAPSHOT_INTERVAL_MS = 1000;

/** Says when the next weight snapshot is due: after the first batch of a run, then once an interval has passed. */
export class SnapshotThrottle {
  private last = -Infinity;

  constructor(
    private readonly intervalMs = SNAPSHOT_INTERVAL_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** True when a snapshot should be taken now; it then counts as taken. */
  due(): boolean {
    const now = this.now();
    if (now - this.last < this.intervalMs) return false;
    this.last = now;
    return true;
  }
}
