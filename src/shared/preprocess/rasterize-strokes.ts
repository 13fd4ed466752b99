import type { GreyImage } from './grey-image';
import { preprocessDigit } from './mnist-preprocess';
import { PEN_WIDTH, recognitionPenWidth } from './pen-width';

/**
 * Strokes to ink without a canvas, so main and tests can rebuild a saved drawing's 28×28 image from
 * its raw strokes (after a change to the preprocessing). The pen is the Draw view's (pen-width.ts) on
 * its 280-px field, thinned for a small digit as the Draw view thins it before recognising. Segments
 * join the recorded points directly rather than through the canvas's smoothing curves; at the 20-px
 * scale the network sees, the difference is well under a pixel.
 */

export const DRAW_FIELD = 280;

interface Point {
  readonly x: number;
  readonly y: number;
}

/** Anti-aliased coverage (0..1) of round-capped strokes on a size×size field. */
export function rasterizeStrokes(strokes: readonly (readonly Point[])[], size = DRAW_FIELD, penWidth = PEN_WIDTH): GreyImage {
  const data = new Float32Array(size * size);
  const radius = penWidth / 2;
  for (const stroke of strokes) {
    // A one-point stroke is a tap: a segment of zero length draws the pen's round tip.
    if (stroke.length === 1) paintSegment(data, size, stroke[0], stroke[0], radius);
    for (let i = 0; i + 1 < stroke.length; i++) paintSegment(data, size, stroke[i], stroke[i + 1], radius);
  }
  return { width: size, height: size, data };
}

/** Paints one capsule, keeping each pixel's highest coverage: overlapping segments do not darken twice. */
function paintSegment(data: Float32Array, size: number, a: Point, b: Point, radius: number): void {
  const reach = radius + 1;
  const left = Math.max(0, Math.floor(Math.min(a.x, b.x) - reach));
  const right = Math.min(size - 1, Math.ceil(Math.max(a.x, b.x) + reach));
  const top = Math.max(0, Math.floor(Math.min(a.y, b.y) - reach));
  const bottom = Math.min(size - 1, Math.ceil(Math.max(a.y, b.y) + reach));
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSquared = dx * dx + dy * dy;
  for (let row = top; row <= bottom; row++) {
    const py = row + 0.5;
    for (let col = left; col <= right; col++) {
      const px = col + 0.5;
      const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / lengthSquared));
      const ex = px - (a.x + t * dx);
      const ey = py - (a.y + t * dy);
      // One pixel of linear falloff at the edge: the coverage a canvas's anti-aliasing gives.
      const coverage = Math.max(0, Math.min(1, radius + 0.5 - Math.sqrt(ex * ex + ey * ey)));
      const index = row * size + col;
      if (coverage > data[index]) data[index] = coverage;
    }
  }
}

/**
 * A drawing's MNIST-style 28×28 image (grey levels 0..255) from its strokes, with the pen the Draw
 * view recognised it with; null when there is no ink.
 */
export function imageFromStrokes(strokes: readonly (readonly Point[])[]): Uint8Array | null {
  const result = preprocessDigit(rasterizeStrokes(strokes, DRAW_FIELD, recognitionPenWidth(strokes, PEN_WIDTH)));
  if (!result) return null;
  const bytes = new Uint8Array(result.input.length);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(Math.min(1, Math.max(0, result.input[i])) * 255);
  return bytes;
}
