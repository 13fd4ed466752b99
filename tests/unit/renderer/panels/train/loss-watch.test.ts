import { describe, expect, it } from 'vitest';
import { watchLoss } from '$renderer/panels/train/loss-watch';

const samples = (losses: number[], perEpoch = 10): { x: number; loss: number }[] =>
  losses.map((loss, i) => ({ x: (i + 1) / perEpoch, loss }));

describe('watchLoss', () => {
  it('is quiet for a learning run', () => {
    expect(watchLoss(samples([2.3, 1.2, 0.8, 0.5, 0.4, 0.35, 0.3, 0.3, 0.28, 0.27, 0.25]), 10)).toBeNull();
  });

  it('calls a loss far above its start exploding, before any NaN', () => {
    const trouble = watchLoss(samples([2.3, 2.4, 5, 20, 101]), 10);
    expect(trouble?.kind).toBe('exploding');
    expect(trouble?.message).toMatch(/101/);
    expect(trouble?.advice).toMatch(/learning rate/);
    expect(watchLoss(samples([2.3, Number.NaN]), 10)?.kind).toBe('exploding');
    // Already blown up at the first report: still said.
    expect(watchLoss(samples([40]), 10)?.kind).toBe('exploding');
    // Back up from a good loss to above chance.
    expect(watchLoss(samples([2.3, 0.5, 0.4, 2.5]), 10)?.kind).toBe('exploding');
    expect(watchLoss(samples([2.3, 0.5, 0.4, 0.6]), 10)).toBeNull();
  });

  it('calls a loss at chance after an epoch stuck, but not during the first epoch', () => {
    const flat = Array.from({ length: 12 }, () => Math.log(10) + 0.01);
    expect(watchLoss(samples(flat.slice(0, 9)), 10)).toBeNull();
    expect(watchLoss(samples(flat), 10)?.kind).toBe('stuck');
  });
});
