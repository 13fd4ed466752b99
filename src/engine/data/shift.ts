import type { ImageSet } from '../../shared/datasets/image-set';

/** A copy of a set with every image moved dx pixels right and dy down; uncovered pixels are background (0). */
export function shiftSet(set: ImageSet, dx: number, dy: number): ImageSet {
  const { rows, cols } = set;
  const size = rows * cols;
  const images = new Uint8Array(set.images.length);
  for (let i = 0; i < set.count; i++) {
    const base = i * size;
    for (let y = Math.max(0, dy); y < Math.min(rows, rows + dy); y++) {
      const from = base + (y - dy) * cols;
      const to = base + y * cols;
      for (let x = Math.max(0, dx); x < Math.min(cols, cols + dx); x++) images[to + x] = set.images[from + x - dx];
    }
  }
  return { ...set, images };
}

/** The eight 2-pixel shifts (and diagonals) the default model must withstand. */
export const EIGHT_DIRECTIONS: readonly (readonly [number, number])[] = [
  [-1, -1], [0, -1], [1, -1],
  [-1, 0], [1, 0],
  [-1, 1], [0, 1], [1, 1],
];
