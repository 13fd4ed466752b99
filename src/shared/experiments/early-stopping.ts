/**
 * Early stopping as Keras' EarlyStopping callback does it: watch a validation metric after every epoch,
 * stop once it has not improved by more than `minDelta` for `patience` epochs in a row, and optionally
 * put back the weights of the best epoch. Pure, so the rule is tested on hand-made series and the
 * window can mark the best epoch of any recorded run with the very same rule.
 */

export const EARLY_STOPPING_MONITORS = ['val_loss', 'val_accuracy'] as const;
export type EarlyStoppingMonitor = (typeof EARLY_STOPPING_MONITORS)[number];

export interface EarlyStoppingSpec {
  monitor: EarlyStoppingMonitor;
  /** Epochs without improvement before stopping (Keras' patience). */
  patience: number;
  /** The smallest change that counts as an improvement (Keras' min_delta, always ≥ 0). */
  minDelta: number;
  /** Put back the weights of the best epoch when it stops (Keras' restore_best_weights). */
  restoreBestWeights: boolean;
}

export const DEFAULT_EARLY_STOPPING: EarlyStoppingSpec = { monitor: 'val_loss', patience: 3, minDelta: 0, restoreBestWeights: true };

export const EARLY_STOPPING_LIMITS = { patience: { min: 1, max: 100 }, minDelta: { min: 0, max: 1 } } as const;

/** What the run record keeps of an early stop. */
export interface EarlyStopReport {
  /** 0-based epoch after which training stopped (counting a session's earlier runs, as EpochLog does). */
  stoppedEpoch: number;
  /** 0-based epoch with the best monitored value. */
  bestEpoch: number;
  monitor: EarlyStoppingMonitor;
  /** The monitored value at the best epoch. */
  best: number;
  /** Whether the model kept is the best epoch's (restore best weights) or the last one's. */
  restored: boolean;
  /** In words, for the run's record and the Runs tab. */
  reason: string;
}

/** What the rule reads of an epoch (EpochLog's fields; model-spec imports this file, so not EpochLog itself). */
export interface MonitoredEpoch {
  epoch: number;
  valLoss?: number;
  valAccuracy?: number;
}

export type EarlyStoppingVerdict = 'improved' | 'waiting' | 'stop';

/** The value a monitor reads from an epoch, or undefined when the epoch has none (no validation set). */
export function monitoredValue(log: Omit<MonitoredEpoch, 'epoch'>, monitor: EarlyStoppingMonitor): number | undefined {
  return monitor === 'val_loss' ? log.valLoss : log.valAccuracy;
}

/** One run's early-stopping state: feed it each epoch's log in order. */
export class EarlyStopper {
  private bestValue = Number.NaN;
  private bestAt = -1;
  private wait = 0;
  private stoppedAt = -1;

  constructor(readonly spec: EarlyStoppingSpec) {}

  get bestEpoch(): number {
    return this.bestAt;
  }

  get best(): number {
    return this.bestValue;
  }

  get stoppedEpoch(): number {
    return this.stoppedAt;
  }

  /**
   * Takes one finished epoch. 'improved' when it is the new best (keep its weights), 'stop' once
   * `patience` epochs in a row have not improved, 'waiting' otherwise. An epoch without the monitored
   * value (no validation set, a Stop mid-epoch) changes nothing.
   */
  update(log: MonitoredEpoch): EarlyStoppingVerdict {
    const value = monitoredValue(log, this.spec.monitor);
    if (value === undefined || !Number.isFinite(value)) return 'waiting';
    if (this.bestAt < 0 || this.improves(value)) {
      this.bestValue = value;
      this.bestAt = log.epoch;
      this.wait = 0;
      return 'improved';
    }
    this.wait++;
    if (this.wait >= this.spec.patience) {
      this.stoppedAt = log.epoch;
      return 'stop';
    }
    return 'waiting';
  }

  /** The record of the stop, once `update` said 'stop'. */
  report(): EarlyStopReport | null {
    if (this.stoppedAt < 0) return null;
    const { monitor, patience, minDelta, restoreBestWeights } = this.spec;
    const name = monitor === 'val_loss' ? 'validation loss' : 'validation accuracy';
    const by = minDelta > 0 ? ` by more than ${minDelta}` : '';
    return {
      stoppedEpoch: this.stoppedAt,
      bestEpoch: this.bestAt,
      monitor,
      best: this.bestValue,
      restored: restoreBestWeights,
      reason: `The ${name} had not improved${by} for ${patience} epoch${patience === 1 ? '' : 's'} since epoch ${this.bestAt + 1}.`,
    };
  }

  private improves(value: number): boolean {
    const delta = Math.abs(this.spec.minDelta);
    return this.spec.monitor === 'val_loss' ? value < this.bestValue - delta : value > this.bestValue + delta;
  }
}

/** The 0-based epoch number of a history's best monitored value by the rule above, or null without one. */
export function bestEpochOf(history: readonly MonitoredEpoch[], spec: EarlyStoppingSpec): number | null {
  const stopper = new EarlyStopper({ ...spec, patience: Number.POSITIVE_INFINITY });
  for (const log of history) stopper.update(log);
  return stopper.bestEpoch < 0 ? null : stopper.bestEpoch;
}

/** Problems with an early-stopping spec, in words (empty when usable); it needs a validation set. */
export function earlyStoppingProblems(spec: EarlyStoppingSpec, validation: number | 'test'): string[] {
  const problems: string[] = [];
  const { patience, minDelta } = EARLY_STOPPING_LIMITS;
  if (!Number.isInteger(spec.patience) || spec.patience < patience.min || spec.patience > patience.max) {
    problems.push(`early-stopping patience must be a whole number from ${patience.min} to ${patience.max} (got ${spec.patience})`);
  }
  if (!Number.isFinite(spec.minDelta) || spec.minDelta < minDelta.min || spec.minDelta > minDelta.max) {
    problems.push(`early-stopping minimum change must be from ${minDelta.min} to ${minDelta.max} (got ${spec.minDelta})`);
  }
  if (!EARLY_STOPPING_MONITORS.includes(spec.monitor)) problems.push(`early stopping monitors ${EARLY_STOPPING_MONITORS.join(' or ')} (got ${spec.monitor})`);
  if (validation === 0) problems.push('early stopping watches validation figures: hold out a validation fraction or use the test set');
  return problems;
}
