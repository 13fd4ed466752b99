import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import { TrainingCurves } from '$renderer/panels/train/training-curves.svelte';
import type { BatchLog, EpochLog } from '$shared/training';

const batch = (epoch: number, index: number, loss: number): BatchLog => ({ epoch, batch: index, batches: 2, loss, accuracy: 0.5, samplesPerSecond: 100 });
const epoch = (index: number, complete = true): EpochLog => ({ epoch: index, loss: 1 / (index + 1), accuracy: 0.9, samples: 10, samplesPerSecond: 100, seconds: 1, complete });

describe('TrainingCurves', () => {
  it('numbers each epoch by the end of the call it was logged in', () => {
    const curves = new TrainingCurves();
    curves.endCallAt(2);
    curves.addEpoch(epoch(0));
    curves.addBatch(batch(1, 0, 1), 5);
    curves.addEpoch(epoch(1));
    expect(curves.callEnd).toBe(5);
    expect(curves.epochs.map((e) => `${e.log.epoch + 1}/${e.of}`)).toEqual(['1/2', '2/5']);
  });

  it('replaces the points of a cut-short epoch when Continue redoes it, and keeps one chart point per epoch', () => {
    const curves = new TrainingCurves();
    curves.smoothing = 0;
    curves.addBatch(batch(0, 0, 3), 1);
    curves.addBatch(batch(0, 1, 2), 1);
    curves.addEpoch(epoch(0, false));
    curves.addBatch(batch(0, 0, 1), 1);
    curves.addEpoch(epoch(0));
    flushSync();
    expect(curves.batchLoss).toEqual([{ x: 0.5, y: 1 }]);
    expect(curves.chartEpochs.map((l) => l.complete)).toEqual([true]);
    expect(curves.empty).toBe(false);
  });

  it('restarts from a run history and clears to empty', () => {
    const curves = new TrainingCurves();
    curves.addBatch(batch(0, 0, 3), 1);
    curves.restart([epoch(0), epoch(1)], 4);
    expect(curves.rawBatchLoss).toEqual([]);
    expect(curves.epochs.map((e) => e.of)).toEqual([4, 4]);
    curves.clear();
    expect(curves.empty).toBe(true);
    expect(curves.callEnd).toBe(4);
  });

  it('keeps the newest batch loss and the lowest finite one as reports arrive, and after a redone epoch', () => {
    const curves = new TrainingCurves();
    expect(curves.lossReport).toEqual({ latest: undefined, best: Infinity });
    curves.addBatch(batch(0, 0, 3), 2);
    curves.addBatch(batch(0, 1, Number.NaN), 2);
    curves.addBatch(batch(1, 0, 2), 2);
    expect(curves.lossReport).toEqual({ latest: { x: 1.5, y: 2 }, best: 2 });
    // Continue redoes epoch 1 from its start: the points of the redone part no longer count.
    curves.addBatch(batch(0, 1, 5), 2);
    expect(curves.lossReport).toEqual({ latest: { x: 1, y: 5 }, best: 3 });
    curves.clear();
    expect(curves.lossReport.best).toBe(Infinity);
  });
});
