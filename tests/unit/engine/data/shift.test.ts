import { describe, expect, it } from 'vitest';
import { EIGHT_DIRECTIONS, shiftSet } from '$engine/data/shift';

const set = { images: Uint8Array.from({ length: 2 * 9 }, (_, i) => i + 1), labels: Uint8Array.from([3, 4]), count: 2, rows: 3, cols: 3 };

describe('shiftSet', () => {
  it('moves every image right and down, filling with background', () => {
    const moved = shiftSet(set, 1, 1);
    expect(Array.from(moved.images.subarray(0, 9))).toEqual([0, 0, 0, 0, 1, 2, 0, 4, 5]);
    expect(Array.from(moved.images.subarray(9))).toEqual([0, 0, 0, 0, 10, 11, 0, 13, 14]);
    expect(moved.labels).toBe(set.labels);
  });

  it('moves left and up, and leaves the original untouched', () => {
    const moved = shiftSet(set, -2, -1);
    expect(Array.from(moved.images.subarray(0, 9))).toEqual([6, 0, 0, 9, 0, 0, 0, 0, 0]);
    expect(set.images[0]).toBe(1);
  });

  it('covers the eight neighbouring directions once each', () => {
    expect(new Set(EIGHT_DIRECTIONS.map((d) => d.join()))).toHaveProperty('size', 8);
    expect(EIGHT_DIRECTIONS.some(([x, y]) => x === 0 && y === 0)).toBe(false);
  });
});
