/** Which images the failure gallery shows, and in what order. */

export interface GalleryFilter {
  /** Only images of this true class (a row label or a cell). */
  trueClass: number | null;
  /** Only images predicted as this class (a column label or a cell). */
  predicted: number | null;
  /** Correct ones too, not just the failures. */
  showCorrect: boolean;
  /** Only these test images (picked on the projector's map), with what to call them. */
  picked?: { indices: readonly number[]; label: string } | null;
}

export type GallerySort = 'confidence' | 'index';

export interface Outcomes {
  labels: Uint8Array;
  predicted: Uint8Array;
  confidence: Float32Array;
}

export const NO_FILTER: GalleryFilter = { trueClass: null, predicted: null, showCorrect: false };

/**
 * The indices of the images to show. 'confidence' puts the most confidently wrong first (then the
 * correct ones, most confident first, when they are shown); 'index' keeps test-set order.
 */
export function galleryItems(outcomes: Outcomes, filter: GalleryFilter, sort: GallerySort): Int32Array {
  const { labels, predicted, confidence } = outcomes;
  const picked: number[] = [];
  const only = filter.picked ? [...new Set(filter.picked.indices)].filter((i) => Number.isInteger(i) && i >= 0 && i < labels.length).sort((a, b) => a - b) : null;
  for (const i of only ?? labels.keys()) {
    if (filter.trueClass !== null && labels[i] !== filter.trueClass) continue;
    if (filter.predicted !== null && predicted[i] !== filter.predicted) continue;
    if (!filter.showCorrect && predicted[i] === labels[i]) continue;
    picked.push(i);
  }
  if (sort === 'confidence') {
    const wrong = (i: number) => (predicted[i] !== labels[i] ? 0 : 1);
    picked.sort((a, b) => wrong(a) - wrong(b) || confidence[b] - confidence[a] || a - b);
  }
  return Int32Array.from(picked);
}

/** A cell's filter: its true class and its prediction, correct ones shown when it is on the diagonal. */
export function cellFilter(trueClass: number, predicted: number): GalleryFilter {
  return { trueClass, predicted, showCorrect: trueClass === predicted };
}

/** One page of items, and how many pages there are. */
export function pageOf(items: Int32Array, page: number, size: number): { items: Int32Array; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const clamped = Math.min(Math.max(0, page), pages - 1);
  return { items: items.subarray(clamped * size, (clamped + 1) * size), page: clamped, pages };
}
