/** What the training loop reports, shared by the CLI, the worker protocol and the renderer. */
import type { BackendDetail, BackendName, TrainingBackendName } from './backend';
import type { BackendChoice } from './backend-choice';
import type { DatasetId } from './datasets/catalog';
import type { ModelSpec } from './model-spec';
import type { EarlyStopReport } from './experiments/early-stopping';

export interface BatchLog {
  /** 0-based epoch number, counting earlier runs of the same model. */
  epoch: number;
  batch: number;
  batches: number;
  /** This batch's loss (cross-entropy + L2 penalty). */
  loss: number;
  accuracy: number;
  /** Training throughput so far in this epoch. */
  samplesPerSecond: number;
}

export interface EpochLog {
  epoch: number;
  /** Mean batch loss over the epoch, as Keras reports it. */
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  /** Wall time of the epoch, validation included. */
  seconds: number;
  /** Training samples per second, validation excluded. */
  samplesPerSecond: number;
  samples: number;
  /** False when training was stopped part-way through this epoch. */
  complete: boolean;
}

/**
 * Training throughput over a run: all samples over the time spent on them, validation excluded. The CLI
 * reports it, and the in-app benchmark must compute the very same figure to compare with it.
 */
export function runSamplesPerSecond(history: readonly Pick<EpochLog, 'samples' | 'samplesPerSecond'>[]): number {
  const samples = history.reduce((total, h) => total + h.samples, 0);
  return samples / history.reduce((total, h) => total + h.samples / h.samplesPerSecond, 0);
}

/** How a run's batches were stepped: by TensorFlow.js ops, or by the training kernel in one call a batch. */
export interface StepperReport {
  name: 'tfjs' | 'kernel';
  /** What it runs on, e.g. "simd128, 1 thread". */
  detail: string | null;
  /** Why the kernel was wanted but the tfjs step ran instead; null when it was not. */
  fallback: string | null;
}

export type TrainingPhase = 'idle' | 'starting' | 'training' | 'stopping';

/** Where training stands; sent whenever it changes, and on request. */
export interface TrainingStatus {
  phase: TrainingPhase;
  /** What the run trains on once the worker has chosen: a TensorFlow.js backend or the training kernel. */
  backend: TrainingBackendName | null;
  /** Its SIMD, threads and any thread fallback, as the worker reported them (for the status bar). */
  backendDetail?: BackendDetail | null;
  /** The backends the worker started, which a run can train on (the popover offers them to pin). */
  availableBackends?: BackendName[];
  /** The backend the user pinned for the next runs (the popover); null or absent: the faster, measured. */
  pinnedBackend?: TrainingBackendName | null;
  /** How the current (or last) run's backend was chosen: "tfjs-node: 2.4× faster than wasm for this model". */
  backendChoice?: BackendChoice | null;
  /** The model being trained or last trained (kept for Continue), if any. */
  run: {
    id: string;
    spec: ModelSpec;
    datasetId: DatasetId;
    epochsDone: number;
    history: EpochLog[];
  } | null;
}

export interface TrainingProgress {
  runId: string;
  /** The last batch, with loss and accuracy averaged over the batches since the previous report. */
  batch: BatchLog;
  /** Epoch index this call started at, and the one it will stop before. */
  firstEpoch: number;
  lastEpoch: number;
  /** Seconds left at the current rate, validation excluded. */
  etaSeconds: number;
}

export interface TrainingFinished {
  runId: string;
  /** True when Stop ended it early. */
  stopped: boolean;
  testAccuracy: number;
  testLoss: number;
  epochsDone: number;
  /** The trained model is now the active one for drawing, under this name. */
  modelName: string;
  /** Set when early stopping ended the run. */
  earlyStop?: EarlyStopReport | null;
  /** What stepped its batches, and why not the kernel if it was wanted. */
  stepper?: StepperReport | null;
}

export type TrainingErrorKind = 'diverged' | 'out-of-memory' | 'worker-crashed' | 'dataset' | 'failed';

export interface TrainingError {
  runId: string | null;
  kind: TrainingErrorKind;
  message: string;
  /** What the user can do about it. */
  advice: string;
}
