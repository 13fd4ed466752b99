import { describe, expect, it } from 'vitest';
import { stratifiedSplit } from '../../../../src/engine/finetune/split';

const labels = (perClass: number[]) => perClass.flatMap((n, label) => new Array<number>(n).fill(label));

describe('stratifiedSplit', () => {
  it('holds out 3 of 8 of every class, and the parts cover every sample once', () => {
    const all = labels(new Array(10).fill(8));
    const { fineTune, heldOut } = stratifiedSplit(all, 0.375, 7);
    expect(fineTune).toHaveLength(50);
    expect(heldOut).toHaveLength(30);
    for (let c = 0; c < 10; c++) expect(Array.from(heldOut).filter((i) => all[i] === c)).toHaveLength(3);
    expect([...fineTune, ...heldOut].sort((a, b) => a - b)).toEqual(all.map((_, i) => i));
  });

  it('is fixed by the seed, and another seed picks other samples', () => {
    const all = labels([8, 8, 8]);
    expect(stratifiedSplit(all, 0.375, 3)).toEqual(stratifiedSplit(all, 0.375, 3));
    expect(stratifiedSplit(all, 0.375, 3).heldOut).not.toEqual(stratifiedSplit(all, 0.375, 4).heldOut);
  });

  it('always leaves a class something to train on: one sample is never held out', () => {
    const { fineTune, heldOut } = stratifiedSplit(labels([1, 2, 0, 5]), 0.375, 1);
    expect(Array.from(heldOut).map((i) => labels([1, 2, 0, 5])[i]).sort()).toEqual([1, 3, 3]);
    expect(fineTune).toHaveLength(5);
  });
});
