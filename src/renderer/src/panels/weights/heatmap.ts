/**
 * A weight matrix past the first layer as a heatmap: one row per unit (in the sort order), one column
 * per input, and on the left a strip whose brightness is the unit's activation for the drawing.
 */
import type { DenseLayerWeights } from '$shared/weights';
import { LUT_SIZE, tableIndex } from '../../lib/colour-map';
import { pack } from './tile-sheet';

/** The activation strip, then a gap, then the weights. */
export const STRIP = 6;
const STRIP_GAP = 2;
/** Enough rows and columns of screen pixels for a small matrix (10 classes) to be clickable. */
const MIN_HEIGHT = 480;
const MIN_WIDTH = 480;
const MAX_CELL = 16;

export interface HeatmapLayout {
  units: number;
  inputs: number;
  rowPx: number;
  colPx: number;
  /** Where the weight columns start. */
  left: number;
  width: number;
  height: number;
}

export function heatmapLayout(units: number, inputs: number): HeatmapLayout {
  const rowPx = Math.min(MAX_CELL, Math.max(1, Math.ceil(MIN_HEIGHT / units)));
  const colPx = Math.min(MAX_CELL, Math.max(1, Math.ceil(MIN_WIDTH / inputs)));
  const left = STRIP + STRIP_GAP;
  return { units, inputs, rowPx, colPx, left, width: left + inputs * colPx, height: units * rowPx };
}

/** The row (sort position) under canvas pixel (x, y), or -1. */
export function rowAt(layout: HeatmapLayout, x: number, y: number): number {
  if (x < 0 || x >= layout.width || y < 0) return -1;
  const row = Math.floor(y / layout.rowPx);
  return row < layout.units ? row : -1;
}

export function renderHeatmap(
  pixels: Uint32Array,
  layout: HeatmapLayout,
  layer: DenseLayerWeights,
  order: ArrayLike<number>,
  scales: Float32Array,
  lut: Uint32Array,
  activations: Float32Array | null,
): void {
  if (pixels.length !== layout.width * layout.height) throw new RangeError('the pixel buffer does not match the layout');
  const { units, kernel, inputs } = layer;
  const middle = (LUT_SIZE - 1) / 2;
  const top = LUT_SIZE - 1;
  let maxActivation = 0;
  if (activations) for (const a of activations) if (a > maxActivation) maxActivation = a;
  const background = pack(32, 34, 38);
  const line = new Uint32Array(layout.width);
  for (let p = 0; p < order.length; p++) {
    const unit = order[p];
    const a = activations && maxActivation > 0 ? Math.max(0, activations[unit]) / maxActivation : 0;
    line.fill(pack(Math.round(58 + 197 * a), Math.round(62 + 174 * a), Math.round(70 + 50 * a)), 0, STRIP);
    line.fill(background, STRIP, layout.left);
    const factor = scales[unit] > 0 ? middle / scales[unit] : 0;
    for (let i = 0; i < inputs; i++) {
      const k = tableIndex(kernel[i * units + unit] * factor + middle + 0.5, top);
      line.fill(lut[k], layout.left + i * layout.colPx, layout.left + (i + 1) * layout.colPx);
    }
    for (let r = 0; r < layout.rowPx; r++) pixels.set(line, (p * layout.rowPx + r) * layout.width);
  }
}
