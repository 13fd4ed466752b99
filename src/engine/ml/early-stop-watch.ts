import * as tf from '@tensorflow/tfjs';
import { EarlyStopper, type EarlyStoppingSpec, type EarlyStopReport } from '../../shared/experiments/early-stopping';
import type { EpochLog } from '../../shared/training';
import type { DenseBlock } from './model';

/**
 * Early stopping in a training call: the rule (EarlyStopper) plus the weights of the best epoch so far,
 * kept as plain copies so that "restore best weights" can put them back when the rule stops the run.
 * The engine feeds it each epoch's log and aborts training when it says so.
 */
export class EarlyStopWatch {
  private readonly stopper: EarlyStopper;
  /** Each block's [kernel, bias] values at the best epoch; only kept when they will be restored. */
  private best: [Float32Array, Float32Array][] | null = null;
  private stoppedFlag = false;

  constructor(
    spec: EarlyStoppingSpec,
    private readonly blocks: readonly DenseBlock[],
  ) {
    this.stopper = new EarlyStopper(spec);
  }

  /** True once the rule has stopped the run. */
  get stopped(): boolean {
    return this.stoppedFlag;
  }

  /** Takes one finished epoch; true when training should stop after it. */
  onEpoch(log: EpochLog): boolean {
    // An epoch cut short by Stop has no validation figures and is not a fair comparison anyway.
    if (!log.complete) return false;
    const verdict = this.stopper.update(log);
    // One copy of the weights per improvement: an MLP's weights are small beside an epoch's work.
    if (verdict === 'improved' && this.stopper.spec.restoreBestWeights) this.best = this.blocks.map((b) => [copyOf(b.kernel), copyOf(b.bias)]);
    if (verdict === 'stop') this.stoppedFlag = true;
    return this.stoppedFlag;
  }

  /** Once stopped: puts the best epoch's weights back (when asked to) and says what happened. */
  finish(): EarlyStopReport | null {
    const report = this.stopper.report();
    if (!report) return null;
    if (this.best && report.restored) {
      this.blocks.forEach((block, i) => {
        const [kernel, bias] = this.best![i]!;
        tf.tidy(() => {
          block.kernel.assign(tf.tensor(kernel, block.kernel.shape));
          block.bias.assign(tf.tensor(bias, block.bias.shape));
        });
      });
    }
    this.best = null;
    return report;
  }
}

/** A copy of a variable's values that no later update can change. */
function copyOf(variable: tf.Variable): Float32Array {
  return Float32Array.from(variable.dataSync() as Float32Array);
}
