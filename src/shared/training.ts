/** What the training loop reports, shared by the CLI, the worker protocol and the renderer. */

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
