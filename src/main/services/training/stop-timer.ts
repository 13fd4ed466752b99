import type { DatasetDescriptor } from '$shared/datasets/descriptor';
import type { ModelSpec } from '$shared/model-spec';
import { silentStepSeconds } from '$engine/training/stop-watchdog';

/** The least time a worker gets to answer Stop, however quick its steps are expected to be. */
export const STOP_TIMEOUT_MS = 15_000;
/** setTimeout fires at once past 2^31 - 1 ms (24.8 days): a longer wait is waited that long. */
const LONGEST_TIMEOUT_MS = 2 ** 31 - 1;

export interface StopTimerOptions {
  /** See TrainingServiceOptions.stopTimeoutMs. */
  stopTimeoutMs?: number;
  /** The floor speed silentStepSeconds assumes before a run has measured its own. */
  assumedOpsPerSecond?: number;
  /** The worker stayed silent too long after Stop. */
  onTimeout(): void;
  /** Whether the training kernel steps the run: its speed says nothing of how fast TensorFlow.js evaluates. */
  trainsOnKernel(): boolean;
}

/**
 * The Stop watchdog: after Stop, a worker that says nothing for longer than its slowest step may take
 * is taken for hung. Every message re-arms it, so a slow batch is not mistaken for a hang.
 */
export class StopTimer {
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** The run being watched, to size the wait by its spec on its dataset. */
  #run: { spec: ModelSpec; dataset: DatasetDescriptor } | null = null;
  /** The run's latest training speed, to give a slow step time to finish; null until measured. */
  samplesPerSecond: number | null = null;
  /** A Stop pressed before the worker had the start: it is sent right after the start. */
  pending = false;

  constructor(private readonly options: StopTimerOptions) {}

  /** A new run is about to start: its speed is not known yet. */
  watch(spec: ModelSpec, dataset: DatasetDescriptor): void {
    this.#run = { spec, dataset };
    this.samplesPerSecond = null;
  }

  /** (Re)starts the wait; every message from the worker calls it again while Stop is pending. */
  arm(): void {
    this.clear();
    const run = this.#run;
    const step = run ? silentStepSeconds(run.spec, run.dataset, this.samplesPerSecond, this.options.assumedOpsPerSecond, this.options.trainsOnKernel() ? null : this.samplesPerSecond) : 0;
    const timeout = Math.min(Math.max(this.options.stopTimeoutMs ?? STOP_TIMEOUT_MS, step * 1000), LONGEST_TIMEOUT_MS);
    this.#timer = setTimeout(() => this.options.onTimeout(), timeout);
  }

  clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
