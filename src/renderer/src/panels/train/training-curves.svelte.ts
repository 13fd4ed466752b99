import type { BatchLog, EpochLog } from '$shared/training';
import { appendInPlace, IncrementalSmoothing } from './growing-series';
import { bestLoss } from './loss-watch';
import { chartEpochsOf, DEFAULT_SMOOTHING } from './training-run';
import type { EpochEntry, Point } from './training-run';

/**
 * The Train panel's curves: every epoch logged (with the end of the call it belonged to, for "Epoch
 * 3/10"), the batch losses main reported and their smoothing. The epochs are raw and replaced on
 * change. The batch series grow in place instead (see growing-series.ts): a batch-32 run reports ten
 * times a second, and copying and re-smoothing thousands of points per report cost the window frames.
 */
export class TrainingCurves {
  epochs = $state.raw<readonly EpochEntry[]>([]);
  /** TensorBoard's smoothing of the batch-loss curve, 0 (raw) to 0.99. */
  smoothing = $state(DEFAULT_SMOOTHING);
  #callEnd = $state(0);
  /** Bumped whenever the batch series changes: it grows in place, so its identity alone would not say so. */
  #version = $state(0);
  #raw: Point[] = [];
  /** The lowest finite batch loss of #raw, kept as points arrive (the loss watch's reference). */
  #best = Infinity;
  readonly #smoothed = new IncrementalSmoothing();

  /** The reported batch loss (each report averages its batches), x in fractional epochs; grows in place. */
  get rawBatchLoss(): readonly Point[] {
    void this.#version;
    return this.#raw;
  }

  /** The debiased moving average of the batch loss the loss chart draws; grows in place while only points are added. */
  get batchLoss(): readonly Point[] {
    void this.#version;
    return this.#smoothed.of(this.#raw, this.smoothing);
  }

  /** The newest reported batch loss and the lowest so far, for the loss watch (loss-watch.ts). */
  get lossReport(): { latest: Point | undefined; best: number } {
    void this.#version;
    return { latest: this.#raw[this.#raw.length - 1], best: this.#best };
  }

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
    this.#setRaw([]);
  }

  addEpoch(log: EpochLog): void {
    this.epochs = [...this.epochs, { log, of: this.#callEnd }];
  }

  /** A progress report: its batch loss, and where its call ends (main knows best). */
  addBatch({ epoch, batch, batches, loss }: BatchLog, callEnd: number): void {
    this.endCallAt(callEnd);
    this.#setRaw(appendInPlace(this.#raw, { x: epoch + (batch + 1) / batches, y: loss }));
  }

  clear(): void {
    this.epochs = [];
    this.#setRaw([]);
  }

  #setRaw(series: Point[]): void {
    // Grown in place: only the new point can lower the best; another array is gone over once.
    const last = series[series.length - 1];
    this.#best = series === this.#raw && last ? bestLoss([last.y], this.#best) : bestLoss(series.map((p) => p.y));
    this.#raw = series;
    this.#version++;
  }
}
