import { describe, expect, it } from 'vitest';
import { detectOverfitting } from '$shared/experiments/overfitting';
import type { EpochLog } from '$shared/training';

const history = (pairs: [loss: number, valLoss: number | undefined][]): EpochLog[] =>
  pairs.map(([loss, valLoss], epoch) => ({ epoch, loss, accuracy: 0.9, valLoss, seconds: 1, samplesPerSecond: 1000, samples: 1000, complete: true }));

describe('detectOverfitting', () => {
  it('says so when the validation loss has risen for 3 epochs while the training loss fell', () => {
    const sign = detectOverfitting(history([[0.6, 0.5], [0.4, 0.35], [0.3, 0.3], [0.2, 0.32], [0.15, 0.36], [0.1, 0.41]]));
    expect(sign).not.toBeNull();
    expect(sign).toMatchObject({ bestEpoch: 2, lastEpoch: 5, epochsRising: 3 });
    expect(sign!.message).toMatch(/risen for 3 epochs since epoch 3/);
    expect(sign!.advice).toMatch(/dropout/);
    expect(sign!.advice).toMatch(/L2/);
    expect(sign!.advice).toMatch(/fewer epochs/);
    expect(sign!.advice).toMatch(/early stopping/);
  });

  it('waits for several epochs: two rising epochs are not yet a story', () => {
    expect(detectOverfitting(history([[0.6, 0.5], [0.4, 0.35], [0.3, 0.3], [0.2, 0.32], [0.15, 0.36]]))).toBeNull();
  });

  it('is quiet while the validation loss still falls, or only wobbles within noise', () => {
    expect(detectOverfitting(history([[0.6, 0.5], [0.4, 0.4], [0.3, 0.35], [0.2, 0.3], [0.15, 0.28], [0.1, 0.27]]))).toBeNull();
    expect(detectOverfitting(history([[0.6, 0.5], [0.4, 0.3], [0.3, 0.301], [0.2, 0.302], [0.15, 0.3015], [0.1, 0.3018]]))).toBeNull();
  });

  it('is quiet when the training loss rose too (the run is unstable, not overfitting)', () => {
    expect(detectOverfitting(history([[0.6, 0.5], [0.3, 0.3], [0.35, 0.33], [0.4, 0.36], [0.45, 0.4]]))).toBeNull();
  });

  it('is quiet when the last epochs fall back again, even if above the best', () => {
    expect(detectOverfitting(history([[0.6, 0.3], [0.4, 0.5], [0.3, 0.45], [0.2, 0.4], [0.1, 0.36]]))).toBeNull();
  });

  it('needs validation figures', () => {
    expect(detectOverfitting(history([[0.6, undefined], [0.4, undefined], [0.3, undefined], [0.2, undefined], [0.1, undefined]]))).toBeNull();
  });
});
