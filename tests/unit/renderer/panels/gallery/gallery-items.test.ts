import { describe, expect, it } from 'vitest';
import { cellFilter, galleryItems, NO_FILTER, pageOf } from '$renderer/panels/gallery/gallery-items';

// Six images: true labels, predictions and the confidence of each prediction.
const outcomes = {
  labels: Uint8Array.from([4, 4, 9, 4, 1, 4]),
  predicted: Uint8Array.from([9, 4, 9, 9, 7, 9]),
  confidence: Float32Array.from([0.6, 0.99, 0.8, 0.9, 0.5, 0.7]),
};

describe('galleryItems', () => {
  it('shows failures only, most confidently wrong first', () => {
    expect(Array.from(galleryItems(outcomes, NO_FILTER, 'confidence'))).toEqual([3, 5, 0, 4]);
  });

  it('keeps test-set order when asked', () => {
    expect(Array.from(galleryItems(outcomes, NO_FILTER, 'index'))).toEqual([0, 3, 4, 5]);
  });

  it('filters by true class and prediction, as a cell of the matrix does', () => {
    expect(Array.from(galleryItems(outcomes, cellFilter(4, 9), 'index'))).toEqual([0, 3, 5]);
    expect(Array.from(galleryItems(outcomes, { trueClass: 1, predicted: null, showCorrect: false }, 'index'))).toEqual([4]);
  });

  it('shows correct images too when asked, after the failures', () => {
    const all = Array.from(galleryItems(outcomes, { ...NO_FILTER, showCorrect: true }, 'confidence'));
    expect(all).toEqual([3, 5, 0, 4, 1, 2]);
    expect(cellFilter(4, 4).showCorrect).toBe(true);
    expect(Array.from(galleryItems(outcomes, cellFilter(4, 4), 'index'))).toEqual([1]);
  });
});

describe('pageOf', () => {
  const items = Int32Array.from({ length: 130 }, (_, i) => i);

  it('cuts pages and clamps the page number', () => {
    expect(pageOf(items, 2, 60)).toMatchObject({ page: 2, pages: 3 });
    expect(Array.from(pageOf(items, 2, 60).items)).toEqual(Array.from({ length: 10 }, (_, i) => 120 + i));
    expect(pageOf(items, 9, 60).page).toBe(2);
    expect(pageOf(items, -1, 60).page).toBe(0);
    expect(pageOf(new Int32Array(0), 0, 60)).toMatchObject({ page: 0, pages: 1 });
  });
});
