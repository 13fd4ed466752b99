import { describe, expect, it } from 'vitest';
import { appendInPlace, IncrementalSmoothing } from '$renderer/panels/train/growing-series';
import { smoothSeries } from '$renderer/panels/train/training-run';

const at = (x: number, y: number) => ({ x, y });

describe('appendInPlace', () => {
  it('grows the same array while x increases, and makes a new one when a redone epoch goes back', () => {
    const series = [at(0.5, 2)];
    const grown = appendInPlace(series, at(1, 1));
    expect(grown).toBe(series);
    expect(grown).toEqual([at(0.5, 2), at(1, 1)]);
    const redone = appendInPlace(grown, at(0.75, 3));
    expect(redone).not.toBe(grown);
    expect(redone).toEqual([at(0.5, 2), at(0.75, 3)]);
    expect(grown).toEqual([at(0.5, 2), at(1, 1)]);
  });
});

describe('IncrementalSmoothing', () => {
  it('extends the same smoothed array as the source grows, equal to smoothing it whole', () => {
    const smoothing = new IncrementalSmoothing();
    const source = [at(1, 2), at(2, 1)];
    const first = smoothing.of(source, 0.6);
    source.push(at(3, Number.NaN), at(4, 4));
    const second = smoothing.of(source, 0.6);
    expect(second).toBe(first);
    expect(second).toEqual(smoothSeries(source, 0.6));
    expect(second.map((p) => p.x)).toEqual([1, 2, 4]);
  });

  it('starts over on a new smoothing or another source array', () => {
    const smoothing = new IncrementalSmoothing();
    const source = [at(1, 2), at(2, 1)];
    const first = smoothing.of(source, 0.6);
    const raw = smoothing.of(source, 0);
    expect(raw).not.toBe(first);
    expect(raw.map((p) => p.y)).toEqual([2, 1]);
    const other = smoothing.of([at(1, 5)], 0);
    expect(other).toEqual([at(1, 5)]);
  });
});
