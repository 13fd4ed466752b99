import type { DatasetSummary } from '$shared/datasets/dataset-summary';
import type { Api } from '$shared/ipc/contract';
import type { TrainingErrorKind, TrainingFinished, TrainingProgress } from '$shared/training';
import type { EpochLog } from '$shared/training';
import type { DatasetSize } from './run-estimate';
import { IncrementalSmoothing, type Point } from './growing-series';

/** The part of window.api the Train panel uses, so tests can hand it a fake. */
export type TrainingApi = Pick<
  Api,
  | 'getTrainingStatus'
  | 'listDatasets'
  | 'startTraining'
  | 'continueTraining'
  | 'continueModel'
  | 'stopTraining'
  | 'resetTraining'
  | 'saveModel'
  | 'loadModel'
  | 'downloadDataset'
  | 'onDownloadProgress'
  | 'onTrainingStatus'
  | 'onTrainingProgress'
  | 'onTrainingEpoch'
  | 'onTrainingFinished'
  | 'onTrainingError'
  | 'onDatasetsChanged'
  | 'getMeasuredSpeed'
>;

export interface EpochEntry {
  log: EpochLog;
  /** Where the training call this epoch belongs to ends, for "Epoch 3/10". */
  of: number;
}

export type { Point };

export interface PanelError {
  /** 'request': main refused a call (e.g. Train while the dataset is missing). */
  kind: TrainingErrorKind | 'request';
  message: string;
  advice: string | null;
}

/** TensorBoard's default smoothing: each point keeps 60 % of the running average. */
export const DEFAULT_SMOOTHING = 0.6;

/**
 * The debiased exponential moving average of `points`' y, as TensorBoard's scalar smoothing draws it:
 * the running average starts at 0 and is divided by 1 − s^n, so the first points are not dragged
 * towards zero (nor, started at the first value, stuck near the first loss). A NaN or infinite loss is
 * skipped: one bad batch must not blank the whole curve. `smoothing` 0 is the raw series.
 */
export function smoothSeries(points: readonly Point[], smoothing: number): Point[] {
  return [...new IncrementalSmoothing().of(points, smoothing)];
}

/** One point per epoch for the charts: the last complete log of each (a stopped epoch is redone by Continue). */
export function chartEpochsOf(epochs: readonly EpochEntry[]): EpochLog[] {
  const byEpoch = new Map<number, EpochLog>();
  for (const { log } of epochs) if (log.complete) byEpoch.set(log.epoch, log);
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

/** Share of this call's batches done, 0–100. */
export function percentDone(progress: TrainingProgress | null, result: TrainingFinished | null): number {
  if (result && !result.stopped) return 100;
  if (!progress) return 0;
  const { firstEpoch, lastEpoch, batch } = progress;
  const total = (lastEpoch - firstEpoch) * batch.batches;
  const done = (batch.epoch - firstEpoch) * batch.batches + batch.batch + 1;
  return total > 0 ? Math.min(100, Math.max(0, Math.round((done / total) * 100))) : 0;
}

/** The active model when a run starts, to say so when the run turns out far worse (see `replaced`). */
export interface ActiveModelInfo {
  id: string;
  name: string;
  testAccuracy: number | null;
  datasetId: string;
}

/** A run this many points of accuracy below the model it replaced is "far worse". */
export const FAR_WORSE = 0.1;

/**
 * `result` is more than FAR_WORSE below the accuracy of the model it `replaced`, on the same dataset:
 * a Fashion model's 87 % is not "far below" an MNIST model's 97 %.
 */
export function isFarWorse(result: Pick<TrainingFinished, 'testAccuracy'> | null, replaced: ActiveModelInfo | null, datasetId: string | null): boolean {
  const before = replaced?.testAccuracy;
  if (!replaced || replaced.datasetId !== datasetId) return false;
  return result !== null && before !== null && before !== undefined && result.testAccuracy < before - FAR_WORSE;
}

/** What TrainingState reads of the classifier: its active model's id, name and test accuracy. */
export interface ActiveModelSource {
  readonly modelId: string | null;
  readonly metadata: { readonly name: string; readonly datasetId: string; readonly metrics: { readonly testAccuracy?: number } } | null;
}

/** What TrainingState needs to know of the classifier's active model. */
export function activeModelOf(classifier: ActiveModelSource): ActiveModelInfo | null {
  const { modelId, metadata } = classifier;
  return modelId && metadata ? { id: modelId, name: metadata.name, testAccuracy: metadata.metrics.testAccuracy ?? null, datasetId: metadata.datasetId } : null;
}

/** A dataset's sizes for the estimate; null while it is not known (an import main has not listed). */
export function datasetSize(info: DatasetSummary | null | undefined): DatasetSize | null {
  if (!info) return null;
  return { train: info.counts.train, test: info.counts.test, pixels: info.imageSize.rows * info.imageSize.cols, classes: info.classNames.length };
}
