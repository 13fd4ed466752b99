import { describe, expect, it } from 'vitest';
import { bestEpochOf, EarlyStopper, earlyStoppingProblems, type EarlyStoppingSpec } from '$shared/experiments/early-stopping';
import { DEFAULT_SPEC, validateSpec } from '$shared/model-spec';

const spec = (change: Partial<EarlyStoppingSpec> = {}): EarlyStoppingSpec => ({ monitor: 'val_loss', patience: 2, minDelta: 0, restoreBestWeights: true, ...change });

/** Feeds a series of monitored values to a stopper; returns its verdicts. */
function run(stopper: EarlyStopper, values: number[], key: 'valLoss' | 'valAccuracy' = 'valLoss'): string[] {
  const verdicts: string[] = [];
  for (const [epoch, value] of values.entries()) {
    const verdict = stopper.update({ epoch, [key]: value });
    verdicts.push(verdict);
    if (verdict === 'stop') break;
  }
  return verdicts;
}

describe('EarlyStopper (Keras EarlyStopping rule)', () => {
  it('stops once the validation loss has not improved for `patience` epochs, and knows the best epoch', () => {
    const stopper = new EarlyStopper(spec({ patience: 2 }));
    expect(run(stopper, [0.9, 0.6, 0.5, 0.55, 0.52, 0.4])).toEqual(['improved', 'improved', 'improved', 'waiting', 'stop']);
    expect(stopper.bestEpoch).toBe(2);
    expect(stopper.best).toBe(0.5);
    expect(stopper.stoppedEpoch).toBe(4);
    const report = stopper.report()!;
    expect(report).toMatchObject({ stoppedEpoch: 4, bestEpoch: 2, monitor: 'val_loss', best: 0.5, restored: true });
    expect(report.reason).toMatch(/validation loss had not improved for 2 epochs since epoch 3/);
  });

  it('patience 1 stops at the first epoch that is not better', () => {
    const stopper = new EarlyStopper(spec({ patience: 1 }));
    expect(run(stopper, [0.5, 0.4, 0.41, 0.3])).toEqual(['improved', 'improved', 'stop']);
    expect(stopper.bestEpoch).toBe(1);
  });

  it('a better epoch resets the wait', () => {
    const stopper = new EarlyStopper(spec({ patience: 2 }));
    expect(run(stopper, [0.5, 0.6, 0.45, 0.5, 0.44, 0.5, 0.5])).toEqual(['improved', 'waiting', 'improved', 'waiting', 'improved', 'waiting', 'stop']);
    expect(stopper.bestEpoch).toBe(4);
  });

  it('an improvement no bigger than min_delta does not count', () => {
    const stopper = new EarlyStopper(spec({ patience: 2, minDelta: 0.05 }));
    // 0.47 and 0.46 are below 0.5 but not by more than 0.05.
    expect(run(stopper, [0.5, 0.47, 0.46])).toEqual(['improved', 'waiting', 'stop']);
    expect(stopper.bestEpoch).toBe(0);
    expect(stopper.report()!.reason).toMatch(/by more than 0.05/);
  });

  it('monitors validation accuracy upwards', () => {
    const stopper = new EarlyStopper(spec({ monitor: 'val_accuracy', patience: 2 }));
    expect(run(stopper, [0.8, 0.9, 0.89, 0.9], 'valAccuracy')).toEqual(['improved', 'improved', 'waiting', 'stop']);
    expect(stopper.bestEpoch).toBe(1);
    expect(stopper.report()!.reason).toMatch(/validation accuracy/);
  });

  it('ignores epochs without the monitored value, and has no report before stopping', () => {
    const stopper = new EarlyStopper(spec({ patience: 1 }));
    expect(stopper.update({ epoch: 0 })).toBe('waiting');
    expect(stopper.update({ epoch: 1, valLoss: Number.NaN })).toBe('waiting');
    expect(stopper.bestEpoch).toBe(-1);
    expect(stopper.report()).toBeNull();
    expect(stopper.update({ epoch: 2, valLoss: 1 })).toBe('improved');
  });

  it('bestEpochOf finds the best epoch of a recorded history by the same rule', () => {
    const history = [0.9, 0.5, 0.52, 0.5, 0.7].map((valLoss, epoch) => ({ epoch: epoch + 10, valLoss, valAccuracy: 1 - valLoss }));
    expect(bestEpochOf(history, spec())).toBe(11);
    expect(bestEpochOf(history, spec({ monitor: 'val_accuracy' }))).toBe(11);
    expect(bestEpochOf([{ epoch: 0 }], spec())).toBeNull();
  });
});

describe('early stopping in a spec', () => {
  it('needs a validation set and a sensible patience', () => {
    expect(earlyStoppingProblems(spec(), 0.1)).toEqual([]);
    expect(earlyStoppingProblems(spec(), 'test')).toEqual([]);
    expect(earlyStoppingProblems(spec(), 0).join()).toMatch(/validation/);
    expect(earlyStoppingProblems(spec({ patience: 0 }), 0.1).join()).toMatch(/patience/);
    expect(earlyStoppingProblems(spec({ minDelta: -1 }), 0.1).join()).toMatch(/minimum change/);
    expect(validateSpec({ ...DEFAULT_SPEC, validation: 0, earlyStopping: spec() }).join()).toMatch(/early stopping watches validation/);
    expect(validateSpec({ ...DEFAULT_SPEC, earlyStopping: null })).toEqual([]);
  });
});
