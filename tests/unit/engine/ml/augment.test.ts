import { describe, expect, it } from 'vitest';
import { augmentImage } from '$engine/ml/augment';

const ROWS = 6;
const COLS = 6;
const image = Uint8Array.from({ length: ROWS * COLS }, (_, i) => (i * 37) % 251);
/** Stands in for Random: symmetric(range) returns the queued fractions of range, in call order. */
const fixed = (...fractions: number[]) => {
  let i = 0;
  return { symmetric: (range: number) => range * fractions[i++] };
};
const run = (spec: { maxShift: number; maxRotation: number; maxScale: number }, random: ReturnType<typeof fixed>) => {
  const out = new Float32Array(ROWS * COLS);
  augmentImage(image, 0, ROWS, COLS, spec, random, out, 0);
  return out;
};

describe('augmentImage', () => {
  it('is the identity with no distortion', () => {
    expect(Array.from(run({ maxShift: 0, maxRotation: 0, maxScale: 0 }, fixed(0, 0, 0, 0)))).toEqual(Array.from(image));
  });

  it('shifts by whole pixels exactly, filling with background', () => {
    // Call order: rotation, scale, dx, dy. dx = +1, dy = -1 (right one column, up one row).
    const out = run({ maxShift: 1, maxRotation: 0, maxScale: 0 }, fixed(0, 0, 1, -1));
    for (let y = 0; y < ROWS; y++) {
      for (let x = 0; x < COLS; x++) {
        const sx = x - 1;
        const sy = y + 1;
        const expected = sx < 0 || sy >= ROWS ? 0 : image[sy * COLS + sx];
        expect(out[y * COLS + x]).toBeCloseTo(expected, 4);
      }
    }
  });

  it('rotates by 90° about the centre', () => {
    const out = run({ maxShift: 0, maxRotation: 90, maxScale: 0 }, fixed(1, 0, 0, 0));
    // A quarter turn of a square image: output (x, y) reads source column y of row COLS-1-x.
    const mapped = Array.from({ length: ROWS * COLS }, (_, i) => {
      const x = i % COLS;
      const y = Math.floor(i / COLS);
      return image[(COLS - 1 - x) * COLS + y];
    });
    expect(Array.from(out).map(Math.round)).toEqual(mapped);
  });

  it('keeps total ink roughly when scaling up slightly', () => {
    const big = new Uint8Array(28 * 28);
    for (let y = 10; y < 18; y++) for (let x = 12; x < 16; x++) big[y * 28 + x] = 255;
    const out = new Float32Array(28 * 28);
    augmentImage(big, 0, 28, 28, { maxShift: 0, maxRotation: 0, maxScale: 0.2 }, fixed(0, 1, 0, 0), out, 0);
    const ink = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0);
    expect(ink(out) / ink(big)).toBeGreaterThan(1.2);
    expect(ink(out) / ink(big)).toBeLessThan(1.7);
  });
});
