/**
 * The first layer as one canvas of 28×28 tiles, one per unit, each inside a frame whose brightness is
 * the unit's activation for the current drawing. Pure pixel maths on an RGBA buffer (ImageData's
 * layout), so it is measured by the bench and tested without a DOM.
 */
import type { DenseLayerWeights } from '$shared/weights';
import { LUT_SIZE, tableIndex } from '../../lib/colour-map';
import { INPUT_SIDE } from '../../lib/input-size';

/** A tile is a first-layer unit's incoming weights, one per input pixel. */
export const TILE = INPUT_SIDE;
export const FRAME = 2;
export const GAP = 2;
/** Distance from one tile's frame to the next one's. */
export const PITCH = TILE + 2 * FRAME + GAP;

/** Behind the tiles, and a frame whose unit is silent: dark, so white (zero) weights stand out. */
const BACKGROUND = [32, 34, 38] as const;
const FRAME_OFF = [58, 62, 70] as const;

export interface SheetLayout {
  units: number;
  cols: number;
  rows: number;
  width: number;
  height: number;
}

/** A near-square grid. */
export function sheetLayout(units: number): SheetLayout {
  const cols = Math.max(1, Math.ceil(Math.sqrt(units)));
  const rows = Math.max(1, Math.ceil(units / cols));
  return { units, cols, rows, width: GAP + cols * PITCH, height: GAP + rows * PITCH };
}

/** Top-left corner of the frame at grid position `position`. */
export function tileOrigin(layout: SheetLayout, position: number): { x: number; y: number } {
  return { x: GAP + (position % layout.cols) * PITCH, y: GAP + Math.floor(position / layout.cols) * PITCH };
}

/** The grid position under canvas pixel (x, y), or -1 in a gap or past the last unit. */
export function positionAt(layout: SheetLayout, x: number, y: number): number {
  const col = Math.floor((x - GAP) / PITCH);
  const row = Math.floor((y - GAP) / PITCH);
  if (col < 0 || row < 0 || col >= layout.cols || row >= layout.rows) return -1;
  if (x - GAP - col * PITCH >= PITCH - GAP || y - GAP - row * PITCH >= PITCH - GAP) return -1;
  const position = row * layout.cols + col;
  return position < layout.units ? position : -1;
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Packs r, g, b (opaque) as one 32-bit ImageData pixel. */
export function pack(r: number, g: number, b: number): number {
  return littleEndian ? ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | 255) >>> 0;
}

/** The colour table as packed pixels. */
export function packLut(lut: Uint8Array): Uint32Array {
  const packed = new Uint32Array(LUT_SIZE);
  for (let i = 0; i < LUT_SIZE; i++) packed[i] = pack(lut[i * 3], lut[i * 3 + 1], lut[i * 3 + 2]);
  return packed;
}

/**
 * Paints every tile: position p shows unit order[p], pixel (r, c) its weight from input r·28 + c,
 * coloured on the symmetric scale ±scales[unit]. The kernel is read row by row (its memory order),
 * writing that input's pixel into every tile, which keeps the 800k reads of 1024 units sequential.
 */
export function renderTiles(
  pixels: Uint32Array,
  layout: SheetLayout,
  layer: DenseLayerWeights,
  order: ArrayLike<number>,
  scales: Float32Array,
  lut: Uint32Array,
): void {
  if (layer.inputs !== TILE * TILE) throw new RangeError(`tiles need ${TILE * TILE} inputs, the layer has ${layer.inputs}`);
  if (pixels.length !== layout.width * layout.height) throw new RangeError('the pixel buffer does not match the layout');
  pixels.fill(pack(...BACKGROUND));
  const { units, kernel } = layer;
  // Per unit: where its tile's first pixel goes, and the factor taking a weight to a table index.
  const base = new Int32Array(units).fill(-1);
  const factor = new Float64Array(units);
  const middle = (LUT_SIZE - 1) / 2;
  for (let p = 0; p < order.length; p++) {
    const unit = order[p];
    const { x, y } = tileOrigin(layout, p);
    base[unit] = (y + FRAME) * layout.width + x + FRAME;
    factor[unit] = scales[unit] > 0 ? middle / scales[unit] : 0;
  }
  const top = LUT_SIZE - 1;
  // Blocks of units keep the rows of the tiles being written in cache while the kernel is read in order.
  for (let u0 = 0; u0 < units; u0 += UNIT_BLOCK) {
    const u1 = Math.min(units, u0 + UNIT_BLOCK);
    for (let i = 0; i < TILE * TILE; i++) {
      const offset = Math.floor(i / TILE) * layout.width + (i % TILE);
      const row = i * units;
      for (let u = u0; u < u1; u++) {
        const at = base[u];
        if (at < 0) continue;
        pixels[at + offset] = lut[tableIndex(kernel[row + u] * factor[u] + middle + 0.5, top)];
      }
    }
  }
}

const UNIT_BLOCK = 64;


/**
 * Paints each tile's frame: the brighter, the more the unit fires (positive activation relative to the
 * layer's largest); silent units and no drawing (activations null) get a dim frame.
 */
export function renderFrames(pixels: Uint32Array, layout: SheetLayout, order: ArrayLike<number>, activations: Float32Array | null): void {
  let max = 0;
  if (activations) for (const a of activations) if (a > max) max = a;
  const side = TILE + 2 * FRAME;
  for (let p = 0; p < order.length; p++) {
    const a = activations && max > 0 ? Math.max(0, activations[order[p]]) / max : 0;
    const colour = pack(
      Math.round(FRAME_OFF[0] + (255 - FRAME_OFF[0]) * a),
      Math.round(FRAME_OFF[1] + (236 - FRAME_OFF[1]) * a),
      Math.round(FRAME_OFF[2] + (120 - FRAME_OFF[2]) * a),
    );
    const { x, y } = tileOrigin(layout, p);
    for (let dy = 0; dy < side; dy++) {
      const row = (y + dy) * layout.width + x;
      if (dy < FRAME || dy >= side - FRAME) pixels.fill(colour, row, row + side);
      else {
        pixels.fill(colour, row, row + FRAME);
        pixels.fill(colour, row + side - FRAME, row + side);
      }
    }
  }
}
