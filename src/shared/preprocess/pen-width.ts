/**
 * The Draw view's pen, shared by the window (which draws and recognises with it) and main (which
 * rebuilds saved drawings' images from their strokes with it), so a rebuilt image is the one the
 * window made.
 */

interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * Pen width in canvas pixels (the canvas is 280 px). The preprocessing scales a digit's bounding box
 * to 20 px, so what reaches the network is about width · 20 / digit height. Measured by rendering
 * digits in Chromium with render-strokes.ts's smoothing, preprocessing them and taking the median over
 * ink pixels of the shortest run through each: a 160 px tall digit (a normal size in this box) comes
 * out 3.0 px wide, MNIST's test-set median by the same measure (10th–90th percentile 2.2–4.2 px), with
 * 92–106 % of MNIST's median ink per class; digits 120–200 px tall come out 4.0–2.5 px.
 */
export const PEN_WIDTH = 24;

/**
 * What the network sees of a stroke is its width times 20 px over the digit's longer side, so a fixed
 * pen makes a small digit a blob: a 60 px digit drawn with the 24 px pen comes out 8 px wide, where
 * MNIST's strokes are about 3 px. The strokes are vectors, so recognition re-draws them with a pen
 * scaled to the digit: the width that gives MNIST's stroke at the 20 px box, never wider than the pen
 * on screen (a digit at least 160 px tall keeps the pen, as PEN_WIDTH was calibrated).
 */
export const MNIST_STROKE_PX = 3;
const BOX_PX = 20;
/** Never thinner than this, in drawing units: a hairline would alias away when read back. */
const MIN_WIDTH = 3;

/** The pen width to re-draw `strokes` with for recognition; `penWidth` when no thinner one is needed. */
export function recognitionPenWidth(strokes: readonly (readonly Point[])[], penWidth: number): number {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const stroke of strokes) {
    for (const { x, y } of stroke) {
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
  }
  if (!Number.isFinite(minX)) return penWidth;
  const path = Math.max(maxX - minX, maxY - minY);
  // w · BOX / (path + w) = MNIST_STROKE_PX, solved for w.
  const width = (MNIST_STROKE_PX * path) / (BOX_PX - MNIST_STROKE_PX);
  return Math.min(penWidth, Math.max(MIN_WIDTH, width));
}
