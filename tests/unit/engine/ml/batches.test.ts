import { describe, expect, it } from 'vitest';
import { transposeInto } from '$engine/ml/batch-fill';
import { BatchFiller, normalizedImages, rowScales } from '$engine/ml/batches';
import { Random } from '$engine/ml/random';
import type { ImageSet } from '$shared/datasets/image-set';
import { syntheticSet } from '$tests/helpers/datasets';

const SIZE = 16;

function withBlankImage(set: ImageSet): ImageSet {
  const images = set.images.slice();
  images.fill(0, 3 * SIZE, 4 * SIZE);
  return { ...set, images };
}

describe('BatchFiller', () => {
  for (const normalization of ['divide255', 'unit'] as const) {
    it(`fills rows and their transpose with exactly normalizedImages' values (${normalization})`, () => {
      const set = withBlankImage(syntheticSet(40, 3));
      const expected = normalizedImages(set, normalization);
      const filler = new BatchFiller(set, normalization, null);
      const order = Int32Array.from({ length: 40 }, (_, i) => (i * 7) % 40);
      // A last, partial batch: the transpose is [size × count] for the count filled, not the batch size.
      const count = 9;
      const out = new Float32Array(16 * SIZE).fill(NaN);
      const outT = new Float32Array(16 * SIZE).fill(NaN);
      const labels = new Uint8Array(16);
      filler.fill(order, 30, count, out, labels, new Random(1), outT);
      for (let i = 0; i < count; i++) {
        const image = order[30 + i];
        expect(labels[i]).toBe(set.labels[image]);
        for (let p = 0; p < SIZE; p++) {
          expect(out[i * SIZE + p]).toBe(expected[image * SIZE + p]);
          expect(outT[p * count + i]).toBe(expected[image * SIZE + p]);
        }
      }
      expect(Number.isNaN(outT[count * SIZE])).toBe(true);
    });
  }

  it('gives the values of one image at a time, bit for bit, for every count mod 4 and an odd image size', () => {
    // 5×7 = 35 pixels; counts 1..11 cover the 4-image passes and each remainder after them.
    const set = withBlankImage(syntheticSet(60, 9, 5, 7));
    const size = 35;
    const order = Int32Array.from({ length: 60 }, (_, i) => (i * 17 + 5) % 60);
    for (const normalization of ['divide255', 'unit'] as const) {
      const scales = rowScales(set, normalization);
      const filler = new BatchFiller(set, normalization, null);
      for (let count = 1; count <= 11; count++) {
        const start = 3 * count;
        const out = new Float32Array(count * size).fill(NaN);
        const outT = new Float32Array(count * size).fill(NaN);
        filler.fill(order, start, count, out, new Uint8Array(count), new Random(1), outT);
        const expected = new Float32Array(count * size);
        const expectedT = new Float32Array(count * size);
        for (let i = 0; i < count; i++) {
          const image = order[start + i];
          for (let p = 0; p < size; p++) {
            const value = set.images[image * size + p] * scales[image];
            expected[i * size + p] = value;
            expectedT[p * count + i] = value;
          }
        }
        expect(out, `${normalization}, count ${count}`).toEqual(expected);
        expect(outT, `${normalization}, count ${count}, transposed`).toEqual(expectedT);
        const rowsOnly = new Float32Array(count * size);
        filler.fill(order, start, count, rowsOnly, new Uint8Array(count), new Random(1));
        expect(rowsOnly).toEqual(expected);
      }
    }
  });

  it('transposes augmented batches too', () => {
    const set = syntheticSet(20, 5);
    const augment = { maxShift: 1, maxRotation: 10, maxScale: 0.1 };
    const filler = new BatchFiller(set, 'divide255', augment);
    const order = Int32Array.from({ length: 20 }, (_, i) => i);
    const out = new Float32Array(8 * SIZE);
    const outT = new Float32Array(8 * SIZE);
    filler.fill(order, 0, 8, out, new Uint8Array(8), new Random(4), outT);
    const expectedT = new Float32Array(8 * SIZE);
    transposeInto(out, 8, SIZE, expectedT);
    expect(outT).toEqual(expectedT);
    expect(out.some((v) => v > 0)).toBe(true);
  });
});

describe('transposeInto', () => {
  it('transposes [count × size] for every count mod 4 and an odd size', () => {
    const size = 35;
    for (let count = 1; count <= 9; count++) {
      const rows = Float32Array.from({ length: count * size }, (_, k) => k + 0.5);
      const outT = new Float32Array(count * size).fill(NaN);
      transposeInto(rows, count, size, outT);
      const expected = new Float32Array(count * size);
      for (let i = 0; i < count; i++) for (let p = 0; p < size; p++) expected[p * count + i] = rows[i * size + p];
      expect(outT, `count ${count}`).toEqual(expected);
    }
  });
});

describe('rowScales', () => {
  it('is 1/255 per image, or each image\'s inverse L2 norm, with blank images left at zero', () => {
    const set = withBlankImage(syntheticSet(6, 2));
    expect(Array.from(rowScales(set, 'divide255'))).toEqual(Array(6).fill(1 / 255));
    const unit = rowScales(set, 'unit');
    const first = Array.from(set.images.subarray(0, SIZE));
    expect(unit[0]).toBeCloseTo(1 / Math.hypot(...first), 15);
    expect(unit[3]).toBe(1);
  });
});
