import { describe, expect, it } from 'vitest';
import type { BatchLog } from '$shared/training';
import { ProgressThrottle } from '$engine/training/protocol';

const log = (batch: number, loss: number, batches = 10): BatchLog => ({ epoch: 0, batch, batches, loss, accuracy: loss / 10, samplesPerSecond: 1 });

describe('ProgressThrottle', () => {
  it('reports at most once per interval, averaging the batches in between, and always the last batch of an epoch', () => {
    let now = 0;
    const emitted: BatchLog[] = [];
    const throttle = new ProgressThrottle((l) => emitted.push(l), 100, () => now);
    throttle.add(log(0, 1)); // first: reported at once
    now = 50;
    throttle.add(log(1, 2));
    throttle.add(log(2, 4));
    now = 120;
    throttle.add(log(3, 6)); // interval passed: mean of batches 1–3
    now = 130;
    throttle.add(log(9, 8)); // last of the epoch: reported though the interval has not passed
    expect(emitted.map((e) => [e.batch, e.loss])).toEqual([
      [0, 1],
      [3, 4],
      [9, 8],
    ]);
    expect(emitted[1].accuracy).toBeCloseTo(0.4);
  });

  it('flushes the batches not yet reported, once', () => {
    let now = 0;
    const emitted: BatchLog[] = [];
    const throttle = new ProgressThrottle((l) => emitted.push(l), 100, () => now);
    throttle.add(log(0, 1));
    now = 10;
    throttle.add(log(1, 3));
    throttle.add(log(2, 5));
    throttle.flush();
    throttle.flush();
    expect(emitted.map((e) => [e.batch, e.loss])).toEqual([
      [0, 1],
      [2, 4],
    ]);
  });
});
