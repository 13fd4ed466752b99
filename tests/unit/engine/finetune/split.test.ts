import { describe, expect, it } from 'vitest';
import { stratifiedSplit } from '$engine/finetune/split';

const labels = (perClass: number[]) => perClass.flatMap((n, label) => new Array<number>(n).fill(label));
const idsFor = (count: number) => Array.from({ length: count }, (_, i) => `s${i + 1}`);
/** The held-out ids of a split of `ids` (one class each, unless labels are given). */
const heldIds = (ids: string[], seed: number, all = new Array<number>(ids.length).fill(0)) =>
  Array.from(stratifiedSplit(all, ids, 0.375, seed).heldOut, (i) => ids[i]);

describe('stratifiedSplit', () => {
  it('holds out 3 of 8 of every class, and the parts cover every sample once', () => {
    const all = labels(new Array(10).fill(8));
    const { fineTune, heldOut } = stratifiedSplit(all, idsFor(80), 0.375, 7);
    expect(fineTune).toHaveLength(50);
    expect(heldOut).toHaveLength(30);
    for (let c = 0; c < 10; c++) expect(Array.from(heldOut).filter((i) => all[i] === c)).toHaveLength(3);
    expect([...fineTune, ...heldOut].sort((a, b) => a - b)).toEqual(all.map((_, i) => i));
  });

  it('is fixed by the seed, and another seed picks other samples', () => {
    const all = labels([8, 8, 8]);
    expect(stratifiedSplit(all, idsFor(24), 0.375, 3)).toEqual(stratifiedSplit(all, idsFor(24), 0.375, 3));
    expect(stratifiedSplit(all, idsFor(24), 0.375, 3).heldOut).not.toEqual(stratifiedSplit(all, idsFor(24), 0.375, 4).heldOut);
  });

  it('always leaves a class something to train on: one sample is never held out', () => {
    const { fineTune, heldOut } = stratifiedSplit(labels([1, 2, 0, 5]), idsFor(8), 0.375, 1);
    expect(Array.from(heldOut).map((i) => labels([1, 2, 0, 5])[i]).sort()).toEqual([1, 3, 3]);
    expect(fineTune).toHaveLength(5);
  });

  it('decides a sample by its id, not its place: reordering the set or adding to it leaves the others where they were', () => {
    const eight = idsFor(8);
    expect(heldIds(eight, 1)).toEqual(['s1', 's7', 's8']);
    expect(heldIds([...eight].reverse(), 1).sort()).toEqual(['s1', 's7', 's8']);
    // A ninth drawing of the class: still 3 held out (round(9 · 0.375)), the same three.
    expect(heldIds([...eight, 's9'], 1)).toEqual(['s1', 's7', 's8']);
    // Other classes' samples change nothing in this one.
    expect(heldIds([...eight, 'x1', 'x2', 'x3'], 1, [...new Array(8).fill(0), 4, 4, 4]).filter((id) => id.startsWith('s'))).toEqual(['s1', 's7', 's8']);
  });

  it('moves at most one earlier sample across when a sample is added, and keeps round(n · fraction) held out', () => {
    for (let seed = 0; seed < 40; seed++) {
      for (let n = 2; n < 20; n++) {
        const before = new Set(heldIds(idsFor(n), seed));
        const after = heldIds(idsFor(n + 1), seed);
        expect(after).toHaveLength(Math.min(n, Math.round((n + 1) * 0.375)));
        const moved = idsFor(n).filter((id) => before.has(id) !== after.includes(id));
        expect(moved.length, `seed ${seed}, ${n} → ${n + 1}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it('refuses ids that do not match the labels', () => {
    expect(() => stratifiedSplit([0, 1, 2], ['a', 'b'], 0.375, 1)).toThrow(/3 labels but 2 ids/);
  });
});
