import type { BatchLog, EpochLog } from '$shared/training';
import { appendPoint, chartEpochsOf, DEFAULT_SMOOTHING, smoothSeries } from './training-run';
import type { EpochEntry, Point } from './training-run';

/**
 * The Train panel's curves: every epoch logged (with the end of the call it belonged to, for "Epoch
 * 3/10"), the batch losses main reported and their smoothing. Arrays grow during training, so they are
 * raw and replaced on change: nothing needs deep reactivity per batch.
 */
export class TrainingCurves {
  epochs = $state.raw<readonly EpochEntry[]>([]);
  /** The reported batch loss (each report averages its batches), x in fractional epochs. */
  rawBatchLoss = $state.raw<readonly Point[]>([]);
  /** TensorBoard's smoothing of the batch-loss curve, 0 (raw) to 0.99. */
  smoothing = $state(DEFAULT_SMOOTHING);
  #callEnd = $state(0);

  /** The debiased moving average of the batch loss the loss chart draws. */
  readonly batchLoss = $derived(smoothSeries(this.rawBatchLoss, this.smoothing));
  /** One point per epoch for the charts (see chartEpochsOf). */
  readonly chartEpochs = $derived(chartEpochsOf(this.epochs));
  readonly empty = $derived(this.epochs.length === 0 && this.batchLoss.length === 0);

  /** The epoch the current training call runs up to (the x axis' natural end). */
  get callEnd(): number {
    return this.#callEnd;
  }

  /** The current training call runs up to epoch `end`; the one place a call's end is set. */
  endCallAt(end: number): void {
    this.#callEnd = end;
  }

  /** A run's curves as main knows them (a window that opened mid-run, or a Continue of a saved model). */
  restart(history: readonly EpochLog[], callEnd: number): void {
    this.endCallAt(callEnd);
    this.epochs = history.map((log) => ({ log, of: callEnd }));
    this.rawBatchLoss = [];
  }

  addEpoch(log: EpochLog): void {
    this.epochs = [...this.epochs, { log, of: this.#callEnd }];
  }

  /** A progress report: its batch loss, and where its call ends (main knows best). */
  addBatch({ epoch, batch, batches, loss }: BatchLog, callEnd: number): void {
    this.endCallAt(callEnd);
    this.rawBatchLoss = appendPoint(this.rawBatchLoss, { x: epoch + (batch + 1) / batches, y: loss });
  }

  clear(): void {
    this.epochs = [];
    this.rawBatchLoss = [];
  }
}
