/** Orders, scales and histograms over a layer's units. */
import type { DenseLayerWeights } from '$shared/weights';
import { unitMaxAbs, unitNorms } from '../../lib/network';

export const SORTS = ['index', 'norm', 'activation'] as const;
export type SortMode = (typeof SORTS)[number];

export const SCALES = ['unit', 'layer'] as const;
export type ScaleMode = (typeof SCALES)[number];

/**
 * The units in display order: by index; by L2 norm, largest first; or by activation for the drawing,
 * largest first (by index while nothing is drawn). Ties keep index order, so the grid does not shuffle.
 */
export function sortUnits(mode: SortMode, units: number, norms: Float32Array, activations: Float32Array | null): Uint32Array {
  const order = Uint32Array.from({ length: units }, (_, i) => i);
  const key = mode === 'norm' ? norms : mode === 'activation' ? activations : null;
  if (!key) return order;
  return order.sort((a, b) => key[b] - key[a] || a - b);
}

/** Per-unit colour scales: each unit's own largest |w|, or the whole layer's for every unit. */
export function colourScales(layer: DenseLayerWeights, mode: ScaleMode): Float32Array {
  const max = unitMaxAbs(layer);
  if (mode === 'unit') return max;
  let all = 0;
  for (const m of max) if (m > all) all = m;
  return new Float32Array(layer.units).fill(all);
}

export { unitNorms };

export interface Histogram {
  min: number;
  max: number;
  counts: number[];
}

/** Equal-width bins from the smallest to the largest value (one bin when they are all equal). */
export function histogram(values: ArrayLike<number>, bins: number): Histogram {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  if (values.length === 0) return { min: 0, max: 0, counts: [] };
  const n = max > min ? bins : 1;
  const counts = new Array<number>(n).fill(0);
  for (let i = 0; i < values.length; i++) counts[Math.min(n - 1, Math.floor(((values[i] - min) / (max - min || 1)) * n))]++;
  return { min, max, counts };
}
