/** Pure pieces of the Data tab: class counts, filtered index lists, pages, grid moves and figures. */

export const PAGE_SIZE = 100;
/** Thumbnails per grid row, which the arrow keys follow. */
export const GRID_COLUMNS = 10;

export function classCounts(labels: Uint8Array, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const label of labels) if (label < numClasses) counts[label]++;
  return counts;
}

/** The indices the grid shows: every image, or those of one class, in file order. */
export function indicesOf(labels: Uint8Array, classIndex: number | null): Int32Array {
  if (classIndex === null) return Int32Array.from({ length: labels.length }, (_, i) => i);
  let n = 0;
  for (const label of labels) if (label === classIndex) n++;
  const out = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === classIndex) out[k++] = i;
  return out;
}

export function pageCount(items: number, pageSize = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(items / pageSize));
}

export function pageItems(items: Int32Array, page: number, pageSize = PAGE_SIZE): number[] {
  const start = page * pageSize;
  return Array.from(items.subarray(start, start + pageSize));
}

export type GridKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown';

/**
 * Where a key moves the selection, as a position in the filtered list: arrows by one image or one grid
 * row, PageUp/PageDown by a page, Home/End to the ends; never past either end.
 */
export function moveSelection(position: number, key: GridKey, total: number, pageSize = PAGE_SIZE): number {
  if (total === 0) return 0;
  const step: Record<GridKey, number> = {
    ArrowLeft: -1,
    ArrowRight: 1,
    ArrowUp: -GRID_COLUMNS,
    ArrowDown: GRID_COLUMNS,
    PageUp: -pageSize,
    PageDown: pageSize,
    Home: -total,
    End: total,
  };
  return Math.min(total - 1, Math.max(0, position + step[key]));
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} kB`;
  return `${n} B`;
}

export function formatEta(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 60) return `${seconds} s left`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s left`;
}
