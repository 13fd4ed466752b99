import { describe, expect, it } from 'vitest';
import { runSamplesPerSecond } from '$shared/training';

describe('runSamplesPerSecond', () => {
  it('weighs each epoch by the time it took, not by count', () => {
    // 100 samples in 1 s, then 600 in 2 s: 700 in 3 s (the plain mean of the rates would say 200).
    expect(runSamplesPerSecond([{ samples: 100, samplesPerSecond: 100 }, { samples: 600, samplesPerSecond: 300 }])).toBeCloseTo(700 / 3);
  });
});
