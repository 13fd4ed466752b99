import type { EvaluationAnswer, EvaluationJob, JobMessage } from '../../engine/evaluation/jobs';
import type { ProjectorAnswer, ProjectorJob, ProjectorMessage } from '../../engine/projector/projector-jobs';

/** Every job the training worker runs between runs: evaluations and the projector's. */
export type WorkerJob = EvaluationJob | ProjectorJob;
export type WorkerAnswer = EvaluationAnswer | ProjectorAnswer;

interface Pending {
  type: WorkerJob['type'];
  onProgress: (done: number, total: number) => void;
  resolve: (answer: WorkerAnswer) => void;
  reject: (error: Error) => void;
}

export class JobCancelledError extends Error {
  override name = 'JobCancelledError';
  constructor() {
    super('The evaluation was cancelled.');
  }
}

/**
 * The evaluation jobs sent to the training worker and waiting for their answer: each one's promise
 * settles with its job-done or job-failed message, or when the worker goes away.
 */
export class WorkerJobs {
  readonly #pending = new Map<string, Pending>();

  get active(): string[] {
    return [...this.#pending.keys()];
  }

  /** Whether a job of this type is waiting for its answer. */
  has(type: WorkerJob['type']): boolean {
    return [...this.#pending.values()].some((pending) => pending.type === type);
  }

  /** Registers `job`, hands it to `send`, and resolves with the worker's answer. */
  run(job: WorkerJob, send: (job: WorkerJob) => void, onProgress: Pending['onProgress']): Promise<WorkerAnswer> {
    return new Promise<WorkerAnswer>((resolve, reject) => {
      this.#pending.set(job.requestId, { type: job.type, onProgress, resolve, reject });
      try {
        send(job);
      } catch (error) {
        // Never sent, so never answered: it must not stay pending (and be cancelled later).
        this.#pending.delete(job.requestId);
        throw error;
      }
    });
  }

  handle(message: JobMessage | ProjectorMessage): void {
    const pending = this.#pending.get(message.requestId);
    if (!pending) return;
    if (message.type === 'job-progress') {
      pending.onProgress(message.done, message.total);
      return;
    }
    this.#pending.delete(message.requestId);
    if (message.type === 'job-done') pending.resolve(message.answer);
    else pending.reject(message.cancelled ? new JobCancelledError() : new Error(message.message));
  }

  /** The worker is gone: nothing it was doing will answer. */
  failAll(reason: string): void {
    for (const pending of this.#pending.values()) pending.reject(new Error(reason));
    this.#pending.clear();
  }
}
