import { describe, expect, it } from 'vitest';
import { classCounts, formatEta, indicesOf, moveSelection, pageCount, pageItems } from '$renderer/panels/data/browse';

const labels = Uint8Array.from([2, 0, 2, 1, 2, 0]);

describe('Data tab helpers', () => {
  it('counts classes, ignoring labels past the class list', () => {
    expect(classCounts(labels, 3)).toEqual([2, 1, 3]);
    expect(classCounts(Uint8Array.from([0, 5]), 2)).toEqual([1, 0]);
  });

  it('lists every index, or those of one class in file order', () => {
    expect(Array.from(indicesOf(labels, null))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(indicesOf(labels, 2))).toEqual([0, 2, 4]);
    expect(Array.from(indicesOf(labels, 7))).toEqual([]);
  });

  it('pages a list, with one empty page for nothing', () => {
    const items = Int32Array.from({ length: 250 }, (_, i) => i * 2);
    expect(pageCount(250)).toBe(3);
    expect(pageCount(0)).toBe(1);
    expect(pageItems(items, 2)).toEqual(Array.from({ length: 50 }, (_, i) => (200 + i) * 2));
    expect(pageItems(items, 5)).toEqual([]);
  });

  it('moves the selection by image, grid row, page and to the ends, never past them', () => {
    expect(moveSelection(5, 'ArrowRight', 300)).toBe(6);
    expect(moveSelection(0, 'ArrowLeft', 300)).toBe(0);
    expect(moveSelection(5, 'ArrowDown', 300)).toBe(15);
    expect(moveSelection(5, 'ArrowUp', 300)).toBe(0);
    expect(moveSelection(5, 'PageDown', 300)).toBe(105);
    expect(moveSelection(250, 'PageDown', 300)).toBe(299);
    expect(moveSelection(123, 'Home', 300)).toBe(0);
    expect(moveSelection(3, 'End', 300)).toBe(299);
    expect(moveSelection(3, 'End', 0)).toBe(0);
  });

  it('says how long is left', () => {
    expect(formatEta(null)).toBe('');
    expect(formatEta(42)).toBe('42 s left');
    expect(formatEta(125)).toBe('2 min 5 s left');
  });
});
